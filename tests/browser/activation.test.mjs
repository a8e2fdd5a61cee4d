// activation.test.mjs - steps 1-2 of the activation guide walked like a
// person in a real Chromium: the operator creates the school, the
// invitation e-mail's link opens /rejoindre, the référent creates an
// account (a weak password first), accepts the CGU, reaches the school's
// space, reads Documentation and logs out; then a keyboard-only pass and
// an existing account joining a second school. Screenshots of every
// screen go to tests/artifacts/screenshots/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { errorOf, h1, menu } from '../lib/page.mjs';
import { DESKTOP, PHONE, launch, shot, tabOrder, watch } from './browser.mjs';

const PASSWORD = 'Motdepasse2024';

let stack;
let browser;

before(async () => {
	stack = await startStack({ name: 'browser-activation', smtp: true });
});

/* each test is a different person: a fresh browser profile */
beforeEach(async () => {
	browser = await launch({ viewport: DESKTOP });
});

afterEach(async () => {
	if (browser)
		await browser.close();
	browser = null;
});

after(async () => {
	if (stack)
		await stack.stop();
});

// createSchool runs orgactl org create and returns the link of the
// invitation e-mail that reaches the school's mailbox.
async function createSchool(uai, name) {
	const email = `ce.${uai.toLowerCase()}@ac-exemple.fr`;
	const r = await stack.orgactl('org', 'create', '--uai', uai, '--name',
	    name, '--email', email);
	assert.equal(r.code, 0, `orgactl org create: ${r.stderr}`);
	const [mail] = await stack.smtp.waitForMail({ to: email });
	assert.ok(mail.link, 'the invitation e-mail has a link');
	const link = new URL(mail.link);
	assert.equal(link.origin, new URL(stack.httpUrl).origin);
	assert.equal(link.pathname, '/rejoindre');
	assert.match(link.searchParams.get('invitationId') || '', /^\d+$/);
	assert.ok(link.searchParams.get('code'));
	return link.href;
}

async function noHorizontalScroll(page) {
	return page.evaluate(() =>
	    document.documentElement.scrollWidth <= window.innerWidth);
}

