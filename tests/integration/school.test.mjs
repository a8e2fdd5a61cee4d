// school.test.mjs - issue 14 over HTTP: one person in several schools
// (GET /api/me/organizations lists only their schools, the one used last
// first); invitations that forgive (20 forms pasted from mail clients;
// the invitation names its address and a sign-up with another one is
// refused before any account exists; non-ADMINs do not see the pending
// addresses; the mail names the school, its UAI, the role and the help
// contact, and says a re-sent link replaces the earlier ones); the help
// contact on error pages; the participant identifier in the participants
// and their export; the Élèves page's last import.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { acceptInvitation, acceptTerms, fieldErrors, linkParams,
    schoolWithAdmin, signUp, uniqueEmail } from '../lib/orga.mjs';

const HELP = 'assistance.orga@ac-exemple.fr';

let stack;

before(async () => {
	stack = await startStack({ name: 'school', smtp: true, gar: false,
	    env: { ORGA_HELP_EMAIL: HELP } });
});

after(async () => {
	if (stack)
		await stack.stop();
});

// inviteVia posts the invite form as the school's ADMIN.
function inviteVia(sch, emails, role) {
	return sch.admin.post(`${sch.base}/invitations`,
	    role === undefined ? { emails } : { emails, role });
}

// lastMail waits for the count-th mail to `to`: the mail and its link.
async function lastMail(to, count = 1) {
	const mails = await stack.smtp.waitForMail({ to, count });
	const mail = mails[mails.length - 1];
	assert.ok(mail.link, `no link in the mail to ${to}`);
	return { mail, ...linkParams(mail.link) };
}

// member invites email with role, signs it up and accepts: a client.
async function member(sch, role, firstName) {
	const email = uniqueEmail(firstName.normalize('NFD')
	    .replace(/[^a-z]/gi, '').toLowerCase());
	const r = await inviteVia(sch, email, role);
	assert.equal(r.status, 200, r.text);
	const link = await lastMail(email);
	const client = stack.client();
	const acc = await signUp(client, { firstName, lastName: 'Double',
	    email });
	await acceptTerms(client);
	assert.equal((await acceptInvitation(client, link)).status, 200);
	return { client, email, id: acc.user.id };
}

describe('one person, several schools', () => {
	test('the switcher lists only the schools of the person, the one ' +
	    'used last first; a removed membership leaves the list',
	    async () => {
		const a = await schoolWithAdmin(stack, { name: 'Lycée Alpha' });
		const b = await schoolWithAdmin(stack, { name: 'Collège Bêta' });
		const c = await schoolWithAdmin(stack, { name: 'École Gamma' });
		// A teacher of Alpha, then of Bêta (invited with the same
		// address, accepted with the same account).
		const t = await member(a, 'MEMBER', 'Théo');
		const r = await inviteVia(b, t.email, 'ADMIN');
		assert.equal(r.json.results[0].status, 'INVITED');
		const link = await lastMail(t.email, 2);
		assert.equal((await acceptInvitation(t.client, link)).status, 200);

		const names = async (client) => {
			const list = await client.get('/api/me/organizations');
			assert.equal(list.status, 200, list.text);
			return list.json.organizations.map((o) => [o.name, o.role]);
		};
		const mine = await t.client.get('/api/me/organizations');
		assert.deepEqual(mine.json.organizations.map((o) => o.id).sort(),
		    [Number(a.orgId), Number(b.orgId)].sort());
		assert.ok(mine.json.organizations.every((o) =>
		    /^[0-9]{7}[A-Z]$/.test(o.uai) && 'lastUsedAt' in o));
		assert.ok(!mine.json.organizations.some((o) =>
		    String(o.id) === c.orgId), 'another school is never listed');

		// Opening a school's space makes it the one used last.
		assert.equal((await t.client.get(b.base)).status, 200);
		assert.deepEqual(await names(t.client),
		    [['Collège Bêta', 'ADMIN'], ['Lycée Alpha', 'MEMBER']]);
		assert.equal((await t.client.get(`${a.base}`)).status, 200);
		assert.deepEqual(await names(t.client),
		    [['Lycée Alpha', 'MEMBER'], ['Collège Bêta', 'ADMIN']]);
		// Reloading the same school writes nothing.
		const [before1] = await stack.sql('SELECT last_used_at FROM ' +
		    'memberships WHERE organization_id = $1 AND user_id = $2',
		    [a.orgId, t.id]);
		assert.equal((await t.client.get(a.base)).status, 200);
		const [after1] = await stack.sql('SELECT last_used_at FROM ' +
		    'memberships WHERE organization_id = $1 AND user_id = $2',
		    [a.orgId, t.id]);
		assert.equal(String(after1.last_used_at),
		    String(before1.last_used_at));
		// A school not theirs changes nothing and is not listed.
		assert.equal((await t.client.get(c.base)).status, 404);
		assert.deepEqual((await names(t.client)).map(([n]) => n),
		    ['Lycée Alpha', 'Collège Bêta']);

		// Removed from Alpha: only Bêta is left.
		const del = await a.admin.request('DELETE',
		    `${a.base}/members/${t.id}`);
		assert.equal(del.status, 200, del.text);
		assert.deepEqual(await names(t.client), [['Collège Bêta', 'ADMIN']]);
		// Without a session: 401.
		assert.equal((await stack.client().get('/api/me/organizations'))
		    .status, 401);
	});
});

