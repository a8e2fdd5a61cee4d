// import-faults.test.mjs - a big import (30 000 generated students, some
// seconds of work under ASan) survives faults and is never half-applied:
// the importer SIGKILLed while validating and again while applying, then
// restarted; the importer's PostgreSQL connections terminated (what a
// server restart does to a client) while validating and again while
// applying. Both are made certain, not a matter of timing: for "while
// validating" the test sends half of the file and strikes once the
// importer has read some of it (it parses a file while it is uploaded, so
// it cannot be done before the rest arrives; waiting to see the short
// "validating" state after the upload was a race); for "while applying"
// it holds a lock on one learner the apply must change, so the apply waits
// inside its transaction, having written the rest, when it strikes. Meanwhile a watcher reads the list every few milliseconds: it
// is always either the previous list or the new one, never a mix. The job
// is taken over once its lease runs out (IMPORTER_LEASE_MS=2000) and ends
// done; then a new import succeeds.
//
// The importer's connections are told apart by their application_name:
// the importer (only it) is started with PGAPPNAME=orga-importer-test,
// which libpq uses when the conninfo names none; the test terminates
// exactly the backends of this stack's database with that name
// (pg_terminate_backend), leaving orga's pool and the test's own
// connections alone. The cluster itself is shared by every test, so it is
// not restarted.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, test } from 'node:test';

import pg from 'pg';

import { PG_HOST, PG_PORT, startStack } from '../lib/stack.mjs';
import { waitFor } from '../lib/wait.mjs';
import { uniqueUai } from '../lib/orga.mjs';
import { adminSchool, gen, importCtl, learnersCsv, waitJob }
    from '../tools/siecle.mjs';

const BIG = 30000;
const APP = 'orga-importer-test';
const LEASE_MS = 2000;
// The family names --rename produces end with one of these.
const RENAMED = '-(VERNIÈRE|ŒILLET|ŠTEFANÍK|DUCŒUR)$';

// startImporter starts the importer alone with PGAPPNAME set (the stack
// gives every daemon the same environment).
async function startImporter(stack) {
	const env = stack.env;
	stack.env = { ...env, PGAPPNAME: APP };
	try {
		await stack.start('importer');
	} finally {
		stack.env = env;
	}
}

// state is one consistent reading of the list (one statement).
async function state(stack, sch) {
	const r = await stack.sql('SELECT count(*) FILTER (WHERE active)::int ' +
	    'AS active, count(*) FILTER (WHERE NOT active)::int AS gone, ' +
	    'count(*) FILTER (WHERE active AND last_name ~ $2)::int AS renamed ' +
	    'FROM learners WHERE organization_id = $1', [sch.orgId, RENAMED]);
	return r[0];
}

/*
 * watch(stack, sch, allowed) reads the state every 20 ms until stopped
 * and records any reading that is not one of `allowed` (JSON strings of
 * states). Returns {stop() -> {readings, bad, seen}}.
 */
const watchers = new Set();
function watch(stack, sch, allowed) {
	let running = true;
	const bad = [];
	const seen = new Set();
	let readings = 0;
	const loop = (async () => {
		while (running) {
			try {
				const s = JSON.stringify(await state(stack, sch));
				readings++;
				seen.add(s);
				if (!allowed.includes(s))
					bad.push(s);
			} catch (e) {
				bad.push(`error: ${e.message}`);
			}
			// The pace of the readings, not a wait for an event.
			await sleep(20);
		}
	})();
	const w = { async stop() {
		running = false;
		watchers.delete(w);
		await loop;
		return { readings, bad, seen: [...seen] };
	} };
	watchers.add(w);
	return w;
}

// jobRow reads the job's row (status, progress, attempts) by SQL.
async function jobRow(stack, id) {
	const r = await stack.sql('SELECT status, progress_bytes::int AS ' +
	    'progress, attempts, errors FROM import_jobs WHERE id = $1', [id]);
	return r[0];
}

// waitApplying polls the job every 10 ms until it is applying.
function waitApplying(stack, id) {
	return waitFor(async () => {
		const j = await jobRow(stack, id);
		if (['done', 'failed', 'cancelled'].includes(j.status))
			throw new Error(`job ${id} ended (${j.status}) before applying`);
		return j.status === 'applying' ? j : null;
	}, { timeoutMs: 120000, intervalMs: 10, what: `job ${id} applying` });
}

// terminateImporter ends this stack's importer backends; returns how many.
async function terminateImporter(stack) {
	const r = await stack.sql('SELECT count(pg_terminate_backend(pid))::int ' +
	    'AS n FROM pg_stat_activity WHERE datname = current_database() ' +
	    'AND application_name = $1 AND pid <> pg_backend_pid()', [APP]);
	return r[0].n;
}

/*
 * holdLearner locks one learner row (SELECT … FOR UPDATE in an open
 * transaction of its own) so that an apply which must change that row
 * waits inside its transaction, half done: the faults then strike in the
 * middle of the apply, whatever the speed of the machine. Returns
 * {release()}.
 */
