// wait.mjs - polling with a deadline, the one way the tests wait for
// something to happen (a mail, a job's status, a page's heading): never a
// fixed sleep, which is either too short on a busy machine or wasted time.

import { setTimeout as sleep } from 'node:timers/promises';

/*
 * poll(fn, done, {timeoutMs, intervalMs}) calls fn (sync or async) until
 * done(value) holds or timeoutMs has passed, every intervalMs. Returns the
 * last value, whether done or not: the caller asserts on it, so that a
 * failure shows what was last seen.
 */
export async function poll(fn, done, { timeoutMs = 10000,
    intervalMs = 100 } = {}) {
	const end = Date.now() + timeoutMs;
	let v = await fn();
	while (!done(v) && Date.now() < end) {
		await sleep(intervalMs);
		v = await fn();
	}
	return v;
}

/*
 * waitFor(fn, {timeoutMs, intervalMs, what}) polls fn until it returns a
 * truthy value, and returns that value. An exception thrown by fn counts
 * as "not yet" (its message is kept for the timeout error). Throws
 * "timed out after N ms waiting for <what>" past the deadline.
 */
export async function waitFor(fn, { timeoutMs = 10000, intervalMs = 100,
    what = 'condition' } = {}) {
	const end = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			const v = await fn();
			if (v)
				return v;
		} catch (e) {
			last = e;
		}
		if (Date.now() > end) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ` +
			    `${what}${last ? `: ${last.message}` : ''}`);
		}
		await sleep(intervalMs);
	}
}
