// page.mjs - what the browser tests share to read a page of the web UI:
// its h1 (the screens change without a page load, so it is polled), the
// error text tied to a field, the space's menu, and logging in.

import assert from 'node:assert/strict';

import { checkA11y } from './a11y.mjs';
import { poll } from './wait.mjs';

/*
 * h1(page, expected, {timeoutMs, a11y}) waits until the page's first h1
 * (spaces collapsed) equals expected (a string) or matches it (a RegExp),
 * 15 s at most, and returns its text; it fails the test with the text last
 * read. Every screen a test reaches this way is then checked with
 * checkA11y (a11y.mjs), unless a11y is false (a screen checked right after
 * by the test itself, in a hover or focus state).
 */
export async function h1(page, expected,
    { timeoutMs = 15000, a11y = true } = {}) {
	const read = () => page.locator('h1').first().innerText()
	    .then((t) => t.replace(/\s+/g, ' ').trim()).catch(() => '');
	const ok = (t) => (expected instanceof RegExp ? expected.test(t) :
	    t === expected);
	const text = await poll(read, ok, { timeoutMs });
	if (expected instanceof RegExp)
		assert.ok(ok(text), `h1 is "${text}", expected ${expected}`);
	else
		assert.equal(text, expected);
	if (a11y)
		await checkA11y(page, text);
	return text;
}

/*
 * errorOf(locator, {invalid}) returns the text of the field errors
 * (.field-error) that the control names in aria-describedby. With invalid
 * true it first waits for the control's aria-invalid="true".
 */
export async function errorOf(locator, { invalid = false } = {}) {
	if (invalid) {
		await locator.page().waitForFunction(
		    (el) => el.getAttribute('aria-invalid') === 'true',
		    await locator.elementHandle());
	}
	return locator.evaluate((el) => (el.getAttribute('aria-describedby') ||
	    '').split(/\s+/).map((id) => document.getElementById(id))
	    .filter((n) => n && n.classList.contains('field-error'))
	    .map((n) => n.textContent.trim()).join(' '));
}

// menu is the link `name` of the space's menu ("Menu principal").
export function menu(page, name) {
	return page.getByRole('navigation', { name: 'Menu principal' })
	    .getByRole('link', { name, exact: true });
}

/*
 * login(page, httpUrl, who) opens /connexion, logs in as who ({email,
 * password}) and waits for the space's first screen, "Campagnes".
 */
export async function login(page, httpUrl, who) {
	await page.goto(`${httpUrl}/connexion`);
	await h1(page, 'Connexion à Orga');
	await page.getByLabel('Adresse e-mail').fill(who.email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(who.password);
	await page.getByRole('button', { name: 'Je me connecte' }).click();
	await h1(page, 'Campagnes');
}
