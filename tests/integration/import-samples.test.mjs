// import-samples.test.mjs - every SIECLE sample of ../shared/siecle-samples
// gives what its README says, imported into school 0123456A three ways:
// `orgactl import`, HTTP with the ADMIN's API token (?confirm=true), and
// HTTP with the ADMIN's session cookie (preview, then confirm). Refusals
// give the exact French messages and change nothing (every learner row,
// updated_at included, stays as it was).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { CSV_HEADER, SAMPLES, adminSchool, apiLearners, ctlCounts,
    ctlMessages, importCtl, importHttp, learnersCsv, snapshot }
    from '../tools/siecle.mjs';

const UAI = '0123456A';
const VIAS = ['orgactl', 'token', 'cookie'];
const sample = (name) => path.join(SAMPLES, name);
const API_FIELDS = ['ine', 'lastName', 'usageName', 'firstName', 'birthDate',
	'class', 'active', 'linked'];

const TWO = [CSV_HEADER,
	'00000000124;COVERT;Harry;01/07/1994;4A',
	'00000000123;HANDMADE;Luciole;31/12/1994;4A', ''].join('\n');

/*
 * importVia(stack, sch, via, file) -> {ok, errors, skips, counts}: the
 * outcome as each channel shows it (orgactl: exit code, "  - " lines of
 * stderr for errors and of stdout for skipped students, the counts line;
 * HTTP: the job's status, errors, skips and preview).
 */
