// campaigns.test.mjs - the Campagnes menu in a real Chromium: an ADMIN
// opens the empty list, creates a campaign with the form (the refusals
// next to their field, the character counter), lands on its page with
// the code in large type and its direct link ("Copier le lien"), sees the
// participants (written with SQL, as the student flow would) with the
// class filter, renames it and hands it to a MEMBER, archives it and
// finds it under "Archivées"; the MEMBER, now its owner, sees it on a
// phone with "Modifier" / "Désarchiver". Screenshots:
// tests/artifacts/screenshots/campaigns-*.png.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { checkA11y } from '../lib/a11y.mjs';
import { errorOf, h1, login } from '../lib/page.mjs';
import { acceptInvitation, acceptTerms, createSchool, invite, signUp }
    from '../lib/orga.mjs';
import { DESKTOP, PHONE, launch, shot, watch } from './browser.mjs';

const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ]{6}[0-9]{3}$/;

let stack;
const browsers = [];

before(async () => {
	stack = await startStack({ name: 'browser-campaigns', smtp: true });
});

after(async () => {
	for (const b of browsers)
		await b.close();
	if (stack)
		await stack.stop();
});

function toggle(page, name) {
	return page.getByRole('button', { name, exact: true });
}

test('an ADMIN creates a campaign, shares its code and link, sees the ' +
    'participants, archives it and finds it under Archivées', async () => {
	const s = await createSchool(stack, { uai: '0561234K',
	    name: 'Collège Campagne' });
	const api = stack.client();
	const admin = await signUp(api, { firstName: 'Alice',
	    lastName: 'Admin', email: 'alice.admin@ac-exemple.fr' });
	await acceptTerms(api);
	assert.equal((await acceptInvitation(api, s)).status, 200);
	// A MEMBER, to be chosen as an owner and to look at the page.
	const inv = await invite(stack, { uai: s.uai,
	    email: 'marc.membre@ac-exemple.fr', role: 'MEMBER' });
	const mapi = stack.client();
	const member = await signUp(mapi, { firstName: 'Marc',
	    lastName: 'Membre', email: 'marc.membre@ac-exemple.fr' });
	await acceptTerms(mapi);
	assert.equal((await acceptInvitation(mapi, inv)).status, 200);

	const b = await launch({ viewport: DESKTOP });
	browsers.push(b);
	await b.context.grantPermissions(['clipboard-read', 'clipboard-write'],
	    { origin: stack.httpUrl });
	const page = await b.context.newPage();
	const seen = watch(page);
	await login(page, stack.httpUrl, admin);

	// The empty list.
	await page.getByText('Aucune campagne pour le moment.').waitFor();
	assert.equal(await toggle(page, 'Toutes les campagnes')
	    .getAttribute('aria-pressed'), 'true');
	await shot(page, 'campaigns-01-liste-vide');

	// The form opens with the focus on the name.
	const open = page.getByRole('button', { name: 'Créer une campagne' });
	await open.click();
	assert.equal(await open.getAttribute('aria-expanded'), 'true');
	const name = page.getByLabel('Nom de la campagne');
	assert.equal(await name.evaluate((el) => el === document.activeElement),
	    true);
	const profiles = page.getByLabel('Collecter les profils');
	assert.equal(await profiles.isChecked(), true, 'the default type');
	// The assessment type's note (its parcours is chosen below it).
	await page.getByText('les élèves passent un test adaptatif').waitFor();
	await page.getByText('Ne demandez jamais le numéro de sécurité sociale')
	    .waitFor();
	const owner = page.getByLabel('Propriétaire de la campagne');
	assert.equal(await owner.evaluate((el) =>
	    el.options[el.selectedIndex].text), 'Alice Admin');

	// Refusals: no name, a landing text over 5000 characters.
	const landing = page.getByLabel(/Texte de la page d'accueil/);
	await landing.fill('a'.repeat(5001));
	await page.getByText('5001 / 5000 caractères').waitFor();
	await page.getByRole('button', { name: 'Créer la campagne' }).click();
	assert.match(await errorOf(name), /nom de la campagne est obligatoire/);
	assert.match(await errorOf(landing), /ne doit pas dépasser 5000/);
	assert.equal(await name.evaluate((el) => el === document.activeElement),
	    true, 'the first wrong field is focused');
	await shot(page, 'campaigns-02-formulaire-erreurs');

	await name.fill('Rentrée 2024 – 5e');
	await landing.fill('Bonjour à tous !\nCliquez sur « Je commence » ' +
	    'pour envoyer votre profil Pix.');
	await page.getByText(/^7\d \/ 5000 caractères$/).waitFor();
	await page.getByLabel(/Libellé de l'identifiant/).fill('Numéro d\'élève');
	await page.getByRole('button', { name: 'Créer la campagne' }).click();

	// The campaign's page: code, link, details, no participant yet.
	await h1(page, 'Rentrée 2024 – 5e');
	assert.match(new URL(page.url()).pathname,
	    new RegExp(`^/organisations/${s.orgId}/campagnes/\\d+$`));
	await page.getByText('a été créée').waitFor();
	const code = (await page.locator('.campaign-code').innerText()).trim();
	assert.match(code, CODE);
	const link = page.getByLabel('Lien direct');
	assert.equal(await link.inputValue(), `${stack.httpUrl}/campagnes/${code}`);
	const main = page.locator('main');
	assert.match(await main.innerText(), /Collecter les profils/);
	assert.match(await main.innerText(), /Alice Admin/);
	assert.match(await main.innerText(), /Numéro d'élève/);
	assert.match(await main.innerText(), /Bonjour à tous !/);
	await page.getByText('Aucun participant pour le moment.').waitFor();
	assert.match(await main.innerText(), new RegExp(`Communiquez le code ${
	    code}`));
	await page.getByRole('button', { name: 'Copier le lien' }).click();
	await page.getByText(/Lien copié|Le lien est sélectionné/).waitFor();
	const clip = await page.evaluate(() => navigator.clipboard.readText()
	    .catch(() => null));
	if (clip !== null)
		assert.equal(clip, `${stack.httpUrl}/campagnes/${code}`);
	await shot(page, 'campaigns-03-campagne-creee');

	// Participants arrive (as the student flow writes them).
	const cid = new URL(page.url()).pathname.split('/').pop();
	const learner = async (ine, last, first, cls) => (await stack.sql(
	    'INSERT INTO learners (organization_id, ine, last_name, first_name, ' +
	    "birth_date, class_code) VALUES ($1, $2, $3, $4, '2012-05-06', $5) " +
	    'RETURNING id', [s.orgId, ine, last, first, cls]))[0].id;
	const rows = [['111111111AA', 'Abel', 'Inès', '5A', 'SHARED'],
	    ['222222222BB', 'Durand', 'Léo', '5B', 'TO_SHARE'],
	    ['333333333CC', 'Martin', 'Zoé', '5A', 'STARTED']];
	for (const [ine, last, first, cls, status] of rows) {
		const lid = await learner(ine, last, first, cls);
		const uid = (await stack.sql('INSERT INTO users (first_name, ' +
		    'last_name) VALUES ($1, $2) RETURNING id', [first, last]))[0].id;
		// What the student typed for the label ("Numéro d'élève").
		await stack.sql('INSERT INTO participations (organization_id, ' +
		    'campaign_id, user_id, learner_id, status, shared_at, ' +
		    'external_id) VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = ' +
		    '\'SHARED\' THEN now() END, $6)',
		    [s.orgId, cid, uid, lid, status, status === 'STARTED' ? null :
			`N-${ine.slice(0, 3)}`]);
	}
	await page.reload();
	await h1(page, 'Rentrée 2024 – 5e');
	const table = page.getByRole('table', { name: /Participants de la/ });
	await table.waitFor();
	// The participant identifier has its column, under the label.
	assert.deepEqual((await table.locator('thead th').allInnerTexts())
	    .map((t) => t.trim()), ['Nom', 'Prénom', 'Classe', 'Numéro d\'élève',
	    'État', 'Commencée le', 'Envoyée le']);
	const cells = async () => (await table.locator('tbody tr').allInnerTexts())
	    .map((t) => t.split('\t').slice(0, 5).map((x) => x.trim()));
	assert.deepEqual(await cells(), [
		['Abel', 'Inès', '5A', 'N-111', 'Profil reçu'],
		['Durand', 'Léo', '5B', 'N-222', "En attente d'envoi"],
		['Martin', 'Zoé', '5A', '–', 'En cours'],
	]);
	// A fresh page (no other screen's styles loaded): the secondary and
	// primary buttons under the pointer, and a focused field.
	await checkA11y(page, 'campaign, secondary hovered',
	    { hover: page.getByRole('button', { name: 'Modifier' }) });
	await checkA11y(page, 'campaign, primary hovered',
	    { hover: page.getByRole('button', { name: 'Copier le lien' }),
		focus: page.getByLabel('Classe', { exact: true }) });
	await page.getByRole('link', { name: 'Exporter les participants (CSV)' })
	    .waitFor();
	await page.getByRole('status').filter({ hasText: '3 participants' })
	    .waitFor();
	await page.getByLabel('Classe', { exact: true }).selectOption('5A');
	await page.getByRole('status').filter({ hasText: '2 participants en 5A' })
	    .waitFor();
	assert.deepEqual((await cells()).map((r) => r[0]), ['Abel', 'Martin']);
	await shot(page, 'campaigns-04-participants');

	// The list shows it with its counts.
	await page.getByRole('link', { name: 'Toutes les campagnes' }).click();
	await h1(page, 'Campagnes');
	const row = page.getByRole('row', { name: /Rentrée 2024 – 5e/ });
	const texts = (await row.innerText()).split('\t').map((x) => x.trim());
	assert.equal(texts[1], code);
	assert.equal(texts[2], 'Alice Admin');
	assert.match(texts[3], /^\d\d\/\d\d\/\d{4}$/);
	assert.deepEqual(texts.slice(4), ['3', '1']);
	assert.equal(await toggle(page, 'Mes campagnes')
	    .getAttribute('aria-pressed'), 'true');
	await shot(page, 'campaigns-05-liste');

	// "Modifier": the form comes filled in; the new name is saved.
	await row.getByRole('link').click();
	await h1(page, 'Rentrée 2024 – 5e');
	await page.getByRole('button', { name: 'Modifier' }).click();
	const rename = page.getByLabel('Nom de la campagne');
	assert.equal(await rename.inputValue(), 'Rentrée 2024 – 5e');
	assert.equal(await rename.evaluate((el) => el === document.activeElement),
	    true);
	await rename.fill('Rentrée 2024 – 5e (profils)');
	await page.getByLabel('Propriétaire de la campagne')
	    .selectOption({ label: 'Marc Membre' });
	await page.getByRole('button', { name: 'Enregistrer les modifications' })
	    .click();
	await h1(page, 'Rentrée 2024 – 5e (profils)');
	await page.getByText('a été modifiée').waitFor();
	assert.match(await page.locator('main').innerText(), /Marc Membre/);
	assert.equal((await page.locator('.campaign-code').innerText()).trim(),
	    code, 'the code never changes');

	// Archive it: it leaves the active list, and is under Archivées.
	await page.getByRole('button', { name: 'Archiver' }).click();
	await page.getByText('est archivée').first().waitFor();
	await page.getByRole('button', { name: 'Désarchiver' }).waitFor();
	await page.getByRole('link', { name: 'Toutes les campagnes' }).click();
	await h1(page, 'Campagnes');
	await toggle(page, 'Toutes les campagnes').click();
	await page.getByText('Aucune campagne pour le moment.').waitFor();
	await toggle(page, 'Archivées').click();
	await page.getByRole('row', { name: /5e \(profils\)/ }).waitFor();
	await page.getByRole('status').filter({ hasText: '1 campagne archivée' })
	    .waitFor();
	await shot(page, 'campaigns-06-archivees');

	// A MEMBER sees the campaign, without the owner's buttons.
	const mb = await launch({ viewport: PHONE });
	browsers.push(mb);
	const mpage = await mb.context.newPage();
	const mseen = watch(mpage);
	await login(mpage, stack.httpUrl, member);
	await mpage.goto(`${stack.httpUrl}/organisations/${s.orgId}/campagnes/` +
	    `${cid}`);
	await h1(mpage, 'Rentrée 2024 – 5e (profils)');
	await mpage.getByText(code, { exact: true }).first().waitFor();
	// Now its owner, the MEMBER may change it.
	assert.equal(await mpage.getByRole('button', { name: 'Modifier' })
	    .count(), 1);
	assert.equal(await mpage.getByRole('button', { name: 'Désarchiver' })
	    .count(), 1);
	assert.equal(await mpage.evaluate(() =>
	    document.documentElement.scrollWidth <= window.innerWidth), true,
	    'no horizontal scroll on a phone');
	await shot(mpage, 'campaigns-07-membre-telephone');

	assert.deepEqual(seen.problems(), []);
	assert.deepEqual(mseen.problems(), []);
});
