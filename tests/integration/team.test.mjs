// team.test.mjs - step 4 of the activation guide over HTTP: an ADMIN
// invites several addresses at once (mails on a real SMTP listener), the
// invited people join with a new or an existing account; re-sending and
// cancelling; roles; the last ADMIN protected on the server (also against
// concurrent requests); a MEMBER's and an outsider's refused calls; a
// removed member's session refused at once; a forwarded link refused; the
// audit log, over HTTP and with orgactl.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { PASSWORD, acceptInvitation, acceptTerms, linkParams,
    schoolWithAdmin, signUp, uniqueEmail } from '../lib/orga.mjs';

// school(stack) creates a school whose référent (a new account) is ADMIN.
async function school(stack, name) {
	const sch = await schoolWithAdmin(stack, { name });
	assert.equal(sch.accepted.json.role, 'ADMIN');
	return sch;
}

// inviteVia posts the invite form as `client` and returns the response.
function inviteVia(client, sch, emails, role) {
	return client.post(`${sch.base}/invitations`,
	    role === undefined ? { emails } : { emails, role });
}

// lastMail waits for the count-th mail to `to` and returns its link parts.
async function lastMail(stack, to, count = 1) {
	const mails = await stack.smtp.waitForMail({ to, count });
	const mail = mails[mails.length - 1];
	assert.ok(mail.link, `no link in the mail to ${to}`);
	return { mail, ...linkParams(mail.link) };
}

// join invites a new person with role through the API and has them create
// an account and accept. Returns {client, id, email}.
async function join(stack, sch, role, firstName, lastName) {
	const email = uniqueEmail(firstName.normalize('NFD')
	    .replace(/[^a-z]/gi, '').toLowerCase());
	const r = await inviteVia(sch.admin, sch, email, role);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.results[0].status, 'INVITED');
	const link = await lastMail(stack, email);
	const client = stack.client();
	const acc = await signUp(client, { firstName, lastName, email });
	await acceptTerms(client);
	const ok = await acceptInvitation(client, link);
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.role, role);
	return { client, id: acc.user.id, email };
}

function patch(client, path, body) {
	return client.request('PATCH', path, body);
}

async function audit(client, sch) {
	const r = await client.get(`${sch.base}/audit`);
	assert.equal(r.status, 200, r.text);
	return r.json.entries;
}

