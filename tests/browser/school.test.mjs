// school.test.mjs - issue 14 in a real Chromium: a person in two schools
// switches from the header ("Changer d'établissement", never listing a
// school not theirs), a bookmark opens its own school and / the one used
// last; an ADMIN pastes addresses from a mail client, the refused part is
// named, the invitee is told which address the invitation went to and
// cannot sign up with another. Every screen is checked with axe-core,
// hovered buttons and a focused field included. Screenshots:
// tests/artifacts/screenshots/school-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { checkA11y } from '../lib/a11y.mjs';
import { startStack } from '../lib/stack.mjs';
import { errorOf, h1, login, menu } from '../lib/page.mjs';
import { acceptInvitation, acceptTerms, linkParams, schoolWithAdmin,
    signUp, uniqueEmail } from '../lib/orga.mjs';
import { DESKTOP, PHONE, launch, shot, watch } from './browser.mjs';

const PASSWORD = 'Motdepasse2024';

let stack;
const browsers = [];

before(async () => {
	stack = await startStack({ name: 'browser-school', smtp: true,
	    gar: false, env: { ORGA_HELP_EMAIL: 'aide.orga@ac-exemple.fr' } });
});

after(async () => {
	for (const b of browsers)
		await b.close();
	if (stack)
		await stack.stop();
});

async function browser(viewport) {
	const b = await launch({ viewport });
	browsers.push(b);
	const page = await b.context.newPage();
	return { page, seen: watch(page) };
}

function orgName(page) {
	return page.locator('.space-org-name').innerText();
}

test('a person in two schools switches from the header; a bookmark ' +
    'opens its school, / the one used last', async () => {
	const alpha = await schoolWithAdmin(stack, { name: 'Lycée Alpha' });
	const beta = await schoolWithAdmin(stack, { name: 'Collège Bêta' });
	await schoolWithAdmin(stack, { name: 'École Gamma' });
	// Alpha's référent is invited into Bêta too, and accepts.
	const who = { email: uniqueEmail('double'), password: PASSWORD };
	const c = stack.client();
	await signUp(c, { firstName: 'Claire', lastName: 'Double', ...who });
	await acceptTerms(c);
	for (const s of [alpha, beta]) {
		const r = await s.admin.post(`${s.base}/invitations`,
		    { emails: who.email, role: 'ADMIN' });
		assert.equal(r.status, 200, r.text);
		const mails = await stack.smtp.waitForMail({ to: who.email,
		    count: s === alpha ? 1 : 2 });
		const link = linkParams(mails[mails.length - 1].link);
		assert.equal((await acceptInvitation(c, link)).status, 200);
	}

	const { page, seen } = await browser(DESKTOP);
	await login(page, stack.httpUrl, who);
	// Never opened: the first by name.
	assert.equal(await orgName(page), 'Collège Bêta');
	const sw = page.locator('details.school-switch');
	await sw.locator('summary', { hasText: 'Changer d\'établissement' })
	    .click();
	const links = sw.getByRole('navigation',
	    { name: 'Changer d\'établissement' }).getByRole('link');
	const texts = (await links.allInnerTexts()).map((t) =>
	    t.replace(/\s+/g, ' ').trim());
	assert.deepEqual(texts, [`Lycée Alpha UAI ${alpha.uai}`],
	    'only the other school of the person, never Gamma');
	await checkA11y(page, 'switcher open',
	    { hover: links.first() });
	await shot(page, 'school-01-changer');

	// From Campagnes of Bêta to Campagnes of Alpha; the URL names it.
	await links.first().click();
	await h1(page, 'Campagnes');
	assert.equal(await orgName(page), 'Lycée Alpha');
	assert.match(page.url(), new RegExp(`/organisations/${alpha.orgId}/` +
	    'campagnes$'));
	// From Équipe of Alpha to Équipe of Bêta.
	await menu(page, 'Équipe').click();
	await h1(page, 'Mon équipe');
	await sw.locator('summary').click();
	await sw.getByRole('link', { name: /Collège Bêta/ }).click();
	await h1(page, 'Mon équipe');
	assert.equal(await orgName(page), 'Collège Bêta');
	assert.match(page.url(), new RegExp(`/organisations/${beta.orgId}/` +
	    'equipe$'));
	// Hover and focus states of this screen.
	await checkA11y(page, 'Équipe, hovered buttons', { hover: page
	    .getByRole('button', { name: 'Quitter l\'établissement' }) });
	await checkA11y(page, 'Équipe, primary hovered', { hover: page
	    .getByRole('button', { name: 'Inviter un membre' }) });

	// A bookmark of Alpha's Élèves opens Alpha; / then lands there.
	const tab = await (browsers[browsers.length - 1]).context.newPage();
	await tab.goto(`${stack.httpUrl}/organisations/${alpha.orgId}/eleves`);
	await h1(tab, 'Élèves');
	assert.equal(await orgName(tab), 'Lycée Alpha');
	await tab.goto(`${stack.httpUrl}/`);
	await h1(tab, 'Campagnes');
	assert.equal(await orgName(tab), 'Lycée Alpha');
	assert.match(tab.url(), new RegExp(`/organisations/${alpha.orgId}/`));
	// Every page ends with the help contact.
	await tab.getByRole('link', { name: 'aide.orga@ac-exemple.fr' })
	    .waitFor();
	await shot(tab, 'school-02-signet');

	// On a phone, the switcher is reachable and the screen passes.
	const phone = await browser(PHONE);
	await login(phone.page, stack.httpUrl, who);
	await phone.page.locator('details.school-switch summary').click();
	await checkA11y(phone.page, 'switcher on a phone');
	await shot(phone.page, 'school-03-telephone');
	assert.deepEqual([...seen.problems(), ...phone.seen.problems()], []);
});