async function holdLearner(stack, sch, ine) {
	const c = new pg.Client({ host: PG_HOST, port: PG_PORT,
	    user: 'postgres', database: stack.dbName });
	c.on('error', () => { /* terminated by the stack's DROP DATABASE */ });
	await c.connect();
	await c.query('BEGIN');
	const r = await c.query('SELECT id FROM learners WHERE ' +
	    'organization_id = $1 AND ine = $2 FOR UPDATE', [sch.orgId, ine]);
	assert.equal(r.rows.length, 1, `no learner ${ine} to hold`);
	const h = { async release() {
		if (!holds.delete(h))
			return;
		await c.query('ROLLBACK').catch(() => {});
		await c.end().catch(() => {});
	} };
	holds.add(h);
	return h;
}
const holds = new Set();

/*
 * halfUpload starts the upload of file with only its first half sent.
 * Returns {id (the job's), finish() -> HTTP status once the rest is sent}.
 */
async function halfUpload(stack, sch, file) {
	const body = fs.readFileSync(file);
	const req = http.request(`${stack.httpUrl}${sch.base}/imports` +
	    '?confirm=true', { method: 'POST', headers: {
	    Authorization: `Bearer ${sch.token}`,
	    'Content-Type': 'application/zip' } });
	const answer = new Promise((resolve) => {
		req.on('response', (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode));
		});
		req.on('error', (e) => resolve(`error: ${e.message}`));
	});
	req.write(body.subarray(0, body.length >> 1));
	const job = await waitFor(async () => {
		const r = await stack.sql('SELECT id::int AS id FROM import_jobs ' +
		    'WHERE organization_id = $1 AND status = \'uploading\'',
		    [sch.orgId]);
		return r[0] ?? null;
	}, { what: 'the upload\'s job' });
	return { id: job.id, finish() {
		req.end(body.subarray(body.length >> 1));
		return answer;
	} };
}

// waitReading waits until the importer has read some of job id's upload.
function waitReading(stack, id) {
	return waitFor(async () => {
		const j = await jobRow(stack, id);
		if (j.status !== 'uploading')
			throw new Error(`job ${id} ${j.status} before its end arrived`);
		return j.progress > 0 ? j : null;
	}, { timeoutMs: 120000, intervalMs: 10, what: `job ${id} being read` });
}

// waitBlocked waits until one of the importer's statements on `table`
// waits for a lock the test holds.
function waitBlocked(stack, table, what) {
	return waitFor(async () => {
		const r = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'pg_stat_activity WHERE datname = current_database() AND ' +
		    'application_name = $1 AND wait_event_type = \'Lock\' AND ' +
		    'query ~ $2', [APP, table]);
		return r[0].n > 0;
	}, { timeoutMs: 120000, intervalMs: 20, what });
}
const waitApplyBlocked = (stack) => waitBlocked(stack, 'learners',
    'the apply waiting for the held learner');

