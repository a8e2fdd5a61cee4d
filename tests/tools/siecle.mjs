// siecle.mjs - what the import tests share: the file generator
// (gen-siecle.py), a school with its ADMIN (session and API token), the
// three ways to import (orgactl, HTTP with a bearer token, HTTP with the
// ADMIN's session cookie), waiting for a job, and reading the list back
// (orgactl learners CSV, the learners API, SQL).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, jsonOrNull, run } from '../lib/stack.mjs';
import { poll } from '../lib/wait.mjs';
import { schoolWithAdmin } from '../lib/orga.mjs';

export const SAMPLES = process.env.SIECLE_SAMPLES_DIR ||
    path.resolve(ROOT, '..', 'shared', 'siecle-samples');
const GEN = path.join(ROOT, 'tests/tools/gen-siecle.py');
const PYTHON = '/usr/bin/python3';

export const CSV_HEADER = 'INE;Nom;Prénom;Date de naissance;Classe';
export const FINAL = new Set(['done', 'failed', 'cancelled']);

// tmpDir is one directory per test process for generated files.
let tmp = null;
export function tmpDir() {
	if (!tmp) {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orga-siecle-'));
		process.on('exit', () => {
			if (!process.env.TEST_KEEP_VAR)
				fs.rmSync(tmp, { recursive: true, force: true });
		});
	}
	return tmp;
}

/*
 * gen(name, opts) runs gen-siecle.py into tmpDir()/name. opts: students,
 * uai, seed and any other option in camelCase (notArrived: 2, groups:
 * true, brk: 'no-sex' for --break). Returns {file, csv (expected
 * `orgactl learners` output), expect (the --expect-json object)}.
 */
