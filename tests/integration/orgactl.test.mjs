// orgactl.test.mjs - the operator registers schools and invites their
// staff with orgactl, over nng, against the real daemons.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, run, startStack } from '../lib/stack.mjs';
import { createSchool, invite, linkParams, uniqueEmail, uniqueUai }
    from '../lib/orga.mjs';

describe('orgactl', () => {
	let stack;
	before(async () => { stack = await startStack({ name: 'orgactl' }); });
	after(async () => { await stack?.stop(); });

	test('org create upper-cases the UAI, stores the school and queues an ' +
	    'ADMIN invitation to its mailbox', async () => {
		const uai = uniqueUai(true);
		const upper = uai.toUpperCase();
		const email = `ce.${upper}@ac-exemple.fr`;
		const r = await stack.orgactl('org', 'create', '--uai', uai,
		    '--name', 'Lycée Pix', '--email', email);
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, new RegExp(`UAI ${upper}`));
		assert.ok(!r.stdout.includes(`UAI ${uai}`),
		    'lower-case UAI echoed back');
		const orgs = await stack.sql('SELECT id, uai, name, type, email ' +
		    'FROM organizations WHERE uai = $1', [upper]);
		assert.equal(orgs.length, 1);
		assert.equal(orgs[0].name, 'Lycée Pix');
		assert.equal(orgs[0].type, 'SCO');
		const inv = await stack.sql('SELECT email, role, kind, status FROM ' +
		    'invitations WHERE organization_id = $1', [orgs[0].id]);
		assert.deepEqual(inv, [{ email: email.toLowerCase(), role: 'ADMIN',
		    kind: 'ACTIVATION', status: 'pending' }]);
		const mails = await stack.smtp.waitForMail({ to: email });
		assert.equal(mails.length, 1);
	});

	test('org create refuses a UAI already registered, with a message ' +
	    'naming it, and sends nothing', async () => {
		const s = await createSchool(stack, { name: 'Collège Premier' });
		const r = await stack.orgactl('org', 'create', '--uai',
		    s.uai.toLowerCase(), '--name', 'Collège Doublon', '--email',
		    uniqueEmail('doublon'));
		assert.notEqual(r.code, 0);
		const msg = r.stderr + r.stdout;
		assert.match(msg, new RegExp(s.uai));
		assert.match(msg, /existe déjà/);
		const orgs = await stack.sql(
		    'SELECT name FROM organizations WHERE uai = $1', [s.uai]);
		assert.deepEqual(orgs, [{ name: 'Collège Premier' }]);
		const count = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'organizations WHERE name = $1', ['Collège Doublon']);
		assert.equal(count[0].n, 0);
	});

	test('org create refuses a malformed UAI with a message saying what a ' +
	    'UAI looks like', async () => {
		for (const bad of ['123456A', '01234567', 'ABCDEFGH', '0123456AA',
		    '0123456-']) {
			const r = await stack.orgactl('org', 'create', '--uai', bad,
			    '--name', 'Lycée Faux', '--email', uniqueEmail('faux'));
			assert.notEqual(r.code, 0, `UAI ${bad} accepted`);
			assert.match(r.stderr, /UAI/, `no message for ${bad}`);
			assert.match(r.stderr, /7 chiffres/);
		}
		const n = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'organizations WHERE name = $1', ['Lycée Faux']);
		assert.equal(n[0].n, 0);
	});

	test('org list shows every school; org show its invitations',
	    async () => {
		const a = await createSchool(stack, { name: 'Lycée Liste A' });
		const b = await createSchool(stack, { name: 'Lycée Liste B' });
		const list = await stack.orgactl('org', 'list');
		assert.equal(list.code, 0, list.stderr);
		for (const s of [a, b]) {
			assert.match(list.stdout, new RegExp(s.uai));
			assert.match(list.stdout, new RegExp(s.name));
		}
		const show = await stack.orgactl('org', 'show', '--uai', a.uai);
		assert.equal(show.code, 0, show.stderr);
		assert.match(show.stdout, /Lycée Liste A/);
		assert.match(show.stdout, new RegExp(a.uai));
		assert.match(show.stdout, new RegExp(a.email.toLowerCase()));
		assert.match(show.stdout, /en attente/);
		assert.ok(!show.stdout.includes(b.uai));
		assert.ok(!show.stdout.includes(a.code),
		    'org show prints the secret invitation code');
		const missing = await stack.orgactl('org', 'show', '--uai',
		    uniqueUai());
		assert.notEqual(missing.code, 0);
		assert.match(missing.stderr, /aucun établissement/i);
	});

	test('org invite sends a MEMBER invitation to a person of the school',
	    async () => {
		const s = await createSchool(stack, { name: 'Lycée Invite' });
		const email = uniqueEmail('prof');
		const inv = await invite(stack, { uai: s.uai, email,
		    role: 'MEMBER' });
		assert.equal(inv.mail.envelope.rcptTos[0], email);
		const rows = await stack.sql('SELECT role, kind, status FROM ' +
		    'invitations WHERE id = $1', [inv.invitationId]);
		assert.deepEqual(rows, [{ role: 'MEMBER', kind: 'MEMBER',
		    status: 'pending' }]);
		assert.match(inv.mail.text, /Lycée Invite/);
		const bad = await stack.orgactl('org', 'invite', '--uai', s.uai,
		    '--email', 'pas-une-adresse');
		assert.notEqual(bad.code, 0);
		assert.match(bad.stderr, /e-mail/);
		const role = await stack.orgactl('org', 'invite', '--uai', s.uai,
		    '--email', uniqueEmail('x'), '--role', 'CHEF');
		assert.notEqual(role.code, 0);
		assert.match(role.stderr, /rôle/);
	});

	test('org invite of an address already invited re-sends the same ' +
	    'invitation; only the newest link works', async () => {
		const s = await createSchool(stack, { name: 'Lycée Relance' });
		const [before1] = await stack.sql('SELECT id, updated_at, ' +
		    'created_at FROM invitations WHERE id = $1', [s.invitationId]);
		const again = await invite(stack, { uai: s.uai, email: s.email });
		assert.equal(again.invitationId, s.invitationId,
		    're-inviting created a second invitation');
		assert.notEqual(again.code, s.code, 'the new mail has the old code');
		const rows = await stack.sql('SELECT id, updated_at, created_at, ' +
		    'status FROM invitations WHERE organization_id = $1',
		    [s.orgId]);
		assert.equal(rows.length, 1);
		assert.equal(rows[0].status, 'pending');
		assert.ok(rows[0].updated_at > before1.updated_at,
		    'updated_at (last sent) did not move');
		assert.equal(rows[0].created_at.getTime(),
		    before1.created_at.getTime());
		assert.equal(stack.smtp.mailsTo(s.email).length, 2);
		const c = stack.client();
		const old = await c.get(`/api/invitations/${s.invitationId}?code=` +
		    `${encodeURIComponent(s.code)}`);
		assert.equal(old.status, 404, 'the old link still works');
		assert.equal(old.json?.error?.code, 'INVITATION_NOT_FOUND');
		const cur = await c.get(`/api/invitations/${again.invitationId}` +
		    `?code=${encodeURIComponent(again.code)}`);
		assert.equal(cur.status, 200, cur.text);
		assert.equal(cur.json.status, 'pending');
	});

	test('cgu publish makes a new version current', async () => {
		const file = `${stack.varDir}/cgu-test.txt`;
		const body = 'Conditions générales d\'utilisation, version de test.\n' +
		    'Article 1 : tout est permis.\n';
		fs.writeFileSync(file, body);
		const c = stack.client();
		const t0 = await c.get('/api/terms');
		assert.equal(t0.status, 200, t0.text);
		const r = await stack.orgactl('cgu', 'publish', file);
		assert.equal(r.code, 0, r.stderr);
		const t1 = await c.get('/api/terms');
		assert.equal(t1.status, 200);
		assert.ok(t1.json.version > t0.json.version,
		    `version ${t1.json.version} after ${t0.json.version}`);
		assert.equal(t1.json.body.trim(), body.trim());
		const missing = await stack.orgactl('cgu', 'publish',
		    `${stack.varDir}/absent.txt`);
		assert.notEqual(missing.code, 0);
		const t2 = await c.get('/api/terms');
		assert.equal(t2.json.version, t1.json.version);
	});

	test('a wrong --rpc address is named, with the forms expected',
	    async () => {
		for (const url of ['foo://x', 'tcp://']) {
			const r = await stack.orgactl('--rpc', url, 'health');
			assert.equal(r.code, 1);
			// (after the debug log lines the tests ask for)
			assert.ok(r.stderr.split('\n').includes(
			    `adresse RPC invalide : ${url} (attendu : ipc://CHEMIN ` +
			    'ou tcp://HÔTE:PORT)'), r.stderr);
		}
	});

	test('the link in the mail is the one orgactl printed', async () => {
		const s = await createSchool(stack, { name: 'Lycée Lien' });
		assert.ok(s.out.stdout.includes(s.link),
		    `orgactl did not print ${s.link}:\n${s.out.stdout}`);
		assert.equal(linkParams(s.link).url.origin, stack.httpUrl);
	});
});

