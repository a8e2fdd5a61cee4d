// a11y.mjs - the accessibility check of the browser tests: axe-core
// (npm @axe-core/playwright) on the page as it is now (so a hovered
// button or a focused field is judged in that state), failing the test on
// any serious or critical violation, each named with its elements.

import assert from 'node:assert/strict';

import AxeBuilder from '@axe-core/playwright';

const BAD = new Set(['serious', 'critical']);

// describe turns one axe violation into a line a failing test can show.
function describe(v) {
	const where = v.nodes.slice(0, 5).map((n) => {
		const why = (n.failureSummary || '').replace(/\s+/g, ' ').trim();
		return `    ${n.target.join(' ')}: ${why}`;
	}).join('\n');
	return `${v.id} (${v.impact}, ${v.nodes.length} element(s)): ` +
	    `${v.help}\n${where}`;
}

/*
 * checkA11y(page, label, {hover, focus}) runs axe-core on page and fails
 * with every serious or critical violation, label naming the screen.
 * hover (a locator) is hovered and focus (a locator) focused first, so
 * that their :hover / :focus styles are what axe judges. Returns the
 * violations of lower impact, for a test that wants to look at them.
 */
export async function checkA11y(page, label, { hover, focus } = {}) {
	if (hover)
		await hover.hover();
	if (focus)
		await focus.focus();
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => BAD.has(v.impact));
	assert.equal(bad.length, 0, `accessibility of "${label}" ` +
	    `(${page.url()}):\n${bad.map(describe).join('\n')}`);
	return results.violations;
}