test('an ADMIN pastes addresses from a mail client; the invitee is told ' +
    'the address and cannot sign up with another', async () => {
	const sch = await schoolWithAdmin(stack, { name: 'Lycée Collage' });
	const { page, seen } = await browser(DESKTOP);
	await login(page, stack.httpUrl, { email: sch.adminEmail,
	    password: 'Motdepasse1' });
	await menu(page, 'Équipe').click();
	await h1(page, 'Mon équipe');
	await page.getByRole('button', { name: 'Inviter un membre' }).click();
	const box = page.getByLabel('Adresses e-mail des personnes à inviter');
	await box.fill('"Martin, Paul" <Paul.Martin@ac-exemple.fr>; ' +
	    'Jean Dupont');
	const send = page.getByRole('button', { name: 'Inviter', exact: true });
	await checkA11y(page, 'invite form, focus and hover',
	    { hover: send, focus: box });
	await send.click();
	await page.getByText('Invitation envoyée à paul.martin@ac-exemple.fr.')
	    .waitFor();
	await page.getByText('« Jean Dupont » n\'est pas une adresse e-mail ' +
	    'valide').waitFor();
	assert.equal(await box.inputValue(), 'Jean Dupont',
	    'only the refused part is left to fix');
	const pending = page.getByRole('region',
	    { name: /^Invitations en attente/ });
	await pending.getByText('« Renvoyer » envoie un nouvel e-mail avec un ' +
	    'nouveau lien : le lien de l\'e-mail précédent ne fonctionnera ' +
	    'plus.').waitFor();
	// The secondary buttons under the pointer (white on pale blue once).
	const resend = pending.getByRole('button',
	    { name: 'Renvoyer l\'invitation à paul.martin@ac-exemple.fr' });
	await checkA11y(page, 'Renvoyer hovered', { hover: resend });
	await shot(page, 'school-04-collage');

	const [mail] = await stack.smtp.waitForMail(
	    { to: 'paul.martin@ac-exemple.fr' });
	assert.match(mail.text, new RegExp(`UAI : ${sch.uai}`));
	const inv = await browser(DESKTOP);
	await inv.page.goto(mail.link);
	await h1(inv.page, 'Vous êtes invité(e) à rejoindre Lycée Collage');
	await inv.page.getByText('Cette invitation a été envoyée à ' +
	    'paul.martin@ac-exemple.fr').waitFor();
	await inv.page.getByLabel('Prénom').fill('Paul');
	await inv.page.getByLabel('Nom', { exact: true }).fill('Martin');
	const email = inv.page.getByLabel('Adresse e-mail');
	await email.fill('paul.perso@exemple.fr');
	await inv.page.getByLabel('Mot de passe', { exact: true })
	    .fill(PASSWORD);
	await inv.page.getByRole('button', { name: "Je m'inscris" }).click();
	assert.match(await errorOf(email, { invalid: true }),
	    /envoyée à paul\.martin@ac-exemple\.fr/);
	assert.deepEqual(await stack.sql('SELECT id FROM users WHERE email = ' +
	    "'paul.perso@exemple.fr'"), [], 'no account was made');
	await checkA11y(inv.page, 'sign-up refused', { focus: email });
	await shot(inv.page, 'school-05-autre-adresse');
	await email.fill('paul.martin@ac-exemple.fr');
	await inv.page.getByRole('button', { name: "Je m'inscris" }).click();
	await h1(inv.page, "Conditions générales d'utilisation");
	await inv.page.getByLabel("J'ai lu et j'accepte les conditions " +
	    "générales d'utilisation").check();
	await inv.page.getByRole('button', { name: 'Je continue' }).click();
	await h1(inv.page, 'Campagnes');
	assert.equal(await orgName(inv.page), 'Lycée Collage');
	assert.deepEqual([...seen.problems(), ...inv.seen.problems()], []);
});
