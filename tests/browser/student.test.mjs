// student.test.mjs - issue 4 end to end in a real Chromium, as people do
// it: the ADMIN imports a small SIECLE file and creates a campaign; a
// student types a wrong code then the right one, opens the landing, logs in
// through the local GAR, finds the names prefilled on "Un tout petit
// détail !", types a wrong then the right birth date, joins, sees the
// profile to send and sends it; the ADMIN sees "Profil reçu" and, on the
// Élèves page, the account's "GAR" with "Dissocier" behind a dialog.
// Screenshots: tests/artifacts/screenshots/student-*.png (one at 375 px).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { errorOf, h1 as pageH1, menu } from '../lib/page.mjs';
import { acceptInvitation, acceptTerms, createSchool, signUp }
    from '../lib/orga.mjs';
import { DESKTOP, PHONE, launch, shot, watch } from './browser.mjs';

const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ]{6}[0-9]{3}$/;
const IMPORT_LABEL = 'Importer (.xml ou .zip)';

let stack;
let tmp;
const browsers = [];

before(async () => {
	stack = await startStack({ name: 'browser-student' });
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orga-student-b-'));
});

after(async () => {
	for (const b of browsers)
		await b.close();
	if (tmp)
		fs.rmSync(tmp, { recursive: true, force: true });
	if (stack)
		await stack.stop();
});

// siecle: an ElevesSansAdresses.xml of three students of class 6A.
function siecle(uai) {
	const students = [
		['070000001AA', 'TURING', 'Alan', 'Mathison', '23/06/2012'],
		['070000002AA', 'LOVELACE', 'Ada', '', '10/12/2011'],
		['070000003AA', 'HOPPER', 'Grace', 'Brewster', '09/12/2011'],
	];
	const eleves = students.map((s, i) => `
<ELEVE ELEVE_ID="${i + 1}"><ID_NATIONAL>${s[0]}</ID_NATIONAL>
<NOM_DE_FAMILLE>${s[1]}</NOM_DE_FAMILLE><NOM_USAGE></NOM_USAGE>
<PRENOM>${s[2]}</PRENOM><PRENOM2>${s[3]}</PRENOM2><PRENOM3></PRENOM3>
<CODE_SEXE>1</CODE_SEXE><DATE_NAISS>${s[4]}</DATE_NAISS>
<CODE_PAYS>100</CODE_PAYS><CODE_DEPARTEMENT_NAISS>075</CODE_DEPARTEMENT_NAISS>
<CODE_COMMUNE_INSEE_NAISS>75056</CODE_COMMUNE_INSEE_NAISS>
<CODE_MEF>10010012110</CODE_MEF><CODE_STATUT>ST</CODE_STATUT></ELEVE>`);
	const classes = students.map((s, i) => `
<STRUCTURES_ELEVE ELEVE_ID="${i + 1}"><STRUCTURE><CODE_STRUCTURE>6A
</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>
</STRUCTURES_ELEVE>`.replace('6A\n', '6A'));
	return `<?xml version="1.0" encoding="UTF-8"?>
<BEE_ELEVES VERSION="2.1"><PARAMETRES><UAJ>${uai}</UAJ></PARAMETRES>
<DONNEES><ELEVES>${eleves.join('')}</ELEVES>
<STRUCTURES>${classes.join('')}</STRUCTURES></DONNEES></BEE_ELEVES>
`;
}

// h1 gives these screens 20 s: the GAR's round trips come in between.
const h1 = (page, expected) => pageH1(page, expected, { timeoutMs: 20000 });

const focused = (locator) => locator.evaluate((el) =>
    el === document.activeElement);

