// campaigns.test.mjs - the Campagnes menu over HTTP on the real stack: an
// ADMIN and a MEMBER create campaigns (codes unique and well-formed over
// 300 creations), list them (mine / all, active / archived) with their
// participant counts, edit and archive them (owner or ADMIN only, 403 for
// another MEMBER, 404 for outsiders), the form's refusals in French, and
// the participants of a campaign with the class filter (learners and
// participations written with SQL, as the student flow would).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { acceptInvitation, acceptTerms, fieldErrors, linkParams,
    schoolWithAdmin, signUp, uniqueEmail } from '../lib/orga.mjs';

const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ]{6}[0-9]{3}$/;

// join invites a new person with role and has them join. {client, id}.
async function join(stack, sch, role, firstName, lastName) {
	const email = uniqueEmail(firstName.toLowerCase());
	const r = await sch.admin.post(`${sch.base}/invitations`,
	    { emails: email, role });
	assert.equal(r.status, 200, r.text);
	const mails = await stack.smtp.waitForMail({ to: email });
	const link = linkParams(mails[mails.length - 1].link);
	const client = stack.client();
	const acc = await signUp(client, { firstName, lastName, email });
	await acceptTerms(client);
	const ok = await acceptInvitation(client, link);
	assert.equal(ok.status, 200, ok.text);
	return { client, id: acc.user.id };
}

async function create(client, sch, body, status = 201) {
	const r = await client.post(`${sch.base}/campaigns`, body);
	assert.equal(r.status, status, r.text);
	return r.json;
}

async function list(client, sch, query = '') {
	const r = await client.get(`${sch.base}/campaigns${query}`);
	assert.equal(r.status, 200, r.text);
	return r.json.campaigns;
}

const names = (campaigns) => campaigns.map((c) => c.name).sort();