export async function gen(name, opts) {
	const dir = tmpDir();
	const file = path.join(dir, name);
	const csvFile = `${file}.expect.csv`;
	const jsonFile = `${file}.expect.json`;
	const args = [GEN, '-o', file, '--expect', csvFile, '--expect-json',
	    jsonFile];
	for (const [k, v] of Object.entries(opts)) {
		if (v === undefined || v === false)
			continue;
		const flag = k === 'brk' ? '--break' :
		    `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
		args.push(flag);
		if (v !== true)
			args.push(String(v));
	}
	const r = await run(PYTHON, args, { timeoutMs: 300000 });
	assert.equal(r.code, 0, `gen-siecle ${args.join(' ')}: ${r.stderr}`);
	return { file, csv: fs.readFileSync(csvFile, 'utf8'),
	    expect: JSON.parse(fs.readFileSync(jsonFile, 'utf8')) };
}

/*
 * adminSchool(stack, {uai, name}) creates the school with orgactl; its
 * référent signs up, accepts the CGU and joins as ADMIN; an API token is
 * made for them with `orgactl token create`. Returns {uai, orgId, base,
 * admin (session client), adminEmail, token}.
 */
export async function adminSchool(stack, { uai, name = 'Collège Siècle' }) {
	const s = await schoolWithAdmin(stack, { uai, name,
	    lastName: 'Proviseure' });
	assert.equal(s.accepted.json.role, 'ADMIN');
	const t = await stack.orgactl('token', 'create', '--email', s.adminEmail);
	assert.equal(t.code, 0, t.stderr);
	const token = t.stdout.trim();
	assert.match(token, /^orga_[A-Za-z0-9_-]{40}$/);
	return { ...s, token };
}

// contentType guesses the upload's type from the file name.
function contentType(file) {
	return file.endsWith('.zip') ? 'application/zip' : 'application/xml';
}

/*
 * upload(stack, sch, file, {via: 'token'|'cookie', confirm, type, body})
 * posts the file; returns {status, json, text}.
 */
export async function upload(stack, sch, file, { via = 'token',
    confirm = true, type, body } = {}) {
	const data = body ?? fs.readFileSync(file);
	const q = confirm ? '?confirm=true' : '';
	const ct = type ?? contentType(file);
	if (via === 'cookie') {
		return sch.admin.request('POST', `${sch.base}/imports${q}`, data,
		    { raw: true, headers: { 'Content-Type': ct } });
	}
	return tokenRequest(stack, sch, 'POST', `${sch.base}/imports${q}`,
	    { body: data, type: ct });
}

// tokenRequest is one HTTP request authenticated by the ADMIN's token.
export async function tokenRequest(stack, sch, method, p, { body, type,
    token } = {}) {
	const headers = { Accept: 'application/json',
	    Authorization: `Bearer ${token ?? sch.token}` };
	if (type)
		headers['Content-Type'] = type;
	const res = await fetch(stack.httpUrl + p, { method, headers, body });
	const text = await res.text();
	return { status: res.status, json: jsonOrNull(text), text };
}

// job reads one job with the token.
export async function job(stack, sch, id) {
	const r = await tokenRequest(stack, sch, 'GET',
	    `${sch.base}/imports/${id}`);
	assert.equal(r.status, 200, r.text);
	return r.json;
}

// waitJob polls the job until its status is one of `until` (default: an
// end) and returns it.
export async function waitJob(stack, sch, id, { until = FINAL,
    timeoutMs = 60000 } = {}) {
	const j = await poll(() => job(stack, sch, id),
	    (v) => until.has(v.status), { timeoutMs, intervalMs: 50 });
	if (!until.has(j.status)) {
		throw new Error(`job ${id} still ${j.status} after ` +
		    `${timeoutMs} ms: ${JSON.stringify(j)}\n` + stack.logTails());
	}
	return j;
}

/*
 * importHttp(stack, sch, file, {via, confirm}) uploads and follows the job
 * to its end. With confirm false it waits for the preview (validated or
 * failed), checks it, confirms with POST …/confirm, and follows on.
 * Returns {job, preview (the validated job, when confirmed in two steps)}.
 */
export async function importHttp(stack, sch, file, { via = 'token',
    confirm = true, type } = {}) {
	const r = await upload(stack, sch, file, { via, confirm, type });
	assert.equal(r.status, 202, `upload ${file}: ${r.status} ${r.text}`);
	assert.ok(['queued', 'validating', 'validated', 'applying', 'done',
	    'failed'].includes(r.json.status), r.text);
	const id = r.json.id;
	if (confirm)
		return { job: await waitJob(stack, sch, id) };
	const preview = await waitJob(stack, sch, id,
	    { until: new Set(['validated', 'failed', 'cancelled']) });
	if (preview.status !== 'validated')
		return { job: preview };
	const c = via === 'cookie' ?
	    await sch.admin.post(`${sch.base}/imports/${id}/confirm`, {}) :
	    await tokenRequest(stack, sch, 'POST',
	        `${sch.base}/imports/${id}/confirm`);
	assert.equal(c.status, 202, c.text);
	return { job: await waitJob(stack, sch, id), preview };
}

// importCtl runs `orgactl import --uai U FILE`: {code, stdout, stderr}.
export function importCtl(stack, sch, file) {
	return stack.orgactl('import', '--uai', sch.uai, file,
	    { timeoutMs: 240000 });
}

// learnersCsv is the stdout of `orgactl learners --uai U [--all]`.
export async function learnersCsv(stack, sch, all = false) {
	const args = ['learners', '--uai', sch.uai];
	if (all)
		args.push('--all');
	const r = await stack.orgactl(...args, { timeoutMs: 120000 });
	assert.equal(r.code, 0, `orgactl ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

// apiLearners reads every page of GET …/learners with `client` (a session
// Client) or the token when client is null.
export async function apiLearners(stack, sch, { client = null,
    status = 'all', extra = '' } = {}) {
	const out = [];
	let total = null;
	let classes = null;
	for (let page = 1; ; page++) {
		const p = `${sch.base}/learners?status=${status}&pageSize=200` +
		    `&page=${page}${extra}`;
		const r = client ? await client.get(p) :
		    await tokenRequest(stack, sch, 'GET', p);
		assert.equal(r.status, 200, `GET ${p}: ${r.status} ${r.text}`);
		total = r.json.total;
		classes = r.json.classes;
		out.push(...r.json.learners);
		if (r.json.learners.length < 200 || out.length >= total)
			break;
	}
	assert.equal(out.length, total);
	return { learners: out, total, classes };
}

// snapshot is what "nothing changed" compares: every learner row.
export async function snapshot(stack, sch) {
	return stack.sql('SELECT id, ine, last_name, usage_name, first_name, ' +
	    'first_name2, first_name3, birth_date::text, sex, class_code, ' +
	    'active, left_at::text, updated_at::text FROM learners ' +
	    'WHERE organization_id = $1 ORDER BY id', [sch.orgId]);
}

// ctlMessages splits orgactl import's stderr into its "  - " lines.
export function ctlMessages(stderr) {
	return stderr.split('\n').filter((l) => l.startsWith('  - '))
	    .map((l) => l.slice(4));
}

// countsLine parses orgactl import's success line.
export function ctlCounts(stdout) {
	const m = /importée avec succès : (\d+) élève\(s\) ajouté\(s\), (\d+) mis à jour, (\d+) inchangé\(s\), (\d+) ne sont plus/
	    .exec(stdout);
	assert.ok(m, `no counts in: ${stdout}`);
	return { toAdd: Number(m[1]), toUpdate: Number(m[2]),
	    unchanged: Number(m[3]), toDeactivate: Number(m[4]) };
}
