// browser.mjs - Debian's Chromium driven by playwright-core for the
// browser tests: launch with a fresh profile (never a downloaded browser),
// screenshots under tests/artifacts/screenshots/ (each screen checked with
// axe-core first), and page-error capture.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { checkA11y } from "../lib/a11y.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SHOTS = path.resolve(HERE, "..", "artifacts", "screenshots");

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 375, height: 740 };

const ARGS = [
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
	"--no-first-run", "--disable-background-networking",
	"--disable-component-update", "--disable-sync",
];

// launch starts Chromium with its own throw-away profile directory.
// Returns {context, close()}; close() also removes the profile.
export async function launch(options) {
	const opts = options || {};
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), "orga-chromium-"));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
		headless: true,
		args: ARGS,
		viewport: opts.viewport || DESKTOP,
		locale: "fr-FR",
		timezoneId: "Europe/Paris",
		reducedMotion: "reduce",
	});
	return {
		context,
		async close() {
			await context.close().catch(() => null);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

// watch records console errors, page errors and CSP violations of page;
// problems() returns them (a test asserts it is empty).
export function watch(page) {
	const seen = [];
	page.on("pageerror", (e) => seen.push(`pageerror: ${e.message}`));
	page.on("console", (msg) => {
		if (msg.type() === "error")
			seen.push(`console: ${msg.text()}`);
	});
	return {
		problems: () => seen.filter((p) =>
		    !/Failed to load resource: the server responded with a status of (401|403|404|409|422|429)/
			.test(p)),
	};
}

// shot saves a full-page PNG as tests/artifacts/screenshots/NAME.png,
// after checking the screen as it is with axe-core (checkA11y): every
// state a test photographs (a form with its errors, an open panel) is
// judged too, as the screens reached through h1() are.
export async function shot(page, name) {
	await checkA11y(page, name);
	fs.mkdirSync(SHOTS, { recursive: true });
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

// tabUntil presses Tab until the focused element matches pred(info) or
// max presses; returns the list of focused elements' descriptions.
export async function tabOrder(page, max) {
	const order = [];
	for (let i = 0; i < max; i += 1) {
		await page.keyboard.press("Tab");
		order.push(await page.evaluate(() => {
			const el = document.activeElement;
			if (!el || el === document.body)
				return null;
			const style = getComputedStyle(el);
			const label = el.labels && el.labels[0] ?
			    el.labels[0].textContent.trim() : "";
			return {
				tag: el.tagName.toLowerCase(),
				name: el.getAttribute("name") || "",
				type: el.getAttribute("type") || "",
				text: (el.textContent || "").trim(),
				label,
				focusVisible: el.matches(":focus-visible"),
				outline: style.outlineStyle !== "none" &&
				    parseFloat(style.outlineWidth) >= 2,
			};
		}));
	}
	return order;
}