// Pasted forms: A, B, C stand for fresh addresses; each row lists the
// statuses and addresses (or refused parts) expected, in order.
const PASTED = [
	['A', [['INVITED', 'A']]],
	['A, B', [['INVITED', 'A'], ['INVITED', 'B']]],
	['A; B;', [['INVITED', 'A'], ['INVITED', 'B']]],
	['A\nB\r\nC', [['INVITED', 'A'], ['INVITED', 'B'], ['INVITED', 'C']]],
	['A B\tC', [['INVITED', 'A'], ['INVITED', 'B'], ['INVITED', 'C']]],
	['Jean Dupont <A>', [['INVITED', 'A']]],
	['"Jean Dupont" <A>, "Paul Martin" <B>',
	    [['INVITED', 'A'], ['INVITED', 'B']]],
	['"Dupont, Jean" <A>; "Martin; Paul" <B>',
	    [['INVITED', 'A'], ['INVITED', 'B']]],
	['Dupont Jean <A>; Martin Paul <B>',
	    [['INVITED', 'A'], ['INVITED', 'B']]],
	['Élodie Ça <A>\nZoé <B>', [['INVITED', 'A'], ['INVITED', 'B']]],
	['<A>', [['INVITED', 'A']]],
	['A (Jean Dupont), B (Paul)', [['INVITED', 'A'], ['INVITED', 'B']]],
	["'A' <A>, \"B\" <B>", [['INVITED', 'A'], ['INVITED', 'B']]],
	['mailto:A', [['INVITED', 'A']]],
	['Professeurs: A, B;', [['INVITED', 'A'], ['INVITED', 'B']]],
	['\u00a0A\u200b\u00a0B', [['INVITED', 'A'], ['INVITED', 'B']]],
	['Jean Dupont, A', [['EMAIL_INVALID', 'Jean Dupont'],
	    ['INVITED', 'A']]],
	['Jean <jean@exemple>, A', [['EMAIL_INVALID', 'Jean <jean@exemple>'],
	    ['INVITED', 'A']]],
	['Jean <A, B', [['INVITED', 'A'], ['INVITED', 'B']]],
	['A, Prof <A>, AU', [['INVITED', 'A']]],
	['pas-une-adresse; A', [['EMAIL_INVALID', 'pas-une-adresse'],
	    ['INVITED', 'A']]],
];