describe('an import survives faults, never half-applied', () => {
	let stack;
	let sch;
	let big;
	before(async () => {
		stack = await startStack({ name: 'import-faults', gar: false,
		    daemons: ['orga', 'mailer'], wait: false,
		    env: { IMPORTER_LEASE_MS: String(LEASE_MS),
		        IMPORTER_POLL_MS: '200' } });
		await startImporter(stack);
		await stack.waitHealthy();
		sch = await adminSchool(stack, { uai: uniqueUai(),
		    name: 'Lycée Résistant' });
		const apps = await stack.sql('SELECT count(*)::int AS n FROM ' +
		    'pg_stat_activity WHERE datname = current_database() AND ' +
		    'application_name = $1', [APP]);
		assert.ok(apps[0].n > 0, 'no importer connection carries ' +
		    `application_name ${APP}`);
		big = await gen('big.zip', { students: BIG, seed: 32, uai: sch.uai,
		    left: 2, notArrived: 1, groups: true, zip: true });
	});
	// A failed test must not leave its watcher polling forever, nor its
	// lock held.
	afterEach(async () => {
		for (const w of [...watchers])
			await w.stop();
		for (const h of [...holds])
			await h.release();
	});
	after(async () => { await stack?.stop(); });

	test('importer SIGKILLed while validating, restarted, SIGKILLed while ' +
	    'applying, restarted: the previous list stays whole until the job, ' +
	    'taken over after its lease, applies the new one', async () => {
		const small = await gen('small.xml', { students: 1000, seed: 31,
		    uai: sch.uai });
		const r = await importCtl(stack, sch, small.file);
		assert.equal(r.code, 0, r.stderr);
		const n0 = small.expect.learners.length;
		const n1 = big.expect.learners.length;
		const before = JSON.stringify({ active: n0, gone: 0, renamed: 0 });
		const afterState = JSON.stringify({ active: n1, gone: n0,
		    renamed: 0 });
		assert.equal(JSON.stringify(await state(stack, sch)), before);

		const held = await holdLearner(stack, sch,
		    small.expect.learners[0].ine);
		const w = watch(stack, sch, [before, afterState]);
		const up = await halfUpload(stack, sch, big.file);
		const id = up.id;

		await waitReading(stack, id);
		await stack.kill('importer', 'SIGKILL');
		assert.equal(await up.finish(), 202);
		// Nobody works on it now: the list is the previous one.
		// Deliberately let time pass: the list must stay the same
		// while nobody works on the job.
		for (let i = 0; i < 5; i++) {
			assert.equal(JSON.stringify(await state(stack, sch)), before);
			await sleep(100);
		}
		assert.equal(await learnersCsv(stack, sch), small.csv);
		await startImporter(stack);

		const ap = await waitApplying(stack, id);
		assert.ok(ap.attempts >= 2, `attempts ${ap.attempts}`);
		// The apply has inserted the new students and waits to mark the
		// held one gone: kill it there, then let the row go.
		await waitApplyBlocked(stack);
		assert.equal(JSON.stringify(await state(stack, sch)), before);
		await stack.kill('importer', 'SIGKILL');
		assert.equal((await jobRow(stack, id)).status, 'applying');
		await held.release();
		assert.equal(JSON.stringify(await state(stack, sch)), before);
		await startImporter(stack);

		const end = await waitJob(stack, sch, id, { timeoutMs: 180000 });
		const seen = await w.stop();
		assert.equal(end.status, 'done', JSON.stringify(end.errors));
		assert.deepEqual(end.preview, { toAdd: n1, toUpdate: 0, unchanged: 0,
		    toDeactivate: n0 });
		assert.deepEqual(seen.bad, [], 'half-applied readings');
		assert.ok(seen.readings > 50, `only ${seen.readings} readings`);
		const row = await jobRow(stack, id);
		assert.ok(row.attempts >= 3, `attempts ${row.attempts}`);
		assert.equal(JSON.stringify(await state(stack, sch)), afterState);
		assert.equal(await learnersCsv(stack, sch), big.csv);
		stack.assertAlive();
	});

	test('the importer\'s PostgreSQL connections terminated while ' +
	    'validating and while applying: the job resumes and ends done, ' +
	    'never half-applied; then a new import succeeds', async () => {
		const n1 = big.expect.learners.length;
		const cur = await state(stack, sch);
		assert.equal(cur.active, n1);
		const next = await gen('big-next.zip', { students: BIG, seed: 32,
		    uai: sch.uai, left: 2, notArrived: 1, groups: true, zip: true,
		    variant: 3, rename: 10, remove: 5 });
		const ne = next.expect;
		const renamed = ne.learners.filter((l) =>
		    new RegExp(RENAMED).test(l.lastName)).length;
		const removed = big.expect.learners.length - ne.learners.length;
		assert.ok(renamed > 1000 && removed > 500, `${renamed} ${removed}`);
		const before = JSON.stringify(cur);
		const afterState = JSON.stringify({ active: ne.learners.length,
		    gone: cur.gone + removed, renamed });

		const nextInes = new Set(ne.learners.map((l) => l.ine));
		const leaving = big.expect.learners.find((l) => !nextInes.has(l.ine));
		const held = await holdLearner(stack, sch, leaving.ine);
		const w = watch(stack, sch, [before, afterState]);
		const up = await halfUpload(stack, sch, next.file);
		const id = up.id;

		await waitReading(stack, id);
		const k1 = await terminateImporter(stack);
		assert.ok(k1 >= 1, 'no importer backend to terminate');
		assert.equal(await up.finish(), 202);
		// Deliberately let time pass: the list must stay the same
		// while nobody works on the job.
		for (let i = 0; i < 5; i++) {
			assert.equal(JSON.stringify(await state(stack, sch)), before);
			await sleep(100);
		}
		await waitApplying(stack, id);
		await waitApplyBlocked(stack);
		const k2 = await terminateImporter(stack);
		assert.ok(k2 >= 1, 'no importer backend to terminate (applying)');
		assert.equal((await jobRow(stack, id)).status, 'applying');
		await held.release();

		const end = await waitJob(stack, sch, id, { timeoutMs: 180000 });
		const seen = await w.stop();
		assert.deepEqual(seen.bad, []);
		// Resumed after each loss of the database, it ends done.
		assert.equal(end.status, 'done', JSON.stringify(end.errors));
		assert.equal(end.preview.toDeactivate, removed);
		assert.equal(JSON.stringify(await state(stack, sch)), afterState);
		assert.equal(await learnersCsv(stack, sch), next.csv);
		assert.ok((await jobRow(stack, id)).attempts >= 3);
		stack.assertAlive();   // the importer lived through it

		// The importer works normally afterwards.
		const again = await gen('after.xml', { students: 500, seed: 33,
		    uai: sch.uai });
		const r = await importCtl(stack, sch, again.file);
		assert.equal(r.code, 0, r.stderr);
		assert.equal(await learnersCsv(stack, sch), again.csv);
	});
});
