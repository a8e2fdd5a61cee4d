// import.test.mjs - imports of generated SIECLE files (tests/tools/
// gen-siecle.py: ISO-8859-15, shuffled fields, students who left or are not
// yet arrived, groups, "Inactifs", nested CODE_MEF, Latin-9 letters) on the
// real daemons: the list is exactly the generator's expectation; zip, bare
// XML and other encodings give the same list; a re-import with changes
// previews and applies the right counts (students no longer in the school,
// one coming back); the same file again changes nothing; each fault the
// generator injects is refused naming the student and the field, nothing
// changed; one import at a time per school, schools in parallel; who may
// import and who may read the list.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { waitFor } from '../lib/wait.mjs';
import { acceptInvitation, acceptTerms, invite, signUp, uniqueEmail,
    uniqueUai } from '../lib/orga.mjs';
import { CSV_HEADER, adminSchool, apiLearners, ctlCounts, ctlMessages, gen,
    importCtl, importHttp, job, learnersCsv, snapshot, tmpDir, tokenRequest,
    upload, waitJob } from '../tools/siecle.mjs';

const N = 2000;
const CLASSES = 72;          // fixed, so that a file with more students
const BASE = { students: N, seed: 11, classes: CLASSES, left: 3,
    notArrived: 2, noClass: 1, groups: true };

// The fields a re-import compares (the generator's names for them).
const FIELDS = ['lastName', 'usageName', 'firstName', 'firstName2',
    'firstName3', 'birthDate', 'sex', 'countryCode', 'deptCode',
    'communeCode', 'town', 'class', 'mef', 'status', 'eleveId', 'elenoet'];

const byIne = (list) => new Map(list.map((l) => [l.ine, l]));
const sameLearner = (a, b) => FIELDS.every((f) => a[f] === b[f]);

// expectedCounts: what importing `next` does to a school holding `active`
// (INE -> learner) and `inactive` (INE -> learner).
function expectedCounts(active, inactive, next) {
	const c = { toAdd: 0, toUpdate: 0, unchanged: 0, toDeactivate: 0 };
	const seen = new Set();
	for (const l of next) {
		seen.add(l.ine);
		if (active.has(l.ine)) {
			if (sameLearner(active.get(l.ine), l))
				c.unchanged++;
			else
				c.toUpdate++;
		} else if (inactive.has(l.ine)) {
			c.toUpdate++;
		} else {
			c.toAdd++;
		}
	}
	for (const ine of active.keys())
		if (!seen.has(ine))
			c.toDeactivate++;
	return c;
}

// csvLine is a learner as `orgactl learners` prints it.
const csvLine = (l) => [l.ine, l.lastName, l.firstName, l.birthDate,
	l.class].join(';');

// dbLearners: every imported field of the school's learners, by INE.
async function dbLearners(stack, sch) {
	const rows = await stack.sql('SELECT ine, last_name, ' +
	    'coalesce(usage_name, \'\') AS usage_name, first_name, ' +
	    'coalesce(first_name2, \'\') AS first_name2, ' +
	    'coalesce(first_name3, \'\') AS first_name3, ' +
	    'to_char(birth_date, \'DD/MM/YYYY\') AS birth_date, sex, ' +
	    'birth_country_code, coalesce(birth_dept_code, \'\') AS dept, ' +
	    'coalesce(birth_commune_code, \'\') AS commune, ' +
	    'coalesce(birth_town, \'\') AS town, class_code, ' +
	    'coalesce(mef_code, \'\') AS mef, status_code, eleve_id, elenoet, ' +
	    'active FROM learners WHERE organization_id = $1', [sch.orgId]);
	return new Map(rows.map((r) => [r.ine, { lastName: r.last_name,
	    usageName: r.usage_name, firstName: r.first_name,
	    firstName2: r.first_name2, firstName3: r.first_name3,
	    birthDate: r.birth_date, sex: r.sex, countryCode: r.birth_country_code,
	    deptCode: r.dept, communeCode: r.commune, town: r.town,
	    class: r.class_code, mef: r.mef, status: r.status_code,
	    eleveId: r.eleve_id, elenoet: r.elenoet, active: r.active }]));
}