describe('invitations that forgive', () => {
	let sch;

	before(async () => {
		sch = await schoolWithAdmin(stack, { name: 'Lycée Collé' });
	});

	test(`the invite field reads ${PASTED.length} forms pasted from mail ` +
	    'clients, and names each refused part', async () => {
		for (const [i, [form, expected]] of PASTED.entries()) {
			const addr = {};
			for (const k of ['A', 'B', 'C'])
				addr[k] = `${k.toLowerCase()}.${i}.${Date.now()}@ac-exemple.fr`;
			addr.AU = addr.A.toUpperCase();
			const pasted = form.replace(/\b(?:AU|[ABC])\b/g, (k) => addr[k]);
			const r = await inviteVia(sch, pasted);
			assert.equal(r.status, 200, `${form}: ${r.text}`);
			assert.deepEqual(r.json.results.map((x) => [x.status, x.email]),
			    expected.map(([st, e]) => [st, addr[e] || e]),
			    `pasted: ${JSON.stringify(pasted)}`);
			for (const x of r.json.results.filter((y) =>
			    y.status === 'EMAIL_INVALID'))
				assert.match(x.message, new RegExp(`« ${x.email.replace(
				    /[.*+?^${}()|[\]\\]/g, '\\$&')} »`));
		}
	});

	test('the invitation names its address; a sign-up with another ' +
	    'address is refused before any account exists', async () => {
		const email = uniqueEmail('invitee');
		assert.equal((await inviteVia(sch, `Nouvelle Prof <${email}>`))
		    .status, 200);
		const link = await lastMail(email);
		const c = stack.client();
		const page = await c.get(`/api/invitations/${link.invitationId}` +
		    `?code=${link.code}`);
		assert.equal(page.status, 200, page.text);
		assert.equal(page.json.email, email);
		assert.equal(page.json.kind, 'MEMBER');

		const other = uniqueEmail('autre');
		const refused = await c.post('/api/users', { firstName: 'Nina',
		    lastName: 'Autre', email: other, password: 'Motdepasse1',
		    invitationId: Number(link.invitationId),
		    invitationCode: link.code });
		assert.equal(refused.status, 422, refused.text);
		const [err] = fieldErrors(refused.json);
		assert.equal(err.code, 'INVITATION_OTHER_EMAIL');
		assert.equal(err.field, 'email');
		assert.ok(err.message.includes(email), err.message);
		assert.deepEqual(await stack.sql('SELECT id FROM users WHERE ' +
		    'email = $1', [other]), [], 'no account was made');
		assert.equal(refused.headers.get('set-cookie'), null);

		// Without the invitation (a plain sign-up) nothing changes; with
		// a wrong code neither; with the right address it goes.
		const wrong = await stack.client().post('/api/users', {
		    firstName: 'Nina', lastName: 'Autre', email: other,
		    password: 'Motdepasse1', invitationId: Number(link.invitationId),
		    invitationCode: 'FAUXCODE' });
		assert.equal(wrong.status, 201, wrong.text);
		const ok = await c.post('/api/users', { firstName: 'Nina',
		    lastName: 'Invitée', email, password: 'Motdepasse1',
		    invitationId: Number(link.invitationId),
		    invitationCode: link.code });
		assert.equal(ok.status, 201, ok.text);
		await acceptTerms(c);
		assert.equal((await acceptInvitation(c, link)).status, 200);
	});

	test('the mail names the school, its UAI, the role and the help ' +
	    'contact; a re-sent link replaces the earlier one', async () => {
		const email = uniqueEmail('mail');
		await inviteVia(sch, email, 'ADMIN');
		const first = await lastMail(email);
		for (const part of [first.mail.text, first.mail.html]) {
			assert.ok(part.includes('Lycée Collé'));
			assert.ok(part.includes(sch.uai), 'UAI in the mail');
			assert.ok(part.includes('Administrateur'), 'role in the mail');
			assert.ok(part.includes(HELP), 'help contact in the footer');
			assert.match(part, /seul le lien du dernier e-mail reçu fonctionne/);
		}
		assert.match(first.mail.text, /Rôle proposé : Administrateur/);
		assert.match(first.mail.html, new RegExp(`mailto:${HELP}`));

		const [inv] = (await sch.admin.get(`${sch.base}/invitations`)).json
		    .invitations.filter((i) => i.email === email);
		const resent = await sch.admin.post(
		    `${sch.base}/invitations/${inv.id}/resend`);
		assert.equal(resent.status, 200, resent.text);
		const second = await lastMail(email, 2);
		assert.notEqual(second.code, first.code);
		const old = await stack.client().get(
		    `/api/invitations/${first.invitationId}?code=${first.code}`);
		assert.equal(old.status, 404, 'the earlier link stops working');
		const now = await stack.client().get(
		    `/api/invitations/${second.invitationId}?code=${second.code}`);
		assert.equal(now.status, 200);
	});

	test('members who are not ADMIN do not see the pending addresses',
	    async () => {
		const m = await member(sch, 'MEMBER', 'Mona');
		const email = uniqueEmail('cachee');
		await inviteVia(sch, email);
		const seen = await m.client.get(`${sch.base}/invitations`);
		assert.equal(seen.status, 200, seen.text);
		assert.ok(seen.json.invitations.length > 0);
		for (const inv of seen.json.invitations) {
			assert.equal(inv.email, undefined);
			assert.ok(inv.id && inv.role && inv.createdAt);
		}
		assert.ok(!seen.text.includes(email));
		const admin = await sch.admin.get(`${sch.base}/invitations`);
		assert.ok(admin.json.invitations.some((i) => i.email === email));
	});
});

