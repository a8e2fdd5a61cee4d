// stack.mjs - starts a whole Orga stack for one test file: a fresh
// database in the test cluster, a fresh ORGA_VAR, the three daemons built
// under ASan/UBSan, an SMTP sink; and stops it, failing when a daemon
// exits non-zero (leaks, sanitizer reports, crashes).
//
// Environment: ORGA_BIN_DIR (default build/san/bin), TEST_PG_HOST (socket
// dir, default build/test-pg/run), TEST_PG_PORT (5599), TEST_HTTP_PORT_BASE
// (18100), TEST_SMTP_PORT_BASE (2700), TEST_GAR_PORT_BASE (18600, the
// local GAR), TEST_KEEP_VAR=1 keeps the var dirs.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import { parseMail } from './mail.mjs';
import { waitFor } from './wait.mjs';

export { parseMail } from './mail.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
    '..', '..');
const abs = (p) => path.resolve(ROOT, p);

export const BIN_DIR = abs(process.env.ORGA_BIN_DIR || 'build/san/bin');
export const PG_HOST = abs(process.env.TEST_PG_HOST || 'build/test-pg/run');
export const PG_PORT = Number(process.env.TEST_PG_PORT || 5599);
export const ARTIFACTS = abs(process.env.TEST_ARTIFACTS || 'tests/artifacts');
const PYTHON = '/usr/bin/python3';
const DAEMONS = ['orga', 'mailer', 'importer'];
// The local GAR (SAML identity provider) each stack runs beside orga.
const GAR_IDP = 'gar-idp';

// Children still running when the test process exits (a test that threw
// before stop(), a timeout) are killed so that no daemon outlives it.
const children = new Set();
process.on('exit', () => {
	for (const c of children)
		c.kill('SIGKILL');
});
function track(child) {
	children.add(child);
	child.on('exit', () => children.delete(child));
	return child;
}

// ---------------------------------------------------------------- ports

let nextPort = {};

function canListen(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
			srv.close(() => resolve(true));
		});
	});
}

// freePort returns a port at or above base that is free now; successive
// calls in one process never return the same port twice.
export async function freePort(base) {
	let p = nextPort[base] ?? base;
	for (let i = 0; i < 500; i++, p++) {
		if (await canListen(p)) {
			nextPort[base] = p + 1;
			return p;
		}
	}
	throw new Error(`no free port from ${base}`);
}

// ---------------------------------------------------------------- processes

// run executes a program to completion: {code, signal, stdout, stderr}.
export function run(file, args, { env, input, timeoutMs = 30000, cwd } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(file, args, { env, cwd: cwd || ROOT,
		    stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', (d) => { stdout += d; });
		child.stderr.on('data', (d) => { stderr += d; });
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (e) => { clearTimeout(timer); reject(e); });
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
		if (input !== undefined)
			child.stdin.end(input);
		else
			child.stdin.end();
	});
}

function tail(file, lines = 40) {
	try {
		const t = fs.readFileSync(file, 'utf8').split('\n');
		return t.slice(-lines).join('\n');
	} catch (e) {
		return `(no log: ${e.message})`;
	}
}

// jsonOrNull parses an answer's body, or is null when it is not JSON.
export function jsonOrNull(text) {
	try {
		return JSON.parse(text);
	} catch {
		return null;
	}
}

// ---------------------------------------------------------------- database

function pgConfig(database) {
	return { host: PG_HOST, port: PG_PORT, user: 'postgres', database };
}

async function adminQuery(text) {
	const c = new pg.Client(pgConfig('postgres'));
	await c.connect();
	try {
		return await c.query(text);
	} finally {
		await c.end();
	}
}

// ---------------------------------------------------------------- smtp sink

class SmtpSink {
	constructor(port, dir) {
		this.port = port;
		this.dir = dir;
		this.proc = null;
		this.url = `smtp://127.0.0.1:${port}`;
	}