describe('the school\'s team', () => {
	let stack;
	before(async () => { stack = await startStack({ name: 'team' }); });
	after(async () => { await stack?.stop(); });

	test('an ADMIN invites several addresses at once: the wrong one is ' +
	    'named, the member is told, the others get the mail and join with ' +
	    'a new and an existing account', async () => {
		const sch = await school(stack, 'Lycée Équipe');
		const member = await join(stack, sch, 'MEMBER', 'Marc', 'Membre');

		// Someone who already has an account (in no school yet).
		const existing = stack.client();
		const ex = await signUp(existing, { firstName: 'Éric',
		    lastName: 'Existant', email: uniqueEmail('eric') });
		await acceptTerms(existing);
		await existing.delete('/api/session');

		const fresh = uniqueEmail('nouvelle');
		const sentBefore = (await stack.sql('SELECT count(*)::int AS n ' +
		    'FROM outbox WHERE recipient = $1', [member.email]))[0].n;
		const r = await inviteVia(sch.admin, sch,
		    `  ${fresh.toUpperCase()},pas-une-adresse\n` +
		    `${member.email}; ${ex.email}\n\n${fresh}  `, 'MEMBER');
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.results.map((x) => [x.email, x.status]), [
			[fresh, 'INVITED'],
			['pas-une-adresse', 'EMAIL_INVALID'],
			[member.email, 'ALREADY_MEMBER'],
			[ex.email, 'INVITED'],
		]);
		assert.match(r.json.results[1].message,
		    /« pas-une-adresse » n'est pas une adresse e-mail valide/);
		assert.match(r.json.results[2].message, /déjà membre/);
		assert.ok(r.json.results[0].invitationId > 0);

		// The mails: one each to the two new addresses, none to the
		// member, in French with the school's name.
		const a = await lastMail(stack, fresh);
		const b = await lastMail(stack, ex.email);
		for (const m of [a.mail, b.mail]) {
			assert.match(m.subject, /à rejoindre Orga/);
			assert.ok(m.text.includes('Lycée Équipe'));
		}
		assert.equal(String(a.invitationId),
		    String(r.json.results[0].invitationId));
		const sentAfter = (await stack.sql('SELECT count(*)::int AS n ' +
		    'FROM outbox WHERE recipient = $1', [member.email]))[0].n;
		assert.equal(sentAfter, sentBefore, 'a member was mailed');

		// The pending list shows both, with their dates.
		const pending = await sch.admin.get(`${sch.base}/invitations`);
		assert.deepEqual(pending.json.invitations.map((x) => x.email).sort(),
		    [fresh, ex.email].sort());
		for (const inv of pending.json.invitations) {
			assert.equal(inv.role, 'MEMBER');
			assert.match(inv.createdAt, /^\d{4}-\d\d-\d\dT/);
		}
		const info = await stack.client().get(`/api/invitations/` +
		    `${a.invitationId}?code=${encodeURIComponent(a.code)}`);
		assert.equal(info.json.kind, 'MEMBER');
		assert.equal(info.json.email, fresh);

		// A new account with the invited address.
		const nc = stack.client();
		const na = await signUp(nc, { firstName: 'Nina', lastName: 'Nouvelle',
		    email: fresh });
		await acceptTerms(nc);
		const j1 = await acceptInvitation(nc, a);
		assert.equal(j1.status, 200, j1.text);
		assert.equal(j1.json.role, 'MEMBER');
		assert.equal(j1.json.alreadyMember, false);

		// The existing account logs in and joins.
		const login = await existing.login(ex.email, PASSWORD);
		assert.equal(login.status, 200, login.text);
		const j2 = await acceptInvitation(existing, b);
		assert.equal(j2.status, 200, j2.text);
		assert.equal(j2.json.role, 'MEMBER');

		const members = await sch.admin.get(`${sch.base}/members`);
		assert.deepEqual(members.json.members.map((x) =>
		    [x.lastName, x.firstName, x.role]), [
			['Existant', 'Éric', 'MEMBER'],
			['Membre', 'Marc', 'MEMBER'],
			['Nouvelle', 'Nina', 'MEMBER'],
			['Proviseur', 'Anne', 'ADMIN'],
		]);
		const after = await sch.admin.get(`${sch.base}/invitations`);
		assert.deepEqual(after.json.invitations, []);
		const me = await nc.get('/api/me');
		assert.deepEqual(me.json.memberships.map((m) =>
		    [String(m.organization.id), m.role]), [[sch.orgId, 'MEMBER']]);

		// The audit log, newest first: who did what, to whom.
		const log = await audit(sch.admin, sch);
		const mine = log.filter((e) => [fresh, ex.email]
		    .includes(e.target.email));
		assert.deepEqual(mine.map((e) => [e.action, e.target.email]), [
			['joined', ex.email], ['joined', fresh],
			['invited', ex.email], ['invited', fresh],
		]);
		const invited = mine.find((e) => e.action === 'invited');
		assert.equal(invited.actor.userId, sch.adminId);
		assert.equal(invited.actor.lastName, 'Proviseur');
		assert.equal(invited.newRole, 'MEMBER');
		assert.equal(invited.target.userId, undefined);
		const joined = mine.find((e) => e.action === 'joined' &&
		    e.target.email === fresh);
		assert.equal(joined.actor.userId, na.user.id);
		assert.equal(joined.target.firstName, 'Nina');
		assert.equal(joined.newRole, 'MEMBER');
		assert.ok(!log.some((e) => e.action === 'invited' &&
		    e.target.email === 'pas-une-adresse'));
		assert.ok(log.some((e) => e.action === 'joined' &&
		    e.target.userId === sch.adminId && e.newRole === 'ADMIN'),
		    'the référent\'s arrival is in the log');
	});

	test('the form is checked: no address, a wrong role, too many ' +
	    'addresses', async () => {
		const sch = await school(stack, 'Collège Formulaire');
		const empty = await inviteVia(sch.admin, sch, ' ,\n ');
		assert.equal(empty.status, 422, empty.text);
		assert.equal(empty.json.error.code, 'FIELD_REQUIRED');
		assert.equal(empty.json.error.field, 'emails');
		const none = await sch.admin.post(`${sch.base}/invitations`, {});
		assert.equal(none.status, 422);
		const role = await inviteVia(sch.admin, sch, 'a@b.fr', 'CHEF');
		assert.equal(role.status, 422, role.text);
		assert.equal(role.json.error.code, 'ROLE_INVALID');
		assert.equal(role.json.error.field, 'role');
		const many = Array.from({ length: 51 }, (_, i) => `p${i}@x.fr`);
		const big = await inviteVia(sch.admin, sch, many.join(' '));
		assert.equal(big.status, 422, big.text);
		assert.equal(big.json.error.code, 'TOO_MANY_EMAILS');
		const rows = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'invitations WHERE organization_id = $1 AND kind = $2',
		    [sch.orgId, 'MEMBER']);
		assert.equal(rows[0].n, 0, 'a refused form sent invitations');
		// Without a role: MEMBER.
		const ok = await inviteVia(sch.admin, sch, uniqueEmail('defaut'));
		assert.equal(ok.status, 200, ok.text);
		const [inv] = (await sch.admin.get(`${sch.base}/invitations`))
		    .json.invitations.filter((x) => x.email.startsWith('defaut'));
		assert.equal(inv.role, 'MEMBER');
	});

	test('re-sending issues a new code on the same invitation; ' +
	    'cancelling makes the link useless', async () => {
		const sch = await school(stack, 'Lycée Renvoi');
		const email = uniqueEmail('prof');
		const first = await inviteVia(sch.admin, sch, email, 'ADMIN');
		const id = first.json.results[0].invitationId;
		const l1 = await lastMail(stack, email, 1);
		// Deliberately let time pass: the re-sent date must differ from
		// the creation date, which the API gives to the second.
		await sleep(1100);

		const re = await sch.admin.post(
		    `${sch.base}/invitations/${id}/resend`);
		assert.equal(re.status, 200, re.text);
		assert.equal(re.json.invitation.id, id);
		assert.equal(re.json.invitation.role, 'ADMIN');
		assert.ok(re.json.invitation.updatedAt > re.json.invitation.createdAt,
		    'the sending date did not move');
		const l2 = await lastMail(stack, email, 2);
		assert.equal(l2.invitationId, l1.invitationId);
		assert.notEqual(l2.code, l1.code);
		const old = await stack.client().get(`/api/invitations/${id}` +
		    `?code=${encodeURIComponent(l1.code)}`);
		assert.equal(old.status, 404, 'the first link still works');

		// Inviting the same address again re-sends too.
		const again = await inviteVia(sch.admin, sch, email, 'MEMBER');
		assert.equal(again.json.results[0].status, 'RESENT');
		assert.equal(again.json.results[0].invitationId, id);
		const l3 = await lastMail(stack, email, 3);
		const pending = await sch.admin.get(`${sch.base}/invitations`);
		const inv = pending.json.invitations.find((x) => x.id === id);
		assert.equal(inv.role, 'MEMBER', 'the new role is kept');

		const cancel = await sch.admin.delete(`${sch.base}/invitations/${id}`);
		assert.equal(cancel.status, 200, cancel.text);
		assert.equal(cancel.json.status, 'cancelled');
		const info = await stack.client().get(`/api/invitations/${id}` +
		    `?code=${encodeURIComponent(l3.code)}`);
		assert.equal(info.json.status, 'cancelled');
		const c = stack.client();
		await signUp(c, { email });
		await acceptTerms(c);
		const late = await acceptInvitation(c, l3);
		assert.equal(late.status, 409, late.text);
		assert.equal(late.json.error.code, 'INVITATION_CANCELLED');
		const twice = await sch.admin.post(
		    `${sch.base}/invitations/${id}/cancel`);
		assert.equal(twice.status, 409);
		assert.equal(twice.json.error.code, 'INVITATION_CANCELLED');
		const reCancelled = await sch.admin.post(
		    `${sch.base}/invitations/${id}/resend`);
		assert.equal(reCancelled.status, 409);
		const missing = await sch.admin.post(
		    `${sch.base}/invitations/999999/resend`);
		assert.equal(missing.status, 404);
		assert.equal(missing.json.error.code, 'INVITATION_NOT_FOUND');

		// Another school's invitation is not found through this one.
		const other = await school(stack, 'Lycée Voisin');
		const foreign = await other.admin.post(
		    `${other.base}/invitations/${id}/cancel`);
		assert.equal(foreign.status, 404);

		// POST .../cancel works as DELETE; the address can be invited anew.
		const fresh = await inviteVia(sch.admin, sch, email);
		assert.equal(fresh.json.results[0].status, 'INVITED');
		assert.notEqual(fresh.json.results[0].invitationId, id);
		const viaPost = await sch.admin.post(`${sch.base}/invitations/` +
		    `${fresh.json.results[0].invitationId}/cancel`);
		assert.equal(viaPost.status, 200, viaPost.text);

		const log = await audit(sch.admin, sch);
		assert.deepEqual(log.filter((e) => e.target.email === email)
		    .map((e) => e.action), ['invitation_cancelled', 'invited',
		    'invitation_cancelled', 'invitation_resent',
		    'invitation_resent', 'invited']);
		assert.ok(log.every((e) => e.actor === null ||
		    e.actor.userId === sch.adminId || e.action === 'joined'));
	});

	test('roles change; the last ADMIN can be neither demoted, removed ' +
	    'nor leave', async () => {
		const sch = await school(stack, 'Lycée Dernier');
		const self = `${sch.base}/members/${sch.adminId}`;
		const d = await patch(sch.admin, self, { role: 'MEMBER' });
		assert.equal(d.status, 409, d.text);
		assert.equal(d.json.error.code, 'LAST_ADMIN');
		assert.match(d.json.error.message, /dernier administrateur/);
		const rm = await sch.admin.delete(self);
		assert.equal(rm.status, 409, rm.text);
		assert.equal(rm.json.error.code, 'LAST_ADMIN');
		const leave = await sch.admin.post(`${sch.base}/leave`);
		assert.equal(leave.status, 409, leave.text);
		assert.equal(leave.json.error.code, 'LAST_ADMIN');
		assert.match(leave.json.error.message, /nommez d'abord un autre/);

		// A second ADMIN, then the first steps down.
		const b = await join(stack, sch, 'MEMBER', 'Bruno', 'Second');
		const up = await patch(sch.admin, `${sch.base}/members/${b.id}`,
		    { role: 'ADMIN' });
		assert.equal(up.status, 200, up.text);
		assert.deepEqual([up.json.role, up.json.previousRole,
		    up.json.changed], ['ADMIN', 'MEMBER', true]);
		const same = await sch.admin.post(`${sch.base}/members/${b.id}`,
		    { role: 'admin' });
		assert.equal(same.status, 200, same.text);
		assert.equal(same.json.changed, false);
		const down = await patch(sch.admin, self, { role: 'MEMBER' });
		assert.equal(down.status, 200, down.text);
		const org = await sch.admin.get(sch.base);
		assert.equal(org.json.role, 'MEMBER');

		// Now Bruno is the last ADMIN.
		const bl = await b.client.post(`${sch.base}/leave`);
		assert.equal(bl.status, 409);
		const bd = await patch(b.client, `${sch.base}/members/${b.id}`,
		    { role: 'MEMBER' });
		assert.equal(bd.status, 409);
		const bad = await patch(b.client, `${sch.base}/members/${b.id}`,
		    { role: 'ROI' });
		assert.equal(bad.status, 422);
		const nobody = await patch(b.client, `${sch.base}/members/999999`,
		    { role: 'ADMIN' });
		assert.equal(nobody.status, 404);
		assert.equal(nobody.json.error.code, 'MEMBER_NOT_FOUND');

		// Two ADMINs demoting each other at the same time: the school
		// keeps one (row locks on the server, not a check in the page).
		const back = await patch(b.client, self, { role: 'ADMIN' });
		assert.equal(back.status, 200, back.text);
		for (let round = 0; round < 5; round++) {
			const [x, y] = await Promise.all([
			    patch(sch.admin, `${sch.base}/members/${b.id}`,
				{ role: 'MEMBER' }),
			    patch(b.client, self, { role: 'MEMBER' })]);
			// The loser is refused either before the change (403: no
			// longer an ADMIN) or under the lock (403 or 409).
			const statuses = [x.status, y.status].sort();
			assert.ok(statuses[0] === 200 && [403, 409]
			    .includes(statuses[1]),
			    `round ${round}: ${x.text} / ${y.text}`);
			const admins = await stack.sql('SELECT count(*)::int AS n ' +
			    "FROM memberships WHERE organization_id = $1 AND " +
			    "role = 'ADMIN'", [sch.orgId]);
			assert.equal(admins[0].n, 1);
			const winner = x.status === 200 ? sch.admin : b.client;
			const loser = x.status === 200 ? b.id : sch.adminId;
			const r = await patch(winner, `${sch.base}/members/${loser}`,
			    { role: 'ADMIN' });
			assert.equal(r.status, 200, r.text);
		}
		// Both leaving at once: one stays.
		const [l1, l2] = await Promise.all([
		    sch.admin.post(`${sch.base}/leave`),
		    b.client.post(`${sch.base}/leave`)]);
		assert.deepEqual([l1.status, l2.status].sort(), [200, 409]);
		const left = await stack.sql('SELECT role FROM memberships WHERE ' +
		    'organization_id = $1', [sch.orgId]);
		assert.deepEqual(left.map((x) => x.role), ['ADMIN']);

		const log = await audit(l1.status === 200 ? b.client : sch.admin,
		    sch);
		const leftEntry = log.find((e) => e.action === 'left');
		assert.ok(leftEntry, 'no "left" entry');
		assert.equal(leftEntry.actor.userId, leftEntry.target.userId);
		assert.equal(leftEntry.oldRole, 'ADMIN');
		const changed = log.filter((e) => e.action === 'role_changed');
		assert.equal(changed.length, 3 + 10);
		assert.ok(changed.every((e) => e.oldRole !== e.newRole));
	});

	test('a MEMBER sees the team but every change is refused with 403; ' +
	    'an outsider gets 404; no CSRF token, 403; no session, 401',
	    async () => {
		const sch = await school(stack, 'Collège Droits');
		const m = await join(stack, sch, 'MEMBER', 'Mia', 'Membre');
		await inviteVia(sch.admin, sch, uniqueEmail('attente'));
		const invId = (await sch.admin.get(`${sch.base}/invitations`))
		    .json.invitations[0].id;

		assert.equal((await m.client.get(`${sch.base}/members`)).status, 200);
		assert.equal((await m.client.get(`${sch.base}/invitations`)).status,
		    200);
		const calls = (c) => [
		    c.post(`${sch.base}/invitations`, { emails: 'x@y.fr' }),
		    c.post(`${sch.base}/invitations/${invId}/resend`),
		    c.post(`${sch.base}/invitations/${invId}/cancel`),
		    c.delete(`${sch.base}/invitations/${invId}`),
		    patch(c, `${sch.base}/members/${sch.adminId}`,
			{ role: 'MEMBER' }),
		    patch(c, `${sch.base}/members/${m.id}`, { role: 'ADMIN' }),
		    c.delete(`${sch.base}/members/${sch.adminId}`),
		    c.get(`${sch.base}/audit`),
		];
		for (const r of await Promise.all(calls(m.client))) {
			assert.equal(r.status, 403, r.text);
			assert.equal(r.json.error.code, 'FORBIDDEN');
			assert.match(r.json.error.message, /administrateurs/);
		}
		const outsider = stack.client();
		await signUp(outsider);
		await acceptTerms(outsider);
		for (const r of await Promise.all([...calls(outsider),
		    outsider.post(`${sch.base}/leave`)])) {
			assert.equal(r.status, 404, r.text);
			assert.equal(r.json.error.code, 'ORGANIZATION_NOT_FOUND');
		}
		const noCsrf = await sch.admin.post(`${sch.base}/invitations`,
		    { emails: uniqueEmail('csrf') }, { csrf: false });
		assert.equal(noCsrf.status, 403);
		assert.equal(noCsrf.json.error.code, 'CSRF_INVALID');
		const anon = await stack.client().post(`${sch.base}/invitations`,
		    { emails: 'x@y.fr' });
		assert.equal(anon.status, 401);
		const form = await sch.admin.post(`${sch.base}/invitations`,
		    'emails=x@y.fr', { raw: true, headers:
		    { 'Content-Type': 'application/x-www-form-urlencoded' } });
		assert.equal(form.status, 415);
		// Nothing changed.
		const after = await sch.admin.get(`${sch.base}/members`);
		assert.deepEqual(after.json.members.map((x) => x.role).sort(),
		    ['ADMIN', 'MEMBER']);
		const [inv] = await stack.sql('SELECT status FROM invitations ' +
		    'WHERE id = $1', [invId]);
		assert.equal(inv.status, 'pending');
		// A MEMBER may leave.
		const leave = await m.client.post(`${sch.base}/leave`);
		assert.equal(leave.status, 200, leave.text);
		assert.equal((await m.client.get(sch.base)).status, 404);
	});

	test('a removed member is refused at once with the same session, and ' +
	    'can be invited again', async () => {
		const sch = await school(stack, 'Lycée Retrait');
		const r = await join(stack, sch, 'ADMIN', 'Rémi', 'Retiré');
		assert.equal((await r.client.get(`${sch.base}/members`)).status, 200);
		const rm = await sch.admin.delete(`${sch.base}/members/${r.id}`);
		assert.equal(rm.status, 200, rm.text);
		for (const p of [sch.base, `${sch.base}/members`,
		    `${sch.base}/invitations`, `${sch.base}/audit`]) {
			const x = await r.client.get(p);
			assert.equal(x.status, 404, `${p}: ${x.text}`);
			assert.equal(x.json.error.code, 'ORGANIZATION_NOT_FOUND');
		}
		const inv = await inviteVia(r.client, sch, 'x@y.fr');
		assert.equal(inv.status, 404);
		const me = await r.client.get('/api/me');
		assert.equal(me.status, 200, 'the account itself stays');
		assert.deepEqual(me.json.memberships, []);
		const gone = await sch.admin.delete(`${sch.base}/members/${r.id}`);
		assert.equal(gone.status, 404);
		assert.equal(gone.json.error.code, 'MEMBER_NOT_FOUND');

		const again = await inviteVia(sch.admin, sch, r.email, 'MEMBER');
		assert.equal(again.json.results[0].status, 'INVITED');
		const l = await lastMail(stack, r.email, 2);
		const ok = await acceptInvitation(r.client, l);
		assert.equal(ok.status, 200, ok.text);
		assert.equal(ok.json.role, 'MEMBER');
		assert.equal((await r.client.get(sch.base)).status, 200);

		const log = await audit(sch.admin, sch);
		const removed = log.find((e) => e.action === 'removed');
		assert.equal(removed.actor.userId, sch.adminId);
		assert.equal(removed.target.userId, r.id);
		assert.equal(removed.target.email, r.email);
		assert.equal(removed.oldRole, 'ADMIN');
		assert.equal(removed.newRole, null);
	});

	test('a forwarded member invitation is refused for another account',
	    async () => {
		const sch = await school(stack, 'Lycée Transfert');
		const email = uniqueEmail('destinataire');
		await inviteVia(sch.admin, sch, email);
		const link = await lastMail(stack, email);
		const other = stack.client();
		await signUp(other, { email: uniqueEmail('collegue') });
		await acceptTerms(other);
		const r = await acceptInvitation(other, link);
		assert.equal(r.status, 403, r.text);
		assert.equal(r.json.error.code, 'INVITATION_OTHER_EMAIL');
		assert.equal((await other.get(sch.base)).status, 404);
		const [inv] = await stack.sql('SELECT status FROM invitations ' +
		    'WHERE id = $1', [link.invitationId]);
		assert.equal(inv.status, 'pending');
		// The invited person still can.
		const right = stack.client();
		await signUp(right, { email });
		await acceptTerms(right);
		assert.equal((await acceptInvitation(right, link)).status, 200);
	});

	test('the audit log pages with ?before and ?limit; operators read it ' +
	    'with orgactl audit; orgactl org show lists members and pending ' +
	    'invitations', async () => {
		const sch = await school(stack, 'Lycée Journal');
		const p = await join(stack, sch, 'MEMBER', 'Paul', 'Prof');
		const pending = uniqueEmail('attente');
		await inviteVia(sch.admin, sch, pending, 'ADMIN');
		await patch(sch.admin, `${sch.base}/members/${p.id}`,
		    { role: 'ADMIN' });
		await sch.admin.delete(`${sch.base}/members/${p.id}`);

		const all = await audit(sch.admin, sch);
		// The oldest: the operator's activation invitation (orgactl).
		assert.deepEqual(all.map((e) => e.action), ['removed',
		    'role_changed', 'invited', 'joined', 'invited', 'joined',
		    'invited']);
		assert.equal(all[all.length - 1].actor, null);
		const page = await sch.admin.get(`${sch.base}/audit?limit=2`);
		assert.deepEqual(page.json.entries.map((e) => e.id),
		    all.slice(0, 2).map((e) => e.id));
		const next = await sch.admin.get(`${sch.base}/audit?limit=2&` +
		    `before=${page.json.entries[1].id}`);
		assert.deepEqual(next.json.entries.map((e) => e.id),
		    all.slice(2, 4).map((e) => e.id));
		const bad = await sch.admin.get(`${sch.base}/audit?limit=abc`);
		assert.equal(bad.status, 422);

		const out = await stack.orgactl('audit', '--uai', sch.uai.toLowerCase());
		assert.equal(out.code, 0, out.stderr);
		const lines = out.stdout.trim().split('\n');
		assert.match(lines[0], new RegExp(`Lycée Journal \\(UAI ${sch.uai}\\)`));
		assert.match(lines[1], /^\d\d\/\d\d\/\d{4} \d\d:\d\d.*Anne Proviseur <.*> a retiré Paul Prof <.*> de l'équipe \(ADMIN\)$/);
		assert.match(lines[2], /a changé le rôle de Paul Prof <.*> : MEMBER -> ADMIN$/);
		assert.match(lines[3], new RegExp(`a invité ${pending} \\(ADMIN\\)$`));
		assert.match(lines[4], /Paul Prof <.*> a rejoint l'établissement \(MEMBER\)$/);
		assert.match(lines[lines.length - 2], /Un opérateur a invité .* \(ADMIN\)$/);
		assert.match(lines[lines.length - 1], /^7 événements, du plus récent/);
		const limited = await stack.orgactl('audit', '--uai', sch.uai,
		    '--limit', '1');
		assert.equal(limited.stdout.trim().split('\n').length, 3);
		const badLimit = await stack.orgactl('audit', '--uai', sch.uai,
		    '--limit', '0');
		assert.equal(badLimit.code, 1);
		const missing = await stack.orgactl('audit', '--uai', '9999999Z');
		assert.equal(missing.code, 1);
		assert.match(missing.stderr, /Aucun établissement/);
		const usage = await stack.orgactl('audit');
		assert.equal(usage.code, 2);
		const help = await stack.orgactl('--help');
		assert.match(help.stdout, /orgactl audit --uai UAI/);

		const show = await stack.orgactl('org', 'show', '--uai', sch.uai);
		assert.equal(show.code, 0, show.stderr);
		assert.match(show.stdout, /Membres \(1\) :\n\s+ADMIN\s+Anne Proviseur/);
		assert.match(show.stdout, new RegExp(`Invitations \\(1\\) :\\n.*ADMIN\\s+${pending}\\s+en attente`));
		assert.doesNotMatch(show.stdout, /Paul Prof/);
	});
});