// Its own stack: the nng objects a stuck listener holds cannot be freed
// (tests/lsan-nng-1518.supp).
describe('orgactl after a client hung up while connecting', () => {
	let stack;
	before(async () => {
		stack = await startStack({ name: 'hangup', gar: false, env: {
			LSAN_OPTIONS: 'suppressions=' + path.join(ROOT,
			    'tests/lsan-nng-1518.supp') + ':print_suppressions=0',
		} });
	});
	after(async () => { await stack?.stop(); });

	test('orga still answers after clients hung up while connecting, and ' +
	    'after a command that failed before asking anything', async () => {
		// Connected and closed at once, before orga's side of the
		// handshake: with nng 1.5 alone, orga took no connection after.
		const hangUp = await run('/usr/bin/python3', ['-c',
		    'import socket, sys\n' +
		    'for _ in range(3):\n' +
		    '    s = socket.socket(socket.AF_UNIX)\n' +
		    '    s.connect(sys.argv[1])\n' +
		    '    s.close()\n',
		    path.join(stack.varDir, 'run', 'orga.ipc')]);
		assert.equal(hangUp.code, 0, hangUp.stderr);
		const missing = await stack.orgactl('cgu', 'publish',
		    `${stack.varDir}/absent.txt`);
		assert.equal(missing.code, 1);
		assert.match(missing.stderr, /impossible de lire/);
		const r = await stack.orgactl('health');
		assert.equal(r.code, 0, r.stderr);
		assert.match(r.stdout, /orga : répond/);
		const s = await createSchool(stack, { name: 'Lycée Après' });
		assert.ok(s.link);
	});
});
