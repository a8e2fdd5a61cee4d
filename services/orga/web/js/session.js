// session.js - who is logged in (GET /api/me, cached), logging out, and
// the "where to go next" kept across the login and CGU screens.

import { ApiError, del, get, setCsrfToken, setTokenLoader } from "./api.js";

let current;          // undefined: unknown; null: anonymous; else /api/me
let pending = null;

// loadMe returns the /api/me body, or null when nobody is logged in.
// force ignores the cache (after login, logout, CGU acceptance).
export async function loadMe(force) {
	if (!force && current !== undefined)
		return current;
	if (!force && pending)
		return pending;
	pending = (async () => {
		try {
			const me = await get("/api/me");
			setCsrfToken(me.csrfToken);
			current = me;
		} catch (e) {
			if (!(e instanceof ApiError) || e.status !== 401)
				throw e;
			setCsrfToken(null);
			current = null;
		} finally {
			pending = null;
		}
		return current;
	})();
	return pending;
}

setTokenLoader(() => loadMe(true));

export function forget() {
	current = undefined;
	setCsrfToken(null);
}

export async function logout() {
	try {
		await del("/api/session");
	} finally {
		forget();
		clearNext();
	}
}

export function displayName(me) {
	if (!me || !me.user)
		return "";
	return `${me.user.firstName || ""} ${me.user.lastName || ""}`.trim();
}

// Where to continue after /connexion or /cgu: a same-origin path only.
const NEXT_KEY = "orga.suite";

export function safePath(path) {
	if (typeof path !== "string" || !path.startsWith("/") ||
	    path.startsWith("//") || path.startsWith("/\\"))
		return null;
	return path;
}

export function setNext(path) {
	const safe = safePath(path);
	try {
		if (safe)
			sessionStorage.setItem(NEXT_KEY, safe);
	} catch (e) {
		/* storage disabled: the user lands on / instead */
	}
}

export function takeNext() {
	try {
		const path = safePath(sessionStorage.getItem(NEXT_KEY));
		sessionStorage.removeItem(NEXT_KEY);
		return path;
	} catch (e) {
		return null;
	}
}

export function clearNext() {
	try {
		sessionStorage.removeItem(NEXT_KEY);
	} catch (e) {
		/* nothing kept */
	}
}

export function herePath() {
	return location.pathname + location.search;
}

// gate sends the visitor where they must go first: /connexion when
// anonymous, /cgu when new terms must be accepted. It returns the /api/me
// body when the current screen may be shown, else null (after routing).
export async function gate(navigate) {
	const me = await loadMe();
	if (!me) {
		setNext(herePath());
		navigate("/connexion", { replace: true });
		return null;
	}
	if (me.mustAcceptTerms) {
		setNext(herePath());
		navigate("/cgu", { replace: true });
		return null;
	}
	return me;
}