test('the school imports and creates a campaign; a student logs in ' +
    'through the GAR, is linked with the birth date, sends the profile; ' +
    'the school sees "Profil reçu"', async () => {
	assert.ok(stack.garIdpUrl, 'the stack runs the local GAR');
	const s = await createSchool(stack, { name: 'Collège Pix' });
	const api = stack.client();
	const admin = await signUp(api, { firstName: 'Alice', lastName: 'Admin',
	    email: 'alice.admin@ac-exemple.fr' });
	await acceptTerms(api);
	assert.equal((await acceptInvitation(api, s)).status, 200);
	const file = path.join(tmp, 'ElevesSansAdresses.xml');
	fs.writeFileSync(file, siecle(s.uai));

	// --- the ADMIN: import, then a campaign -----------------------------
	const ab = await launch({ viewport: DESKTOP });
	browsers.push(ab);
	const staff = await ab.context.newPage();
	const staffSeen = watch(staff);
	await staff.goto(`${stack.httpUrl}/connexion`);
	await staff.getByLabel('Adresse e-mail').fill(admin.email);
	await staff.getByLabel('Mot de passe', { exact: true })
	    .fill(admin.password);
	await staff.getByRole('button', { name: 'Je me connecte' }).click();
	await h1(staff, 'Campagnes');
	await menu(staff, 'Élèves').click();
	await h1(staff, 'Élèves');
	await staff.getByLabel(IMPORT_LABEL).setInputFiles(file);
	await staff.getByRole('button', { name: "Confirmer l'import" })
	    .click({ timeout: 60000 });
	await staff.getByText('TURING').first().waitFor({ timeout: 60000 });

	await menu(staff, 'Campagnes').click();
	await h1(staff, 'Campagnes');
	await staff.getByRole('button', { name: 'Créer une campagne' }).click();
	await staff.getByLabel('Nom de la campagne').fill('Rentrée numérique');
	await staff.getByLabel(/Texte de la page d'accueil/).fill(
	    'Bonjour à tous !\nCliquez sur « Je commence » pour envoyer ' +
	    'votre profil.');
	await staff.getByRole('button', { name: 'Créer la campagne' }).click();
	await h1(staff, 'Rentrée numérique');
	const campaignUrl = staff.url();
	const code = (await staff.locator('.campaign-code').innerText()).trim();
	assert.match(code, CODE);

	// --- the student ---------------------------------------------------
	const sb = await launch({ viewport: DESKTOP });
	browsers.push(sb);
	const page = await sb.context.newPage();
	const seen = watch(page);
	await page.goto(`${stack.httpUrl}/campagnes`);
	await h1(page, "J'ai un code");
	const codeField = page.getByLabel('Code de la campagne');
	await codeField.fill('ZZZZZZ999');
	await page.getByRole('button', { name: 'Accéder au parcours' }).click();
	await page.waitForFunction(() => document.querySelector('.field-error')
	    ?.textContent.includes("n'existe pas"));
	assert.match(await errorOf(codeField), /Ce code de campagne n'existe pas/);
	assert.equal(await focused(codeField), true);
	await shot(page, 'student-01-code-errone');
	await codeField.fill(code.toLowerCase());
	await page.getByRole('button', { name: 'Accéder au parcours' }).click();

	await h1(page, 'Rentrée numérique');
	const main = page.locator('main');
	assert.match(await main.innerText(), /Collège Pix/i);
	assert.match(await main.innerText(),
	    /Bonjour à tous !\nCliquez sur « Je commence »/);
	await shot(page, 'student-02-accueil');
	await page.getByRole('link', { name: 'Je commence' }).click();

	await h1(page, 'Connectez-vous pour participer');
	assert.ok(await page.getByRole('button',
	    { name: "J'ai déjà un compte Orga" }).isVisible());
	assert.ok(await page.getByRole('button', { name: 'Créer un compte' })
	    .isVisible());
	await shot(page, 'student-03-connexion');
	await page.getByRole('link', { name: 'Se connecter avec le GAR' })
	    .click();

	// the local GAR: "Un autre élève"
	await page.getByLabel('Identifiant GAR (IDO)').waitFor();
	await page.getByLabel('Identifiant GAR (IDO)').fill('ido-alan-turing');
	await page.getByLabel('Prénom', { exact: true }).fill('Alan');
	await page.getByLabel('Nom', { exact: true }).fill('Turing');
	await page.getByRole('button', { name: 'Se connecter', exact: true })
	    .click();

	await h1(page, 'Un tout petit détail !');
	assert.equal(new URL(page.url()).pathname,
	    `/campagnes/${code}/rejoindre`);
	await page.getByText('Remplissez les informations manquantes').waitFor();
	assert.equal(await page.getByLabel('Prénom').inputValue(), 'Alan');
	assert.equal(await page.getByLabel('Nom', { exact: true }).inputValue(),
	    'Turing');
	const day = page.getByLabel('Jour (JJ)');
	assert.equal(await day.getAttribute('inputmode'), 'numeric');
	assert.equal(await page.getByLabel('Mois (MM)')
	    .getAttribute('inputmode'), 'numeric');
	await page.getByText('Ce n\'est pas vous ?').waitFor();
	await page.getByText('Vérifiez que vous êtes bien connecté à votre ENT ' +
	    'ou contactez votre enseignant.').waitFor();
	await shot(page, 'student-04-un-tout-petit-detail');

	// a wrong date: the refusal says so, nothing is revealed
	await day.click();
	await page.keyboard.type('24062012');   /* moves on by itself */
	assert.equal(await page.getByLabel('Année (AAAA)').inputValue(), '2012');
	await page.getByRole('button', { name: "C'est parti !" }).click();
	await page.getByRole('alert').filter({ hasText: 'Nous n\'avons pas ' +
	    'trouvé' }).waitFor();
	await shot(page, 'student-05-pas-trouve');
	await day.fill('23');
	await page.getByRole('button', { name: "C'est parti !" }).click();

	await h1(page, 'Envoyez votre profil');
	await page.getByText('Votre profil : aucune compétence évaluée pour le ' +
	    'moment.').waitFor();
	assert.equal(await page.locator('.profile-list li').count(), 16);
	assert.match(await main.innerText(), /Mener une recherche et une veille/);
	await shot(page, 'student-06-profil');
	await page.getByRole('button', { name: "J'envoie mon profil" }).click();
	await h1(page, 'Profil envoyé, merci !');
	await shot(page, 'student-07-profil-envoye');

	// a later visit: straight to the participation
	await page.goto(`${stack.httpUrl}/campagnes/${code}/rejoindre`);
	await h1(page, 'Profil envoyé, merci !');
	// "/" is the student's own screen, never the staff's terms of use.
	await page.goto(`${stack.httpUrl}/`);
	await h1(page, /^Bonjour /);
	await page.getByText('Vous êtes connecté(e) à Orga avec votre compte ' +
	    'élève.').waitFor();
	assert.doesNotMatch(new URL(page.url()).pathname, /^\/cgu/);
	await page.getByRole('link', { name: "J'ai un code" }).waitFor();
	await shot(page, 'student-07b-accueil-eleve');

	// --- the school sees it --------------------------------------------
	await staff.goto(campaignUrl);
	await h1(staff, 'Rentrée numérique');
	const row = staff.locator('tr', { hasText: 'TURING' });
	await row.getByText('Profil reçu').waitFor();
	await shot(staff, 'student-08-ecole-profil-recu');

	await menu(staff, 'Élèves').click();
	await h1(staff, 'Élèves');
	const alan = staff.locator('tr', { hasText: 'TURING' });
	await alan.getByText('GAR').waitFor();
	const hopper = staff.locator('tr', { hasText: 'HOPPER' });
	assert.match(await hopper.innerText(), /—/);
	const unlink = alan.getByRole('button',
	    { name: 'Dissocier le compte de Alan TURING' });
	await unlink.click();
	const dialog = staff.getByRole('dialog');
	await dialog.waitFor();
	assert.match(await dialog.innerText(), /Dissocier le compte de Alan/);
	await shot(staff, 'student-09-eleves-dissocier');
	await staff.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached' });
	assert.equal(await focused(unlink), true, 'focus back on the button');
	await unlink.click();
	await staff.getByRole('dialog').getByRole('button',
	    { name: 'Dissocier', exact: true }).click();
	await staff.getByText('Le compte de Alan TURING a été dissocié.')
	    .waitFor();
	await staff.locator('tr', { hasText: 'TURING' }).getByText('—')
	    .waitFor();

	// --- on a phone -----------------------------------------------------
	const pb = await launch({ viewport: PHONE });
	browsers.push(pb);
	const phone = await pb.context.newPage();
	const phoneSeen = watch(phone);
	await phone.goto(`${stack.httpUrl}/campagnes/${code}`);
	await h1(phone, 'Rentrée numérique');
	const width = await phone.evaluate(() =>
	    document.documentElement.scrollWidth);
	assert.ok(width <= 375, `no horizontal scroll at 375 px (${width})`);
	await shot(phone, 'student-10-accueil-375');

	assert.deepEqual([...seen.problems(), ...staffSeen.problems(),
	    ...phoneSeen.problems()], []);
});
