// assess.mjs - helpers of the assessment tests: the fixture bundle's
// solutions (tests/fixtures/content), answers built from them, and a
// student of a school linked to a learner written with SQL.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ROOT } from './stack.mjs';
import { acceptTerms, signUp, uniqueEmail } from './orga.mjs';

export const FIXTURE = path.join(ROOT, 'tests/fixtures/content');

// questions() -> Map question id -> its JSON in the fixture bundle.
export function questions(dir = FIXTURE) {
	const map = new Map();
	const cdir = path.join(dir, 'competences');
	for (const f of fs.readdirSync(cdir)) {
		const doc = JSON.parse(fs.readFileSync(path.join(cdir, f), 'utf8'));
		for (const t of doc.topics)
			for (const s of t.skills)
				for (const q of s.questions)
					map.set(q.id, q);
	}
	return map;
}

// rightAnswer(q) -> the body of a right answer to q.
export function rightAnswer(q) {
	if (q.kind === 'QCU' || q.kind === 'QCM')
		return { questionId: q.id, choices: q.solution };
	if (q.kind === 'QROC')
		return { questionId: q.id, texts: [q.answers[0]] };
	return { questionId: q.id, texts: q.fields.map((f) => f.answers[0]) };
}

let ine = 0;

/*
 * student(stack, sch, {firstName, lastName, classCode}) signs up an
 * account, writes its learner in the school with SQL and links it through
 * the campaign `code`. Returns {client, email, password, learnerIne}.
 */
export async function student(stack, sch, code, { firstName = 'Léa',
    lastName = 'Durand', classCode = '3A' } = {}) {
	const client = stack.client();
	const acc = await signUp(client, { firstName, lastName,
	    email: uniqueEmail('eleve') });
	await acceptTerms(client);
	ine++;
	const learnerIne = `${String(Date.now() % 1e9).padStart(9, '0')}${String(ine).padStart(2, '0')}`;
	await stack.sql('INSERT INTO learners (organization_id, ine, last_name, ' +
	    'first_name, birth_date, class_code) VALUES ($1, $2, $3, $4, ' +
	    '\'2010-03-05\', $5)', [sch.orgId, learnerIne, lastName, firstName,
	    classCode]);
	const l = await client.post(`/api/campaigns/${code}/link`,
	    { firstName, lastName, birthDate: '05/03/2010' });
	assert.equal(l.status, 200, l.text);
	return { client, email: acc.email, password: acc.password, learnerIne };
}