	async start() {
		if (this.proc)
			return;
		fs.mkdirSync(this.dir, { recursive: true });
		const log = fs.openSync(path.join(this.dir, '..', 'smtp-sink.log'), 'a');
		const proc = track(spawn(PYTHON, [path.join(ROOT,
		    'tests/lib/smtp_sink.py'), '--port', String(this.port),
		    '--dir', this.dir], { stdio: ['ignore', 'pipe', log] }));
		fs.closeSync(log);
		this.proc = proc;
		this.exited = new Promise((resolve) => proc.on('exit',
		    (code, signal) => resolve({ code, signal })));
		await new Promise((resolve, reject) => {
			let out = '';
			const t = setTimeout(() => reject(new Error(
			    `smtp sink did not start on port ${this.port}`)), 15000);
			proc.stdout.setEncoding('utf8');
			proc.stdout.on('data', (d) => {
				out += d;
				if (out.includes('ready')) {
					clearTimeout(t);
					resolve();
				}
			});
			proc.on('exit', (code) => {
				clearTimeout(t);
				reject(new Error(`smtp sink exited (${code}) on port ` +
				    `${this.port}`));
			});
		});
	}

	async stop() {
		if (!this.proc)
			return;
		const proc = this.proc;
		this.proc = null;
		proc.kill('SIGTERM');
		const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
		await this.exited;
		clearTimeout(t);
	}

	get running() {
		return this.proc !== null;
	}

	// mails returns every received mail, oldest first, parsed, with
	// .file, .raw and .envelope ({mailFrom, rcptTos}).
	mails() {
		let names = [];
		try {
			names = fs.readdirSync(this.dir).filter((n) => /^\d+\.eml$/.test(n));
		} catch {
			return [];
		}
		names.sort();
		return names.map((n) => {
			const file = path.join(this.dir, n);
			const raw = fs.readFileSync(file);
			let envelope = null;
			try {
				envelope = JSON.parse(fs.readFileSync(file.replace(/\.eml$/,
				    '.json'), 'utf8'));
			} catch {
				/* the envelope is optional */
			}
			return { ...parseMail(raw), file, raw, envelope };
		});
	}

	// mailsTo returns the mails whose envelope or To header names addr.
	mailsTo(addr) {
		const a = addr.toLowerCase();
		return this.mails().filter((m) =>
		    (m.envelope && m.envelope.rcptTos.some((r) => r.toLowerCase() === a)) ||
		    (m.to && m.to.toLowerCase().includes(a)));
	}

	// waitForMail resolves with the array of mails to `to` (all mails when
	// `to` is omitted) once there are at least `count` of them.
	async waitForMail({ to, count = 1, timeoutMs = 15000 } = {}) {
		let got = [];
		try {
			await waitFor(() => {
				got = to ? this.mailsTo(to) : this.mails();
				return got.length >= count;
			}, { timeoutMs, intervalMs: 100 });
		} catch {
			throw new Error(`expected ${count} mail(s)${to ? ` to ${to}` : ''}` +
			    ` within ${timeoutMs} ms, got ${got.length}`);
		}
		return got;
	}
}

// ---------------------------------------------------------------- http client

