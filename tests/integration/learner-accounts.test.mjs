// learner-accounts.test.mjs - accounts a school's ADMIN makes for students
// without e-mail nor GAR (issue 13), on the real stack: identifiers for a
// class with one-time passwords shown once (JSON and CSV, checked field by
// field, BOM included), only hashes stored, the same request again making
// no second account, a slip's login forcing a new password (the one-time
// one then refused), a reset, the block after failures and its unblocking
// by an ADMIN of the learner's school only, the login-method filter, the
// audit log, and the refusals (MEMBER, another school, a foreign learner:
// nothing made).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { acceptInvitation, acceptTerms, linkParams, schoolWithAdmin,
    signUp, uniqueEmail } from '../lib/orga.mjs';
import { adminSchool, gen, importCtl } from '../tools/siecle.mjs';

const IDENTIFIER = /^[a-z0-9]+\.[a-z0-9]+[0-9]{4}([0-9]{4})?$/;
const ONE_TIME = /^[ABCDEFGHJKMNPQRSTUVWXYZ]{6}[2-9]{2}$/;
const NEW_PASSWORD = 'Nouveau2024';

// csvRows splits the CSV (BOM, CRLF) into arrays of fields (no field of
// these tests holds a quote or a ";").
function csvRows(csv) {
	assert.ok(csv.startsWith('\ufeff'), 'the CSV starts with a BOM');
	const lines = csv.slice(1).split('\r\n');
	assert.equal(lines.pop(), '', 'the CSV ends with CRLF');
	return lines.map((l) => l.split(';'));
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

describe('accounts by identifier for students without e-mail', () => {
	let stack;
	let sch;
	let classes;
	let accounts;
	let member;

	before(async () => {
		stack = await startStack({ name: 'learner-accounts' });
		sch = await adminSchool(stack, { name: 'Collège Sans ENT' });
		const g = await gen('accounts.xml', { students: 60, uai: sch.uai,
		    seed: 13, classes: 3 });
		const r = await importCtl(stack, sch, g.file);
		assert.equal(r.code, 0, r.stderr);
		const list = await sch.admin.get(`${sch.base}/learners?pageSize=200`);
		classes = list.json.classes;
		assert.ok(classes.length >= 2, list.text);
		// A MEMBER of the school.
		const email = uniqueEmail('prof');
		const inv = await sch.admin.post(`${sch.base}/invitations`,
		    { emails: email, role: 'MEMBER' });
		assert.equal(inv.status, 200, inv.text);
		const mails = await stack.smtp.waitForMail({ to: email });
		member = stack.client();
		await signUp(member, { firstName: 'Paul', lastName: 'Prof', email });
		await acceptTerms(member);
		assert.equal((await acceptInvitation(member,
		    linkParams(mails[mails.length - 1].link))).status, 200);
	});
	after(async () => { await stack?.stop(); });

	test('an ADMIN generates identifiers for a class: shown once as JSON ' +
	    'and CSV, sorted by name, only hashes stored, audited', async () => {
		const cls = classes[0];
		const inClass = await sch.admin.get(`${sch.base}/learners?` +
		    `class=${encodeURIComponent(cls)}&pageSize=200`);
		const r = await sch.admin.post(`${sch.base}/learners/accounts`,
		    { class: cls });
		assert.equal(r.status, 200, r.text);
		assert.match(r.headers.get('cache-control'), /no-store/);
		accounts = r.json.accounts;
		assert.equal(accounts.length, inClass.json.total);
		assert.equal(r.json.created, accounts.length);
		assert.equal(r.json.reset, 0);
		assert.deepEqual(r.json.skipped, []);
		assert.equal(r.json.organization.name, 'Collège Sans ENT');
		assert.equal(r.json.loginUrl, `${stack.httpUrl}/connexion`);
		assert.match(r.json.csvFilename,
		    /^identifiants-\d{4}-\d{2}-\d{2}-\d{2}h\d{2}\.csv$/);
		const byLearner = new Map(inClass.json.learners.map((l) => [l.id, l]));
		for (const a of accounts) {
			assert.match(a.identifier, IDENTIFIER);
			assert.match(a.password, ONE_TIME);
			assert.equal(a.class, cls);
			assert.equal(a.created, true);
			const l = byLearner.get(a.learnerId);
			assert.ok(l, `learner ${a.learnerId} is of the class`);
			assert.equal(a.lastName, l.lastName);
			const day = l.birthDate.slice(0, 2) + l.birthDate.slice(3, 5);
			assert.ok(a.identifier.includes(day),
			    `${a.identifier} holds ${day}`);
		}
		assert.equal(new Set(accounts.map((a) => a.identifier)).size,
		    accounts.length, 'identifiers are unique');
		for (let i = 1; i < accounts.length; i++) {
			assert.ok(collator.compare(accounts[i - 1].lastName,
			    accounts[i].lastName) <= 0, 'sorted by name');
		}
		// The CSV, field by field.
		const rows = csvRows(r.json.csv);
		assert.deepEqual(rows[0], ['Classe', 'Nom', 'Prénom', 'Identifiant',
		    'Mot de passe temporaire']);
		assert.deepEqual(rows.slice(1), accounts.map((a) => [a.class,
		    a.lastName, a.firstName, a.identifier, a.password]));
		// Only cheap argon2id hashes, never the password.
		const users = await stack.sql('SELECT u.login, u.password_hash, ' +
		    'u.must_change_password, u.email FROM users u JOIN learners l ' +
		    'ON l.user_id = u.id WHERE l.organization_id = $1', [sch.orgId]);
		assert.equal(users.length, accounts.length);
		const dump = JSON.stringify(await stack.sql('SELECT * FROM users'));
		for (const a of accounts)
			assert.ok(!dump.includes(a.password), 'no password stored');
		for (const u of users) {
			assert.match(u.password_hash, /^\$argon2id\$v=19\$m=1024,t=1,/);
			assert.equal(u.must_change_password, true);
			assert.equal(u.email, null);
		}
		const audit = await stack.sql("SELECT count(*)::int AS n FROM " +
		    "audit_log WHERE organization_id = $1 AND action = " +
		    "'learner_account_created' AND actor_user_id = $2 AND " +
		    'learner_id IS NOT NULL', [sch.orgId, sch.adminId]);
		assert.equal(audit[0].n, accounts.length);
		const list = await sch.admin.get(`${sch.base}/learners?` +
		    `class=${encodeURIComponent(cls)}&pageSize=200`);
		for (const l of list.json.learners) {
			assert.equal(l.loginMethod, 'IDENTIFIER');
			assert.match(l.identifier, IDENTIFIER);
			assert.equal(l.blocked, false);
		}
	});

	test('the same request again makes no second account: new passwords',
	    async () => {
		const before = await stack.sql('SELECT count(*)::int AS n FROM users');
		const r = await sch.admin.post(`${sch.base}/learners/accounts`,
		    { class: classes[0] });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.created, 0);
		assert.equal(r.json.reset, accounts.length);
		const after = await stack.sql('SELECT count(*)::int AS n FROM users');
		assert.equal(after[0].n, before[0].n);
		assert.deepEqual(r.json.accounts.map((a) => a.identifier),
		    accounts.map((a) => a.identifier));
		for (const [i, a] of r.json.accounts.entries())
			assert.notEqual(a.password, accounts[i].password);
		const old = await stack.client().post('/api/session',
		    { login: accounts[0].identifier, password: accounts[0].password });
		assert.equal(old.status, 401);
		accounts = r.json.accounts;
	});

	test('a student logs in with a slip, must choose a password first; ' +
	    'the one-time password then stops working', async () => {
		const a = accounts[0];
		const student = stack.client();
		const r = await student.post('/api/session',
		    { login: ` ${a.identifier.toUpperCase()} `, password: a.password });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.user.mustChangePassword, true);
		assert.equal(r.json.user.login, a.identifier);
		assert.equal(r.json.user.email, '');
		const me = await student.get('/api/me');
		assert.equal(me.status, 200);
		assert.equal(me.json.user.mustChangePassword, true);
		for (const p of ['/api/me/tokens', '/api/campaigns/ABCDEF123/me']) {
			const w = await student.get(p);
			assert.equal(w.status, 403, p);
			assert.equal(w.json.error.code, 'PASSWORD_CHANGE_REQUIRED');
		}
		const weak = await student.post('/api/me/password',
		    { password: 'abcdefgh' });
		assert.equal(weak.status, 422);
		assert.equal(weak.json.error.code, 'PASSWORD_WEAK');
		const ok = await student.post('/api/me/password',
		    { password: NEW_PASSWORD });
		assert.equal(ok.status, 200, ok.text);
		const me2 = await student.get('/api/me');
		assert.equal(me2.json.user.mustChangePassword, false);
		assert.equal((await student.get('/api/me/tokens')).status, 200);
		const again = await stack.client().post('/api/session',
		    { login: a.identifier, password: a.password });
		assert.equal(again.status, 401);
		assert.equal(again.json.error.code, 'LOGIN_FAILED');
		const fresh = await stack.client().post('/api/session',
		    { email: a.identifier, password: NEW_PASSWORD });
		assert.equal(fresh.status, 200, fresh.text);
		assert.equal(fresh.json.user.mustChangePassword, false);
		// Changing it again needs the current one.
		const none = await student.post('/api/me/password',
		    { password: 'Encore2024x' });
		assert.equal(none.status, 422);
		assert.equal(none.json.error.field, 'currentPassword');
	});

	test('"Réinitialiser le mot de passe" gives one student a new one-time ' +
	    'password and ends their sessions', async () => {
		const a = accounts[0];
		const student = stack.client();
		assert.equal((await student.post('/api/session',
		    { login: a.identifier, password: NEW_PASSWORD })).status, 200);
		const r = await sch.admin.post(
		    `${sch.base}/learners/${a.learnerId}/password-reset`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.accounts.length, 1);
		const n = r.json.accounts[0];
		assert.equal(n.identifier, a.identifier);
		assert.equal(n.created, false);
		assert.match(n.password, ONE_TIME);
		assert.equal(rowsOf(r.json.csv).length, 2);
		assert.equal((await student.get('/api/me')).status, 401);
		assert.equal((await stack.client().post('/api/session',
		    { login: a.identifier, password: NEW_PASSWORD })).status, 401);
		const s = await stack.client().post('/api/session',
		    { login: a.identifier, password: n.password });
		assert.equal(s.status, 200);
		assert.equal(s.json.user.mustChangePassword, true);
		const audit = await stack.sql("SELECT count(*)::int AS n FROM " +
		    "audit_log WHERE action = 'learner_password_reset' AND " +
		    'learner_id = $1', [a.learnerId]);
		assert.ok(audit[0].n >= 2);
		accounts[0] = n;
		// An e-mail or unlinked learner has no identifier to reset.
		const other = await sch.admin.get(`${sch.base}/learners?` +
		    `class=${encodeURIComponent(classes[1])}&pageSize=1`);
		const w = await sch.admin.post(`${sch.base}/learners/` +
		    `${other.json.learners[0].id}/password-reset`);
		assert.equal(w.status, 409, w.text);
		assert.equal(w.json.error.code, 'LEARNER_NOT_IDENTIFIER');
	});

	test('too many failures block the account (the message says to ask ' +
	    'the teacher); only an ADMIN of the school unblocks it', async () => {
		const a = accounts[1];
		for (let i = 0; i < 10; i++) {
			const f = await stack.client().post('/api/session',
			    { login: a.identifier, password: 'Mauvais123' });
			assert.equal(f.status, 401, `failure ${i + 1}`);
		}
		let b = await stack.client().post('/api/session',
		    { login: a.identifier, password: a.password });
		assert.equal(b.status, 429);
		assert.equal(b.json.error.code, 'LOGIN_BLOCKED');
		assert.match(b.json.error.message, /enseignant/);
		// The 50th failure blocks until someone unblocks it.
		await stack.sql('UPDATE users SET failed_logins = 49, ' +
		    'blocked_until = NULL WHERE login = $1', [a.identifier]);
		await stack.client().post('/api/session',
		    { login: a.identifier, password: 'Mauvais123' });
		const [u] = await stack.sql("SELECT blocked_until = 'infinity' AS " +
		    'forever FROM users WHERE login = $1', [a.identifier]);
		assert.equal(u.forever, true);
		const row = await sch.admin.get(`${sch.base}/learners?` +
		    'loginMethod=IDENTIFIER&pageSize=200');
		assert.equal(row.json.learners.find((l) => l.id === a.learnerId)
		    .blocked, true);
		const byMember = await member.post(
		    `${sch.base}/learners/${a.learnerId}/unblock`);
		assert.equal(byMember.status, 403);
		const other = await schoolWithAdmin(stack, { name: 'Autre collège' });
		const byOther = await other.admin.post(
		    `${sch.base}/learners/${a.learnerId}/unblock`);
		assert.equal(byOther.status, 404);
		const foreign = await other.admin.post(
		    `${other.base}/learners/${a.learnerId}/unblock`);
		assert.equal(foreign.status, 404);
		assert.equal(foreign.json.error.code, 'LEARNER_NOT_FOUND');
		b = await stack.client().post('/api/session',
		    { login: a.identifier, password: a.password });
		assert.equal(b.status, 429, 'still blocked');
		const ok = await sch.admin.post(
		    `${sch.base}/learners/${a.learnerId}/unblock`);
		assert.equal(ok.status, 200, ok.text);
		b = await stack.client().post('/api/session',
		    { login: a.identifier, password: a.password });
		assert.equal(b.status, 200, b.text);
		const audit = await stack.sql("SELECT actor_user_id FROM audit_log " +
		    "WHERE action = 'learner_unblocked' AND learner_id = $1",
		    [a.learnerId]);
		assert.deepEqual(audit.map((x) => Number(x.actor_user_id)),
		    [Number(sch.adminId)]);
		const entries = await sch.admin.get(`${sch.base}/audit?limit=5`);
		assert.equal(entries.status, 200, entries.text);
		assert.equal(entries.json.entries[0].action, 'learner_unblocked');
		assert.ok(!entries.text.includes(a.password));
	});

	test('only ADMINs of the school generate; a selection naming another ' +
	    "school's learner makes nothing", async () => {
		const byMember = await member.post(`${sch.base}/learners/accounts`,
		    { all: true });
		assert.equal(byMember.status, 403);
		assert.equal(byMember.json.error.code, 'FORBIDDEN');
		const other = await schoolWithAdmin(stack, { name: 'Troisième' });
		const byOther = await other.admin.post(
		    `${sch.base}/learners/accounts`, { all: true });
		assert.equal(byOther.status, 404);
		assert.equal(byOther.json.error.code, 'ORGANIZATION_NOT_FOUND');
		const reset = await other.admin.post(
		    `${sch.base}/learners/${accounts[0].learnerId}/password-reset`);
		assert.equal(reset.status, 404);
		const page = await sch.admin.get(`${sch.base}/learners?` +
		    `class=${encodeURIComponent(classes[1])}&pageSize=5`);
		const ids = page.json.learners.map((l) => l.id);
		const before = await stack.sql('SELECT count(*)::int AS n FROM users');
		const mixed = await sch.admin.post(`${sch.base}/learners/accounts`,
		    { learnerIds: [...ids, 999999999] });
		assert.equal(mixed.status, 404);
		assert.equal(mixed.json.error.code, 'LEARNER_NOT_FOUND');
		const after = await stack.sql('SELECT count(*)::int AS n FROM users');
		assert.equal(after[0].n, before[0].n, 'all or none');
		for (const bad of [{}, { all: false }, { class: '' },
		    { learnerIds: [] }, { learnerIds: ['x'] },
		    { all: true, class: classes[1] }]) {
			const w = await sch.admin.post(`${sch.base}/learners/accounts`,
			    bad);
			assert.equal(w.status, 422, JSON.stringify(bad));
		}
		const unknownClass = await sch.admin.post(
		    `${sch.base}/learners/accounts`, { class: 'ZZZ' });
		assert.equal(unknownClass.status, 422);
		assert.equal(unknownClass.json.error.code, 'SELECTION_EMPTY');
		// A page of ids works.
		const p = await sch.admin.post(`${sch.base}/learners/accounts`,
		    { learnerIds: ids });
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.created, ids.length);
	});

	test('the login-method filter: Identifiant, Adresse e-mail, GAR, ' +
	    'Aucune', async () => {
		const all = await sch.admin.get(`${sch.base}/learners?pageSize=200`);
		const count = (m) => all.json.learners
		    .filter((l) => (l.loginMethod ?? 'NONE') === m).length;
		for (const m of ['IDENTIFIER', 'NONE', 'EMAIL', 'GAR']) {
			const r = await sch.admin.get(`${sch.base}/learners?` +
			    `loginMethod=${m}&pageSize=200`);
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.total, count(m), m);
			for (const l of r.json.learners)
				assert.equal(l.loginMethod ?? 'NONE', m);
		}
		assert.ok(count('IDENTIFIER') > 0 && count('NONE') > 0);
		const bad = await sch.admin.get(`${sch.base}/learners?loginMethod=x`);
		assert.equal(bad.status, 400);
		assert.equal(bad.json.error.field, 'loginMethod');
	});
});

function rowsOf(csv) {
	return csvRows(csv);
}
