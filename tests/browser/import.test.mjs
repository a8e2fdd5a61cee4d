// import.test.mjs - step 3 of the activation guide in a real Chromium: the
// school's admin opens Élèves, imports the SIECLE zip as downloaded, reads
// the preview, confirms, sees "La liste a été importée avec succès." and
// the list (search, sort, class filter); a re-import waiting for
// confirmation is shown again after a reload and cancelled; a file of
// another school is refused with both UAIs named and the list unchanged.
// Screenshots: tests/artifacts/screenshots/import-*.png.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { run, startStack } from '../lib/stack.mjs';
import { h1, menu } from '../lib/page.mjs';
import { poll } from '../lib/wait.mjs';
import { DESKTOP, PHONE, launch, shot, watch } from './browser.mjs';

const PASSWORD = 'Motdepasse2024';
const UAI = '0123456A';
const SAMPLES = '/work/shared/siecle-samples';
const VALID = path.join(SAMPLES, 'siecle-with-two-valid-students.xml');
const WRONG_UAI = path.join(SAMPLES, 'siecle-with-wrong-uai.xml');
const LABEL = 'Importer (.xml ou .zip)';
const SUCCESS = 'La liste a été importée avec succès.';

let stack;
let browser;
let tmp;

before(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orga-import-'));
	stack = await startStack({ name: 'browser-import', smtp: true });
	browser = await launch({ viewport: DESKTOP });
});

after(async () => {
	if (browser)
		await browser.close();
	if (tmp)
		fs.rmSync(tmp, { recursive: true, force: true });
	if (stack)
		await stack.stop();
});

// siecleZip builds the zip SIECLE gives: one entry ElevesSansAdresses.xml.
async function siecleZip(xml) {
	const dir = fs.mkdtempSync(path.join(tmp, 'zip-'));
	fs.copyFileSync(xml, path.join(dir, 'ElevesSansAdresses.xml'));
	const zip = path.join(dir, 'ExportXML_ElevesSansAdresses.zip');
	const r = await run('/usr/bin/zip', ['-q', '-X', zip,
	    'ElevesSansAdresses.xml'], { cwd: dir });
	assert.equal(r.code, 0, `zip: ${r.stderr}`);
	return zip;
}

// activate: orgactl creates the school, the invitation link opens the
// sign-up, the CGU are accepted, the space opens (as in activation).
async function activate(page) {
	const email = `ce.${UAI.toLowerCase()}@ac-exemple.fr`;
	const r = await stack.orgactl('org', 'create', '--uai', UAI, '--name',
	    'Collège Import', '--email', email);
	assert.equal(r.code, 0, `orgactl org create: ${r.stderr}`);
	const [mail] = await stack.smtp.waitForMail({ to: email });
	assert.ok(mail.link, 'the invitation e-mail has a link');
	await page.goto(mail.link);
	await h1(page, 'Vous êtes invité(e) à rejoindre Collège Import');
	await page.getByRole('button', { name: 'Créer mon compte' }).click();
	await page.getByLabel('Prénom').fill('Référente');
	await page.getByLabel('Nom', { exact: true }).fill('Import');
	await page.getByLabel('Adresse e-mail').fill('referente@ac-exemple.fr');
	await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: "Je m'inscris" }).click();
	await h1(page, "Conditions générales d'utilisation");
	await page.getByLabel("J'ai lu et j'accepte les conditions " +
	    "générales d'utilisation").check();
	await page.getByRole('button', { name: 'Je continue' }).click();
	await h1(page, 'Campagnes');
}

// rows returns the list's rows as arrays of cell texts (spaces folded).
async function rows(page) {
	const table = page.locator('main table');
	if (await table.count() === 0 || !(await table.isVisible()))
		return [];
	return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
	    [...tr.cells].map((td) => td.innerText.replace(/\s+/g, ' ').trim())));
}

// until polls fn (async) until pred(value) holds; returns the value.
async function until(fn, pred, what, timeoutMs = 15000) {
	const v = await poll(fn, pred, { timeoutMs });
	assert.ok(pred(v), `${what}: got ${JSON.stringify(v)}`);
	return v;
}

const firstCells = (list) => list.map((r) => r[0].split(' ')[0]);