class Client {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookies = new Map();
		this.csrfToken = null;
	}

	cookieHeader() {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	storeCookies(res) {
		const list = typeof res.headers.getSetCookie === 'function' ?
		    res.headers.getSetCookie() : [];
		for (const c of list) {
			const [pair, ...attrs] = c.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i).trim();
			const value = pair.slice(i + 1).trim();
			const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) ||
			    (/^\s*expires\s*=/i.test(a) &&
			    Date.parse(a.split('=').slice(1).join('=')) < Date.now()));
			if (expired || value === '')
				this.cookies.delete(name);
			else
				this.cookies.set(name, value);
		}
	}

	/*
	 * request(method, path, body?, opts) -> {status, json, text, headers}.
	 * opts.csrf=false leaves X-CSRF-Token out; opts.headers adds headers;
	 * opts.raw sends body as is (string) without the JSON content type.
	 * A state change made with a session cookie fetches /api/me's
	 * csrfToken first when the client has none yet.
	 */
	async request(method, p, body, opts = {}) {
		const headers = { Accept: 'application/json', ...(opts.headers || {}) };
		const stateChange = !['GET', 'HEAD'].includes(method);
		let payload;
		if (body !== undefined) {
			if (opts.raw) {
				payload = body;
			} else {
				payload = JSON.stringify(body);
				headers['Content-Type'] = 'application/json';
			}
		}
		if (stateChange && opts.csrf !== false && this.cookies.size > 0) {
			if (!this.csrfToken)
				await this.refreshCsrf();
			if (this.csrfToken)
				headers['X-CSRF-Token'] = this.csrfToken;
		}
		if (this.cookies.size > 0)
			headers.Cookie = this.cookieHeader();
		const res = await fetch(this.baseUrl + p, { method, headers,
		    body: payload, redirect: 'manual' });
		this.storeCookies(res);
		const text = await res.text();
		const json = (res.headers.get('content-type') || '')
		    .includes('json') ? jsonOrNull(text) : null;
		const out = { status: res.status, json, text, headers: res.headers };
		// A new session means a new CSRF token.
		if (res.status >= 200 && res.status < 300 &&
		    ((method === 'POST' && (p === '/api/session' || p === '/api/users')))) {
			this.csrfToken = null;
			await this.refreshCsrf();
		}
		if (method === 'DELETE' && p === '/api/session')
			this.csrfToken = null;
		return out;
	}

	async refreshCsrf() {
		const headers = { Accept: 'application/json' };
		if (this.cookies.size > 0)
			headers.Cookie = this.cookieHeader();
		const res = await fetch(this.baseUrl + '/api/me', { headers });
		this.storeCookies(res);
		if (res.status === 200) {
			const j = await res.json();
			this.csrfToken = j.csrfToken || null;
		} else {
			await res.text();
			this.csrfToken = null;
		}
	}

	get(p, opts) { return this.request('GET', p, undefined, opts); }
	post(p, body = {}, opts) { return this.request('POST', p, body, opts); }
	delete(p, body, opts) { return this.request('DELETE', p, body, opts); }

	// login is POST /api/session; returns the response.
	login(email, password) {
		return this.post('/api/session', { email, password });
	}
}

// ---------------------------------------------------------------- the stack

class Stack {
	constructor(opts) {
		this.opts = opts;
		this.procs = new Map();      // name -> {proc, exited, expectExit}
		this.finished = [];          // {name, code, signal, log}
		this.pool = null;
	}

	logFile(name) {
		return path.join(this.varDir, `${name}.log`);
	}

	// start(name) starts one daemon (again), logs appended to ORGA_VAR.
	async start(name) {
		if (this.procs.has(name))
			throw new Error(`${name} is already running`);
		const log = fs.openSync(this.logFile(name), 'a');
		const proc = track(spawn(path.join(BIN_DIR, name), [],
		    { env: this.env, cwd: ROOT, stdio: ['ignore', log, log] }));
		fs.closeSync(log);
		const entry = { proc, expectExit: false };
		entry.exited = new Promise((resolve) => {
			proc.on('exit', (code, signal) => {
				this.procs.delete(name);
				if (!entry.expectExit) {
					this.finished.push({ name, code, signal });
				}
				resolve({ code, signal });
			});
		});
		await new Promise((resolve, reject) => {
			proc.once('spawn', resolve);
			proc.once('error', reject);
		});
		this.procs.set(name, entry);
		return proc.pid;
	}

	pid(name) {
		const e = this.procs.get(name);
		return e ? e.proc.pid : null;
	}

	/*
	 * kill(name, signal='SIGKILL') sends signal and waits for the exit,
	 * which is then not counted against the stack at stop(). Resolves
	 * with {code, signal}.
	 */
	async kill(name, signal = 'SIGKILL') {
		const e = this.procs.get(name);
		if (!e)
			throw new Error(`${name} is not running`);
		e.expectExit = true;
		e.proc.kill(signal);
		return e.exited;
	}

	// health returns {status, json} of GET /healthz.
	async health() {
		const res = await fetch(this.httpUrl + '/healthz');
		const text = await res.text();
		return { status: res.status, json: jsonOrNull(text), text };
	}

	async waitHealthy(timeoutMs = 20000) {
		let last = null;
		try {
			await waitFor(async () => {
				this.assertAlive();
				last = await this.health();
				return last.status === 200;
			}, { timeoutMs, intervalMs: 150, what: 'GET /healthz 200' });
		} catch (e) {
			throw new Error(`${e.message}; last: ` +
			    `${last ? `${last.status} ${last.text}` : 'no answer'}\n` +
			    this.logTails());
		}
	}

