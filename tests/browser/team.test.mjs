// team.test.mjs - step 4 of the activation guide in a real Chromium: the
// ADMIN opens Équipe, invites a teacher ("Inviter un membre"), the teacher
// opens the e-mail's link, creates an account, accepts the CGU and sees
// the school's space (and the team without any action); the ADMIN sees
// them among the members and no longer among the pending invitations, is
// refused demoting the last ADMIN, removes the teacher, whose page then
// sends them away. Screenshots: tests/artifacts/screenshots/team-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { h1, login, menu } from '../lib/page.mjs';
import { acceptInvitation, acceptTerms, createSchool, signUp }
    from '../lib/orga.mjs';
import { DESKTOP, PHONE, launch, shot, watch } from './browser.mjs';

const PASSWORD = 'Motdepasse2024';

let stack;
const browsers = [];

before(async () => {
	stack = await startStack({ name: 'browser-team', smtp: true });
});

after(async () => {
	for (const b of browsers)
		await b.close();
	if (stack)
		await stack.stop();
});

function section(page, name) {
	return page.getByRole('region', { name });
}

test('the ADMIN invites a teacher who joins; the ADMIN manages the team',
    async () => {
	// The school and its référent (ADMIN), set up over the API.
	const s = await createSchool(stack, { uai: '0456789D',
	    name: 'Lycée Équipe' });
	const api = stack.client();
	const admin = await signUp(api, { firstName: 'Référent',
	    lastName: 'Pix', email: 'referent.equipe@ac-exemple.fr' });
	await acceptTerms(api);
	assert.equal((await acceptInvitation(api, s)).status, 200);

	const ab = await launch({ viewport: DESKTOP });
	browsers.push(ab);
	const page = await ab.context.newPage();
	const seen = watch(page);
	await login(page, stack.httpUrl, admin);
	await menu(page, 'Équipe').click();
	await h1(page, 'Mon équipe');
	await section(page, 'Journal de l\'équipe').waitFor();
	await shot(page, 'team-01-equipe-admin');

	// "Inviter un membre": the form opens with the focus in the box.
	const open = page.getByRole('button', { name: 'Inviter un membre' });
	assert.equal(await open.getAttribute('aria-expanded'), 'false');
	await open.click();
	assert.equal(await open.getAttribute('aria-expanded'), 'true');
	const box = page.getByLabel('Adresses e-mail des personnes à inviter');
	assert.equal(await box.evaluate((el) => el === document.activeElement),
	    true, 'focus is in the address box');
	await box.fill('prof.martin@ac-exemple.fr, pas-une-adresse\n' +
	    'PROF.MARTIN@ac-exemple.fr');
	await page.getByLabel('Rôle').selectOption({ label: 'Membre' });
	await page.getByRole('button', { name: 'Inviter', exact: true }).click();
	await page.getByText('Invitation envoyée à prof.martin@ac-exemple.fr.')
	    .waitFor();
	await page.getByText('« pas-une-adresse » n\'est pas une adresse ' +
	    'e-mail valide').waitFor();
	assert.equal(await box.inputValue(), 'pas-une-adresse',
	    'only the wrong address is left to fix');
	assert.equal(await box.getAttribute('aria-invalid'), 'true');
	const pending = section(page, /^Invitations en attente/);
	await pending.getByText('prof.martin@ac-exemple.fr').waitFor();
	assert.match(await pending.innerText(),
	    /Invité le \d\d\/\d\d\/\d{4}/);
	assert.match(await pending.getByRole('heading').innerText(),
	    /Invitations en attente \(1\)/);
	await pending.getByRole('button',
	    { name: 'Renvoyer l\'invitation à prof.martin@ac-exemple.fr' })
	    .waitFor();
	await shot(page, 'team-02-invitation-envoyee');
	await page.keyboard.press('Escape');
	assert.equal(await open.getAttribute('aria-expanded'), 'false');

	// The teacher: the link of the e-mail, a new account, the CGU.
	const [mail] = await stack.smtp.waitForMail(
	    { to: 'prof.martin@ac-exemple.fr' });
	assert.ok(mail.link);
	const tb = await launch({ viewport: DESKTOP });
	browsers.push(tb);
	const tpage = await tb.context.newPage();
	const tseen = watch(tpage);
	await tpage.goto(mail.link);
	await h1(tpage, 'Vous êtes invité(e) à rejoindre Lycée Équipe');
	await tpage.getByLabel('Prénom').fill('Paul');
	await tpage.getByLabel('Nom', { exact: true }).fill('Martin');
	const email = tpage.getByLabel('Adresse e-mail');
	assert.equal(await email.inputValue(), 'prof.martin@ac-exemple.fr',
	    'the invited address is filled in');
	await tpage.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
	await tpage.getByRole('button', { name: "Je m'inscris" }).click();
	await h1(tpage, "Conditions générales d'utilisation");
	await tpage.getByLabel("J'ai lu et j'accepte les conditions générales " +
	    "d'utilisation").check();
	await tpage.getByRole('button', { name: 'Je continue' }).click();
	await h1(tpage, 'Campagnes');
	await tpage.getByText('Vous avez rejoint l\'espace de Lycée Équipe')
	    .waitFor();
	assert.match(await tpage.locator('header').innerText(), /Paul Martin/);
	await shot(tpage, 'team-03-enseignant-espace');

	// A MEMBER sees the team, none of the actions.
	await menu(tpage, 'Équipe').click();
	await h1(tpage, 'Mon équipe');
	const tmembers = section(tpage, /^Liste des membres/);
	await tmembers.getByRole('cell', { name: 'Paul', exact: true }).waitFor();
	assert.equal(await tpage.getByRole('button',
	    { name: 'Inviter un membre' }).count(), 0);
	assert.equal(await tpage.getByRole('button',
	    { name: /Retirer|Nommer|Passer|Renvoyer|Annuler/ }).count(), 0);
	assert.equal(await section(tpage, 'Journal de l\'équipe').count(), 0);
	await tpage.getByRole('button', { name: 'Quitter l\'établissement' })
	    .waitFor();
	await shot(tpage, 'team-04-equipe-membre');

	// The ADMIN sees the teacher among the members, not pending any more.
	await page.reload();
	await h1(page, 'Mon équipe');
	const members = section(page, /^Liste des membres/);
	await members.getByRole('cell', { name: 'Paul', exact: true }).waitFor();
	assert.match(await members.innerText(), /Martin\s+Paul\s+Membre/);
	assert.match(await members.getByRole('heading').innerText(),
	    /Liste des membres \(2\)/);
	assert.match(await section(page, /^Invitations en attente/).innerText(),
	    /Invitations en attente \(0\)[\s\S]*Aucune invitation en attente/);
	const log = section(page, 'Journal de l\'équipe');
	assert.match(await log.innerText(),
	    /Paul Martin a rejoint l'établissement \(Membre\)/);
	assert.match(await log.innerText(),
	    /Référent Pix a invité prof\.martin@ac-exemple\.fr \(Membre\)/);
	await shot(page, 'team-05-membres');

	// The last ADMIN cannot step down: the server says why.
	await members.getByRole('button', { name: 'Passer en membre (vous-même)' })
	    .click();
	const refusal = page.locator('.team-status .notice-error');
	await refusal.waitFor();
	assert.match(await refusal.innerText(), /dernier administrateur/);
	assert.equal(await refusal.evaluate((el) => el === document.activeElement),
	    true, 'focus on the message');
	await shot(page, 'team-06-dernier-admin');

	// Removing the teacher asks first; Escape keeps them.
	await members.getByRole('button', { name: "Retirer Paul Martin de l'équipe" })
	    .click();
	const confirm = members.getByRole('button', { name: 'Confirmer le retrait' });
	await confirm.waitFor();
	assert.equal(await confirm.evaluate((el) => el === document.activeElement),
	    true);
	await page.keyboard.press('Escape');
	await members.getByRole('button', { name: "Retirer Paul Martin de l'équipe" })
	    .waitFor();
	await members.getByRole('button', { name: "Retirer Paul Martin de l'équipe" })
	    .click();
	await shot(page, 'team-07-confirmation-retrait');
	await members.getByRole('button', { name: 'Confirmer le retrait' }).click();
	await page.getByText('Paul Martin a été retiré(e) de l\'équipe.').waitFor();
	assert.match(await members.getByRole('heading').innerText(),
	    /Liste des membres \(1\)/);
	assert.match(await log.innerText(),
	    /Référent Pix a retiré Paul Martin de l'équipe/);
	await shot(page, 'team-08-membre-retire');

	// The teacher's next request is refused: their page sends them home.
	await tpage.getByRole('button', { name: 'Quitter l\'établissement' })
	    .click();
	await tpage.getByRole('button', { name: 'Quitter définitivement' }).click();
	await h1(tpage, 'Bonjour Paul Martin');
	await tpage.getByText('Vous n\'avez plus accès à l\'espace de Lycée ' +
	    'Équipe').waitFor();
	assert.equal(new URL(tpage.url()).pathname, '/');
	await shot(tpage, 'team-09-enseignant-renvoye');
	await tpage.goto(`${stack.httpUrl}/organisations/${s.orgId}/equipe`);
	await h1(tpage, 'Page introuvable');

	// The Équipe page on a phone: no sideways scroll.
	await page.setViewportSize(PHONE);
	await page.reload();
	await h1(page, 'Mon équipe');
	assert.ok(await page.evaluate(() =>
	    document.documentElement.scrollWidth <= window.innerWidth),
	    'no sideways scroll at 375');
	await shot(page, 'team-10-equipe-375');

	assert.deepEqual(seen.problems(), []);
	assert.deepEqual(tseen.problems(), []);
});