async function importVia(stack, sch, via, file) {
	if (via === 'orgactl') {
		const r = await importCtl(stack, sch, file);
		const ok = r.code === 0;
		if (!ok) {
			assert.equal(r.code, 1, `orgactl import: ${r.stdout}${r.stderr}`);
			assert.match(r.stderr, /^Import refusé : la liste des élèves n'a pas été modifiée\.$/m);
		}
		return { ok, errors: ctlMessages(r.stderr),
		    skips: ctlMessages(r.stdout),
		    counts: ok ? ctlCounts(r.stdout) : null, raw: r };
	}
	const { job, preview } = await importHttp(stack, sch, file,
	    { via, confirm: via === 'token' });
	assert.ok(['done', 'failed'].includes(job.status), JSON.stringify(job));
	if (job.status === 'done') {
		assert.deepEqual(job.errors, []);
		assert.ok(job.finishedAt);
		if (preview)
			assert.deepEqual(preview.preview, job.preview);
	} else {
		assert.equal(job.preview, null);
		assert.ok(job.errors.length > 0, JSON.stringify(job));
	}
	return { ok: job.status === 'done', errors: job.errors, skips: job.skips,
	    counts: job.preview, job };
}

// The refusals: file, the exact errors, and the skipped students shown.
const REFUSED = [
	{ file: 'siecle-with-wrong-uai.xml', errors: [
		'Ce fichier est celui de l\'établissement WRONGUAI, pas de 0123456A.'] },
	{ file: 'siecle-with-no-uai.xml', errors: [
		'Ce fichier n\'indique pas son établissement (PARAMETRES/UAJ ' +
		'absent) : il doit être celui de 0123456A.'] },
	{ file: 'siecle-with-duplicate-national-student-id.xml', errors: [
		'Élève COVERT Harry (INE 00000000123, ELEVE_ID 0002) : INE ' +
		'00000000123 en double, déjà attribué à l\'élève HANDMADE Luciole ' +
		'(ELEVE_ID 0001).'] },
	{ file: 'siecle-with-duplicate-national-student-id-and-unclosed-tag.xml',
	    errors: [
		// Line 39 is "    </ELEVES d>": the stray "d" is column 14.
		'Le fichier XML est mal formé, ligne 39, colonne 14 : caractère ' +
		'ou balise invalide.',
		// Duplicates are looked for once the whole file is read.
		'Élève COVERT Harry (INE 00000000123, ELEVE_ID 0002) : INE ' +
		'00000000123 en double, déjà attribué à l\'élève HANDMADE Luciole ' +
		'(ELEVE_ID 0001).'] },
	{ file: 'siecle-with-no-national-student-id.xml', errors: [
		'Élève COVERT Harry (INE vide, ELEVE_ID 0002) : INE (ID_NATIONAL) ' +
		'vide.'] },
	{ file: 'siecle-with-unknown-encoding.xml', errors: [
		'L\'encodage x-macthai n\'est pas pris en charge : le fichier doit ' +
		'être en ISO-8859-15 (celui des exports SIECLE), ISO-8859-1, ' +
		'windows-1252 ou UTF-8.'] },
	// Cut after line 12: the end of the file is line 13, column 1.
	{ file: 'siecle-broken-after-uai.xml', errors: [
		'Le fichier XML est mal formé, ligne 13, colonne 1 : le fichier se ' +
		'termine avant la fin du document (fichier vide ou tronqué ?).'] },
	{ file: 'siecle-student-with-invalid-birthdate-format.xml', errors: [
		'Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : date de naissance ' +
		'invalide « 1922-07-07 » (attendu JJ/MM/AAAA).'] },
	{ file: 'siecle-french-student-with-no-birth-city-code.xml', errors: [
		'Élève COVERT Harry (INE 1234, ELEVE_ID 0002) : code de la commune ' +
		'de naissance (CODE_COMMUNE_INSEE_NAISS) manquant pour un élève né ' +
		'en France.'] },
	{ file: 'siecle-student-with-no-sex-no-birthdate.xml', errors: [
		'Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : date de naissance ' +
		'(DATE_NAISS) manquante.',
		'Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : code sexe ' +
		'(CODE_SEXE) manquant.',
		'Élève COVERT Harry (INE 12345, ELEVE_ID 0002) : code de la commune ' +
		'de naissance (CODE_COMMUNE_INSEE_NAISS) manquant pour un élève né ' +
		'en France.'] },
	{ file: 'siecle-with-only-ignored-student.xml', errors: [
		'Aucun élève ne peut être importé : les 5 élèves du fichier sont ' +
		'tous ignorés (voir le détail).'],
	    skipped: { left: 1, notArrived: 1, noClass: 3 },
	    skips: [
		'Élève FRANCIS--FROUFROU Grégory (sans INE, ELEVE_ID 0003) : ' +
		'ignoré, pas encore arrivé (pas d\'INE dans le fichier).',
		'Élève GRADE François (INE 00000000126, ELEVE_ID 0005) : ignoré, ' +
		'a quitté l\'établissement le 01/09/2019.',
		'Élève HANDMADE Luciole (INE 00000000123, ELEVE_ID 0001) : ignoré, ' +
		'sans classe.',
		'Élève COVERT Harry (INE 00000000124, ELEVE_ID 0002) : ignoré, ' +
		'sans classe.',
		'Élève FRANGE COLIN (INE 00000000125, ELEVE_ID 0004) : ignoré, ' +
		'sans classe.'] },
];

describe('the SIECLE samples, into school 0123456A', () => {
	let stack;
	let sch;
	before(async () => {
		stack = await startStack({ name: 'import-samples', gar: false });
		sch = await adminSchool(stack, { uai: UAI });
	});
	after(async () => { await stack?.stop(); });

	test('the README covers every sample, and every sample is tested', () => {
		const files = fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.xml'));
		const tested = new Set([...REFUSED.map((r) => r.file),
		    'siecle-with-two-valid-students.xml',
		    'siecle-with-two-valid-students-and-school-year.xml',
		    'siecle-with-bom.xml']);
		assert.deepEqual(files.sort(), [...tested].sort());
	});

	test('two valid students, each way: 2 learners in class 4A, œ read ' +
	    'as œ (Latin-9), names, birth data and usage name as in the file',
	    async () => {
		let first = true;
		for (const file of ['siecle-with-two-valid-students.xml',
		    'siecle-with-two-valid-students-and-school-year.xml']) {
			for (const via of VIAS) {
				const r = await importVia(stack, sch, via, sample(file));
				assert.ok(r.ok, `${via} ${file}: ${r.errors.join('\n')}`);
				// The first import adds both; every later one finds
				// them unchanged (every imported field equal).
				assert.deepEqual({ ...r.counts }, first ?
				    { toAdd: 2, toUpdate: 0, unchanged: 0, toDeactivate: 0 } :
				    { toAdd: 0, toUpdate: 0, unchanged: 2, toDeactivate: 0 },
				    `${via} ${file}`);
				assert.deepEqual(r.skips, []);
				first = false;
				assert.equal(await learnersCsv(stack, sch), TWO,
				    `${via} ${file}`);
			}
		}
		// The learners API, with the token and with the session.
		for (const client of [null, sch.admin]) {
			const got = await apiLearners(stack, sch, { client });
			assert.deepEqual(got.classes, ['4A']);
			// The documented fields (others may be added later).
			assert.deepEqual(got.learners.map((l) => {
				assert.ok(Number.isInteger(l.id));
				return Object.fromEntries(API_FIELDS.map((f) => [f, l[f]]));
			}), [
				{ ine: '00000000124', lastName: 'COVERT',
				    usageName: 'COJAUNE', firstName: 'Harry',
				    birthDate: '01/07/1994', class: '4A', active: true,
				    linked: false },
				{ ine: '00000000123', lastName: 'HANDMADE', usageName: '',
				    firstName: 'Luciole', birthDate: '31/12/1994',
				    class: '4A', active: true, linked: false },
			]);
		}
		// What neither the CSV nor the API shows: the other names
		// (Cocœ: byte 0xBD of Latin-9, not ½), sex, birth place, MEF
		// (the direct CODE_MEF).
		const rows = await stack.sql('SELECT ine, last_name, usage_name, ' +
		    'first_name, first_name2, first_name3, birth_date::text, sex, ' +
		    'birth_country_code, birth_dept_code, birth_commune_code, ' +
		    'birth_town, class_code, mef_code, status_code, eleve_id, active ' +
		    'FROM learners WHERE organization_id = $1 ORDER BY ine',
		    [sch.orgId]);
		assert.deepEqual(rows, [
			{ ine: '00000000123', last_name: 'HANDMADE', usage_name: '',
			    first_name: 'Luciole', first_name2: 'Léa',
			    first_name3: 'Lucy', birth_date: '1994-12-31', sex: 'F',
			    birth_country_code: '100', birth_dept_code: '033',
			    birth_commune_code: '33318', birth_town: null,
			    class_code: '4A', mef_code: '123456789', status_code: 'AP',
			    eleve_id: '0001', active: true },
			{ ine: '00000000124', last_name: 'COVERT', usage_name: 'COJAUNE',
			    first_name: 'Harry', first_name2: 'Cocœ', first_name3: '',
			    birth_date: '1994-07-01', sex: 'M',
			    birth_country_code: '132', birth_dept_code: null,
			    birth_commune_code: null, birth_town: 'LONDRES',
			    class_code: '4A', mef_code: '12341234', status_code: 'ST',
			    eleve_id: '0002', active: true },
		]);
	});

	for (const c of REFUSED) {
		test(`${c.file}: refused each way with its message, nothing ` +
		    'changed', async () => {
			const beforeRows = await snapshot(stack, sch);
			assert.equal(beforeRows.length, 2, 'the two-student list is ' +
			    'the starting point');
			for (const via of VIAS) {
				const r = await importVia(stack, sch, via, sample(c.file));
				assert.equal(r.ok, false, `${via}: accepted`);
				assert.deepEqual(r.errors, c.errors, via);
				assert.deepEqual(r.skips, c.skips ?? [], via);
				if (r.job) {
					assert.deepEqual(r.job.skipped, c.skipped ??
					    { left: 0, notArrived: 0, noClass: 0 }, via);
				}
				assert.deepEqual(await snapshot(stack, sch), beforeRows,
				    `${via}: the learners changed`);
				assert.equal(await learnersCsv(stack, sch), TWO, via);
			}
			// Nothing left behind in the staging tables either.
			const staged = await stack.sql('SELECT (SELECT count(*) FROM ' +
			    'import_rows)::int AS r, (SELECT count(*) FROM ' +
			    'import_classes)::int AS c');
			assert.deepEqual(staged, [{ r: 0, c: 0 }]);
		});
	}

	test('siecle-with-bom.xml (UTF-8 with a BOM) is imported each way: ' +
	    'INE 00000000123 is now COVERT Harry, 00000000124 no longer in the ' +
	    'school', async () => {
		let first = true;
		for (const via of VIAS) {
			const r = await importVia(stack, sch, via,
			    sample('siecle-with-bom.xml'));
			assert.ok(r.ok, `${via}: ${r.errors.join('\n')}`);
			assert.deepEqual({ ...r.counts }, first ?
			    { toAdd: 0, toUpdate: 1, unchanged: 0, toDeactivate: 1 } :
			    { toAdd: 0, toUpdate: 0, unchanged: 1, toDeactivate: 0 }, via);
			first = false;
			assert.equal(await learnersCsv(stack, sch), [CSV_HEADER,
			    '00000000123;COVERT;Harry;31/12/1994;4A', ''].join('\n'), via);
			// Both are COVERT Harry: same sort key, so compare as sets.
			const all = (await learnersCsv(stack, sch, true)).split('\n');
			assert.equal(all[0], `${CSV_HEADER};Statut`);
			assert.deepEqual(all.slice(1).sort(), ['',
			    '00000000123;COVERT;Harry;31/12/1994;4A;Dans l\'établissement',
			    '00000000124;COVERT;Harry;01/07/1994;4A;N\'est plus dans ' +
			    'l\'établissement'].sort());
		}
		const rows = await stack.sql('SELECT ine, usage_name, first_name2, ' +
		    'sex, active, left_at IS NOT NULL AS gone FROM learners ' +
		    'WHERE organization_id = $1 ORDER BY ine', [sch.orgId]);
		assert.deepEqual(rows, [
			// No CODE_SEXE element: accepted, sex unknown.
			{ ine: '00000000123', usage_name: 'COJAUNE', first_name2: 'Coco',
			    sex: null, active: true, gone: false },
			{ ine: '00000000124', usage_name: 'COJAUNE', first_name2: 'Cocœ',
			    sex: 'M', active: false, gone: true },
		]);
		const gone = await apiLearners(stack, sch, { status: 'gone' });
		assert.deepEqual(gone.learners.map((l) => [l.ine, l.active]),
		    [['00000000124', false]]);
	});
});