describe('imports of generated SIECLE files', () => {
	let stack;
	let sch;            // school A, the main one
	let base;           // the 2 000-student file of A
	let listAfterBase;  // snapshot once `base` is imported
	before(async () => {
		stack = await startStack({ name: 'import', gar: false });
		sch = await adminSchool(stack, { uai: uniqueUai(),
		    name: 'Collège Généré' });
		base = await gen('base.xml', { ...BASE, uai: sch.uai });
	});
	after(async () => { await stack?.stop(); });

	test(`${N} students, ISO-8859-15: orgactl learners prints exactly ` +
	    'the generator\'s expectation; the API and the database agree',
	    async () => {
		const e = base.expect;
		assert.ok(e.learners.length > N * 0.9);
		// The file does carry the traps it should.
		const latin9 = e.learners.filter((l) =>
		    /[ŠšŽžŒœŸ]/.test(l.lastName + l.firstName + l.firstName2));
		assert.ok(latin9.length > 50, `only ${latin9.length} with Latin-9`);
		assert.ok(e.learners.some((l) => l.usageName !== ''));
		assert.ok(e.learners.some((l) => l.mef === ''), 'no nested-only MEF');
		assert.ok(e.skipped.left > 0 && e.skipped.notArrived > 0 &&
		    e.skipped.noClass > 0, JSON.stringify(e.skipped));

		const r = await importCtl(stack, sch, base.file);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(ctlCounts(r.stdout), { toAdd: e.learners.length,
		    toUpdate: 0, unchanged: 0, toDeactivate: 0 });
		// The file (over 3 MB) was parsed in parts of 1 MiB at once.
		const parts = fs.readFileSync(stack.logFile('importer'), 'utf8')
		    .match(/read in (\d+) parts/);
		assert.ok(parts && Number(parts[1]) >= 3, parts?.[0]);
		assert.match(r.stdout, new RegExp(`Élèves ignorés \\(` +
		    `${e.skipped.left} sortis, ${e.skipped.notArrived} pas encore ` +
		    `arrivés, ${e.skipped.noClass} sans classe\\)`));
		assert.equal(await learnersCsv(stack, sch), base.csv);

		const api = await apiLearners(stack, sch, { status: 'active' });
		assert.deepEqual(api.classes, e.classes);
		assert.deepEqual(api.learners.map((l) => [l.ine, l.lastName,
		    l.usageName, l.firstName, l.birthDate, l.class, l.active]),
		    e.learners.map((l) => [l.ine, l.lastName, l.usageName,
		    l.firstName, l.birthDate, l.class, true]));

		const db = await dbLearners(stack, sch);
		assert.equal(db.size, e.learners.length);
		for (const l of e.learners) {
			const got = db.get(l.ine);
			assert.ok(got, `${l.ine} missing`);
			for (const f of FIELDS)
				assert.equal(got[f], l[f], `${l.ine} ${f}`);
		}
		listAfterBase = await snapshot(stack, sch);
	});

	test('the same file again (bare XML, then as a zip, then in UTF-8 ' +
	    'with a BOM and in ISO-8859-1) changes nothing: 0 added, 0 ' +
	    'updated, updated_at untouched', async () => {
		const n = base.expect.learners.length;
		const same = { toAdd: 0, toUpdate: 0, unchanged: n, toDeactivate: 0 };
		const r = await importCtl(stack, sch, base.file);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(ctlCounts(r.stdout), same);
		const variants = [
			['base.zip', { zip: true }],
			['base-utf8.xml', { encoding: 'utf-8', bom: true }],
			['base-latin1.xml', { encoding: 'iso-8859-1' }],
		];
		for (const [name, opts] of variants) {
			const g = await gen(name, { ...BASE, uai: sch.uai, ...opts });
			assert.equal(g.csv, base.csv, name);
			const { job: j } = await importHttp(stack, sch, g.file);
			assert.equal(j.status, 'done', JSON.stringify(j.errors));
			assert.equal(j.format, opts.zip ? 'zip' : 'xml');
			assert.deepEqual(j.preview, same, name);
		}
		assert.deepEqual(await snapshot(stack, sch), listAfterBase);
		assert.equal(await learnersCsv(stack, sch), base.csv);
	});

	test('the zip into another school gives the same list as the bare XML',
	    async () => {
		const other = await adminSchool(stack, { uai: uniqueUai(),
		    name: 'Collège Zippé' });
		const z = await gen('other.zip', { ...BASE, uai: other.uai,
		    zip: true });
		assert.equal(z.csv, base.csv);
		const { job: j } = await importHttp(stack, other, z.file,
		    { via: 'cookie', confirm: false });
		assert.equal(j.status, 'done', JSON.stringify(j.errors));
		assert.equal(j.format, 'zip');
		assert.equal(await learnersCsv(stack, other), base.csv);
		assert.equal(await learnersCsv(stack, other),
		    await learnersCsv(stack, sch));
	});

	test('a part cut inside a comment: the file is parsed again in one ' +
	    'piece and gives the whole list', async () => {
		const trapped = await adminSchool(stack, { uai: uniqueUai(),
		    name: 'Collège Piégé' });
		const g = await gen('trap.xml', { ...BASE, uai: trapped.uai });
		// The first "<ELEVE " of the second MiB (where the second part
		// starts) is now inside a comment, just before a real student.
		const bytes = fs.readFileSync(g.file);
		const at = bytes.indexOf('<ELEVE ', 1 << 20, 'latin1');
		assert.ok(at > 0);
		const trap = Buffer.from('<!-- <ELEVE ELEVE_ID="0"> -->',
		    'latin1');
		fs.writeFileSync(g.file, Buffer.concat([bytes.subarray(0, at),
		    trap, bytes.subarray(at)]));
		const r = await importCtl(stack, trapped, g.file);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(ctlCounts(r.stdout), {
		    toAdd: g.expect.learners.length, toUpdate: 0, unchanged: 0,
		    toDeactivate: 0 });
		assert.equal(await learnersCsv(stack, trapped), g.csv);
		const [{ id }] = await stack.sql('SELECT max(id) AS id FROM ' +
		    'import_jobs WHERE organization_id = $1', [trapped.orgId]);
		assert.match(fs.readFileSync(stack.logFile('importer'), 'utf8'),
		    new RegExp(`job ${id}: parsed again in one piece`));
	});

	test('re-import with changes: a student leaves, then names and classes ' +
	    'change, some leave, new ones arrive, the one who left comes back; ' +
	    'the preview counts what confirming does', async () => {
		const e = base.expect;
		const returning = e.learners[Math.floor(e.learners.length / 3)];
		// 1. A file without that student.
		const without = await gen('without.xml', { ...BASE, uai: sch.uai,
		    omit: returning.index });
		let r = await importCtl(stack, sch, without.file);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(ctlCounts(r.stdout), { toAdd: 0, toUpdate: 0,
		    unchanged: e.learners.length - 1, toDeactivate: 1 });
		assert.equal(await learnersCsv(stack, sch), without.csv);
		const all1 = await learnersCsv(stack, sch, true);
		assert.ok(all1.includes(`${csvLine(returning)};N'est plus dans ` +
		    'l\'établissement\n'), 'the student who left is not listed as gone');

		// 2. The changed file: more students, some renamed or moved,
		//    some gone, the one who left is back.
		const next = await gen('next.xml', { ...BASE, students: N + 12,
		    uai: sch.uai, variant: 1, remove: 3, rename: 4, reclass: 4,
		    keep: returning.index });
		const ne = next.expect;
		assert.ok(ne.learners.some((l) => l.ine === returning.ine));
		const active = byIne(e.learners.filter((l) => l.ine !==
		    returning.ine));
		const inactive = byIne([returning]);
		const want = expectedCounts(active, inactive, ne.learners);
		assert.ok(want.toAdd > 0 && want.toUpdate > 50 &&
		    want.toDeactivate > 20 && want.unchanged > 1000,
		    JSON.stringify(want));

		const up = await upload(stack, sch, next.file, { confirm: false });
		assert.equal(up.status, 202, up.text);
		const pv = await waitJob(stack, sch, up.json.id,
		    { until: new Set(['validated', 'failed']) });
		assert.equal(pv.status, 'validated', JSON.stringify(pv.errors));
		assert.deepEqual(pv.preview, want);
		assert.deepEqual(pv.skipped, ne.skipped);
		assert.equal(pv.studentsRead, N + 12 - ne.omitted.length);
		const cur = await tokenRequest(stack, sch, 'GET',
		    `${sch.base}/imports/current`);
		assert.equal(cur.status, 200);
		assert.equal(cur.json.id, up.json.id);
		// Not applied yet.
		assert.equal(await learnersCsv(stack, sch), without.csv);

		const c = await sch.admin.post(`${sch.base}/imports/${up.json.id}` +
		    '/confirm', {});
		assert.equal(c.status, 202, c.text);
		assert.equal(c.json.status, 'applying');
		const done = await waitJob(stack, sch, up.json.id);
		assert.equal(done.status, 'done', JSON.stringify(done.errors));
		assert.deepEqual(done.preview, want);

		assert.equal(await learnersCsv(stack, sch), next.csv);
		// --all: the active ones as expected, in order; the others
		// with their last known data, marked gone.
		const all = (await learnersCsv(stack, sch, true)).trimEnd()
		    .split('\n');
		assert.equal(all[0], `${CSV_HEADER};Statut`);
		const IN = ';Dans l\'établissement';
		const OUT = ';N\'est plus dans l\'établissement';
		assert.deepEqual(all.slice(1).filter((l) => l.endsWith(IN))
		    .map((l) => l.slice(0, -IN.length)),
		    next.csv.trimEnd().split('\n').slice(1));
		const nextInes = new Set(ne.learners.map((l) => l.ine));
		const gone = e.learners.filter((l) => !nextInes.has(l.ine));
		assert.equal(gone.length, want.toDeactivate);
		assert.deepEqual(all.slice(1).filter((l) => l.endsWith(OUT))
		    .map((l) => l.slice(0, -OUT.length)).sort(),
		    gone.map(csvLine).sort());
		const db = await dbLearners(stack, sch);
		assert.equal(db.get(returning.ine).active, true);
		for (const l of gone)
			assert.equal(db.get(l.ine).active, false, l.ine);
		const left = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'learners WHERE organization_id = $1 AND NOT active AND ' +
		    'left_at IS NOT NULL', [sch.orgId]);
		assert.equal(left[0].n, gone.length);
		const api = await apiLearners(stack, sch, { status: 'gone' });
		assert.deepEqual(api.learners.map((l) => l.ine).sort(),
		    gone.map((l) => l.ine).sort());

		// 3. The same changed file again: nothing at all changes.
		const snap = await snapshot(stack, sch);
		r = await importCtl(stack, sch, next.file);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(ctlCounts(r.stdout), { toAdd: 0, toUpdate: 0,
		    unchanged: ne.learners.length, toDeactivate: 0 });
		assert.deepEqual(await snapshot(stack, sch), snap);
	});

	test('each fault the generator injects is refused, naming the student ' +
	    'and the field; nothing changes', async () => {
		const snap = await snapshot(stack, sch);
		const csv = await learnersCsv(stack, sch);
		const kinds = ['empty-ine', 'duplicate-ine', 'bad-date', 'feb-31',
		    'no-sex', 'no-commune', 'wrong-uai', 'no-uai', 'malformed',
		    'double-utf8'];
		for (const [k, brk] of kinds.entries()) {
			const g = await gen(`break-${brk}.xml`, { students: 300,
			    seed: 40 + k, uai: sch.uai, left: 2, groups: true, brk });
			const b = g.expect.broken;
			const s = b.student;
			const who = s && `Élève ${s.lastName} ${s.firstName} (INE ` +
			    `${s.ine === '' ? 'vide' : s.ine}, ELEVE_ID ${s.eleveId}) : `;
			let want;
			switch (brk) {
			case 'empty-ine':
				want = `${who}INE (ID_NATIONAL) vide.`;
				break;
			case 'duplicate-ine':
				want = `${who}INE ${s.ine} en double, déjà attribué à ` +
				    `l'élève ${b.other.lastName} ${b.other.firstName} ` +
				    `(ELEVE_ID ${b.other.eleveId}).`;
				break;
			case 'bad-date': {
				const m = /DATE_NAISS>(\d{4}-\d\d-\d\d)</.exec(
				    fs.readFileSync(g.file, 'latin1'));
				want = `${who}date de naissance invalide « ${m[1]} » ` +
				    '(attendu JJ/MM/AAAA).';
				break;
			}
			case 'feb-31':
				want = new RegExp(`^${esc(who)}date de naissance invalide ` +
				    '« 31/02/\\d{4} » \\(cette date n\'existe pas\\)\\.$');
				break;
			case 'no-sex':
				want = `${who}code sexe (CODE_SEXE) manquant.`;
				break;
			case 'no-commune':
				want = `${who}code de la commune de naissance ` +
				    '(CODE_COMMUNE_INSEE_NAISS) manquant pour un élève né ' +
				    'en France.';
				break;
			case 'wrong-uai':
				want = `Ce fichier est celui de l'établissement ${b.uaj}, ` +
				    `pas de ${sch.uai}.`;
				break;
			case 'no-uai':
				want = 'Ce fichier n\'indique pas son établissement ' +
				    `(PARAMETRES/UAJ absent) : il doit être celui de ${sch.uai}.`;
				break;
			case 'malformed':
				want = new RegExp(`^Le fichier XML est mal formé, ligne ` +
				    `${b.line}, colonne ${b.column} : balise fermante qui ` +
				    'ne correspond pas');
				break;
			case 'double-utf8':
				want = `${who}le prénom « CÃ©cile » est mal encodé (texte ` +
				    'UTF-8 lu deux fois) : refaites l\'export depuis SIECLE ' +
				    'sans rouvrir le fichier.';
				break;
			}
			const ctl = await importCtl(stack, sch, g.file);
			assert.equal(ctl.code, 1, `${brk}: ${ctl.stdout}`);
			const http = await importHttp(stack, sch, g.file,
			    { via: k % 2 ? 'cookie' : 'token', confirm: k % 2 === 0 });
			assert.equal(http.job.status, 'failed', brk);
			for (const errors of [ctlMessages(ctl.stderr), http.job.errors]) {
				assert.equal(errors.length, 1, `${brk}: ${errors.join('\n')}`);
				if (want instanceof RegExp)
					assert.match(errors[0], want, brk);
				else
					assert.equal(errors[0], want, brk);
			}
			assert.deepEqual(await snapshot(stack, sch), snap, brk);
		}
		assert.equal(await learnersCsv(stack, sch), csv);
	});

	test('one import at a time per school: while an upload is under way, ' +
	    'another is refused (409 over HTTP, "déjà en cours" from orgactl); ' +
	    'a file waiting for confirmation is replaced by a newer one',
	    async () => {
		const snap = await snapshot(stack, sch);
		// Over 2 MiB: orga stores the first MiB of the held half.
		const g = await gen('pending.xml', { students: 1500, seed: 77,
		    uai: sch.uai });
		const body = fs.readFileSync(g.file);
		const before = await tokenRequest(stack, sch, 'GET',
		    `${sch.base}/imports/current`);
		// A chunked upload held open half way: its job is 'uploading'.
		const req = http.request(`${stack.httpUrl}${sch.base}/imports` +
		    '?confirm=true', { method: 'POST', headers: {
		    Authorization: `Bearer ${sch.token}`,
		    'Content-Type': 'application/xml' } });
		const answer = new Promise((resolve, reject) => {
			req.on('response', (res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (d) => { text += d; });
				res.on('end', () => resolve({ status: res.statusCode,
				    json: JSON.parse(text) }));
			});
			req.on('error', reject);
		});
		req.write(body.subarray(0, body.length >> 1));
		const running = await waitFor(async () => {
			const c = await tokenRequest(stack, sch, 'GET',
			    `${sch.base}/imports/current`);
			return c.status === 200 && c.json.id !== before.json?.id &&
			    c.json.status === 'uploading' ? c.json : null;
		}, { what: 'the held upload\'s job' });
		// The importer reads the file as it arrives: students are
		// counted before the upload ends.
		const reading = await waitFor(async () => {
			const j = await job(stack, sch, running.id);
			return j.studentsRead > 0 ? j : null;
		}, { what: 'students read during the upload' });
		assert.equal(reading.status, 'uploading');
		assert.ok(reading.progressBytes <= reading.uploadBytes);
		for (const via of ['token', 'cookie']) {
			const again = await upload(stack, sch, g.file, { via });
			assert.equal(again.status, 409, again.text);
			assert.equal(again.json.error.code, 'IMPORT_IN_PROGRESS');
			assert.match(again.json.error.message, /déjà en cours/);
		}
		const ctl = await importCtl(stack, sch, g.file);
		assert.equal(ctl.code, 1);
		assert.match(ctl.stderr, /Un import est déjà en cours pour cet établissement/);
		assert.deepEqual(await snapshot(stack, sch), snap);
		req.end(body.subarray(body.length >> 1));
		const a = await answer;
		assert.equal(a.status, 202);
		assert.equal(a.json.id, running.id);
		const done = await waitJob(stack, sch, running.id);
		assert.equal(done.status, 'done', JSON.stringify(done.errors));
		assert.equal(done.uploadBytes, body.length);
		assert.equal(await learnersCsv(stack, sch), g.csv);

		// Waiting for confirmation is not running: a newer file
		// replaces it (the first is cancelled, never applied).
		const g2 = await gen('pending2.xml', { students: 300, seed: 78,
		    uai: sch.uai });
		const first = await upload(stack, sch, g2.file, { confirm: false });
		assert.equal(first.status, 202, first.text);
		const pv = await waitJob(stack, sch, first.json.id,
		    { until: new Set(['validated', 'failed']) });
		assert.equal(pv.status, 'validated');
		const { job: second } = await importHttp(stack, sch, g.file);
		assert.equal(second.status, 'done');
		assert.deepEqual(second.preview, { toAdd: 0, toUpdate: 0,
		    unchanged: g.expect.learners.length, toDeactivate: 0 });
		assert.equal((await job(stack, sch, first.json.id)).status,
		    'cancelled');
		const conf = await tokenRequest(stack, sch, 'POST',
		    `${sch.base}/imports/${first.json.id}/confirm`);
		assert.equal(conf.status, 409, conf.text);
		assert.equal(conf.json.error.code, 'IMPORT_NOT_VALIDATED');
		assert.equal(await learnersCsv(stack, sch), g.csv);
	});

	test('an upload cancelled while the importer reads it ends cancelled, ' +
	    'leaves nothing behind, and the next import succeeds', async () => {
		const snap = await snapshot(stack, sch);
		const g = await gen('cancelled.xml', { students: 1500, seed: 79,
		    uai: sch.uai });
		const body = fs.readFileSync(g.file);
		const req = http.request(`${stack.httpUrl}${sch.base}/imports` +
		    '?confirm=true', { method: 'POST', headers: {
		    Authorization: `Bearer ${sch.token}`,
		    'Content-Type': 'application/xml' } });
		const answer = new Promise((resolve) => {
			req.on('response', (res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode));
			});
			req.on('error', () => resolve(null));
		});
		req.write(body.subarray(0, body.length >> 1));
		const reading = await waitFor(async () => {
			const c = await tokenRequest(stack, sch, 'GET',
			    `${sch.base}/imports/current`);
			return c.status === 200 && c.json.status === 'uploading' &&
			    c.json.studentsRead > 0 ? c.json : null;
		}, { what: 'an upload being read' });
		const del = await tokenRequest(stack, sch, 'POST',
		    `${sch.base}/imports/${reading.id}/cancel`);
		assert.equal(del.status, 200, del.text);
		assert.equal(del.json.status, 'cancelled');
		req.end(body.subarray(body.length >> 1));
		assert.notEqual(await answer, 202);
		assert.equal((await job(stack, sch, reading.id)).status,
		    'cancelled');
		// The importer lets go of the job and drops what it staged.
		await waitFor(async () => {
			const [left] = await stack.sql('SELECT ' +
			    '(SELECT count(*) FROM import_rows WHERE job_id = $1) + ' +
			    '(SELECT count(*) FROM import_classes WHERE job_id = $1) + ' +
			    '(SELECT count(*) FROM import_chunks WHERE job_id = $1) ' +
			    'AS n', [reading.id]);
			return Number(left.n) === 0;
		}, { what: 'the cancelled job\'s rows dropped' });
		assert.deepEqual(await snapshot(stack, sch), snap);
		const { job: next } = await importHttp(stack, sch, g.file);
		assert.equal(next.status, 'done', JSON.stringify(next.errors));
		assert.equal(await learnersCsv(stack, sch), g.csv);
	});

	test('two schools import at the same time: both succeed', async () => {
		const [s1, s2] = await Promise.all([
			adminSchool(stack, { uai: uniqueUai(), name: 'Collège Un' }),
			adminSchool(stack, { uai: uniqueUai(), name: 'Collège Deux' })]);
		const [g1, g2] = await Promise.all([
			gen('par1.xml', { ...BASE, seed: 21, uai: s1.uai }),
			gen('par2.zip', { ...BASE, seed: 22, uai: s2.uai, zip: true })]);
		const [r1, r2] = await Promise.all([importCtl(stack, s1, g1.file),
		    importHttp(stack, s2, g2.file)]);
		assert.equal(r1.code, 0, r1.stderr);
		assert.equal(r2.job.status, 'done', JSON.stringify(r2.job.errors));
		// Both were under way at once: one school's import does not make
		// the other wait (only one import at a time per school).
		const jobs = await stack.sql('SELECT organization_id, created_at, ' +
		    'finished_at FROM import_jobs WHERE organization_id IN ($1, $2) ' +
		    'ORDER BY organization_id', [s1.orgId, s2.orgId]);
		assert.equal(jobs.length, 2);
		assert.ok(jobs[0].created_at < jobs[1].finished_at &&
		    jobs[1].created_at < jobs[0].finished_at, 'one waited for the ' +
		    'other');
		assert.equal(await learnersCsv(stack, s1), g1.csv);
		assert.equal(await learnersCsv(stack, s2), g2.csv);
	});

	test('only ADMINs import (a MEMBER gets 403, with a session or a ' +
	    'token), outsiders get 404; members read the list, outsiders do not',
	    async () => {
		const email = uniqueEmail('membre');
		const inv = await invite(stack, { uai: sch.uai, email,
		    role: 'MEMBER' });
		const member = stack.client();
		await signUp(member, { firstName: 'Marc', lastName: 'Membre',
		    email });
		await acceptTerms(member);
		const ok = await acceptInvitation(member, inv);
		assert.equal(ok.status, 200, ok.text);
		assert.equal(ok.json.role, 'MEMBER');
		const mt = await stack.orgactl('token', 'create', '--email', email);
		assert.equal(mt.code, 0, mt.stderr);
		const memberToken = mt.stdout.trim();

		const outsider = stack.client();
		const oemail = uniqueEmail('dehors');
		await signUp(outsider, { firstName: 'Olga', lastName: 'Dehors',
		    email: oemail });
		await acceptTerms(outsider);
		const ot = await stack.orgactl('token', 'create', '--email', oemail);
		assert.equal(ot.code, 0, ot.stderr);
		const outsiderToken = ot.stdout.trim();

		const g = await gen('perm.xml', { students: 20, seed: 5,
		    uai: sch.uai });
		const body = fs.readFileSync(g.file);
		const snap = await snapshot(stack, sch);
		const jobsBefore = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'import_jobs WHERE organization_id = $1', [sch.orgId]);
		const xml = { 'Content-Type': 'application/xml' };
		const cases = [
			['MEMBER session', () => member.request('POST',
			    `${sch.base}/imports?confirm=true`, body,
			    { raw: true, headers: xml }), 403, 'FORBIDDEN'],
			['MEMBER token', () => tokenRequest(stack, sch, 'POST',
			    `${sch.base}/imports?confirm=true`,
			    { body, type: 'application/xml', token: memberToken }),
			    403, 'FORBIDDEN'],
			['MEMBER imports/current', () => member.get(
			    `${sch.base}/imports/current`), 403, 'FORBIDDEN'],
			['outsider session', () => outsider.request('POST',
			    `${sch.base}/imports?confirm=true`, body,
			    { raw: true, headers: xml }), 404, 'ORGANIZATION_NOT_FOUND'],
			['outsider token', () => tokenRequest(stack, sch, 'POST',
			    `${sch.base}/imports?confirm=true`,
			    { body, type: 'application/xml', token: outsiderToken }),
			    404, 'ORGANIZATION_NOT_FOUND'],
			['outsider learners', () => outsider.get(`${sch.base}/learners`),
			    404, 'ORGANIZATION_NOT_FOUND'],
			['outsider token learners', () => tokenRequest(stack, sch, 'GET',
			    `${sch.base}/learners`, { token: outsiderToken }), 404,
			    'ORGANIZATION_NOT_FOUND'],
			['anonymous learners', () => stack.client().get(
			    `${sch.base}/learners`), 401, 'NOT_AUTHENTICATED'],
			['anonymous upload', () => stack.client().request('POST',
			    `${sch.base}/imports`, body, { raw: true, headers: xml }),
			    401, 'NOT_AUTHENTICATED'],
		];
		for (const [what, call, status, code] of cases) {
			const r = await call();
			assert.equal(r.status, status, `${what}: ${r.text}`);
			assert.equal(r.json?.error?.code, code, `${what}: ${r.text}`);
		}
		assert.deepEqual(await snapshot(stack, sch), snap);
		const jobsAfter = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'import_jobs WHERE organization_id = $1', [sch.orgId]);
		assert.deepEqual(jobsAfter, jobsBefore, 'a refused upload left a job');

		// A MEMBER reads the list, with a session or a token.
		const want = await learnersCsv(stack, sch);
		const wantInes = want.trimEnd().split('\n').slice(1)
		    .map((l) => l.split(';')[0]);
		const viaSession = await apiLearners(stack, sch, { client: member,
		    status: 'active' });
		assert.deepEqual(viaSession.learners.map((l) => l.ine), wantInes);
		const viaToken = await tokenRequest(stack, sch, 'GET',
		    `${sch.base}/learners?pageSize=5`, { token: memberToken });
		assert.equal(viaToken.status, 200, viaToken.text);
		assert.equal(viaToken.json.total, wantInes.length);
	});

	test('a name a spreadsheet would run (=HYPERLINK…) is kept as is, and ' +
	    'orgactl learners writes it after an apostrophe', async () => {
		const other = await adminSchool(stack, { uai: uniqueUai(),
		    name: 'Collège Formule' });
		const student = (id, ine, nom, prenom) => `<ELEVE ELEVE_ID="${id}">` +
		    `<ID_NATIONAL>${ine}</ID_NATIONAL>` +
		    `<NOM_DE_FAMILLE>${nom}</NOM_DE_FAMILLE><PRENOM>${prenom}` +
		    '</PRENOM><CODE_SEXE>1</CODE_SEXE>' +
		    '<DATE_NAISS>02/03/2012</DATE_NAISS><CODE_PAYS>100</CODE_PAYS>' +
		    '<CODE_DEPARTEMENT_NAISS>075</CODE_DEPARTEMENT_NAISS>' +
		    '<CODE_COMMUNE_INSEE_NAISS>75056</CODE_COMMUNE_INSEE_NAISS>' +
		    '<CODE_MEF>10010012110</CODE_MEF><CODE_STATUT>ST</CODE_STATUT>' +
		    '</ELEVE>';
		const inClass = (id) => `<STRUCTURES_ELEVE ELEVE_ID="${id}">` +
		    '<STRUCTURE><CODE_STRUCTURE>6B</CODE_STRUCTURE>' +
		    '<TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>';
		const formula = '=HYPERLINK("http://evil.example","Voir")';
		const xml = '<?xml version="1.0" encoding="UTF-8"?><BEE_ELEVES ' +
		    `VERSION="2.1"><PARAMETRES><UAJ>${other.uai}</UAJ></PARAMETRES>` +
		    '<DONNEES><ELEVES>' +
		    student('1', '111111111AA', formula.replace(/"/g, '&quot;'),
		        '+Tom') +
		    student('2', '222222222BB', 'MARTIN', '@Léa') +
		    '</ELEVES><STRUCTURES>' + inClass('1') + inClass('2') +
		    '</STRUCTURES></DONNEES></BEE_ELEVES>';
		const file = `${tmpDir()}/formula.xml`;
		fs.writeFileSync(file, xml);
		const r = await importCtl(stack, other, file);
		assert.equal(r.code, 0, r.stderr);
		const [row] = await stack.sql('SELECT last_name FROM learners ' +
		    'WHERE organization_id = $1 AND ine = $2',
		    [other.orgId, '111111111AA']);
		assert.equal(row.last_name, formula);
		assert.equal(await learnersCsv(stack, other), [CSV_HEADER,
		    '111111111AA;"\'=HYPERLINK(""http://evil.example"",""Voir"")";' +
		    '\'+Tom;02/03/2012;6B',
		    '222222222BB;MARTIN;\'@Léa;02/03/2012;6B', ''].join('\n'));
	});
});

function esc(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
