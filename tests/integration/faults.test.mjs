// faults.test.mjs - mail survives an SMTP server that is down and a
// mailer that is killed: each mail arrives, exactly once.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';

import { startStack } from '../lib/stack.mjs';
import { waitFor } from '../lib/wait.mjs';
import { uniqueUai } from '../lib/orga.mjs';

// Long enough for several polls and retries (MAILER_RETRY_MAX_MS=1000,
// MAILER_POLL_MS=500 here) to have sent any duplicate.
const SETTLE_MS = 3000;

async function orgCreate(stack, name) {
	const uai = uniqueUai();
	const email = `ce.${uai.toLowerCase()}@ac-exemple.fr`;
	const r = await stack.orgactl('org', 'create', '--uai', uai,
	    '--name', name, '--email', email);
	assert.equal(r.code, 0, r.stderr);
	return { uai, email, name };
}

async function outbox(stack, email) {
	const rows = await stack.sql('SELECT status, attempts, last_error, ' +
	    'sent_at FROM outbox WHERE recipient = $1', [email]);
	assert.equal(rows.length, 1, `outbox rows for ${email}`);
	return rows[0];
}

describe('faults', () => {
	const stacks = [];
	after(async () => {
		const errors = [];
		for (const s of stacks)
			await s.stop().catch((e) => errors.push(e.message));
		if (errors.length)
			throw new Error(errors.join('\n'));
	});

	test('SMTP server down when the invitation is created, then up: the ' +
	    'mail arrives once', async () => {
		const stack = await startStack({ name: 'fault-smtp',
		    mailerPollMs: 500 });
		stacks.push(stack);
		await stack.smtp.stop();
		const s = await orgCreate(stack, 'Lycée Panne');
		// The mailer tried and failed; the mail waits in the outbox.
		const row = await waitFor(async () => {
			const r = await outbox(stack, s.email);
			return r.attempts >= 2 ? r : null;
		}, { timeoutMs: 15000, what: 'two failed delivery attempts' });
		assert.equal(row.status, 'pending');
		assert.ok(row.last_error, 'no last_error recorded');
		assert.equal(stack.smtp.mails().length, 0);

		await stack.smtp.start();
		const mails = await stack.smtp.waitForMail({ to: s.email,
		    timeoutMs: 15000 });
		assert.match(mails[0].text, /Lycée Panne/);
		// Deliberately let time pass: a duplicate, if any, would come
		// later, and there is no event to poll for a mail never sent.
		await sleep(SETTLE_MS);
		assert.equal(stack.smtp.mailsTo(s.email).length, 1,
		    'the mail arrived more than once');
		assert.equal(stack.smtp.mails().length, 1);
		const done = await outbox(stack, s.email);
		assert.equal(done.status, 'sent');
		assert.ok(done.sent_at);
		await stack.stop();
	});

	test('mailer killed with mail queued, restarted: each mail arrives, ' +
	    'none twice', async () => {
		const stack = await startStack({ name: 'fault-mailer',
		    mailerPollMs: 500 });
		stacks.push(stack);
		await stack.smtp.stop();
		const schools = [];
		for (let i = 1; i <= 3; i++)
			schools.push(await orgCreate(stack, `Lycée Queue ${i}`));
		await waitFor(async () => {
			for (const s of schools) {
				if ((await outbox(stack, s.email)).attempts < 1)
					return false;
			}
			return true;
		}, { timeoutMs: 15000, what: 'a failed attempt on every mail' });

		const killed = await stack.kill('mailer', 'SIGKILL');
		assert.equal(killed.signal, 'SIGKILL');
		// Accepted while no mailer runs: the wake-up is lost, not the mail.
		schools.push(await orgCreate(stack, 'Lycée Sans Facteur'));
		// Deliberately let time pass: with no mailer running, nothing
		// may have sent the mails meanwhile (there is nothing to poll for).
		await sleep(500);
		for (const s of schools)
			assert.equal((await outbox(stack, s.email)).status, 'pending');

		await stack.start('mailer');
		await stack.smtp.start();
		const all = await stack.smtp.waitForMail({ count: schools.length,
		    timeoutMs: 20000 });
		assert.equal(all.length, schools.length);
		// Deliberately let time pass, for any duplicate to arrive.
		await sleep(SETTLE_MS);
		for (const s of schools) {
			const got = stack.smtp.mailsTo(s.email);
			assert.equal(got.length, 1, `${s.email}: ${got.length} mails`);
			assert.ok(got[0].text.includes(s.name));
			assert.equal((await outbox(stack, s.email)).status, 'sent');
		}
		assert.equal(stack.smtp.mails().length, schools.length);
		await stack.waitHealthy(15000);
		await stack.stop();
	});
});