async function expectSpace(page, school, user) {
	await page.getByRole('heading', { level: 1, name: 'Campagnes' })
	    .waitFor();
	const header = page.locator('header');
	assert.match(await header.innerText(), /mon organisation/i);
	assert.match(await header.innerText(), new RegExp(school));
	assert.match(await header.innerText(), new RegExp(user));
	const nav = page.getByRole('navigation', { name: 'Menu principal' });
	const items = (await nav.getByRole('link').allInnerTexts())
	    .map((t) => t.trim());
	assert.deepEqual(items, ['Campagnes', 'Équipe', 'Élèves',
	    'Documentation']);
	assert.equal(await nav.locator('[aria-current="page"]').innerText(),
	    'Campagnes');
	await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

test('the référent activates the school from the invitation e-mail',
    async () => {
	const link = await createSchool('0123456A', 'Lycée Pix');
	const page = await browser.context.newPage();
	const seen = watch(page);

	// Step 1: the link of the e-mail.
	await page.goto(link);
	await h1(page, 'Vous êtes invité(e) à rejoindre Lycée Pix');
	assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
	await shot(page, 'activation-01-rejoindre-1366x768');

	const phone = await browser.context.newPage();
	await phone.setViewportSize(PHONE);
	await phone.goto(link);
	await h1(phone, /Lycée Pix/);
	assert.ok(await noHorizontalScroll(phone), 'no sideways scroll at 375');
	await shot(phone, 'activation-01-rejoindre-375');
	await phone.close();

	// Step 2: create the account, a weak password first.
	await page.getByRole('button', { name: 'Créer mon compte' }).click();
	await page.getByLabel('Prénom').fill('Référent');
	await page.getByLabel('Nom', { exact: true }).fill('Pix');
	await page.getByLabel('Adresse e-mail').fill('referent@ac-exemple.fr');
	const password = page.getByLabel('Mot de passe', { exact: true });
	await password.fill('faible');
	await page.getByRole('button', { name: "Je m'inscris" }).click();
	const weak = await errorOf(password, { invalid: true });
	assert.match(weak, /8 caractères/);
	assert.match(weak, /majuscule/);
	await shot(page, 'activation-02-mot-de-passe-faible');

	await page.getByRole('button', { name: 'Afficher le mot de passe' })
	    .click();
	assert.equal(await password.getAttribute('type'), 'text');
	await password.fill(PASSWORD);
	await page.getByRole('button', { name: "Je m'inscris" }).click();

	// The CGU, refused once without the box ticked.
	await h1(page, "Conditions générales d'utilisation");
	assert.equal(new URL(page.url()).pathname, '/cgu');
	await shot(page, 'activation-03-cgu');
	await page.getByRole('button', { name: 'Je continue' }).click();
	const box = page.getByLabel("J'ai lu et j'accepte les conditions " +
	    "générales d'utilisation");
	assert.match(await errorOf(box, { invalid: true }), /Cochez la case/);
	await box.check();
	await page.getByRole('button', { name: 'Je continue' }).click();

	// The school's space.
	await expectSpace(page, 'Lycée Pix', 'Référent Pix');
	assert.match(new URL(page.url()).pathname,
	    /^\/organisations\/\d+\/campagnes$/);
	await page.getByText('Aucune campagne pour le moment.').waitFor();
	await shot(page, 'activation-04-espace-campagnes');

	await menu(page, 'Documentation').click();
	await page.getByRole('heading', { level: 1, name: 'Documentation' })
	    .waitFor();
	assert.equal(await page.locator('nav [aria-current="page"]').innerText(),
	    'Documentation');
	const guide = await page.locator('main').innerText();
	assert.match(guide, /SIECLE/);
	assert.match(guide, /Élèves sans adresse/);
	assert.match(guide, /GAR/);
	await shot(page, 'activation-05-documentation');

	await menu(page, 'Équipe').click();
	await page.getByRole('heading', { level: 1, name: 'Mon équipe' })
	    .waitFor();
	const members = page.getByRole('table');
	await members.getByRole('cell', { name: 'Référent' }).waitFor();
	assert.match(await members.innerText(), /Pix\s+Référent\s+Administrateur/);
	await shot(page, 'activation-06-equipe');

	await menu(page, 'Élèves').click();
	await page.getByText('Aucun élève pour le moment.').waitFor();
	const space = new URL(page.url()).pathname;

	// The space on the narrowest phone (same session, other tab).
	const narrow = await browser.context.newPage();
	await narrow.setViewportSize({ width: 320, height: 640 });
	await narrow.goto(stack.httpUrl + space.replace(/eleves$/, 'equipe'));
	await h1(narrow, 'Mon équipe');
	assert.ok(await noHorizontalScroll(narrow), 'no sideways scroll at 320');
	await shot(narrow, 'activation-06-equipe-320');
	await narrow.close();

	// Log out: back to the login page; the space now asks to log in.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await h1(page, 'Connexion à Orga');
	assert.equal(new URL(page.url()).pathname, '/connexion');
	await shot(page, 'activation-07-connexion');
	await page.goto(stack.httpUrl + space);
	await h1(page, 'Connexion à Orga');

	// The used link now says so; an unknown one too.
	await page.goto(link);
	await h1(page, 'Cette invitation a déjà été acceptée.');
	await page.getByRole('link', { name: 'Se connecter' }).waitFor();
	await shot(page, 'activation-08-invitation-deja-acceptee');
	const bad = new URL(link);
	bad.searchParams.set('code', 'ZZZZZZZZZZZZZZZZZZZZ');
	await page.goto(bad.href);
	await h1(page, "Ce lien d'invitation n'est pas valide.");
	await shot(page, 'activation-09-lien-invalide');

	// A cancelled invitation says so.
	const profEmail = 'prof.annule@ac-exemple.fr';
	const inv = await stack.orgactl('org', 'invite', '--uai', '0123456A',
	    '--email', profEmail, '--role', 'MEMBER');
	assert.equal(inv.code, 0, `orgactl org invite: ${inv.stderr}`);
	const [profMail] = await stack.smtp.waitForMail({ to: profEmail });
	await stack.sql("UPDATE invitations SET status = 'cancelled' " +
	    'WHERE email = $1', [profEmail]);
	await page.goto(profMail.link);
	await h1(page, 'Cette invitation a été annulée.');
	await shot(page, 'activation-10-invitation-annulee');

	assert.deepEqual(seen.problems(), []);
	await page.close();
});

test('keyboard only: the signup form is reached and filled with the ' +
    'keyboard, focus always visible', async () => {
	const link = await createSchool('0234567B', 'Collège Clavier');
	const page = await browser.context.newPage();
	const seen = watch(page);
	await page.goto(link);
	await h1(page, /Collège Clavier/);

	const order = (await tabOrder(page, 12)).filter(Boolean);
	assert.equal(order[0].text, 'Aller au contenu', 'skip link first');
	const names = order.map((o) => o.name || o.text);
	const expected = ['firstName', 'lastName', 'email', 'password',
	    'Afficher le mot de passe', "Je m'inscris"];
	const at = expected.map((n) => names.indexOf(n));
	assert.ok(at.every((i) => i >= 0), `Tab reaches all of ${names}`);
	assert.deepEqual([...at].sort((a, b) => a - b), at, 'in reading order');
	for (const o of order)
		assert.ok(o.focusVisible && o.outline,
		    `visible focus on ${o.name || o.text}`);
	for (const o of order.filter((x) => x.tag === 'input'))
		assert.ok(o.label, `${o.name} has a label`);

	// Fill it with the keyboard only: back to the top, then Tab / type.
	await page.goto(link);
	await h1(page, /Collège Clavier/);
	const tabTo = async (name) => {
		for (let i = 0; i < 15; i += 1) {
			await page.keyboard.press('Tab');
			const here = await page.evaluate(() =>
			    document.activeElement.getAttribute('name') ||
			    document.activeElement.textContent.trim());
			if (here === name)
				return;
		}
		assert.fail(`Tab never reached ${name}`);
	};
	await tabTo('firstName');
	await page.keyboard.type('Claire');
	await page.keyboard.press('Tab');
	await page.keyboard.type('Clavier');
	await page.keyboard.press('Tab');
	await page.keyboard.type('claire.clavier@ac-exemple.fr');
	await page.keyboard.press('Tab');
	await page.keyboard.type(PASSWORD);
	await shot(page, 'keyboard-01-inscription-au-clavier');
	await page.keyboard.press('Enter');       /* submits the form */

	await h1(page, "Conditions générales d'utilisation");
	await tabTo('accept');
	await page.keyboard.press('Space');
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() =>
	    document.activeElement.textContent.trim()), 'Je continue');
	await page.keyboard.press('Enter');
	await expectSpace(page, 'Collège Clavier', 'Claire Clavier');

	// After a fresh load, the first Tab shows the skip link, which leads
	// to the content.
	await page.reload();
	await h1(page, 'Campagnes');
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() =>
	    document.activeElement.textContent.trim()), 'Aller au contenu');
	await shot(page, 'keyboard-02-lien-d-evitement');
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => document.activeElement.id),
	    'contenu');

	// A school that is not hers: "Page introuvable".
	await page.goto(`${stack.httpUrl}/organisations/999999/campagnes`);
	await h1(page, 'Page introuvable');
	await shot(page, 'keyboard-03-page-introuvable');
	await page.goto(`${stack.httpUrl}/nimporte/quoi`);
	await h1(page, 'Page introuvable');

	await page.getByRole('link', { name: 'Aller à mon espace' }).click();
	await expectSpace(page, 'Collège Clavier', 'Claire Clavier');
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await h1(page, 'Connexion à Orga');
	assert.deepEqual(seen.problems(), []);
	await page.close();
});

