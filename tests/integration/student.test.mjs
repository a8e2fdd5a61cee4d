// student.test.mjs - what a student does with a campaign code, over HTTP
// on the real stack: the public landing, linking a GAR or e-mail account to
// the imported learner (names normalised, exact then tolerant, given names
// and usage names), joining, sending the profile and the school seeing
// "Profil reçu"; a second campaign linking by itself; every refusal
// (learner already linked to another account, account already linked in
// the school, no match, too many attempts, a learner no longer in the
// school); the Élèves list's login method and an ADMIN unlinking.
//
// GAR accounts are made as the GAR login makes them (a user without
// e-mail nor password, with a GAR authentication method) and given a
// session row directly: the SAML path itself is tested by gar.test.mjs.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { acceptInvitation, acceptTerms, linkParams, schoolWithAdmin,
    signUp, uniqueEmail } from '../lib/orga.mjs';

// The school's students: [ine, NOM, NOM_USAGE, PRENOM, PRENOM2, PRENOM3,
// birth date, class].
const STUDENTS = [
	['070000001AA', 'TURING', '', 'Alan', 'Mathison', '', '23/06/2012', '6A'],
	['070000002AA', 'LOVELACE', 'KING', 'Ada', '', '', '10/12/2011', '5B'],
	['070000003AA', 'HOPPER', '', 'Grace', 'Brewster', '', '09/12/2011', '5B'],
	['070000004AA', 'DUPONT', '', 'Marie', 'Anne', '', '05/03/2012', '6A'],
	['070000005AA', 'DUPONT', '', 'Anne', 'Marie', '', '05/03/2012', '6A'],
	['070000006AA', "D'ARC", '', 'Jean-Pierre', 'Éloïse', 'Zoé',
	    '14/07/2012', '6A'],
	['070000007AA', 'PARTI', '', 'Paul', '', '', '01/01/2012', '6A'],
	['070000008AA', 'CURIE', 'SKLODOWSKA', 'Marie', '', '', '07/11/2011',
	    '5B'],
	['070000009AA', 'HAMILTON', '', 'Margaret', '', '', '17/08/2011', '5B'],
	['070000010AA', 'LAMARR', '', 'Hedy', 'Eva', '', '09/11/2011', '5B'],
];

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
    .replace(/'/g, '&apos;');

// siecle writes an ElevesSansAdresses.xml (UTF-8) of the given students.
function siecle(uai, students) {
	const eleves = students.map((s, i) => `
<ELEVE ELEVE_ID="${i + 1}"><ID_NATIONAL>${s[0]}</ID_NATIONAL>
<NOM_DE_FAMILLE>${esc(s[1])}</NOM_DE_FAMILLE><NOM_USAGE>${esc(s[2])}</NOM_USAGE>
<PRENOM>${esc(s[3])}</PRENOM><PRENOM2>${esc(s[4])}</PRENOM2>
<PRENOM3>${esc(s[5])}</PRENOM3><CODE_SEXE>1</CODE_SEXE>
<DATE_NAISS>${s[6]}</DATE_NAISS><CODE_PAYS>100</CODE_PAYS>
<CODE_DEPARTEMENT_NAISS>075</CODE_DEPARTEMENT_NAISS>
<CODE_COMMUNE_INSEE_NAISS>75056</CODE_COMMUNE_INSEE_NAISS>
<CODE_MEF>10010012110</CODE_MEF><CODE_STATUT>ST</CODE_STATUT></ELEVE>`);
	const classes = students.map((s, i) => `
<STRUCTURES_ELEVE ELEVE_ID="${i + 1}"><STRUCTURE>
<CODE_STRUCTURE>${s[7]}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE>
</STRUCTURE></STRUCTURES_ELEVE>`);
	return `<?xml version="1.0" encoding="UTF-8"?>
<BEE_ELEVES VERSION="2.1"><PARAMETRES><UAJ>${uai}</UAJ></PARAMETRES>
<DONNEES><ELEVES>${eleves.join('')}</ELEVES>
<STRUCTURES>${classes.join('')}</STRUCTURES></DONNEES></BEE_ELEVES>
`;
}

async function importStudents(stack, uai, students) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orga-student-'));
	const file = path.join(dir, 'ElevesSansAdresses.xml');
	fs.writeFileSync(file, siecle(uai, students));
	try {
		const r = await stack.orgactl('import', '--uai', uai, file,
		    { timeoutMs: 60000 });
		assert.equal(r.code, 0, `orgactl import: ${r.stdout}\n${r.stderr}`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

// garStudent makes an account as the GAR login does and opens a session
// for it. Returns {client, id}.
async function garStudent(stack, firstName, lastName) {
	const [u] = await stack.sql('INSERT INTO users (first_name, last_name) ' +
	    'VALUES ($1, $2) RETURNING id', [firstName, lastName]);
	await stack.sql('INSERT INTO authentication_methods (user_id, kind, ' +
	    "external_id) VALUES ($1, 'GAR', $2)",
	    [u.id, randomBytes(16).toString('hex')]);
	const token = randomBytes(24).toString('base64url');
	await stack.sql('INSERT INTO sessions (token_hash, csrf_token, user_id, ' +
	    "expires_at) VALUES ($1, $2, $3, now() + interval '1 hour')",
	    [createHash('sha256').update(token).digest('hex'),
		randomBytes(24).toString('base64url'), u.id]);
	const client = stack.client();
	client.cookies.set('orga_session', token);
	return { client, id: Number(u.id) };
}

async function emailStudent(stack, firstName, lastName, prefix) {
	const client = stack.client();
	const acc = await signUp(client, { firstName, lastName,
	    email: uniqueEmail(prefix) });
	return { client, id: acc.user.id, email: acc.email };
}

// school: a school, its ADMIN, a MEMBER, and its students imported.
async function school(stack) {
	const s = await schoolWithAdmin(stack, { name: 'Collège Ada Lovelace',
	    lastName: 'Proviseure' });
	const { admin, base } = s;
	const memberEmail = uniqueEmail('prof');
	const inv = await admin.post(`${base}/invitations`,
	    { emails: memberEmail, role: 'MEMBER' });
	assert.equal(inv.status, 200, inv.text);
	const mails = await stack.smtp.waitForMail({ to: memberEmail });
	const member = stack.client();
	await signUp(member, { firstName: 'Paul', lastName: 'Professeur',
	    email: memberEmail });
	await acceptTerms(member);
	const ok = await acceptInvitation(member,
	    linkParams(mails[mails.length - 1].link));
	assert.equal(ok.status, 200, ok.text);
	await importStudents(stack, s.uai, STUDENTS);
	return { ...s, admin, member, base };
}

async function campaign(sch, body) {
	const r = await sch.admin.post(`${sch.base}/campaigns`,
	    { type: 'PROFILES_COLLECTION', ...body });
	assert.equal(r.status, 201, r.text);
	assert.match(r.json.code, /^[A-Z]{6}[0-9]{3}$/);
	return r.json;
}

const link = (client, code, firstName, lastName, birthDate) =>
    client.post(`/api/campaigns/${code}/link`,
	{ firstName, lastName, birthDate });

async function learnerRow(sch, lastName, firstName) {
	const r = await sch.admin.get(`${sch.base}/learners?status=all&` +
	    `search=${encodeURIComponent(`${lastName} ${firstName}`)}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.learners.length, 1, r.text);
	return r.json.learners[0];
}

describe('a student and a campaign code', () => {
	let stack;
	let sch;
	let first;
	let alan;

	before(async () => {
		stack = await startStack({ name: 'student' });
		sch = await school(stack);
		first = await campaign(sch, { name: 'Rentrée numérique',
		    landingText: 'Bienvenue !\nMerci de participer.' });
	});
	after(async () => { await stack?.stop(); });

	test('the landing is public and tells only the school, the campaign ' +
	    'and its texts; a wrong or archived code is not found', async () => {
		const anon = stack.client();
		const r = await anon.get(`/api/campaigns/${first.code}`);
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json, { code: first.code,
		    name: 'Rentrée numérique', type: 'PROFILES_COLLECTION',
		    landingText: 'Bienvenue !\nMerci de participer.',
		    externalIdLabel: null,
		    organization: { name: 'Collège Ada Lovelace' } });
		const lower = await anon.get(
		    `/api/campaigns/${first.code.toLowerCase()}`);
		assert.equal(lower.status, 200);
		for (const bad of ['ZZZZZZ999', 'ABC', 'ABCDEF1234']) {
			const w = await anon.get(`/api/campaigns/${bad}`);
			assert.equal(w.status, 404, bad);
			assert.equal(w.json.error.code, 'CAMPAIGN_NOT_FOUND');
			assert.match(w.json.error.message, /code de campagne/);
		}
		const old = await campaign(sch, { name: 'Ancienne' });
		const a = await sch.admin.post(`${sch.base}/campaigns/${old.id}/archive`);
		assert.equal(a.status, 200, a.text);
		assert.equal((await anon.get(`/api/campaigns/${old.code}`)).status,
		    404);
		const me = await anon.get(`/api/campaigns/${first.code}/me`);
		assert.equal(me.status, 401);
		const post = await anon.post(`/api/campaigns/${first.code}/link`,
		    { firstName: 'Alan', lastName: 'Turing',
			birthDate: '23/06/2012' });
		assert.equal(post.status, 401);
	});

	test('a GAR student sees the names prefilled, links with the birth ' +
	    'date, joins, sends the profile; the school sees "Profil reçu"',
	    async () => {
		alan = await garStudent(stack, 'Alan', 'Turing');
		let me = await alan.client.get(`/api/campaigns/${first.code}/me`);
		assert.equal(me.status, 200, me.text);
		assert.deepEqual(me.json, { linked: false, learnerGone: false,
		    participation: null,
		    prefill: { firstName: 'Alan', lastName: 'Turing' } });
		const early = await alan.client.post(
		    `/api/campaigns/${first.code}/join`, {});
		assert.equal(early.status, 403);
		assert.equal(early.json.error.code, 'NOT_LINKED');
		const noCsrf = await alan.client.post(
		    `/api/campaigns/${first.code}/link`, { firstName: 'Alan',
			lastName: 'Turing', birthDate: '23/06/2012' },
		    { csrf: false });
		assert.equal(noCsrf.status, 403);
		const form = await link(alan.client, first.code, ' ', 'Turing',
		    '31/02/2012');
		assert.equal(form.status, 422);
		assert.deepEqual(form.json.errors.map((e) => [e.field, e.code]),
		    [['firstName', 'FIELD_REQUIRED'], ['birthDate', 'FIELD_INVALID']]);
		const ok = await link(alan.client, first.code, 'alan', 'TURING',
		    '23/6/2012');
		assert.equal(ok.status, 200, ok.text);
		me = await alan.client.get(`/api/campaigns/${first.code}/me`);
		assert.equal(me.json.linked, true);
		assert.equal(me.json.participation, null);

		const j = await alan.client.post(`/api/campaigns/${first.code}/join`,
		    {});
		assert.equal(j.status, 201, j.text);
		const p = j.json.participation;
		assert.equal(p.status, 'TO_SHARE');
		assert.equal(p.sharedAt, null);
		assert.equal(p.profile.competences.length, 16);
		assert.deepEqual(p.profile.competences[0], { code: '1.1',
		    name: "Mener une recherche et une veille d'information",
		    area: 'Information et données', level: 0, pixScore: 0 });
		assert.ok(p.profile.competences.every((c) => c.level === 0));
		const again = await alan.client.post(
		    `/api/campaigns/${first.code}/join`, {});
		assert.equal(again.status, 200);
		assert.equal(again.json.participation.id, p.id);

		const parts = `${sch.base}/campaigns/${first.id}/participants`;
		let seen = await sch.admin.get(parts);
		assert.equal(seen.status, 200, seen.text);
		assert.deepEqual(seen.json.participants.map((x) =>
		    [x.lastName, x.firstName, x.class, x.status]),
		    [['TURING', 'Alan', '6A', 'TO_SHARE']]);

		const s = await alan.client.post(`/api/campaigns/${first.code}/share`,
		    {});
		assert.equal(s.status, 200, s.text);
		assert.equal(s.json.participation.status, 'SHARED');
		assert.ok(s.json.participation.sharedAt);
		const twice = await alan.client.post(
		    `/api/campaigns/${first.code}/share`, {});
		assert.equal(twice.status, 409);
		assert.equal(twice.json.error.code, 'ALREADY_SHARED');
		seen = await sch.admin.get(parts);
		assert.equal(seen.json.participants[0].status, 'SHARED');
		assert.ok(seen.json.participants[0].sharedAt);

		const row = await learnerRow(sch, 'Turing', 'Alan');
		assert.equal(row.linked, true);
		assert.equal(row.loginMethod, 'GAR');
		const other = await learnerRow(sch, 'Hopper', 'Grace');
		assert.equal(other.loginMethod, null);
	});

	test('a second campaign of the school links the student with no form',
	    async () => {
		const second = await campaign(sch, { name: 'Deuxième',
		    externalIdLabel: "Numéro d'élève" });
		const me = await alan.client.get(`/api/campaigns/${second.code}/me`);
		assert.equal(me.json.linked, true);
		const missing = await alan.client.post(
		    `/api/campaigns/${second.code}/join`, {});
		assert.equal(missing.status, 422);
		assert.equal(missing.json.error.field, 'externalId');
		assert.match(missing.json.error.message, /Numéro d'élève/);
		const j = await alan.client.post(`/api/campaigns/${second.code}/join`,
		    { externalId: ' A-42 ' });
		assert.equal(j.status, 201, j.text);
		assert.equal(j.json.participation.externalId, 'A-42');
	});

	test('names match despite accents, hyphens, apostrophes, usage names, ' +
	    'second given names and small typos; twins are told apart',
	    async () => {
		const cases = [
			['Jean Pierre', 'Darc', '14/07/2012', "D'ARC"],
			['Ada', 'King', '10/12/2011', 'LOVELACE'],
			['Eva', 'Lamar', '09/11/2011', 'LAMARR'],
			['Anne', 'Dupont', '05/03/2012', 'DUPONT', 'Anne'],
			['Marie', 'Dupont', '05/03/2012', 'DUPONT', 'Marie'],
		];
		for (const [fn, ln, date, want, wantFirst] of cases) {
			const st = await emailStudent(stack, fn, ln, 'eleve');
			const r = await link(st.client, first.code, fn, ln, date);
			assert.equal(r.status, 200, `${fn} ${ln}: ${r.text}`);
			const [l] = await stack.sql('SELECT last_name, first_name ' +
			    'FROM learners WHERE user_id = $1', [st.id]);
			assert.equal(l.last_name, want);
			if (wantFirst)
				assert.equal(l.first_name, wantFirst);
		}
		const row = await learnerRow(sch, 'Lovelace', 'Ada');
		assert.equal(row.loginMethod, 'EMAIL');
	});

	test('each refusal has its own code and message', async () => {
		// the learner already has another account: say how it logs in
		const intruder = await emailStudent(stack, 'Alan', 'Turing', 'x');
		let r = await link(intruder.client, first.code, 'Alan', 'Turing',
		    '23/06/2012');
		assert.equal(r.status, 409, r.text);
		assert.equal(r.json.error.code, 'LEARNER_ALREADY_LINKED');
		assert.match(r.json.error.message, /via le GAR/);
		r = await link(intruder.client, first.code, 'Ada', 'Lovelace',
		    '10/12/2011');
		assert.equal(r.json.error.code, 'LEARNER_ALREADY_LINKED');
		assert.match(r.json.error.message,
		    /avec l'adresse e-mail e\*\*\*@a\*\*\*\.fr/);

		// this account is already linked to another learner
		r = await link(alan.client, first.code, 'Grace', 'Hopper',
		    '09/12/2011');
		assert.equal(r.status, 409);
		assert.equal(r.json.error.code, 'ACCOUNT_ALREADY_LINKED');

		// no match: reveals nothing
		const nobody = await emailStudent(stack, 'Marie', 'Curie', 'mc');
		for (const [fn, ln, date] of [['Marie', 'Curie', '08/11/2011'],
		    ['Mary', 'Kurie', '07/11/2011'], ['Pierre', 'Curie',
			'07/11/2011']]) {
			r = await link(nobody.client, first.code, fn, ln, date);
			assert.equal(r.status, 422, r.text);
			assert.equal(r.json.error.code, 'NO_MATCH');
			assert.match(r.json.error.message, /Vérifiez votre prénom/);
		}
		r = await link(nobody.client, first.code, 'Marie', 'Sklodowska',
		    '07/11/2011');
		assert.equal(r.status, 200, r.text);

		// too many attempts: 10 failures in an hour, then even the right
		// answer is refused
		const guesser = await emailStudent(stack, 'Margaret', 'Hamilton',
		    'mh');
		for (let day = 1; day <= 10; day++) {
			r = await link(guesser.client, first.code, 'Margaret',
			    'Hamilton', `${day}/01/2011`);
			assert.equal(r.json.error.code, 'NO_MATCH', `attempt ${day}`);
		}
		assert.match(r.json.error.message, /Il vous reste|Vérifiez/);
		r = await link(guesser.client, first.code, 'Margaret', 'Hamilton',
		    '17/08/2011');
		assert.equal(r.status, 429, r.text);
		assert.equal(r.json.error.code, 'TOO_MANY_ATTEMPTS');
		const [n] = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'link_attempts WHERE user_id = $1 AND NOT succeeded',
		    [guesser.id]);
		assert.equal(n.n, 10);
		const [free] = await stack.sql('SELECT user_id FROM learners ' +
		    "WHERE organization_id = $1 AND last_name = 'HAMILTON'",
		    [sch.orgId]);
		assert.equal(free.user_id, null);
	});

	test('a learner no longer in the school cannot be linked, nor join',
	    async () => {
		const paul = await garStudent(stack, 'Paul', 'Parti');
		const gone = STUDENTS.filter((s) => s[1] !== 'PARTI' &&
		    s[1] !== 'HOPPER');
		const grace = await emailStudent(stack, 'Grace', 'Hopper', 'gh');
		assert.equal((await link(grace.client, first.code, 'Grace',
		    'Hopper', '09/12/2011')).status, 200);
		await importStudents(stack, sch.uai, gone);
		const r = await link(paul.client, first.code, 'Paul', 'Parti',
		    '01/01/2012');
		assert.equal(r.status, 422, r.text);
		assert.equal(r.json.error.code, 'NO_MATCH');
		const me = await grace.client.get(`/api/campaigns/${first.code}/me`);
		assert.equal(me.json.linked, false);
		assert.equal(me.json.learnerGone, true);
		const j = await grace.client.post(`/api/campaigns/${first.code}/join`,
		    {});
		assert.equal(j.status, 403);
		assert.equal(j.json.error.code, 'LEARNER_GONE');
		await importStudents(stack, sch.uai, STUDENTS);
	});

	test('an ADMIN unlinks a learner (a MEMBER may not); the student links ' +
	    'again', async () => {
		const row = await learnerRow(sch, 'Turing', 'Alan');
		const url = `${sch.base}/learners/${row.id}/unlink`;
		let r = await sch.member.post(url, {});
		assert.equal(r.status, 403);
		assert.equal(r.json.error.code, 'FORBIDDEN');
		const outsider = await emailStudent(stack, 'Eve', 'Dehors', 'eve');
		r = await outsider.client.post(url, {});
		assert.equal(r.status, 404);
		r = await sch.admin.post(url, {});
		assert.equal(r.status, 200, r.text);
		r = await sch.admin.post(url, {});
		assert.equal(r.status, 409);
		assert.equal(r.json.error.code, 'LEARNER_NOT_LINKED');
		r = await sch.admin.post(`${sch.base}/learners/999999999/unlink`, {});
		assert.equal(r.status, 404);
		const after = await learnerRow(sch, 'Turing', 'Alan');
		assert.equal(after.linked, false);
		assert.equal(after.loginMethod, null);
		const me = await alan.client.get(`/api/campaigns/${first.code}/me`);
		assert.equal(me.json.linked, false);
		assert.equal(me.json.participation.status, 'SHARED');
		r = await link(alan.client, first.code, 'Alan', 'Turing',
		    '23/06/2012');
		assert.equal(r.status, 200, r.text);
	});
});
