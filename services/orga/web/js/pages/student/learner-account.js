// pages/student/learner-account.js - the Élèves list's "Compte" cell: how
// the linked account logs in (GAR, Identifiant, E-mail, or none) and, for
// ADMINs, "Dissocier" behind a confirmation dialog
// (POST …/learners/{id}/unlink).

import { enc, post } from "../../api.js";
import { h, loadStyles, uid } from "../../dom.js";
import { whileBusy } from "../../forms.js";

const METHODS = { GAR: "GAR", IDENTIFIER: "Identifiant", EMAIL: "E-mail" };

// accountStyles loads the styles of the "Compte" cell and its dialog.
export const accountStyles = () => loadStyles("student");

function fullName(l) {
	return `${l.firstName || ""} ${l.lastName || ""}`.trim();
}

// confirmUnlink opens a modal dialog; onYes() runs on "Dissocier" and
// returns an error text or null. Focus goes back to opener on close.
function confirmUnlink(opener, l, onYes) {
	const titleId = uid("dissocier");
	const textId = `${titleId}-texte`;
	const error = h("p", { class: "field-error", role: "alert" });
	const yes = h("button", { type: "button",
	    class: "button unlink-yes" }, "Dissocier");
	const no = h("button", { type: "button",
	    class: "button button-secondary" }, "Annuler");
	const dialog = h("dialog", { class: "unlink-dialog",
	    "aria-labelledby": titleId, "aria-describedby": textId },
	    h("h2", { id: titleId }, `Dissocier le compte de ${fullName(l)} ?`),
	    h("p", { id: textId }, `${fullName(l)} ne sera plus rattaché(e) à ` +
		`son compte (${METHODS[l.loginMethod] || "compte"}). Ses ` +
		"participations déjà faites restent. À sa prochaine campagne, " +
		"l'élève devra de nouveau saisir sa date de naissance."),
	    error,
	    h("div", { class: "import-actions" }, yes, no));
	const close = () => {
		dialog.close();
		dialog.remove();
		if (opener.isConnected)
			opener.focus();
	};
	no.addEventListener("click", close);
	dialog.addEventListener("cancel", (event) => {
		event.preventDefault();
		close();
	});
	yes.addEventListener("click", () => whileBusy(yes, "Un instant…",
	    async () => {
		const failed = await onYes();
		if (failed) {
			error.textContent = failed;
			return;
		}
		dialog.close();
		dialog.remove();
	    }));
	document.body.append(dialog);
	dialog.showModal();
	no.focus();
}

// accountCell builds the td for learner l of the school at base (the
// API path); onDone(text) is told after an unlink.
export function accountCell(base, l, isAdmin, onDone) {
	const label = METHODS[l.loginMethod];
	const td = h("td", { class: "learner-account" });
	if (!label) {
		td.append(h("span", { "aria-hidden": "true" }, "—"),
		    h("span", { class: "visually-hidden" }, "Aucun compte"));
		return td;
	}
	td.append(label);
	if (!isAdmin)
		return td;
	const button = h("button", { type: "button",
	    class: "button-secondary button-small",
	    "aria-label": `Dissocier le compte de ${fullName(l)}` },
	    "Dissocier");
	button.addEventListener("click", () => confirmUnlink(button, l,
	    async () => {
		try {
			await post(`${base}/learners/${enc(l.id)}/unlink`, {});
		} catch (e) {
			if (e.code !== "LEARNER_NOT_LINKED")
				return e.message;
		}
		onDone(`Le compte de ${fullName(l)} a été dissocié.`);
		return null;
	    }));
	td.append(button);
	return td;
}
