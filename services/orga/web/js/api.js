// api.js - the one way the UI talks to the orga daemon: JSON over fetch,
// same-origin cookie, X-CSRF-Token on state changes, and the API's error
// JSON turned into an ApiError whose messages are in French.

// Fallback messages by error code, used only when the server sent none
// (a proxy error page, the network down, an old server).
const FALLBACK = {
	NETWORK: "Le serveur ne répond pas. Vérifiez votre connexion " +
	    "puis réessayez.",
	INTERNAL: "Une erreur inattendue est survenue. Réessayez dans " +
	    "quelques instants.",
	UNAUTHENTICATED: "Votre session a expiré. Veuillez vous reconnecter.",
	FORBIDDEN: "Vous n'avez pas accès à cette page.",
	NOT_FOUND: "Cette page n'existe pas ou vous n'y avez pas accès.",
	CSRF_INVALID: "Votre session a changé. Rechargez la page puis " +
	    "réessayez.",
	FIELD_REQUIRED: "Ce champ est obligatoire.",
	EMAIL_INVALID: "Saisissez une adresse e-mail valide, par exemple " +
	    "nom@exemple.fr.",
	EMAIL_TAKEN: "Cette adresse e-mail est déjà utilisée par un compte. " +
	    "Connectez-vous avec ce compte.",
	PASSWORD_WEAK: "Votre mot de passe doit contenir au moins 8 " +
	    "caractères, dont une majuscule, une minuscule et un chiffre.",
	LOGIN_FAILED: "L'adresse e-mail ou le mot de passe est incorrect.",
	LOGIN_BLOCKED: "Votre compte est temporairement bloqué après trop " +
	    "de tentatives. Réessayez plus tard.",
	INVITATION_NOT_FOUND: "Ce lien d'invitation n'est pas valide.",
	INVITATION_ACCEPTED: "Cette invitation a déjà été acceptée.",
	INVITATION_CANCELLED: "Cette invitation a été annulée.",
	INVITATION_OTHER_EMAIL: "Cette invitation a été envoyée à une autre " +
	    "adresse e-mail que celle de votre compte.",
	TERMS_NOT_ACCEPTED: "Vous devez d'abord accepter les conditions " +
	    "générales d'utilisation.",
	TERMS_OUTDATED: "Les conditions générales d'utilisation ont changé. " +
	    "Lisez la nouvelle version.",
	ORGANIZATION_NOT_FOUND: "Cette organisation n'existe pas ou vous " +
	    "n'en êtes pas membre.",
	TOO_MANY_REQUESTS: "Trop de tentatives. Réessayez dans quelques " +
	    "minutes.",
};

const CODE_BY_STATUS = {
	401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND",
	429: "TOO_MANY_REQUESTS",
};

export function fallbackMessage(code) {
	return FALLBACK[code] || FALLBACK.INTERNAL;
}

// ApiError: status (0 for network), code, message, field, and errors,
// the list of {field, code, message} (at least the main one).
export class ApiError extends Error {
	constructor(status, code, message, field, errors) {
		super(message || fallbackMessage(code));
		this.name = "ApiError";
		this.status = status;
		this.code = code;
		this.field = field || null;
		this.errors = errors && errors.length > 0 ? errors :
		    [{ field: this.field, code, message: this.message }];
	}
}

function errorFrom(status, body) {
	const main = body && typeof body.error === "object" && body.error ?
	    body.error : {};
	const code = main.code || CODE_BY_STATUS[status] || "INTERNAL";
	const list = Array.isArray(body && body.errors) ? body.errors : [];
	const errors = list.map((e) => ({
		field: e.field || null,
		code: e.code || code,
		message: e.message || fallbackMessage(e.code || code),
	}));
	return new ApiError(status, code, main.message, main.field, errors);
}

let csrfToken = null;

// setCsrfToken is called by session.js with GET /api/me's csrfToken
// (null after logout).
export function setCsrfToken(token) {
	csrfToken = token || null;
}

let tokenLoader = null;

// setTokenLoader registers how to fetch a token when a state change is
// about to be sent without one (session.js installs it).
export function setTokenLoader(fn) {
	tokenLoader = fn;
}

async function send(method, path, body) {
	const headers = { Accept: "application/json" };
	const init = { method, headers, credentials: "same-origin",
	    cache: "no-store" };
	if (method !== "GET" && method !== "HEAD") {
		if (csrfToken)
			headers["X-CSRF-Token"] = csrfToken;
		headers["Content-Type"] = "application/json";
		init.body = JSON.stringify(body === undefined ? {} : body);
	}
	let response;
	try {
		response = await fetch(path, init);
	} catch (e) {
		throw new ApiError(0, "NETWORK");
	}
	let data = null;
	const type = response.headers.get("Content-Type") || "";
	if (response.status !== 204 && type.includes("application/json")) {
		try {
			data = await response.json();
		} catch (e) {
			data = null;
		}
	}
	if (!response.ok)
		throw errorFrom(response.status, data);
	return data === null ? {} : data;
}

// request sends one call and returns the parsed JSON body ({} if none).
// A state change made without a CSRF token first asks for one; a refusal
// for a stale token is retried once with a fresh one.
export async function request(method, path, body) {
	const changes = method !== "GET" && method !== "HEAD";
	if (changes && !csrfToken && tokenLoader)
		await tokenLoader().catch(() => null);
	try {
		return await send(method, path, body);
	} catch (e) {
		if (!changes || !tokenLoader || e.status !== 403 ||
		    !/CSRF/i.test(e.code))
			throw e;
		setCsrfToken(null);
		await tokenLoader().catch(() => null);
		return send(method, path, body);
	}
}

export const get = (path) => request("GET", path);
export const post = (path, body) => request("POST", path, body);
export const del = (path) => request("DELETE", path);

// Path pieces from the URL or the user go through encodeURIComponent.
export const enc = encodeURIComponent;
