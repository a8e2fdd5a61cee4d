// activation.test.mjs - steps 1 and 2 of the activation guide over HTTP:
// the invitation e-mail received on a real SMTP listener, its link, the
// account, the CGU, the school's space; with a new and an existing
// account, and the links that no longer work.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { PASSWORD, acceptInvitation, acceptTerms, createSchool,
    fieldErrors, invite, signUp, uniqueEmail } from '../lib/orga.mjs';

const FOOTER = 'service public en ligne pour évaluer, développer et ' +
    'certifier ses compétences numériques';
const NOREPLY = 'Ceci est un e-mail automatique, merci de ne pas y répondre';

function invitationUrl({ invitationId, code }) {
	return `/api/invitations/${invitationId}?code=${encodeURIComponent(code)}`;
}

describe('activation of a school', () => {
	let stack;
	before(async () => { stack = await startStack({ name: 'activation' }); });
	after(async () => { await stack?.stop(); });

	test('the invitation e-mail is in French, text and HTML, with the ' +
	    'school, the button, the footer and a /rejoindre link', async () => {
		const s = await createSchool(stack, { uai: '0123456a',
		    name: 'Lycée Pix', email: 'ce.0123456A@ac-exemple.fr' });
		const m = s.mail;
		assert.deepEqual(m.envelope.rcptTos, ['ce.0123456a@ac-exemple.fr']);
		assert.match(m.subject, /à rejoindre Orga/);
		assert.match(m.from, /^Orga <ne-pas-repondre@orga\.invalid>$/);
		assert.ok(m.headers.get('message-id'), 'no Message-ID');
		assert.ok(m.headers.get('date'), 'no Date');
		assert.match(m.contentType, /^multipart\/alternative/i);
		assert.ok(m.text, 'no text/plain part');
		assert.ok(m.html, 'no text/html part');
		for (const [name, body] of [['text', m.text], ['html', m.html]]) {
			assert.match(body, /Vous êtes invité\(e\) à rejoindre Orga/,
			    `${name} part`);
			assert.ok(body.includes('Lycée Pix'), `${name}: school name`);
			assert.match(body, /accepter l(&#39;|'|&apos;)invitation/i,
			    `${name}: call to action`);
			assert.ok(body.includes(FOOTER), `${name}: footer`);
			assert.ok(body.includes(NOREPLY), `${name}: no-reply line`);
		}
		assert.match(m.html, /<html[^>]*lang="fr"/);
		const want = `${stack.httpUrl}/rejoindre?invitationId=` +
		    `${s.invitationId}&code=${s.code}`;
		assert.equal(s.link, want);
		const button = new RegExp(`<a [^>]*href="${want.replace(/&/g,
		    '&amp;').replace(/[.?]/g, '\\$&')}"[^>]*>\\s*Accepter ` +
		    'l(&#39;|\'|&apos;)invitation\\s*</a>');
		assert.match(m.html, button,
		    'no "Accepter l\'invitation" button carrying the link');
		// The text part shows the link on a line of its own.
		assert.ok(m.text.split(/\r?\n/).includes(want),
		    'the text part does not show the link alone on a line');
		assert.match(s.code, /^[A-Za-z0-9]{10,}$/);
		assert.ok(!/[0O1lI]/.test(s.code), `ambiguous characters: ${s.code}`);
		const rows = await stack.sql('SELECT id, organization_id, status ' +
		    'FROM invitations WHERE id = $1', [s.invitationId]);
		assert.equal(rows.length, 1);
		assert.equal(String(rows[0].organization_id), s.orgId);
	});

	test('only a hash of the invitation code is stored, and the sent ' +
	    'mail\'s link is forgotten', async () => {
		const s = await createSchool(stack, { name: 'Lycée Secret' });
		const inv = await stack.sql('SELECT * FROM invitations WHERE id = $1',
		    [s.invitationId]);
		assert.ok(!JSON.stringify(inv).includes(s.code),
		    'the code is stored in clear');
		assert.equal(inv[0].code_hash,
		    createHash('sha256').update(s.code).digest('hex'));
		const out = await stack.sql('SELECT status, params, sent_at FROM ' +
		    'outbox WHERE recipient = $1', [s.email.toLowerCase()]);
		assert.equal(out.length, 1);
		assert.equal(out[0].status, 'sent');
		assert.ok(out[0].sent_at);
		assert.ok(!JSON.stringify(out[0].params ?? null).includes(s.code),
		    'outbox still holds the link after sending');
	});

	test('the HTML part escapes the school name', async () => {
		const s = await createSchool(stack, {
		    name: 'Lycée <b>Pix</b> & "Co"' });
		assert.ok(s.mail.text.includes('Lycée <b>Pix</b> & "Co"'));
		assert.ok(s.mail.html.includes('Lycée &lt;b&gt;Pix&lt;/b&gt; &amp; ' +
		    '&quot;Co&quot;'), 'name not escaped in the HTML part');
		assert.ok(!s.mail.html.includes('<b>Pix</b>'));
	});

	test('a new person follows the link, creates an account, accepts the ' +
	    'CGU and reaches the school as ADMIN', async () => {
		const s = await createSchool(stack, { name: 'Lycée Nouveau' });
		const c = stack.client();

		// The page of the link, then what it asks the API.
		const page = await c.get(s.path);
		assert.equal(page.status, 200);
		assert.match(page.headers.get('content-type') || '', /text\/html/);
		const info = await c.get(invitationUrl(s));
		assert.equal(info.status, 200, info.text);
		assert.equal(String(info.json.id), s.invitationId);
		assert.equal(info.json.status, 'pending');
		assert.equal(info.json.role, 'ADMIN');
		assert.equal(info.json.kind, 'ACTIVATION');
		assert.equal(info.json.organization.name, 'Lycée Nouveau');
		assert.equal(String(info.json.organization.id), s.orgId);

		const wrong = await c.get(invitationUrl({ ...s, code: 'ABCDEFGHJK' }));
		assert.equal(wrong.status, 404);
		assert.equal(wrong.json?.error?.code, 'INVITATION_NOT_FOUND');
		assert.ok(!wrong.text.includes('Lycée Nouveau'));
		const unknown = await c.get(invitationUrl({ invitationId: '999999',
		    code: s.code }));
		assert.equal(unknown.status, 404);

		const me0 = await c.get('/api/me');
		assert.equal(me0.status, 401);

		const email = uniqueEmail('directrice');
		const acc = await signUp(c, { firstName: 'Anne', lastName: 'Proviseur',
		    email });
		assert.equal(acc.user.email, email);
		assert.equal(acc.user.firstName, 'Anne');
		assert.ok(!('password' in acc.user) && !('passwordHash' in acc.user));
		const [u] = await stack.sql('SELECT password_hash FROM users WHERE ' +
		    'email = $1', [email]);
		assert.match(u.password_hash, /^\$argon2id\$/);

		const me1 = await c.get('/api/me');
		assert.equal(me1.status, 200, me1.text);
		assert.equal(me1.json.user.email, email);
		assert.equal(me1.json.mustAcceptTerms, true);
		assert.deepEqual(me1.json.memberships, []);
		assert.ok(me1.json.csrfToken);

		const early = await acceptInvitation(c, s);
		assert.equal(early.status, 403, early.text);
		assert.equal(early.json?.error?.code, 'TERMS_NOT_ACCEPTED');

		const terms = await c.get('/api/terms');
		assert.equal(terms.status, 200);
		assert.ok(Number.isInteger(terms.json.version));
		assert.ok(terms.json.body.length > 50, 'CGU body is empty');
		const stale = await c.post('/api/terms/accept',
		    { version: terms.json.version + 1 });
		assert.equal(stale.status, 409, stale.text);
		assert.equal(stale.json?.error?.code, 'TERMS_OUTDATED');
		await acceptTerms(c);
		const acc2 = await stack.sql('SELECT version, accepted_at FROM ' +
		    'terms_acceptances WHERE user_id = $1', [acc.user.id]);
		assert.equal(acc2.length, 1);
		assert.equal(acc2[0].version, terms.json.version);
		const me2 = await c.get('/api/me');
		assert.equal(me2.json.mustAcceptTerms, false);

		const ok = await acceptInvitation(c, s);
		assert.equal(ok.status, 200, ok.text);
		assert.equal(String(ok.json.organizationId), s.orgId);
		assert.equal(ok.json.role, 'ADMIN');
		assert.equal(ok.json.alreadyMember, false);

		const me3 = await c.get('/api/me');
		assert.deepEqual(me3.json.memberships.map((x) => ({
		    id: String(x.organization.id), name: x.organization.name,
		    uai: x.organization.uai, role: x.role })),
		    [{ id: s.orgId, name: 'Lycée Nouveau', uai: s.uai,
		    role: 'ADMIN' }]);
		const org = await c.get(`/api/organizations/${s.orgId}`);
		assert.equal(org.status, 200, org.text);
		assert.equal(org.json.name, 'Lycée Nouveau');
		assert.equal(org.json.uai, s.uai);
		assert.equal(org.json.type, 'SCO');
		assert.equal(org.json.role, 'ADMIN');
		const members = await c.get(`/api/organizations/${s.orgId}/members`);
		assert.equal(members.status, 200, members.text);
		assert.deepEqual(members.json.members.map((x) => [x.firstName,
		    x.lastName, x.role]), [['Anne', 'Proviseur', 'ADMIN']]);
		const pending = await c.get(
		    `/api/organizations/${s.orgId}/invitations`);
		assert.equal(pending.status, 200, pending.text);
		assert.deepEqual(pending.json.invitations, []);
		const [inv] = await stack.sql('SELECT status, accepted_by FROM ' +
		    'invitations WHERE id = $1', [s.invitationId]);
		assert.equal(inv.status, 'accepted');
		assert.equal(String(inv.accepted_by), String(acc.user.id));

		// The same link again: a clear answer, not an error page.
		const again = await c.get(invitationUrl(s));
		assert.equal(again.status, 200, again.text);
		assert.equal(again.json.status, 'accepted');
		// Someone else holding the accepted link cannot use it.
		const late = stack.client();
		await signUp(late, { email: uniqueEmail('retard') });
		await acceptTerms(late);
		const twice = await acceptInvitation(late, s);
		assert.equal(twice.status, 409, twice.text);
		assert.equal(twice.json?.error?.code, 'INVITATION_ACCEPTED');
		assert.ok(twice.json.error.message, 'no French message');
		assert.equal((await late.get(`/api/organizations/${s.orgId}`)).status,
		    404);
		// The person who accepted it, clicking again, changes nothing and
		// is told so (already a member, or already accepted).
		const again2 = await acceptInvitation(c, s);
		if (again2.status === 200) {
			assert.equal(again2.json.alreadyMember, true, again2.text);
			assert.equal(again2.json.role, 'ADMIN');
		} else {
			assert.equal(again2.status, 409, again2.text);
			assert.equal(again2.json?.error?.code, 'INVITATION_ACCEPTED');
		}
		const ms = await stack.sql('SELECT user_id, role FROM memberships ' +
		    'WHERE organization_id = $1', [s.orgId]);
		assert.deepEqual(ms.map((x) => [String(x.user_id), x.role]),
		    [[String(acc.user.id), 'ADMIN']]);
	});

	test('account creation refuses a weak password, a bad or taken e-mail ' +
	    'and missing fields, each on its field', async () => {
		const c = stack.client();
		const email = uniqueEmail('pris');
		for (const weak of ['court1A', 'toutminuscule1', 'TOUTMAJUSCULE1',
		    'SansChiffre']) {
			const r = await c.post('/api/users', { firstName: 'A',
			    lastName: 'B', email, password: weak });
			assert.equal(r.status, 422, `${weak}: ${r.status} ${r.text}`);
			const errs = fieldErrors(r.json);
			const e = errs.find((x) => x.field === 'password');
			assert.ok(e, `${weak}: no error on password: ${r.text}`);
			assert.equal(e.code, 'PASSWORD_WEAK');
			assert.match(e.message, /8 caractères/);
		}
		const bad = await c.post('/api/users', { firstName: 'A', lastName: 'B',
		    email: 'pas-une-adresse', password: PASSWORD });
		assert.equal(bad.status, 422);
		assert.deepEqual(fieldErrors(bad.json).map((e) => [e.field, e.code]),
		    [['email', 'EMAIL_INVALID']]);
		const missing = await c.post('/api/users', { firstName: '',
		    lastName: 'B', email: uniqueEmail('vide'), password: PASSWORD });
		assert.equal(missing.status, 422);
		assert.deepEqual(fieldErrors(missing.json).map((e) => [e.field,
		    e.code]), [['firstName', 'FIELD_REQUIRED']]);
		const several = await c.post('/api/users', { firstName: '',
		    lastName: '', email: 'x', password: 'x' });
		assert.equal(several.status, 422);
		assert.deepEqual(fieldErrors(several.json).map((e) => e.field).sort(),
		    ['email', 'firstName', 'lastName', 'password']);
		const n0 = await stack.sql('SELECT count(*)::int AS n FROM users');

		await signUp(stack.client(), { email });
		const taken = await stack.client().post('/api/users', {
		    firstName: 'Autre', lastName: 'Personne',
		    email: email.toUpperCase(), password: PASSWORD });
		assert.equal(taken.status, 422, taken.text);
		assert.deepEqual(fieldErrors(taken.json).map((e) => [e.field, e.code]),
		    [['email', 'EMAIL_TAKEN']]);
		const n1 = await stack.sql('SELECT count(*)::int AS n FROM users');
		assert.equal(n1[0].n, n0[0].n + 1);
	});

	test('a person with an account logs in from the link and accepts',
	    async () => {
		const email = uniqueEmail('existant');
		const first = stack.client();
		await signUp(first, { firstName: 'Paul', lastName: 'Ancien', email });
		await acceptTerms(first);
		const out = await first.delete('/api/session');
		assert.ok(out.status >= 200 && out.status < 300, out.text);
		assert.equal((await first.get('/api/me')).status, 401);

		const s = await createSchool(stack, { name: 'Lycée Existant' });
		const c = stack.client();
		const bad = await c.login(email, 'Mauvais1pass');
		assert.equal(bad.status, 401);
		assert.equal(bad.json?.error?.code, 'LOGIN_FAILED');
		assert.equal((await c.get('/api/me')).status, 401);
		const login = await c.login(email.toUpperCase(), PASSWORD);
		assert.equal(login.status, 200, login.text);
		const me = await c.get('/api/me');
		assert.equal(me.json.user.firstName, 'Paul');
		assert.equal(me.json.mustAcceptTerms, false);
		const ok = await acceptInvitation(c, s);
		assert.equal(ok.status, 200, ok.text);
		assert.equal(ok.json.role, 'ADMIN');
		assert.equal(ok.json.alreadyMember, false);
		const org = await c.get(`/api/organizations/${s.orgId}`);
		assert.equal(org.status, 200);
		assert.equal(org.json.role, 'ADMIN');
	});

	test('the second person to join becomes MEMBER; an invitation for a ' +
	    'member changes nothing and says so', async () => {
		const s = await createSchool(stack, { name: 'Lycée Équipe' });
		const adminEmail = uniqueEmail('admin');
		const profEmail = uniqueEmail('prof');
		// Invited before the school has any member, to accept later.
		const adminInv = await invite(stack, { uai: s.uai, email: adminEmail,
		    role: 'MEMBER' });
		const profInv = await invite(stack, { uai: s.uai, email: profEmail,
		    role: 'MEMBER' });

		const admin = stack.client();
		await signUp(admin, { email: adminEmail });
		await acceptTerms(admin);
		const a1 = await acceptInvitation(admin, s);
		assert.equal(a1.status, 200, a1.text);
		assert.equal(a1.json.role, 'ADMIN');
		const a2 = await acceptInvitation(admin, adminInv);
		assert.equal(a2.status, 200, a2.text);
		assert.equal(a2.json.alreadyMember, true);
		assert.equal(a2.json.role, 'ADMIN', 'the ADMIN was demoted');
		const rows = await stack.sql('SELECT role FROM memberships WHERE ' +
		    'organization_id = $1', [s.orgId]);
		assert.deepEqual(rows, [{ role: 'ADMIN' }]);

		const prof = stack.client();
		await signUp(prof, { email: profEmail, firstName: 'Luc',
		    lastName: 'Prof' });
		await acceptTerms(prof);
		const p = await acceptInvitation(prof, profInv);
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.role, 'MEMBER');
		const org = await prof.get(`/api/organizations/${s.orgId}`);
		assert.equal(org.json.role, 'MEMBER');
		const members = await admin.get(`/api/organizations/${s.orgId}/members`);
		assert.equal(members.json.members.length, 2);
		const show = await stack.orgactl('org', 'show', '--uai', s.uai);
		assert.equal(show.code, 0, show.stderr);
		assert.match(show.stdout, /Membres \(2\)/);
		assert.match(show.stdout, new RegExp(`ADMIN .*<${adminEmail}>`));
		assert.match(show.stdout, new RegExp(`MEMBER .*Luc Prof <${profEmail}>`));
		assert.doesNotMatch(show.stdout,
		    new RegExp(`${profEmail}\\s+en attente`),
		    'the accepted invitation is still listed as pending');
	});

	test('a personal invitation is refused to another account',
	    async () => {
		const s = await createSchool(stack, { name: 'Lycée Personnel' });
		const inv = await invite(stack, { uai: s.uai,
		    email: uniqueEmail('invitee'), role: 'MEMBER' });
		const other = stack.client();
		await signUp(other, { email: uniqueEmail('intrus') });
		await acceptTerms(other);
		const r = await acceptInvitation(other, inv);
		assert.equal(r.status, 403, r.text);
		assert.equal(r.json?.error?.code, 'INVITATION_OTHER_EMAIL');
		const m = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'memberships WHERE organization_id = $1', [s.orgId]);
		assert.equal(m[0].n, 0);
	});

	test('a cancelled invitation\'s link says so and cannot be accepted',
	    async () => {
		const s = await createSchool(stack, { name: 'Lycée Annulé' });
		await stack.sql('UPDATE invitations SET status = \'cancelled\' ' +
		    'WHERE id = $1', [s.invitationId]);
		const c = stack.client();
		const info = await c.get(invitationUrl(s));
		assert.equal(info.status, 200, info.text);
		assert.equal(info.json.status, 'cancelled');
		await signUp(c);
		await acceptTerms(c);
		const r = await acceptInvitation(c, s);
		assert.equal(r.status, 409, r.text);
		assert.equal(r.json?.error?.code, 'INVITATION_CANCELLED');
		assert.ok(r.json.error.message);
		const m = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'memberships WHERE organization_id = $1', [s.orgId]);
		assert.equal(m[0].n, 0);
	});

	test('an outsider gets 404 on a school\'s pages', async () => {
		const s = await createSchool(stack, { name: 'Lycée Privé' });
		const owner = stack.client();
		await signUp(owner);
		await acceptTerms(owner);
		assert.equal((await acceptInvitation(owner, s)).status, 200);

		const outsider = stack.client();
		await signUp(outsider, { email: uniqueEmail('dehors') });
		await acceptTerms(outsider);
		for (const p of ['', '/members', '/invitations']) {
			const r = await outsider.get(`/api/organizations/${s.orgId}${p}`);
			assert.equal(r.status, 404, `${p}: ${r.status} ${r.text}`);
			assert.ok(!r.text.includes('Lycée Privé'));
		}
		const none = await outsider.get('/api/organizations/987654321');
		assert.equal(none.status, 404);
		const anon = await stack.client().get(`/api/organizations/${s.orgId}`);
		assert.ok([401, 404].includes(anon.status), `anonymous: ${anon.status}`);
		assert.ok(!anon.text.includes('Lycée Privé'));
	});

	test('publishing new CGU makes a user accept again', async () => {
		const c = stack.client();
		await signUp(c);
		const t1 = await acceptTerms(c);
		assert.equal((await c.get('/api/me')).json.mustAcceptTerms, false);
		const file = `${stack.varDir}/cgu-v-next.txt`;
		fs.writeFileSync(file, 'Nouvelles conditions générales ' +
		    'd\'utilisation d\'Orga, article unique.\n');
		const r = await stack.orgactl('cgu', 'publish', file);
		assert.equal(r.code, 0, r.stderr);
		const me = await c.get('/api/me');
		assert.equal(me.json.mustAcceptTerms, true);
		const old = await c.post('/api/terms/accept', { version: t1.version });
		assert.equal(old.status, 409);
		assert.equal(old.json?.error?.code, 'TERMS_OUTDATED');
		const t2 = await acceptTerms(c);
		assert.ok(t2.version > t1.version);
		assert.match(t2.body, /Nouvelles conditions/);
		assert.equal((await c.get('/api/me')).json.mustAcceptTerms, false);
		const rows = await stack.sql('SELECT version FROM terms_acceptances ' +
		    'WHERE user_id = $1 ORDER BY version', [me.json.user.id]);
		assert.deepEqual(rows.map((x) => x.version), [t1.version, t2.version]);
	});
});
