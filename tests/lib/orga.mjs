// orga.mjs - steps of the activation path that many tests share: create a
// school with orgactl and receive its invitation, create an account,
// accept the CGU. Each step asserts what a user would see go wrong.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';

export const PASSWORD = 'Motdepasse1';

// uniqueUai returns a valid UAI (7 digits + 1 letter) unlikely to repeat.
export function uniqueUai(lower = false) {
	const digits = String(randomInt(0, 10_000_000)).padStart(7, '0');
	const letter = 'ABCDEFGHJKLMNPRSTUVWXYZ'[randomInt(0, 23)];
	return digits + (lower ? letter.toLowerCase() : letter);
}

// uniqueEmail returns a fresh address such as prefix.3fa9c1@ac-exemple.fr.
export function uniqueEmail(prefix = 'user') {
	return `${prefix}.${randomBytes(4).toString('hex')}@ac-exemple.fr`;
}

// linkParams splits an invitation link into {path, invitationId, code}.
export function linkParams(link) {
	const u = new URL(link);
	return {
		url: u,
		path: u.pathname + u.search,
		invitationId: u.searchParams.get('invitationId'),
		code: u.searchParams.get('code'),
	};
}

function mustOk(r, what) {
	assert.equal(r.code, 0, `${what} failed (exit ${r.code}, signal ` +
	    `${r.signal}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

/*
 * createSchool(stack, {uai, name, email}) runs `orgactl org create` and
 * waits for the invitation mail on the stack's SMTP sink. Returns {uai,
 * name, email, orgId, out (orgactl result), mail, link, invitationId,
 * code}.
 */
export async function createSchool(stack, { uai = uniqueUai(),
    name = 'Lycée Pix', email } = {}) {
	email = email || `ce.${uai}@ac-exemple.fr`;
	const before = stack.smtp.mailsTo(email).length;
	const out = await stack.orgactl('org', 'create', '--uai', uai,
	    '--name', name, '--email', email);
	mustOk(out, `orgactl org create --uai ${uai}`);
	const rows = await stack.sql(
	    'SELECT id FROM organizations WHERE uai = $1', [uai.toUpperCase()]);
	assert.equal(rows.length, 1, `school ${uai} not in the database`);
	const mails = await stack.smtp.waitForMail({ to: email,
	    count: before + 1 });
	const mail = mails[mails.length - 1];
	assert.ok(mail.link, `no link in the invitation mail:\n${mail.text}`);
	return { uai: uai.toUpperCase(), name, email, orgId: String(rows[0].id),
	    out, mail, link: mail.link, ...linkParams(mail.link) };
}

/*
 * invite(stack, {uai, email, role}) runs `orgactl org invite` and waits
 * for the new mail. Returns {out, mail, link, invitationId, code}.
 */
export async function invite(stack, { uai, email, role }) {
	const before = stack.smtp.mailsTo(email).length;
	const args = ['org', 'invite', '--uai', uai, '--email', email];
	if (role)
		args.push('--role', role);
	const out = await stack.orgactl(...args);
	mustOk(out, `orgactl ${args.join(' ')}`);
	const mails = await stack.smtp.waitForMail({ to: email,
	    count: before + 1 });
	const mail = mails[mails.length - 1];
	assert.ok(mail.link, `no link in the invitation mail:\n${mail.text}`);
	return { out, mail, link: mail.link, ...linkParams(mail.link) };
}

/*
 * signUp(client, fields) creates an account (POST /api/users) and checks
 * the 201. Returns {user, email, password}.
 */
export async function signUp(client, { firstName = 'Camille',
    lastName = 'Martin', email = uniqueEmail('camille'),
    password = PASSWORD } = {}) {
	const r = await client.post('/api/users', { firstName, lastName, email,
	    password });
	assert.equal(r.status, 201, `POST /api/users: ${r.status} ${r.text}`);
	assert.ok(r.json && r.json.user, `no user in ${r.text}`);
	return { user: r.json.user, email, password, firstName, lastName };
}

// acceptTerms reads GET /api/terms and accepts that version.
export async function acceptTerms(client) {
	const t = await client.get('/api/terms');
	assert.equal(t.status, 200, `GET /api/terms: ${t.status} ${t.text}`);
	const r = await client.post('/api/terms/accept',
	    { version: t.json.version });
	assert.ok(r.status >= 200 && r.status < 300,
	    `POST /api/terms/accept: ${r.status} ${r.text}`);
	return t.json;
}

// acceptInvitation posts the code and returns the response.
export function acceptInvitation(client, { invitationId, code }) {
	return client.post(`/api/invitations/${invitationId}/accept`, { code });
}

/*
 * schoolWithAdmin(stack, {uai, name, lastName}) creates a school with
 * orgactl; its référent (a new account, Anne <lastName>) signs up, accepts
 * the CGU and the invitation (200 checked). Returns createSchool's fields
 * plus admin (session client), adminId, adminEmail, adminUser, accepted
 * (the answer to the acceptance) and base (/api/organizations/ID).
 */
export async function schoolWithAdmin(stack, { uai, name,
    lastName = 'Proviseur' } = {}) {
	const s = await createSchool(stack, { uai, name });
	const admin = stack.client();
	const acc = await signUp(admin, { firstName: 'Anne', lastName,
	    email: uniqueEmail('admin') });
	await acceptTerms(admin);
	const accepted = await acceptInvitation(admin, s);
	assert.equal(accepted.status, 200, accepted.text);
	return { ...s, admin, adminId: acc.user.id, adminEmail: acc.email,
	    adminUser: acc.user, accepted,
	    base: `/api/organizations/${s.orgId}` };
}

// errorCodes lists the {field, code} pairs of a 4xx form answer.
export function fieldErrors(json) {
	const list = (json && json.errors) ||
	    (json && json.error ? [json.error] : []);
	return list.map((e) => ({ field: e.field, code: e.code,
	    message: e.message }));
}