async function learnerCount(activeOnly) {
	const [row] = await stack.sql('SELECT count(*)::int AS n FROM learners' +
	    (activeOnly ? ' WHERE active' : ''));
	return row.n;
}

test('the admin imports the SIECLE zip: preview, confirmation, list; ' +
    'a pending re-import is resumed and cancelled; another school\'s ' +
    'file is refused', async () => {
	const page = await browser.context.newPage();
	const seen = watch(page);
	await activate(page);

	// Élèves, before any import: the empty state says how.
	await menu(page, 'Élèves').click();
	await h1(page, 'Élèves');
	const main = page.locator('main');
	await page.getByText('Aucun élève pour le moment.').waitFor();
	await page.getByText('La liste des élèves n\'a pas encore été importée.')
	    .waitFor();
	assert.match(await main.innerText(), /Exportations/);
	assert.match(await main.innerText(), /Élèves sans adresse/);
	const input = page.getByLabel(LABEL);
	assert.equal(await input.getAttribute('type'), 'file');
	assert.match(await input.getAttribute('accept'), /\.xml/);
	assert.match(await input.getAttribute('accept'), /\.zip/);
	await shot(page, 'import-01-aucun-eleve');

	// The zip as downloaded from SIECLE: read, checked, then the preview.
	const zip = await siecleZip(VALID);
	await input.setInputFiles(zip);
	await page.getByText('Fichier choisi : ExportXML_ElevesSansAdresses.zip')
	    .waitFor();
	assert.equal(await page.locator('[aria-live="polite"]').count() > 0,
	    true, 'the import status is a polite live region');
	const preview = page.getByRole('heading', {
	    name: 'Vérifiez avant de confirmer' });
	await preview.waitFor({ timeout: 60000 });
	const panel = page.locator('.import-panel');
	const previewText = (await panel.innerText()).replace(/\s+/g, ' ');
	assert.match(previewText, /2 élèves seront ajoutés/);
	assert.match(previewText, /Aucun élève ne sera mis à jour/);
	assert.match(previewText, /Rien n'est modifié tant que vous n'avez pas/);
	assert.equal(await learnerCount(false), 0, 'nothing applied before ' +
	    'the confirmation');
	await shot(page, 'import-02-apercu');

	await page.getByRole('button', { name: "Confirmer l'import" }).click();
	const success = page.getByText(SUCCESS);
	await success.waitFor({ timeout: 60000 });
	assert.match((await panel.innerText()).replace(/\s+/g, ' '),
	    /2 élèves ajoutés/);
	assert.equal(await learnerCount(true), 2);

	// The list, refreshed: Nom, Prénom, Date de naissance, Classe, and
	// how the learner's linked account logs in (none yet).
	const headers = (await page.locator('main table thead th')
	    .allInnerTexts()).map((t) => t.replace(/[▲▼↕]/g, '').trim());
	assert.deepEqual(headers, ['Nom', 'Prénom', 'Date de naissance',
	    'Classe', 'Compte']);
	const list = await until(() => rows(page), (r) => r.length === 2,
	    'two learners listed');
	assert.deepEqual(list.map((r) => [r[0].split(' ')[0], ...r.slice(1)]), [
		['COVERT', 'Harry', '01/07/1994', '4A', '— Aucun compte'],
		['HANDMADE', 'Luciole', '31/12/1994', '4A', '— Aucun compte'],
	]);
	assert.match(list[0][0], /COJAUNE/, 'the usage name is shown');
	assert.equal(await page.locator('main th[aria-sort]').count(), 1);
	assert.equal(await page.locator('main th[aria-sort]')
	    .getAttribute('aria-sort'), 'ascending');
	await page.getByText('2 élèves', { exact: true }).waitFor();
	// When, by whom, and what the import changed.
	await page.getByText(/^Dernier import le \d\d\/\d\d\/\d{4} par .+ : 2 élèves ajoutés, 0 mis à jour, 0 inchangé, 0 sorti de l'établissement ; 2 élèves dans l'établissement\.$/)
	    .waitFor();
	await shot(page, 'import-03-liste-importee');

	// Search by name, ignoring case and accents.
	const search = page.getByLabel('Rechercher un élève');
	await search.fill('covert');
	await until(async () => firstCells(await rows(page)),
	    (r) => r.join() === 'COVERT', 'search "covert"');
	await search.fill('luciole');
	await until(async () => firstCells(await rows(page)),
	    (r) => r.join() === 'HANDMADE', 'search "luciole"');
	await shot(page, 'import-04-recherche');
	await search.fill('HÀNDMADÉ');
	await until(async () => firstCells(await rows(page)),
	    (r) => r.join() === 'HANDMADE', 'search "HÀNDMADÉ"');
	await search.fill('personne');
	await page.getByText('Aucun élève ne correspond à votre recherche.')
	    .first().waitFor();
	await search.fill('');
	await until(() => rows(page), (r) => r.length === 2, 'search cleared');

	// Sorting by first name, then descending; the class filter.
	await page.getByRole('button', { name: /^Prénom/ }).click();
	await until(async () => (await rows(page)).map((r) => r[1]).join(),
	    (t) => t === 'Harry,Luciole', 'sorted by first name');
	assert.equal(await page.locator('main th[aria-sort]').innerText()
	    .then((t) => t.replace(/[▲▼↕]/g, '').trim()), 'Prénom');
	await page.getByRole('button', { name: /^Prénom/ }).click();
	await until(async () => (await rows(page)).map((r) => r[1]).join(),
	    (t) => t === 'Luciole,Harry', 'first names descending');
	assert.equal(await page.locator('main th[aria-sort]')
	    .getAttribute('aria-sort'), 'descending');
	const classes = page.getByLabel('Classe', { exact: true });
	assert.deepEqual(await classes.locator('option').allInnerTexts(),
	    ['Toutes les classes', '4A']);
	await classes.selectOption('4A');
	await until(() => rows(page), (r) => r.length === 2, 'class 4A');

	// On a phone: the page fits, the table scrolls inside its box.
	const phone = await browser.context.newPage();
	const phoneSeen = watch(phone);
	await phone.setViewportSize(PHONE);
	await phone.goto(page.url());
	await h1(phone, 'Élèves');
	await until(() => rows(phone), (r) => r.length === 2, 'phone list');
	assert.ok(await phone.evaluate(() =>
	    document.documentElement.scrollWidth <= window.innerWidth),
	    'no sideways scroll of the page at 375 px');
	await shot(phone, 'import-05-liste-375');
	assert.deepEqual(phoneSeen.problems(), []);
	await phone.close();

	// The same file again: nothing would change. The preview waits for
	// the confirmation, is shown again after a reload, and is cancelled.
	await page.getByLabel(LABEL).setInputFiles(VALID);
	await preview.waitFor({ timeout: 60000 });
	assert.match((await panel.innerText()).replace(/\s+/g, ' '),
	    /Aucun élève ne sera ajouté/);
	assert.match((await panel.innerText()).replace(/\s+/g, ' '),
	    /2 élèves sont déjà à jour/);
	await page.reload();
	await h1(page, 'Élèves');
	await preview.waitFor({ timeout: 15000 });
	await shot(page, 'import-06-apercu-repris');
	await page.getByRole('button', { name: 'Annuler', exact: true }).click();
	await page.getByText("L'import a été annulé.").waitFor();
	const [job] = await stack.sql('SELECT status FROM import_jobs ' +
	    'ORDER BY id DESC LIMIT 1');
	assert.equal(job.status, 'cancelled');
	await until(() => rows(page), (r) => r.length === 2, 'still two');

	// Another school's file: refused, both UAIs named, nothing changed.
	await page.getByLabel(LABEL).setInputFiles(WRONG_UAI);
	const refusal = page.getByRole('alert')
	    .filter({ hasText: "Le fichier n'a pas été importé." });
	await refusal.waitFor({ timeout: 60000 });
	const refused = (await refusal.innerText()).replace(/\s+/g, ' ');
	assert.match(refused, /WRONGUAI/);
	assert.match(refused, new RegExp(UAI));
	assert.match(refused, /Aucune modification n'a été faite/);
	assert.equal(await page.getByText(SUCCESS).count(), 0);
	await shot(page, 'import-07-refus-autre-etablissement');
	await page.reload();
	await h1(page, 'Élèves');
	const after = await until(() => rows(page), (r) => r.length === 2,
	    'the list is unchanged');
	assert.deepEqual(firstCells(after), ['COVERT', 'HANDMADE']);
	assert.equal(await learnerCount(true), 2);
	assert.deepEqual(seen.problems(), []);
	await page.close();
});
