// gar.test.mjs - logging in through the GAR (SAML 2.0): responses of the
// local GAR (bin/gar-idp) accepted or refused by orga's assertion
// consumer, accounts made and updated by IDO, the SP-initiated flow, and
// the routes when the GAR is not configured.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BIN_DIR, run, startStack } from '../lib/stack.mjs';
import { signUp } from '../lib/orga.mjs';

const FAILED = 'La connexion par le GAR a échoué';

function uniqueIdo() {
	return `ido-${randomBytes(8).toString('hex')}`;
}

// sign(stack, {ido, pre, nom}, ...flags) -> base64 SAMLResponse.
async function sign(stack, { ido, pre, nom }, ...flags) {
	const r = await run(path.join(BIN_DIR, 'gar-idp'),
	    ['sign', '--ido', ido, '--pre', pre, '--nom', nom, ...flags],
	    { env: stack.env });
	assert.equal(r.code, 0, `gar-idp sign: ${r.stderr}`);
	return r.stdout.trim();
}

// acs(client, samlResponse, relayState?) posts the form as a browser would.
function acs(client, samlResponse, relayState) {
	const form = new URLSearchParams({ SAMLResponse: samlResponse });
	if (relayState !== undefined)
		form.set('RelayState', relayState);
	return client.request('POST', '/api/gar/acs', form.toString(), {
	    raw: true, csrf: false,
	    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
}

function hidden(html, name) {
	const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
	if (!m)
		return null;
	return m[1].replace(/&quot;/g, '"').replace(/&#39;/g, '\'')
	    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe('GAR single sign-on', () => {
	let stack;
	before(async () => {
		stack = await startStack({ name: 'gar', smtp: false });
	});
	after(async () => { await stack?.stop(); });

	test('GET /api/gar/metadata serves our SAML metadata', async () => {
		const r = await fetch(`${stack.httpUrl}/api/gar/metadata`);
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /samlmetadata\+xml/);
		const xml = await r.text();
		assert.ok(xml.includes(`entityID="${stack.httpUrl}/api/gar/metadata"`));
		assert.ok(xml.includes(`Location="${stack.httpUrl}/api/gar/acs"`));
	});

	test('an unsolicited response signed by the GAR logs in: a new GAR ' +
	    'account with PRE and NOM; the next login with new names updates ' +
	    'them on the same account', async () => {
		const ido = uniqueIdo();
		const c = stack.client();
		const r = await acs(c, await sign(stack,
		    { ido, pre: 'Alan', nom: 'Turing' }), '/campagnes/ABCDEF123');
		assert.equal(r.status, 303, r.text);
		assert.equal(r.headers.get('location'), '/campagnes/ABCDEF123');
		assert.match(r.headers.get('set-cookie') || '',
		    /^orga_session=.*HttpOnly.*SameSite=Lax/i);
		const me = await c.get('/api/me');
		assert.equal(me.status, 200, me.text);
		assert.equal(me.json.user.firstName, 'Alan');
		assert.equal(me.json.user.lastName, 'Turing');
		assert.deepEqual(me.json.user.loginMethods, ['GAR']);
		const rows = await stack.sql('SELECT u.id, u.email, ' +
		    'u.password_hash FROM authentication_methods m JOIN users u ' +
		    'ON u.id = m.user_id WHERE m.kind = \'GAR\' AND ' +
		    'm.external_id = $1', [ido]);
		assert.equal(rows.length, 1);
		assert.equal(rows[0].id, String(me.json.user.id));
		assert.equal(rows[0].email, null);
		assert.equal(rows[0].password_hash, null);

		const c2 = stack.client();
		const r2 = await acs(c2, await sign(stack,
		    { ido, pre: 'Alan Mathison', nom: 'Turing-Smith' }));
		assert.equal(r2.status, 303, r2.text);
		assert.equal(r2.headers.get('location'), '/');
		const me2 = await c2.get('/api/me');
		assert.equal(me2.json.user.id, me.json.user.id);
		assert.equal(me2.json.user.firstName, 'Alan Mathison');
		assert.equal(me2.json.user.lastName, 'Turing-Smith');
		const [n] = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'authentication_methods WHERE external_id = $1', [ido]);
		assert.equal(n.n, 1);
	});

	test('tampered, unsigned, expired, wrongly addressed and replayed ' +
	    'responses are refused with 403 and no session', async () => {
		const ido = uniqueIdo();
		const who = { ido, pre: 'Ada', nom: 'Lovelace' };
		const good = await sign(stack, who);
		const cases = [
			['tampered', await sign(stack, who, '--tamper')],
			['unsigned', await sign(stack, who, '--unsigned')],
			['expired', await sign(stack, who, '--expired')],
			['past NotOnOrAfter', await sign(stack, who,
			    '--not-on-or-after', '2020-01-01T00:00:00Z')],
			['wrong audience', await sign(stack, who, '--audience',
			    'https://autre-service.example/metadata')],
			['wrong recipient', await sign(stack, who, '--recipient',
			    'https://autre-service.example/acs')],
			['not base64 XML', 'bm90IGEgcmVzcG9uc2U='],
		];
		for (const [what, saml] of cases) {
			const c = stack.client();
			const r = await acs(c, saml, '/campagnes');
			assert.equal(r.status, 403, `${what}: ${r.text}`);
			assert.match(r.headers.get('content-type'), /text\/html/);
			assert.ok(r.text.includes(FAILED), what);
			assert.ok(r.text.includes('href="/campagnes"'), what);
			assert.equal(r.headers.get('set-cookie'), null, what);
			assert.equal((await c.get('/api/me')).status, 401, what);
		}
		const [none] = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'authentication_methods WHERE external_id = $1', [ido]);
		assert.equal(none.n, 0, 'a refused response made an account');

		const first = await acs(stack.client(), good);
		assert.equal(first.status, 303, first.text);
		const c = stack.client();
		const replay = await acs(c, good);
		assert.equal(replay.status, 403, replay.text);
		assert.equal(replay.headers.get('set-cookie'), null);
		assert.equal((await c.get('/api/me')).status, 401);
		// Nothing of the assertion reaches the log.
		assert.ok(!stack.log('orga').includes(good.slice(0, 60)));
		assert.ok(!stack.log('orga').includes(ido));
	});

	test('a signed value is read whole: a comment, CDATA, entity, ' +
	    'processing instruction or element put into any value read ' +
	    'is refused, and never logs in as another student', async () => {
		const suffix = randomBytes(4).toString('hex');
		const victim = `stud-a-${suffix}`;
		const evil = `${victim}.evil`;
		// The victim has a GAR account.
		const first = await acs(stack.client(), await sign(stack,
		    { ido: victim, pre: 'Victor', nom: 'Hugo' }));
		assert.equal(first.status, 303, first.text);

		// edit(xml, text) rewrites the element text `>text<` once.
		const tricks = {
			comment: (t) => `${t.slice(0, 3)}<!---->${t.slice(3)}`,
			CDATA: (t) => `${t.slice(0, 3)}<![CDATA[${t.slice(3)}]]>`,
			entity: (t) => `${t.slice(0, 3)}&e;${t.slice(3)}`,
			'processing instruction': (t) =>
			    `${t.slice(0, 3)}<?pi x?>${t.slice(3)}`,
			'child element': (t) => `${t.slice(0, 3)}<x/>${t.slice(3)}`,
		};
		const signed = Buffer.from(await sign(stack,
		    { ido: evil, pre: 'Mallory', nom: 'Dupont' }), 'base64')
		    .toString();
		const nameId = signed.match(/<saml:NameID[^>]*>([^<]+)</)[1];
		const audience = signed.match(/<saml:Audience>([^<]+)</)[1];
		const values = { IDO: evil, PRE: 'Mallory', NOM: 'Dupont',
		    NameID: nameId, Audience: audience };
		for (const [value, text] of Object.entries(values)) {
			for (const [trick, edit] of Object.entries(tricks)) {
				let xml = signed.replace(`>${text}<`,
				    `>${edit(text)}<`);
				assert.notEqual(xml, signed, `${trick} in ${value}`);
				if (trick === 'entity')
					xml = '<!DOCTYPE samlp:Response [<!ENTITY e ' +
					    '"x">]>' + xml;
				const c = stack.client();
				const r = await acs(c, Buffer.from(xml).toString('base64'));
				assert.equal(r.status, 403,
				    `${trick} in ${value}: ${r.status} ${r.text}`);
				assert.equal(r.headers.get('set-cookie'), null);
				assert.equal((await c.get('/api/me')).status, 401);
			}
		}
		// The victim's account kept its names; no account for either
		// half of the split identifier was made or taken.
		const rows = await stack.sql('SELECT m.external_id, u.first_name, ' +
		    'u.last_name FROM authentication_methods m JOIN users u ON ' +
		    'u.id = m.user_id WHERE m.external_id LIKE $1 ORDER BY 1',
		    [`${victim}%`]);
		assert.deepEqual(rows.map((r) => [r.external_id, r.first_name,
		    r.last_name]), [[victim, 'Victor', 'Hugo']]);

		// A character reference is the text it stands for, as signed:
		// the holder of `evil` logs in as `evil`, not as the victim.
		const c = stack.client();
		const ref = signed.replace(`>${evil}<`,
		    `>${victim}&#46;evil<`);
		const r = await acs(c, Buffer.from(ref).toString('base64'));
		assert.equal(r.status, 303, r.text);
		const me = await c.get('/api/me');
		assert.equal(me.json.user.firstName, 'Mallory');
		const [owner] = await stack.sql('SELECT m.external_id FROM ' +
		    'authentication_methods m WHERE m.user_id = $1',
		    [me.json.user.id]);
		assert.equal(owner.external_id, evil);
	});

	test('RelayState and returnTo go only to paths of this site',
	    async () => {
		for (const bad of ['https://evil.example/', '//evil.example/x',
		    '/\\evil.example', 'campagnes', '/a b']) {
			const r = await acs(stack.client(), await sign(stack,
			    { ido: uniqueIdo(), pre: 'Camille', nom: 'Abba' }), bad);
			assert.equal(r.status, 303, r.text);
			assert.equal(r.headers.get('location'), '/', bad);
		}
		const r = await fetch(`${stack.httpUrl}/api/gar/login?returnTo=` +
		    encodeURIComponent('//evil.example'), { redirect: 'manual' });
		assert.equal(r.status, 303);
		const rows = await stack.sql('SELECT return_to FROM saml_requests ' +
		    'ORDER BY expires_at DESC LIMIT 1');
		assert.equal(rows[0].return_to, '/');
	});

	test('SP-initiated: /api/gar/login redirects to the GAR, whose answer ' +
	    '(InResponseTo) logs in and returns to returnTo; it cannot be ' +
	    'replayed', async () => {
		const c = stack.client();
		const start = await c.get('/api/gar/login?returnTo=' +
		    encodeURIComponent('/campagnes/ZZZZZZ999?x=1'));
		assert.equal(start.status, 303, start.text);
		const sso = start.headers.get('location');
		assert.ok(sso.startsWith(`${stack.garIdpUrl}/sso?SAMLRequest=`), sso);
		assert.match(sso, /&Signature=/);

		const page = await fetch(sso);
		assert.equal(page.status, 200);
		const html = await page.text();
		assert.ok(html.includes('GAR de démonstration'));
		assert.ok(html.includes('Ada Lovelace'));
		const query = hidden(html, 'query');
		assert.ok(query && query.startsWith('SAMLRequest='));

		const ido = uniqueIdo();
		const posted = await fetch(`${stack.garIdpUrl}/login`, {
		    method: 'POST', body: new URLSearchParams({ ido, pre: 'Grace',
		        nom: 'Hopper', query }) });
		assert.equal(posted.status, 200);
		const form = await posted.text();
		assert.ok(form.includes(`action="${stack.httpUrl}/api/gar/acs"`),
		    form);
		assert.ok(form.includes('<button type="submit">'));
		const saml = hidden(form, 'SAMLResponse');
		const relay = hidden(form, 'RelayState');
		assert.equal(relay, '/campagnes/ZZZZZZ999?x=1');
		assert.match(Buffer.from(saml, 'base64').toString(),
		    /InResponseTo="[^"]+"/);

		const done = await acs(c, saml, relay);
		assert.equal(done.status, 303, done.text);
		assert.equal(done.headers.get('location'), '/campagnes/ZZZZZZ999?x=1');
		const me = await c.get('/api/me');
		assert.equal(me.status, 200);
		assert.equal(me.json.user.firstName, 'Grace');
		assert.deepEqual(me.json.user.loginMethods, ['GAR']);

		const again = await acs(stack.client(), saml, relay);
		assert.equal(again.status, 403, again.text);
	});

	test('a password account says so in loginMethods', async () => {
		const c = stack.client();
		await signUp(c);
		const me = await c.get('/api/me');
		assert.deepEqual(me.json.user.loginMethods, ['PASSWORD']);
	});

	test('the assertion consumer takes only a form POST', async () => {
		const get = await stack.client().get('/api/gar/acs');
		assert.equal(get.status, 405);
		const json = await stack.client().post('/api/gar/acs',
		    { SAMLResponse: 'x' });
		assert.equal(json.status, 415);
		const big = await acs(stack.client(), 'A'.repeat(300 * 1024));
		assert.equal(big.status, 413);
	});
});

describe('GAR not configured', () => {
	let stack;
	before(async () => {
		stack = await startStack({ name: 'gar-off', smtp: false,
		    gar: false });
	});
	after(async () => { await stack?.stop(); });

	test('the GAR routes answer 503 and orga still runs', async () => {
		const login = await stack.client().get('/api/gar/login?returnTo=/x');
		assert.equal(login.status, 503);
		assert.ok(login.text.includes(
		    'La connexion par le GAR n&#39;est pas configurée.'), login.text);
		const md = await stack.client().get('/api/gar/metadata');
		assert.equal(md.status, 503);
		assert.equal(md.json.error.code, 'GAR_NOT_CONFIGURED');
		const post = await acs(stack.client(), 'x');
		assert.equal(post.status, 503);
		assert.equal((await stack.health()).status, 200);
	});
});
