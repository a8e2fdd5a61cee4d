// assessments.test.mjs - campaigns that assess, end to end over HTTP and
// orgactl: the content bundle checked (errors with file, line and field)
// and published as versions; an assessment campaign created on a
// parcours; a student answering to the end (resumed after a logout, each
// answer final, never a solution before the end) and sending; the school
// reading activity, results, one participant and the CSV (checked field
// by field, BOM included); outsiders refused.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { FIXTURE, questions, rightAnswer, student } from '../lib/assess.mjs';
import { schoolWithAdmin } from '../lib/orga.mjs';
import { startStack } from '../lib/stack.mjs';

const Q = questions();

// copyBundle() -> a temporary copy of the fixture bundle.
function copyBundle() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
	fs.cpSync(FIXTURE, dir, { recursive: true });
	return dir;
}

// lineOf(file, needle) -> the 1-based line of the first occurrence.
function lineOf(file, needle) {
	return fs.readFileSync(file, 'utf8').split('\n')
	    .findIndex((l) => l.includes(needle)) + 1;
}

describe('campaigns that assess', () => {
	let stack;
	let sch;
	let other;
	let campaign;
	let pupil;
	before(async () => {
		stack = await startStack({ name: 'assessments' });
		sch = await schoolWithAdmin(stack, { name: 'Collège Évaluation' });
		other = await schoolWithAdmin(stack, { name: 'Collège Voisin',
		    lastName: 'Voisine' });
	});
	after(async () => { await stack?.stop(); });

	test('content check refuses a broken bundle with file, line and ' +
	    'field, and publishes nothing', async () => {
		const dir = copyBundle();
		const file = path.join(dir, 'competences/4.1.json');
		const text = fs.readFileSync(file, 'utf8')
		    .replace('"kind": "QCM"', '"kind": "QCX"');
		fs.writeFileSync(file, text);
		const line = lineOf(file, '"kind": "QCX"');
		const r = await stack.orgactl('content', 'check', dir);
		assert.equal(r.code, 1, r.stdout + r.stderr);
		assert.ok(r.stderr.includes(`competences/4.1.json:${line}:`),
		    r.stderr);
		assert.match(r.stderr, /kind/);
		const p = await stack.orgactl('content', 'publish', dir);
		assert.equal(p.code, 1);
		const rows = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'content_versions');
		assert.equal(rows[0].n, 0);
		fs.rmSync(dir, { recursive: true });
	});

	test('content publish stores a version once; show lists it',
	    async () => {
		const ok = await stack.orgactl('content', 'check', FIXTURE);
		assert.equal(ok.code, 0, ok.stderr);
		assert.match(ok.stdout, /contenu valide \(16 compétences/);
		const p = await stack.orgactl('content', 'publish', FIXTURE);
		assert.equal(p.code, 0, p.stderr);
		assert.match(p.stdout, /Contenu publié : version \d+ \(39 questions, 4 parcours\)/);
		const again = await stack.orgactl('content', 'publish', FIXTURE);
		assert.equal(again.code, 0, again.stderr);
		assert.match(again.stdout, /Contenu inchangé/);
		const show = await stack.orgactl('content', 'show');
		assert.equal(show.code, 0, show.stderr);
		const lines = show.stdout.trim().split('\n');
		assert.equal(lines.length, 2, show.stdout);
		assert.match(lines[1], /^\d+\t\d{4}-\d\d-\d\dT.*\t39\t4\t0\t[0-9a-f]{12}$/);
	});

	test('staff choose a published parcours; an unknown one is refused',
	    async () => {
		const t = await sch.admin.get(`${sch.base}/target-profiles`);
		assert.equal(t.status, 200, t.text);
		const ids = t.json.targetProfiles.map((p) => p.id).sort();
		assert.deepEqual(ids, ['decouverte-6e', 'parcours-2nde',
		    'parcours-3e', 'tous-les-domaines']);
		const p3 = t.json.targetProfiles.find((p) => p.id === 'parcours-3e');
		assert.equal(p3.name, 'Parcours 3e');
		assert.equal(p3.skills, 7);
		assert.deepEqual(p3.competences.map((c) => c.code), ['1.1', '4.1']);
		const bad = await sch.admin.post(`${sch.base}/campaigns`, {
		    name: 'Mauvais', type: 'ASSESSMENT', targetProfileId: 'nope' });
		assert.equal(bad.status, 422, bad.text);
		assert.equal(bad.json.error.field, 'targetProfileId');
		const r = await sch.admin.post(`${sch.base}/campaigns`, {
		    name: 'Évaluation 3e', type: 'ASSESSMENT',
		    targetProfileId: 'parcours-3e' });
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.targetProfile.id, 'parcours-3e');
		assert.equal(r.json.targetProfile.name, 'Parcours 3e');
		campaign = r.json;
	});

	test('a student answers to the end (resumed after a logout, each ' +
	    'answer final) and sends the results', async () => {
		pupil = await student(stack, sch, campaign.code,
		    { firstName: 'Léa', lastName: 'Durand', classCode: '3A' });
		const c = pupil.client;
		const base = `/api/campaigns/${campaign.code}`;
		const j = await c.post(`${base}/join`, {});
		assert.equal(j.status, 201, j.text);
		assert.equal(j.json.participation.status, 'STARTED');
		const none = await c.get(`${base}/assessment`);
		assert.equal(none.status, 404);
		assert.equal(none.json.error.code, 'ASSESSMENT_NOT_STARTED');
		const early = await c.post(`${base}/share`, {});
		assert.equal(early.status, 409);
		assert.equal(early.json.error.code, 'PARTICIPATION_NOT_FINISHED');

		let a = (await c.post(`${base}/assessment`, {})).json.assessment;
		assert.equal(a.state, 'STARTED');
		assert.equal(a.progress.answered, 0);
		assert.equal(a.progress.planned, 7);
		const again = (await c.post(`${base}/assessment`, {})).json.assessment;
		assert.equal(again.question.id, a.question.id, 'started once');
		const seen = [];
		let previous = null;
		while (a.state === 'STARTED') {
			const q = a.question;
			// What the browser gets never holds the solution.
			for (const k of ['solution', 'answers', 'explanation'])
				assert.equal(q[k], undefined, `${k} sent before the answer`);
			assert.ok(q.competence.code === '1.1' || q.competence.code === '4.1');
			seen.push(q.id);
			if (seen.length === 2) {
				// Logging out and in again resumes at the same question.
				assert.equal((await c.request('DELETE', '/api/session')).status,
				    200);
				assert.equal((await c.get(`${base}/assessment`)).status, 401);
				const s = await c.post('/api/session',
				    { email: pupil.email, password: pupil.password });
				assert.equal(s.status, 200, s.text);
				const back = (await c.get(`${base}/assessment`)).json.assessment;
				assert.equal(back.question.id, q.id);
				assert.equal(back.progress.answered, 1);
				// The question already answered cannot be answered again.
				const stale = await c.post(`${base}/assessment/answers`,
				    rightAnswer(Q.get(previous)));
				assert.equal(stale.status, 409, stale.text);
				assert.equal(stale.json.error.code, 'QUESTION_NOT_CURRENT');
			}
			const body = q.id === 'motdepasse4-a'
			    ? { questionId: q.id, skip: true } : rightAnswer(Q.get(q.id));
			const r = await c.post(`${base}/assessment/answers`, body);
			assert.equal(r.status, 200, r.text);
			previous = q.id;
			a = r.json.assessment;
		}
		assert.ok(seen.includes('motdepasse4-a'), seen.join(' '));
		assert.equal(a.state, 'COMPLETED');
		assert.equal(a.results.mastery, 86);  // 6 of 7 skills
		assert.deepEqual(a.results.competences.map((k) => [k.code,
		    k.validated, k.total, k.level]), [['1.1', 3, 3, 2],
		    ['4.1', 3, 4, 2]]);
		assert.equal(a.results.competences[0].levelText,
		    'Niveau 2 : novice');
		const skipped = a.results.review.find((s) => s.id === 'motdepasse4-a');
		assert.equal(skipped.skipped, true);
		assert.equal(skipped.correct, false);
		assert.deepEqual(skipped.solution, ['mots de passe', 'maître']);
		assert.match(skipped.explanation, /gestionnaire/);
		const done = await c.post(`${base}/assessment/answers`,
		    { questionId: previous, skip: true });
		assert.equal(done.status, 409);
		assert.equal(done.json.error.code, 'ASSESSMENT_COMPLETED');

		// Nothing is visible to the school before sending.
		const before = await sch.admin.get(
		    `${sch.base}/campaigns/${campaign.id}/results`);
		assert.equal(before.json.participants[0].status, 'TO_SHARE');
		assert.equal(before.json.participants[0].mastery, null);
		assert.equal(before.json.participants[0].competences, null);

		const sh = await c.post(`${base}/share`, {});
		assert.equal(sh.status, 200, sh.text);
		assert.equal(sh.json.participation.status, 'SHARED');
	});

	test('the school reads activity, results and one participant',
	    async () => {
		const url = `${sch.base}/campaigns/${campaign.id}`;
		const act = await sch.admin.get(`${url}/activity`);
		assert.equal(act.status, 200, act.text);
		assert.deepEqual(act.json.counts, { STARTED: 0, TO_SHARE: 0,
		    SHARED: 1 });
		assert.equal(act.json.days.length, 1);
		assert.equal(act.json.days[0].started, 1);
		assert.equal(act.json.days[0].shared, 1);
		const res = await sch.admin.get(`${url}/results`);
		assert.equal(res.status, 200, res.text);
		assert.equal(res.json.average, 86);
		assert.equal(res.json.shared, 1);
		assert.deepEqual(res.json.distribution.map((b) => b.count),
		    [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
		const p = res.json.participants[0];
		assert.equal(p.lastName, 'Durand');
		assert.equal(p.class, '3A');
		assert.equal(p.mastery, 86);
		assert.deepEqual(p.competences.map((k) => k.level), [2, 2]);
		const filtered = await sch.admin.get(`${url}/results?class=4B`);
		assert.equal(filtered.json.participants.length, 0);
		const one = await sch.admin.get(`${url}/results/${p.id}`);
		assert.equal(one.status, 200, one.text);
		const mdp = one.json.participant.topics.find((t) => t.id ===
		    'motdepasse');
		assert.deepEqual([mdp.validated, mdp.total], [3, 4]);
	});

	test('the CSV export, field by field, BOM included', async () => {
		const r = await fetch(`${stack.httpUrl}${sch.base}/campaigns/` +
		    `${campaign.id}/results.csv`,
		    { headers: { Cookie: sch.admin.cookieHeader() } });
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
		assert.match(r.headers.get('content-disposition'),
		    new RegExp(`attachment; filename="resultats-${campaign.code}.csv"`));
		const bytes = Buffer.from(await r.arrayBuffer());
		assert.deepEqual([...bytes.subarray(0, 3)], [0xEF, 0xBB, 0xBF]);
		const lines = bytes.subarray(3).toString('utf8').split('\r\n');
		assert.equal(lines.length, 3);
		assert.equal(lines[2], '');
		assert.deepEqual(lines[0].split(';'), ['Établissement', 'Campagne',
		    'Code de la campagne', 'Nom', 'Prénom', 'Classe', 'INE', 'État',
		    'Envoyé le', '% de maîtrise',
		    'Niveau 1.1 Mener une recherche et une veille d\'information',
		    'Niveau 4.1 Sécuriser l\'environnement numérique']);
		const row = lines[1].split(';');
		const paris = new Intl.DateTimeFormat('fr-FR', { timeZone:
		    'Europe/Paris', day: '2-digit', month: '2-digit',
		    year: 'numeric' }).format(new Date());
		assert.deepEqual(row, ['Collège Évaluation', 'Évaluation 3e',
		    campaign.code, 'Durand', 'Léa', '3A', pupil.learnerIne,
		    'Résultats reçus', paris, '86', '2', '2']);
	});

	test('outsiders are refused: no session, a member of another ' +
	    'school, a student; a student reaches only their own assessment',
	    async () => {
		const url = `${sch.base}/campaigns/${campaign.id}`;
		const anon = stack.client();
		assert.equal((await anon.get(`${url}/results`)).status, 401);
		for (const path of ['results', 'activity', 'results.csv']) {
			const r = await other.admin.get(`${url}/${path}`);
			assert.equal(r.status, 404, path);
			assert.equal(r.json.error.code, 'ORGANIZATION_NOT_FOUND');
		}
		// Another school's campaign id under one's own school: not found.
		const cross = await other.admin.get(
		    `${other.base}/campaigns/${campaign.id}/results`);
		assert.equal(cross.status, 404);
		assert.equal(cross.json.error.code, 'CAMPAIGN_NOT_FOUND');
		const r = await pupil.client.get(`${url}/results`);
		assert.equal(r.status, 404);
		// A student of another school, in a campaign of that school, has
		// no assessment here and cannot answer the first student's.
		const oc = await other.admin.post(`${other.base}/campaigns`, {
		    name: 'Voisin', type: 'ASSESSMENT',
		    targetProfileId: 'decouverte-6e' });
		assert.equal(oc.status, 201, oc.text);
		const stranger = await student(stack, other, oc.json.code,
		    { firstName: 'Noé', lastName: 'Martin' });
		const base = `/api/campaigns/${campaign.code}`;
		const s1 = await stranger.client.get(`${base}/assessment`);
		assert.equal(s1.status, 404);
		const s2 = await stranger.client.post(`${base}/assessment/answers`,
		    { questionId: 'recherche1-a', choices: [1] });
		assert.equal(s2.status, 404);
		const s3 = await stranger.client.post(`${base}/assessment`, {});
		assert.equal(s3.status, 404);
		assert.equal(s3.json.error.code, 'PARTICIPATION_NOT_FOUND');
	});

	test('a profile collection shares the 16 levels built from every ' +
	    'outcome; an assessment keeps its content version', async () => {
		const pc = await sch.admin.post(`${sch.base}/campaigns`,
		    { name: 'Profils', type: 'PROFILES_COLLECTION' });
		assert.equal(pc.status, 201, pc.text);
		const base = `/api/campaigns/${pc.json.code}`;
		const j = await pupil.client.post(`${base}/join`, {});
		assert.equal(j.status, 201, j.text);
		const prof = j.json.participation.profile.competences;
		assert.equal(prof.length, 16);
		assert.equal(prof.find((k) => k.code === '4.1').level, 2);
		assert.equal(prof.find((k) => k.code === '2.1').level, 0);
		const sh = await pupil.client.post(`${base}/share`, {});
		assert.equal(sh.status, 200, sh.text);
		const res = await sch.admin.get(
		    `${sch.base}/campaigns/${pc.json.id}/results`);
		const p = res.json.participants[0];
		assert.equal(p.mastery, null);
		assert.equal(p.competences.length, 16);
		// A new version: the finished assessment keeps the old one.
		const dir = copyBundle();
		const f = path.join(dir, 'parcours/parcours-3e.json');
		fs.writeFileSync(f, fs.readFileSync(f, 'utf8')
		    .replace('plus loin.', 'plus loin encore.'));
		const pub = await stack.orgactl('content', 'publish', dir);
		assert.equal(pub.code, 0, pub.stderr);
		assert.match(pub.stdout, /Contenu publié : version/);
		const show = await stack.orgactl('content', 'show');
		assert.equal(show.stdout.trim().split('\n').length, 3);
		const rows = await stack.sql('SELECT DISTINCT content_version_id ' +
		    'AS v FROM assessments');
		assert.equal(rows.length, 1);
		const back = await pupil.client.get(
		    `/api/campaigns/${campaign.code}/assessment`);
		assert.equal(back.json.assessment.parcours.description,
		    'Mots de passe et recherche, plus loin.');
		fs.rmSync(dir, { recursive: true });
	});
});