	// assertAlive throws when a daemon exited without being asked to.
	assertAlive() {
		if (this.finished.length > 0) {
			const f = this.finished[0];
			throw new Error(`${f.name} exited (code ${f.code}, signal ` +
			    `${f.signal})\n${this.logTails()}`);
		}
	}

	logTails(lines = 30) {
		return [...DAEMONS, GAR_IDP].map((n) => `--- ${n}.log (tail) ---\n` +
		    tail(this.logFile(n), lines)).join('\n');
	}

	log(name) {
		try {
			return fs.readFileSync(this.logFile(name), 'utf8');
		} catch {
			return '';
		}
	}

	// orgactl(...args) -> {code, signal, stdout, stderr}. The last
	// argument may be an options object: {input, env, timeoutMs}.
	async orgactl(...args) {
		let opts = {};
		if (args.length && typeof args[args.length - 1] === 'object') {
			opts = args.pop();
		}
		return run(path.join(BIN_DIR, 'orgactl'), args.map(String), {
		    env: { ...this.env, ...(opts.env || {}) }, input: opts.input,
		    timeoutMs: opts.timeoutMs || 30000 });
	}

	// sql(text, params) -> rows, on this stack's database.
	async sql(text, params = []) {
		if (!this.pool) {
			this.pool = new pg.Pool({ ...pgConfig(this.dbName), max: 2 });
			this.pool.on('error', () => { /* connection killed */ });
		}
		const r = await this.pool.query(text, params);
		return r.rows;
	}

	client() {
		return new Client(this.httpUrl);
	}

	// artifact(name) is a path under tests/artifacts/<stack name>/ for
	// screenshots and the like (the directory is created).
	artifact(name) {
		const dir = path.join(ARTIFACTS, this.opts.name || 'stack');
		fs.mkdirSync(dir, { recursive: true });
		return path.join(dir, name);
	}

