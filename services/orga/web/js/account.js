// account.js - the two account forms shared by /rejoindre, /connexion and
// /inscription: create an account (POST /api/users) and log in
// (POST /api/session). Both open a session, then call onDone(me).

import { fallbackMessage, post } from "./api.js";
import { h } from "./dom.js";
import { clearErrors, field, formAlert, passwordField, showErrors,
    whileBusy } from "./forms.js";
import { forget, loadMe } from "./session.js";

const REQUIRED = {
	firstName: "Saisissez votre prénom.",
	lastName: "Saisissez votre nom.",
	email: "Saisissez votre adresse e-mail.",
	password: "Saisissez votre mot de passe.",
};

// Codes that come without a field but belong next to one.
const FIELD_BY_CODE = {
	PASSWORD_WEAK: "password", EMAIL_INVALID: "email",
	EMAIL_TAKEN: "email", LOGIN_FAILED: "password",
	INVITATION_OTHER_EMAIL: "email",
	LOGIN_BLOCKED: "password",
};

function missing(fields) {
	return fields
	    .filter((f) => f.input.value.trim() === "")
	    .map((f) => ({ field: f.name, message: REQUIRED[f.name] }));
}

function buildForm(opts, fields, buttonText, busyText, send) {
	const alert = formAlert();
	const button = h("button", { type: "submit", class: "button" },
	    buttonText);
	const form = h("form", { class: "form", novalidate: true,
	    "aria-labelledby": opts.headingId || null },
	    h("p", { class: "form-note" },
		"Tous les champs sont obligatoires."),
	    alert.el, fields.map((f) => f.el),
	    h("div", { class: "form-actions" }, button));
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		if (button.dataset.busy)
			return;
		clearErrors(fields, alert);
		const empty = missing(fields);
		if (empty.length > 0) {
			showErrors(fields, alert, empty);
			return;
		}
		const values = Object.fromEntries(fields.map((f) =>
		    [f.name, f.name === "password" ? f.input.value :
			f.input.value.trim()]));
		await whileBusy(button, busyText, async () => {
			try {
				await send(values);
				forget();
				const me = await loadMe(true);
				await opts.onDone(me);
			} catch (e) {
				if (e && e.errors) {
					showErrors(fields, alert, e.errors, FIELD_BY_CODE);
					return;
				}
				alert.show(fallbackMessage("INTERNAL"));
				console.error(e);
			}
		});
	});
	return form;
}

// signupForm: Prénom, Nom, Adresse e-mail, Mot de passe, "Je m'inscris".
// opts: onDone(me), email (prefill), headingId, invitation (from an
// invitation's page: {invitationId, invitationCode}, sent along so that
// another address than the invited one is refused first).
export function signupForm(opts) {
	const fields = [
		field({ name: "firstName", label: "Prénom",
		    autocomplete: "given-name" }),
		field({ name: "lastName", label: "Nom",
		    autocomplete: "family-name" }),
		field({ name: "email", label: "Adresse e-mail", type: "email",
		    autocomplete: "email", inputmode: "email",
		    hint: "Format attendu : nom@exemple.fr",
		    value: opts.email }),
		passwordField(true),
	];
	return buildForm(opts, fields, "Je m'inscris", "Inscription…",
	    (v) => post("/api/users", { ...v, ...(opts.invitation || {}) }));
}

// loginForm: Adresse e-mail, Mot de passe, "Je me connecte".
export function loginForm(opts) {
	const fields = [
		field({ name: "email", label: "Adresse e-mail", type: "email",
		    autocomplete: "username", inputmode: "email",
		    value: opts.email }),
		passwordField(false),
	];
	return buildForm(opts, fields, "Je me connecte", "Connexion…",
	    (v) => post("/api/session", v));
}