test('an existing account joins a second school with "J\'ai déjà un ' +
    'compte": wrong password, new CGU to accept, blocked account',
    async () => {
	const link = await createSchool('0345678C', 'École Existante');
	const page = await browser.context.newPage();
	const seen = watch(page);
	await page.goto(link);
	await h1(page, /École Existante/);
	await page.getByRole('button', { name: "J'ai déjà un compte" }).click();
	assert.equal(await page.getByRole('button',
	    { name: "J'ai déjà un compte" }).getAttribute('aria-pressed'), 'true');
	await page.getByLabel('Adresse e-mail').fill('referent@ac-exemple.fr');
	const password = page.getByLabel('Mot de passe', { exact: true });
	await password.fill('Mauvais2024');
	await page.getByRole('button', { name: 'Je me connecte' }).click();
	assert.match(await errorOf(password, { invalid: true }), /incorrect/i);
	await shot(page, 'existing-01-mauvais-mot-de-passe');

	// New CGU published meanwhile: they are asked first, then the
	// invitation is accepted and the new school's space opens.
	const cgu = path.join(os.tmpdir(), `orga-cgu-${process.pid}.txt`);
	fs.writeFileSync(cgu, "Conditions générales d'utilisation d'Orga " +
	    '(version 2)\n\n1. Objet\nUne nouvelle version à relire.\n');
	const published = await stack.orgactl('cgu', 'publish', cgu);
	fs.rmSync(cgu, { force: true });
	assert.equal(published.code, 0, `orgactl cgu publish: ${published.stderr}`);

	await password.fill(PASSWORD);
	await page.getByRole('button', { name: 'Je me connecte' }).click();
	await h1(page, "Conditions générales d'utilisation");
	await page.getByText('Une nouvelle version à relire.').waitFor();
	await shot(page, 'existing-02-nouvelles-cgu');
	await page.getByLabel("J'ai lu et j'accepte les conditions générales " +
	    "d'utilisation").check();
	await page.getByRole('button', { name: 'Je continue' }).click();
	await expectSpace(page, 'École Existante', 'Référent Pix');
	await shot(page, 'existing-03-espace');

	// A blocked account is told so next to the password, on /connexion.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await h1(page, 'Connexion à Orga');
	const api = stack.client();
	for (let i = 0; i < 10; i += 1)
		await api.login('referent@ac-exemple.fr', `Mauvais${i}xyz`);
	await page.getByLabel('Adresse e-mail').fill('referent@ac-exemple.fr');
	await password.fill(PASSWORD);
	await page.getByRole('button', { name: 'Je me connecte' }).click();
	assert.match(await errorOf(password, { invalid: true }), /bloqu/i);
	await shot(page, 'existing-04-compte-bloque');
	assert.deepEqual(seen.problems(), []);
	await page.close();
});