	/*
	 * stop() SIGTERMs every daemon (mailer and importer first, orga last),
	 * waits, stops the sink, drops the database and removes ORGA_VAR. It
	 * throws, with the log tails, when any daemon exited non-zero or by a
	 * signal, or did not exit within 15 s, or had exited on its own.
	 */
	async stop() {
		if (this.stopped)
			return;
		this.stopped = true;
		const problems = [];
		for (const f of this.finished) {
			problems.push(`${f.name} exited on its own during the test ` +
			    `(code ${f.code}, signal ${f.signal})`);
		}
		for (const name of [GAR_IDP, 'mailer', 'importer', 'orga']) {
			const e = this.procs.get(name);
			if (!e)
				continue;
			e.expectExit = true;
			e.proc.kill('SIGTERM');
			let timer;
			const r = await Promise.race([e.exited, new Promise((resolve) => {
				timer = setTimeout(() => resolve(null), 15000);
			})]);
			clearTimeout(timer);
			if (r === null) {
				e.proc.kill('SIGKILL');
				await e.exited;
				problems.push(`${name} did not exit within 15 s of SIGTERM`);
			} else if (r.code !== 0) {
				problems.push(`${name} exited with code ${r.code}, signal ` +
				    `${r.signal} after SIGTERM`);
			}
		}
		if (this.smtp)
			await this.smtp.stop();
		if (this.pool) {
			await this.pool.end().catch(() => {});
			this.pool = null;
		}
		try {
			await adminQuery(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
		} catch (e) {
			problems.push(`dropping ${this.dbName}: ${e.message}`);
		}
		const report = problems.length ? this.logTails(60) : '';
		if (problems.length === 0 && !process.env.TEST_KEEP_VAR)
			await fsp.rm(this.varDir, { recursive: true, force: true });
		if (problems.length) {
			throw new Error(`stack ${this.opts.name || ''}: ` +
			    `${problems.join('; ')}\n(logs kept in ${this.varDir})\n${report}`);
		}
	}
}

/*
 * startStack(opts) -> Stack, healthy (GET /healthz 200) unless
 * opts.wait === false.
 * opts: name (for logs/artifacts), smtp (default true: a sink on a free
 * port; false: no SMTP_URL, mail goes to $ORGA_VAR/mail/*.eml),
 * mailerPollMs (default 1000), env (extra/overriding variables),
 * daemons (default all three), gar (default true: the local GAR,
 * bin/gar-idp, on a free port with keys and metadata made by
 * scripts/gar-dev-keys.sh in $ORGA_VAR/gar; false: GAR login off).
 * The Stack has: httpUrl, garIdpUrl (or null), env, varDir, dbName,
 * smtp (sink or null),
 * orgactl(), sql(), client(), kill(), start(), health(), waitHealthy(),
 * log(name), artifact(name), stop().
 */
export async function startStack(opts = {}) {
	for (const d of [...DAEMONS, 'orgactl',
	    ...(opts.gar !== false ? [GAR_IDP] : [])]) {
		if (!fs.existsSync(path.join(BIN_DIR, d)))
			throw new Error(`missing ${path.join(BIN_DIR, d)}: build with ` +
			    '`make SANITIZE=1 all` or set ORGA_BIN_DIR');
	}
	const s = new Stack(opts);
	s.dbName = `orga_t_${randomBytes(6).toString('hex')}`;
	s.varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orga-t-'));
	fs.mkdirSync(path.join(s.varDir, 'run'), { recursive: true });
	await adminQuery(`CREATE DATABASE ${s.dbName}`);
	try {
		const httpPort = await freePort(Number(process.env.TEST_HTTP_PORT_BASE ||
		    18100));
		s.httpUrl = `http://127.0.0.1:${httpPort}`;
		s.smtp = null;
		if (opts.smtp !== false) {
			const port = await freePort(Number(process.env.TEST_SMTP_PORT_BASE ||
			    2700));
			s.smtp = new SmtpSink(port, path.join(s.varDir, 'smtp'));
			await s.smtp.start();
		}
		const supp = path.join(ROOT, 'tests/lsan.supp');
		s.env = {
			PATH: process.env.PATH,
			HOME: process.env.HOME || '/root',
			LANG: 'C.UTF-8',
			TZ: 'UTC',
			DATABASE_URL: `host=${PG_HOST} port=${PG_PORT} user=postgres ` +
			    `dbname=${s.dbName}`,
			ORGA_VAR: s.varDir,
			ORGA_HTTP_ADDR: `127.0.0.1:${httpPort}`,
			ORGA_PUBLIC_URL: s.httpUrl,
			ORGA_WEB_DIR: path.join(ROOT, 'services/orga/web'),
			ORGA_LOG_LEVEL: 'debug',
			// Parts of 1 MiB: a test file of a few MB is parsed in
			// parts at once, as a large school's is (8 MiB parts).
			IMPORTER_PART_MB: '1',
			MAILER_POLL_MS: String(opts.mailerPollMs ?? 1000),
			MAILER_RETRY_BASE_MS: '200',
			MAILER_RETRY_MAX_MS: '1000',
			ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
			LSAN_OPTIONS: `suppressions=${supp}:print_suppressions=0`,
			UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
			...(s.smtp ? { SMTP_URL: s.smtp.url } : {}),
			...(opts.env || {}),
		};
		s.garIdpUrl = null;
		if (opts.gar !== false) {
			const garPort = await freePort(Number(
			    process.env.TEST_GAR_PORT_BASE || 18600));
			s.garIdpUrl = `http://127.0.0.1:${garPort}`;
			s.env.GAR_IDP_ADDR = `127.0.0.1:${garPort}`;
			s.env.GAR_IDP_METADATA = path.join(s.varDir, 'gar',
			    'idp-metadata.xml');
			const keys = await run(path.join(ROOT,
			    'scripts/gar-dev-keys.sh'), [path.join(s.varDir, 'gar')],
			    { env: s.env });
			if (keys.code !== 0)
				throw new Error(`gar-dev-keys.sh: ${keys.stderr}`);
		}
		for (const d of opts.daemons || DAEMONS)
			await s.start(d);
		if (s.garIdpUrl) {
			await s.start(GAR_IDP);
			await waitFor(async () => {
				s.assertAlive();
				const r = await fetch(`${s.garIdpUrl}/metadata`);
				await r.text();
				return r.status === 200;
			}, { timeoutMs: 15000, what: 'gar-idp' });
		}
		if (opts.wait !== false)
			await s.waitHealthy();
	} catch (e) {
		await s.stop().catch((e2) => {
			e.message += `\n(while stopping: ${e2.message})`;
		});
		throw e;
	}
	return s;
}
