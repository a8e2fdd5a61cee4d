// security.test.mjs - sessions, CSRF, login throttling, the static UI and
// its headers, and GET /healthz as daemons come and go.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { waitFor } from '../lib/wait.mjs';
import { PASSWORD, acceptTerms, signUp, uniqueEmail } from '../lib/orga.mjs';

describe('security and health', () => {
	let stack;
	before(async () => { stack = await startStack({ name: 'security' }); });
	after(async () => { await stack?.stop(); });

	test('the session cookie is HttpOnly, SameSite=Lax, Path=/, and ' +
	    'logging out revokes it on the server', async () => {
		const c = stack.client();
		const email = uniqueEmail('cookie');
		const r = await c.post('/api/users', { firstName: 'Jo', lastName: 'Lo',
		    email, password: PASSWORD });
		assert.equal(r.status, 201, r.text);
		const set = r.headers.getSetCookie().find((x) =>
		    x.startsWith('orga_session='));
		assert.ok(set, 'no orga_session cookie');
		assert.match(set, /;\s*HttpOnly/i);
		assert.match(set, /;\s*SameSite=Lax/i);
		assert.match(set, /;\s*Path=\/(;|$)/i);
		assert.doesNotMatch(set, /;\s*Secure/i, 'Secure over plain http');
		const token = set.split(';')[0].split('=')[1];
		const [row] = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'sessions WHERE token_hash = $1', [token]);
		assert.equal(row.n, 0, 'the session token is stored in clear');

		const out = await c.delete('/api/session');
		assert.ok(out.status >= 200 && out.status < 300, out.text);
		assert.equal((await c.get('/api/me')).status, 401);
		// The old cookie replayed by hand is dead too.
		const replay = await fetch(`${stack.httpUrl}/api/me`,
		    { headers: { Cookie: `orga_session=${token}` } });
		assert.equal(replay.status, 401);
	});

	test('a state change without the right X-CSRF-Token is refused with ' +
	    '403 and changes nothing', async () => {
		const c = stack.client();
		const acc = await signUp(c);
		const t = await c.get('/api/terms');
		const none = await c.post('/api/terms/accept',
		    { version: t.json.version }, { csrf: false });
		assert.equal(none.status, 403, none.text);
		const wrong = await c.post('/api/terms/accept',
		    { version: t.json.version },
		    { csrf: false, headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
		assert.equal(wrong.status, 403, wrong.text);
		const rows = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'terms_acceptances WHERE user_id = $1', [acc.user.id]);
		assert.equal(rows[0].n, 0, 'accepted without a CSRF token');

		// Another session's token does not fit this one.
		const other = stack.client();
		await signUp(other);
		await other.refreshCsrf();
		const foreign = await c.post('/api/terms/accept',
		    { version: t.json.version },
		    { csrf: false, headers: { 'X-CSRF-Token': other.csrfToken } });
		assert.equal(foreign.status, 403, foreign.text);

		const logout = await c.delete('/api/session', undefined,
		    { csrf: false });
		assert.equal(logout.status, 403, logout.text);
		assert.equal((await c.get('/api/me')).status, 200,
		    'logged out without a CSRF token');

		const form = await c.post('/api/terms/accept',
		    `version=${t.json.version}`, { raw: true, headers:
		    { 'Content-Type': 'application/x-www-form-urlencoded' } });
		assert.ok(form.status >= 400 && form.status < 500,
		    `form-encoded body accepted: ${form.status}`);

		await acceptTerms(c);
		assert.equal((await c.get('/api/me')).json.mustAcceptTerms, false);
	});

	test('login failures do not tell whether the e-mail exists',
	    async () => {
		const acc = await signUp(stack.client());
		const c = stack.client();
		const unknown = await c.login(uniqueEmail('inconnu'), PASSWORD);
		const wrong = await c.login(acc.email, 'Mauvais1pass');
		assert.equal(unknown.status, 401);
		assert.equal(wrong.status, 401);
		assert.equal(unknown.json?.error?.code, 'LOGIN_FAILED');
		assert.deepEqual(unknown.json, wrong.json);
	});

	test('after 10 failed logins the account is blocked, even for the ' +
	    'right password', async () => {
		const acc = await signUp(stack.client());
		const c = stack.client();
		for (let i = 1; i <= 9; i++) {
			const r = await c.login(acc.email, `Mauvais${i}pass`);
			assert.equal(r.status, 401, `attempt ${i}: ${r.status} ${r.text}`);
		}
		const tenth = await c.login(acc.email, 'Mauvais10pass');
		assert.ok([401, 429].includes(tenth.status), `attempt 10: ` +
		    `${tenth.status}`);
		const right = await c.login(acc.email, PASSWORD);
		assert.equal(right.status, 429, right.text);
		assert.equal(right.json?.error?.code, 'LOGIN_BLOCKED');
		assert.ok(right.json.error.message);
		assert.equal((await c.get('/api/me')).status, 401);
		const [u] = await stack.sql('SELECT blocked_until > now() AS b FROM ' +
		    'users WHERE email = $1', [acc.email]);
		assert.equal(u.b, true);
		// Another account is not affected.
		const other = await signUp(stack.client());
		const ok = await stack.client().login(other.email, PASSWORD);
		assert.equal(ok.status, 200, ok.text);
	});

	test('the web UI is served at / and at /rejoindre (SPA fallback) ' +
	    'with a Content-Security-Policy', async () => {
		const c = stack.client();
		const root = await c.get('/', { headers: { Accept: 'text/html' } });
		assert.equal(root.status, 200, root.text.slice(0, 200));
		assert.match(root.headers.get('content-type') || '', /text\/html/);
		assert.match(root.text, /<html[^>]*lang="fr"/);
		const csp = root.headers.get('content-security-policy');
		assert.ok(csp, 'no Content-Security-Policy on /');
		assert.match(csp, /default-src 'self'|default-src 'none'/);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
		const join = await c.get('/rejoindre?invitationId=1&code=ABCDEFGHJK',
		    { headers: { Accept: 'text/html' } });
		assert.equal(join.status, 200);
		assert.equal(join.text, root.text, '/rejoindre is not the SPA page');
		assert.ok(join.headers.get('content-security-policy'));
		const api = await c.get('/api/nope');
		assert.equal(api.status, 404, 'unknown API path answered');
		assert.match(api.headers.get('content-type') || '', /json/);
		const trav = await fetch(`${stack.httpUrl}/..%2f..%2f..%2fetc%2fpasswd`);
		const travText = await trav.text();
		assert.ok(!travText.includes('root:x:0:0'), 'path traversal');
	});

	test('GET /healthz is 200 with every part, 503 naming the mailer ' +
	    'when it is down, and 200 again after its restart', async () => {
		const h = await stack.health();
		assert.equal(h.status, 200, h.text);
		assert.deepEqual(h.json, { status: 'ok', database: true,
		    mailer: true, importer: true });
		await stack.kill('mailer', 'SIGKILL');
		const down = await waitFor(async () => {
			const x = await stack.health();
			return x.status === 503 ? x : null;
		}, { timeoutMs: 10000, what: 'GET /healthz 503' });
		assert.equal(down.json.mailer, false);
		assert.equal(down.json.database, true);
		assert.equal(down.json.importer, true);
		await stack.start('mailer');
		await stack.waitHealthy(15000);

		await stack.kill('importer', 'SIGKILL');
		const down2 = await waitFor(async () => {
			const x = await stack.health();
			return x.status === 503 ? x : null;
		}, { timeoutMs: 10000, what: 'GET /healthz 503' });
		assert.equal(down2.json.importer, false);
		assert.equal(down2.json.mailer, true);
		await stack.start('importer');
		await stack.waitHealthy(15000);
	});
});