test('the help contact: GET /api/help and the server\'s error pages',
    async () => {
	const c = stack.client();
	const help = await c.get('/api/help');
	assert.equal(help.status, 200);
	assert.deepEqual(help.json, { email: HELP });
	// GAR is off on this stack: its page is an error page of the server.
	const res = await fetch(`${stack.httpUrl}/api/gar/login`,
	    { redirect: 'manual' });
	const html = await res.text();
	assert.equal(res.status, 503);
	assert.match(html, new RegExp(`<a href="mailto:${HELP}">${HELP}</a>`));
});

test('the participant identifier is in the participants and their ' +
    'export; the export is a CSV a spreadsheet opens safely', async () => {
	const sch = await schoolWithAdmin(stack, { name: 'Lycée Export' });
	const c = await sch.admin.post(`${sch.base}/campaigns`,
	    { name: 'Rentrée', externalIdLabel: 'Numéro de groupe' });
	assert.equal(c.status, 201, c.text);
	const cid = c.json.id;
	const [l] = await stack.sql('INSERT INTO learners (organization_id, ' +
	    'ine, last_name, first_name, birth_date, class_code) VALUES ($1, ' +
	    "'123456789AB', 'Élan', 'Zoé', '2012-03-04', '5A') RETURNING id",
	    [sch.orgId]);
	const [u] = await stack.sql('INSERT INTO users (first_name, ' +
	    "last_name) VALUES ('Zoe', 'Elan') RETURNING id");
	const [u2] = await stack.sql('INSERT INTO users (first_name, ' +
	    "last_name) VALUES ('=Sans', 'Lien') RETURNING id");
	await stack.sql('INSERT INTO participations (organization_id, ' +
	    'campaign_id, user_id, learner_id, status, shared_at, ' +
	    "external_id) VALUES ($1, $2, $3, $4, 'SHARED', " +
	    "'2024-09-12T08:30:00Z', 'G-12; bis')", [sch.orgId, cid, u.id, l.id]);
	await stack.sql('INSERT INTO participations (organization_id, ' +
	    "campaign_id, user_id, status) VALUES ($1, $2, $3, 'STARTED')",
	    [sch.orgId, cid, u2.id]);

	const list = await sch.admin.get(
	    `${sch.base}/campaigns/${cid}/participants`);
	assert.equal(list.status, 200, list.text);
	assert.deepEqual(list.json.participants.map((p) =>
	    [p.lastName, p.externalId]), [['Élan', 'G-12; bis'], ['Lien', null]]);

	const csv = await sch.admin.get(
	    `${sch.base}/campaigns/${cid}/participants/export`);
	assert.equal(csv.status, 200, csv.text);
	assert.match(csv.headers.get('content-type'), /^text\/csv; charset=utf-8/);
	assert.match(csv.headers.get('content-disposition'),
	    new RegExp(`attachment; filename="participants-${c.json.code}.csv"`));
	// A byte order mark first, so that spreadsheets read the accents.
	const raw = await fetch(`${stack.httpUrl}${sch.base}/campaigns/${cid}` +
	    '/participants/export', { headers: { Cookie:
	    sch.admin.cookieHeader() } });
	assert.deepEqual([...Buffer.from(await raw.arrayBuffer())
	    .subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	assert.equal(csv.text,
	    'Nom;Prénom;Classe;Numéro de groupe;État;Commencée le;Envoyée le\r\n' +
	    `Élan;Zoé;5A;"G-12; bis";Profil reçu;${ddmmyyyy(new Date())};` +
	    '12/09/2024\r\n' +
	    `Lien;'=Sans;;;En cours;${ddmmyyyy(new Date())};\r\n`);

	// Without a label, no identifier column; outsiders get 404.
	const plain = await sch.admin.post(`${sch.base}/campaigns`,
	    { name: 'Sans identifiant' });
	const empty = await sch.admin.get(
	    `${sch.base}/campaigns/${plain.json.id}/participants/export`);
	assert.equal(empty.text, 'Nom;Prénom;Classe;État;Commencée le;' +
	    'Envoyée le\r\n');
	const outsider = stack.client();
	await signUp(outsider, { email: uniqueEmail('dehors') });
	assert.equal((await outsider.get(
	    `${sch.base}/campaigns/${cid}/participants/export`)).status, 404);
});

function ddmmyyyy(d) {
	const p = (n) => String(n).padStart(2, '0');
	return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/` +
	    `${d.getUTCFullYear()}`;
}

test('Élèves: when and by whom the list was last imported, with its ' +
    'counts, for every member', async () => {
	const sch = await schoolWithAdmin(stack, { name: 'Lycée Import',
	    lastName: 'Importe' });
	const none = await sch.admin.get(`${sch.base}/learners/last-import`);
	assert.equal(none.status, 200, none.text);
	assert.deepEqual(none.json, { lastImport: null });
	await stack.sql('INSERT INTO learners (organization_id, ine, ' +
	    'last_name, first_name, birth_date, class_code) VALUES ($1, ' +
	    "'123456789AA', 'Abel', 'Inès', '2012-03-04', '5A')", [sch.orgId]);
	await stack.sql('INSERT INTO import_jobs (organization_id, ' +
	    'created_by, format, status, to_add, to_update, unchanged, ' +
	    "to_deactivate, finished_at) VALUES ($1, $2, 'xml', 'done', 12, 3, " +
	    "40, 2, '2024-09-02T07:15:00Z')", [sch.orgId, sch.adminId]);
	const m = await member(sch, 'MEMBER', 'Lou');
	const r = await m.client.get(`${sch.base}/learners/last-import`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { lastImport: { finishedAt:
	    '2024-09-02T07:15:00Z', by: { firstName: 'Anne',
	    lastName: 'Importe' }, added: 12, updated: 3, unchanged: 40,
	    deactivated: 2, active: 1 } });
	const outsider = stack.client();
	await signUp(outsider, { email: uniqueEmail('dehors') });
	assert.equal((await outsider.get(`${sch.base}/learners/last-import`))
	    .status, 404);
});