describe('campaigns of a school (staff side)', () => {
	let stack;
	let sch;
	let member;
	let other;
	before(async () => {
		stack = await startStack({ name: 'campaigns' });
		sch = await schoolWithAdmin(stack, { name: 'Collège Campagnes' });
		member = await join(stack, sch, 'MEMBER', 'Marc', 'Membre');
		other = await join(stack, sch, 'MEMBER', 'Olga', 'Autre');
	});
	after(async () => { await stack?.stop(); });

	test('an ADMIN creates a campaign: code, link, owner, type, counts',
	    async () => {
		const c = await create(sch.admin, sch, { name: '  Rentrée 6e  ',
		    landingText: 'Bienvenue !\nCliquez sur « Je commence ».',
		    externalIdLabel: 'Numéro de carte de cantine' });
		assert.match(c.code, CODE);
		assert.equal(c.name, 'Rentrée 6e');
		assert.equal(c.type, 'PROFILES_COLLECTION');
		assert.equal(c.url, `${stack.httpUrl}/campagnes/${c.code}`);
		assert.deepEqual(c.owner, { id: sch.adminId, firstName: 'Anne',
		    lastName: 'Proviseur' });
		assert.equal(c.creatorId, sch.adminId);
		assert.equal(c.externalIdLabel, 'Numéro de carte de cantine');
		assert.equal(c.landingText,
		    'Bienvenue !\nCliquez sur « Je commence ».');
		assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		assert.equal(c.archived, false);
		assert.equal(c.archivedAt, null);
		assert.deepEqual(c.participants, { total: 0, shared: 0 });
		assert.equal(c.canEdit, true);

		const got = await sch.admin.get(`${sch.base}/campaigns/${c.id}`);
		assert.equal(got.status, 200, got.text);
		assert.deepEqual(got.json, c);
		const rows = await stack.sql('SELECT code, owner_id, creator_id, ' +
		    'type FROM campaigns WHERE id = $1', [c.id]);
		assert.equal(rows[0].code, c.code);

		// "Évaluer les participants" is created the same way; a MEMBER
		// may create, and give the campaign to another member.
		const a = await create(member.client, sch, { name: 'Évaluation',
		    type: 'ASSESSMENT', ownerId: String(other.id) });
		assert.equal(a.type, 'ASSESSMENT');
		assert.equal(a.owner.id, other.id);
		assert.equal(a.creatorId, member.id);
		assert.equal(a.canEdit, false);
		assert.equal(a.externalIdLabel, null);
		assert.equal(a.landingText, '');
	});

	test('the form is refused field by field, in French', async () => {
		let r = await sch.admin.post(`${sch.base}/campaigns`, {});
		assert.equal(r.status, 422, r.text);
		assert.deepEqual(fieldErrors(r.json).map((e) => [e.field, e.code]),
		    [['name', 'FIELD_REQUIRED']]);
		assert.match(r.json.error.message, /nom de la campagne est obligatoire/);

		r = await sch.admin.post(`${sch.base}/campaigns`,
		    { name: ' ', type: 'QUIZ', landingText: 'x'.repeat(5001) });
		assert.equal(r.status, 422, r.text);
		assert.deepEqual(fieldErrors(r.json).map((e) => [e.field, e.code]), [
			['name', 'FIELD_REQUIRED'],
			['type', 'FIELD_INVALID'],
			['landingText', 'FIELD_TOO_LONG'],
		]);
		const landing = fieldErrors(r.json)[2].message;
		assert.match(landing, /ne doit pas dépasser 5000 caractères/);
		assert.match(landing, /5001/);

		// 5000 characters (of two bytes each) are fine.
		const ok = await create(sch.admin, sch, { name: 'Longue',
		    landingText: 'é'.repeat(5000) });
		assert.equal(ok.landingText.length, 5000);

		r = await sch.admin.post(`${sch.base}/campaigns`,
		    { name: 'N'.repeat(256) });
		assert.equal(r.status, 422);
		assert.equal(r.json.error.field, 'name');
		assert.match(r.json.error.message, /255 caractères/);

		// The owner must be a member of the school.
		const outsider = stack.client();
		const acc = await signUp(outsider, { email: uniqueEmail('dehors') });
		r = await sch.admin.post(`${sch.base}/campaigns`,
		    { name: 'X', ownerId: acc.user.id });
		assert.equal(r.status, 422, r.text);
		assert.equal(r.json.error.code, 'OWNER_UNKNOWN');
		assert.equal(r.json.error.field, 'ownerId');
		assert.match(r.json.error.message, /n'est pas membre/);
		r = await sch.admin.post(`${sch.base}/campaigns`,
		    { name: 'X', ownerId: 'abc' });
		assert.equal(r.status, 422);
		assert.equal(r.json.error.field, 'ownerId');
		r = await sch.admin.post(`${sch.base}/campaigns`, { name: 12 });
		assert.equal(r.status, 422);
		assert.equal(r.json.error.field, 'name');
		const n = await stack.sql('SELECT count(*)::int AS n FROM campaigns ' +
		    'WHERE name = $1', ['X']);
		assert.equal(n[0].n, 0);
	});

	test('codes are unique and well-formed over 300 creations',
	    async () => {
		const sch2 = await schoolWithAdmin(stack, { name: 'Lycée Trois Cents' });
		const codes = [];
		for (let i = 0; i < 300; i += 10) {
			const batch = await Promise.all(Array.from({ length: 10 },
			    (_, j) => create(sch2.admin, sch2,
				{ name: `Campagne ${i + j}` })));
			codes.push(...batch.map((c) => c.code));
		}
		assert.equal(codes.length, 300);
		for (const c of codes)
			assert.match(c, CODE);
		assert.equal(new Set(codes).size, 300);
		const rows = await stack.sql('SELECT count(DISTINCT code)::int AS n ' +
		    'FROM campaigns WHERE organization_id = $1', [sch2.orgId]);
		assert.equal(rows[0].n, 300);
		assert.equal((await list(sch2.admin, sch2)).length, 300);
	});

	test('the list: mine / all, active / archived, newest first',
	    async () => {
		const s = await schoolWithAdmin(stack, { name: 'Collège Listes' });
		const m = await join(stack, s, 'MEMBER', 'Lise', 'Liste');
		await create(s.admin, s, { name: 'A1' });
		await create(m.client, s, { name: 'M1' });
		const a2 = await create(s.admin, s, { name: 'A2' });
		await create(m.client, s, { name: 'M2', ownerId: s.adminId });

		const all = await list(s.admin, s);
		assert.deepEqual(all.map((c) => c.name), ['M2', 'A2', 'M1', 'A1']);
		assert.deepEqual(await list(s.admin, s, '?owner=all&status=active'),
		    all);
		assert.equal(all[0].landingText, undefined, 'no text in lists');
		assert.deepEqual(names(await list(s.admin, s, '?owner=me')),
		    ['A1', 'A2', 'M2']);
		assert.deepEqual(names(await list(m.client, s, '?owner=me')), ['M1']);
		assert.deepEqual(names(await list(m.client, s)),
		    ['A1', 'A2', 'M1', 'M2']);
		// A MEMBER sees which ones they may change.
		assert.deepEqual((await list(m.client, s)).filter((c) => c.canEdit)
		    .map((c) => c.name), ['M1']);

		const r = await s.admin.post(`${s.base}/campaigns/${a2.id}/archive`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.archived, true);
		assert.match(r.json.archivedAt, /Z$/);
		assert.deepEqual(names(await list(s.admin, s)), ['A1', 'M1', 'M2']);
		assert.deepEqual(names(await list(s.admin, s, '?status=archived')),
		    ['A2']);
		assert.deepEqual(names(await list(m.client, s,
		    '?owner=me&status=archived')), []);
		assert.deepEqual(names(await list(s.admin, s,
		    '?owner=me&status=archived')), ['A2']);
		// Archiving twice keeps the date; unarchiving brings it back.
		const again = await s.admin.post(`${s.base}/campaigns/${a2.id}/archive`);
		assert.equal(again.json.archivedAt, r.json.archivedAt);
		const back = await s.admin.post(
		    `${s.base}/campaigns/${a2.id}/unarchive`);
		assert.equal(back.status, 200, back.text);
		assert.equal(back.json.archived, false);
		assert.deepEqual(names(await list(s.admin, s)),
		    ['A1', 'A2', 'M1', 'M2']);

		for (const q of ['?owner=mine', '?status=old']) {
			const bad = await s.admin.get(`${s.base}/campaigns${q}`);
			assert.equal(bad.status, 400, bad.text);
			assert.equal(bad.json.error.code, 'FIELD_INVALID');
		}
	});

	test('the owner and ADMINs edit and archive; another MEMBER gets 403',
	    async () => {
		const mine = await create(member.client, sch, { name: 'De Marc' });
		const path = `${sch.base}/campaigns/${mine.id}`;

		// The owner (a MEMBER) edits, with PATCH or POST.
		let r = await member.client.request('PATCH', path,
		    { name: 'De Marc (6e)', landingText: 'Bonjour',
			externalIdLabel: 'Identifiant ENT' });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.name, 'De Marc (6e)');
		assert.equal(r.json.landingText, 'Bonjour');
		assert.equal(r.json.externalIdLabel, 'Identifiant ENT');
		assert.equal(r.json.code, mine.code, 'the code never changes');
		r = await member.client.post(path, { externalIdLabel: null });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.externalIdLabel, null);
		assert.equal(r.json.landingText, 'Bonjour', 'absent: unchanged');

		// Another MEMBER may read it, not change it.
		r = await other.client.get(path);
		assert.equal(r.status, 200);
		assert.equal(r.json.canEdit, false);
		for (const [m, p, body] of [['PATCH', path, { name: 'Volée' }],
		    ['POST', `${path}/archive`, {}],
		    ['POST', `${path}/unarchive`, {}]]) {
			r = await other.client.request(m, p, body);
			assert.equal(r.status, 403, `${m} ${p}: ${r.text}`);
			assert.equal(r.json.error.code, 'FORBIDDEN');
			assert.match(r.json.error.message,
			    /propriétaire de la campagne et les administrateurs/);
		}
		// The edit form's checks apply.
		r = await member.client.request('PATCH', path,
		    { name: '', landingText: 'y'.repeat(5001) });
		assert.equal(r.status, 422);
		assert.deepEqual(fieldErrors(r.json).map((e) => e.field),
		    ['name', 'landingText']);
		r = await member.client.request('PATCH', path,
		    { ownerId: 999999 });
		assert.equal(r.status, 422);
		assert.equal(r.json.error.code, 'OWNER_UNKNOWN');

		// An ADMIN edits anyone's campaign, and hands it over.
		r = await sch.admin.request('PATCH', path, { ownerId: other.id });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.owner.id, other.id);
		assert.equal(r.json.owner.firstName, 'Olga');
		// Now the former owner may not; the new one may archive.
		r = await member.client.post(`${path}/archive`);
		assert.equal(r.status, 403);
		r = await other.client.post(`${path}/archive`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.archived, true);
		r = await sch.admin.post(`${path}/unarchive`);
		assert.equal(r.status, 200);

		const rows = await stack.sql('SELECT name, owner_id FROM campaigns ' +
		    'WHERE id = $1', [mine.id]);
		assert.equal(rows[0].name, 'De Marc (6e)');
		assert.equal(String(rows[0].owner_id), String(other.id));

		r = await sch.admin.get(`${sch.base}/campaigns/99999999`);
		assert.equal(r.status, 404);
		assert.equal(r.json.error.code, 'CAMPAIGN_NOT_FOUND');
		r = await sch.admin.post(`${sch.base}/campaigns/99999999/archive`);
		assert.equal(r.status, 404);
	});

	test('outsiders get 404; no session 401; a CSRF-less change 403',
	    async () => {
		const c = await create(sch.admin, sch, { name: 'Privée' });
		const elsewhere = await schoolWithAdmin(stack, { name: 'Autre Collège' });
		const mineThere = await create(elsewhere.admin, elsewhere,
		    { name: 'Ailleurs' });
		const o = elsewhere.admin;
		const path = `${sch.base}/campaigns/${c.id}`;
		for (const [m, p] of [['GET', `${sch.base}/campaigns`],
		    ['POST', `${sch.base}/campaigns`], ['GET', path],
		    ['PATCH', path], ['POST', `${path}/archive`],
		    ['GET', `${path}/participants`]]) {
			const r = await o.request(m, p, m === 'GET' ? undefined :
			    { name: 'Intrus' });
			assert.equal(r.status, 404, `${m} ${p}: ${r.text}`);
			assert.equal(r.json.error.code, 'ORGANIZATION_NOT_FOUND');
		}
		// Another school's campaign through this school's path.
		const r = await sch.admin.get(
		    `${sch.base}/campaigns/${mineThere.id}`);
		assert.equal(r.status, 404);
		assert.equal(r.json.error.code, 'CAMPAIGN_NOT_FOUND');
		const p = await sch.admin.get(
		    `${sch.base}/campaigns/${mineThere.id}/participants`);
		assert.equal(p.status, 404);

		const anon = stack.client();
		assert.equal((await anon.get(`${sch.base}/campaigns`)).status, 401);
		const nocsrf = await sch.admin.post(`${sch.base}/campaigns`,
		    { name: 'Sans jeton' }, { csrf: false });
		assert.equal(nocsrf.status, 403);
		assert.equal(nocsrf.json.error.code, 'CSRF_INVALID');
	});

	test('participants: names and class from the learner, state, dates, ' +
	    'class filter, counts in the list', async () => {
		const c = await create(sch.admin, sch, { name: 'Profils 5e' });
		const empty = await sch.admin.get(
		    `${sch.base}/campaigns/${c.id}/participants`);
		assert.equal(empty.status, 200, empty.text);
		assert.deepEqual(empty.json, { participants: [], total: 0,
		    classes: [] });

		// Three linked students and one account without a learner.
		const learner = async (ine, last, first, cls) => (await stack.sql(
		    'INSERT INTO learners (organization_id, ine, last_name, ' +
		    'first_name, birth_date, class_code) VALUES ($1, $2, $3, $4, ' +
		    "'2012-03-04', $5) RETURNING id", [sch.orgId, ine, last, first,
			cls]))[0].id;
		const user = async (first, last) => (await stack.sql(
		    'INSERT INTO users (first_name, last_name) VALUES ($1, $2) ' +
		    'RETURNING id', [first, last]))[0].id;
		const participate = (uid, lid, status, shared) => stack.sql(
		    'INSERT INTO participations (organization_id, campaign_id, ' +
		    'user_id, learner_id, status, shared_at) VALUES ($1, $2, $3, ' +
		    '$4, $5, $6)', [sch.orgId, c.id, uid, lid, status,
			shared ? new Date('2024-09-12T08:30:00Z') : null]);
		const l1 = await learner('111111111AA', 'Élan', 'Zoé', '5A');
		const l2 = await learner('222222222BB', 'Durand', 'Léo', '5B');
		const l3 = await learner('333333333CC', 'Abel', 'Inès', '5A');
		await participate(await user('Zoe', 'Elan'), l1, 'SHARED', true);
		await participate(await user('Leo', 'Durand'), l2, 'TO_SHARE');
		await participate(await user('Ines', 'Abel'), l3, 'STARTED');
		await participate(await user('Sans', 'Lien'), null, 'STARTED');

		const r = await other.client.get(
		    `${sch.base}/campaigns/${c.id}/participants`);
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.total, 4);
		assert.deepEqual(r.json.classes, ['5A', '5B']);
		assert.deepEqual(r.json.participants.map((p) =>
		    [p.lastName, p.firstName, p.class, p.status]), [
			['Abel', 'Inès', '5A', 'STARTED'],
			['Durand', 'Léo', '5B', 'TO_SHARE'],
			['Élan', 'Zoé', '5A', 'SHARED'],
			['Lien', 'Sans', '', 'STARTED'],
		]);
		const zoe = r.json.participants[2];
		assert.equal(zoe.sharedAt, '2024-09-12T08:30:00Z');
		assert.equal(String(zoe.learnerId), String(l1));
		assert.match(zoe.createdAt, /Z$/);
		assert.equal(r.json.participants[0].sharedAt, null);
		assert.equal(r.json.participants[3].learnerId, null);

		const f = await sch.admin.get(
		    `${sch.base}/campaigns/${c.id}/participants?class=5A`);
		assert.deepEqual(f.json.participants.map((p) => p.lastName),
		    ['Abel', 'Élan']);
		assert.equal(f.json.total, 2);
		assert.deepEqual(f.json.classes, ['5A', '5B']);
		const none = await sch.admin.get(
		    `${sch.base}/campaigns/${c.id}/participants?class=3C`);
		assert.deepEqual(none.json.participants, []);
		const bad = await sch.admin.get(`${sch.base}/campaigns/${c.id}/` +
		    `participants?class=${'x'.repeat(101)}`);
		assert.equal(bad.status, 400);

		const listed = (await list(sch.admin, sch)).find((x) => x.id === c.id);
		assert.deepEqual(listed.participants, { total: 4, shared: 1 });
		const one = await sch.admin.get(`${sch.base}/campaigns/${c.id}`);
		assert.deepEqual(one.json.participants, { total: 4, shared: 1 });
	});
});
