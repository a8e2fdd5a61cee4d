// pages/team/invite.js - "Inviter un membre" on the Équipe page: the
// addresses (one or several), the role, and one outcome line per address
// (POST /api/organizations/{id}/invitations).

import { post } from "../../api.js";
import { h, notice, uid } from "../../dom.js";
import { field, whileBusy } from "../../forms.js";

const OUTCOME_KIND = {
	INVITED: "success", RESENT: "success",
	ALREADY_MEMBER: "info", EMAIL_INVALID: "error",
};

// outcomes renders the per-address results, grouped by kind so the
// mistakes come first and are announced as such.
function outcomes(results) {
	const order = ["error", "info", "success"];
	const groups = order.map((kind) => results.filter((r) =>
	    (OUTCOME_KIND[r.status] || "error") === kind));
	return order.map((kind, i) => groups[i].length === 0 ? null :
	    notice(kind, h("ul", { class: "outcomes" },
		groups[i].map((r) => h("li", {}, r.message)))));
}

// invitePanel builds the button and its form. opts: base (the school's
// API path), onSent() (refresh the lists), onError(e) (session or access
// lost: returns true when it handled e).
export function invitePanel(opts) {
	const panelId = uid("inviter");
	const headingId = uid("titre");
	const toggle = h("button", { type: "button", class: "button",
	    "aria-expanded": "false", "aria-controls": panelId },
	    "Inviter un membre");
	const emails = field({ name: "emails",
	    control: h("textarea", { name: "emails", rows: "4",
		spellcheck: "false", autocapitalize: "off",
		"aria-required": "true" }),
	    label: "Adresses e-mail des personnes à inviter",
	    hint: "Une ou plusieurs adresses, séparées par des virgules, des " +
		"points-virgules, des espaces ou des retours à la ligne ; vous " +
		"pouvez coller celles de votre messagerie (Prénom Nom " +
		"<prenom.nom@ac-exemple.fr>). Exemple : " +
		"prenom.nom@ac-exemple.fr" });
	const roleField = field({ name: "role",
	    control: h("select", { name: "role" },
		h("option", { value: "MEMBER" }, "Membre"),
		h("option", { value: "ADMIN" }, "Administrateur")),
	    label: "Rôle",
	    hint: "Un administrateur peut inviter, gérer les rôles et retirer " +
		"des membres." });
	const role = roleField.input;
	const results = h("div", { class: "invite-results",
	    "aria-live": "polite" });
	const submit = h("button", { type: "submit", class: "button" },
	    "Inviter");
	const close = h("button", { type: "button", class: "link-button" },
	    "Fermer");
	const form = h("form", { class: "form", novalidate: true,
	    "aria-labelledby": headingId },
	    emails.el, roleField.el, results,
	    h("div", { class: "form-actions row-actions" }, submit, close));
	const panel = h("section", { id: panelId, class: "team-block",
	    "aria-labelledby": headingId, hidden: true },
	    h("h2", { id: headingId }, "Inviter un membre"), form);

	const setOpen = (open) => {
		panel.hidden = !open;
		toggle.setAttribute("aria-expanded", open ? "true" : "false");
		if (open)
			emails.input.focus();
		else
			toggle.focus();
	};
	toggle.addEventListener("click", () =>
	    setOpen(toggle.getAttribute("aria-expanded") !== "true"));
	close.addEventListener("click", () => setOpen(false));
	panel.addEventListener("keydown", (event) => {
		if (event.key === "Escape")
			setOpen(false);
	});

	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		emails.clearError();
		results.textContent = "";
		if (emails.input.value.trim() === "") {
			emails.setError("Saisissez au moins une adresse e-mail.");
			emails.input.focus();
			return;
		}
		await whileBusy(submit, "Envoi…", async () => {
			let answer;
			try {
				answer = await post(`${opts.base}/invitations`,
				    { emails: emails.input.value, role: role.value });
			} catch (e) {
				if (opts.onError(e))
					return;
				if (e.field === "emails") {
					emails.setError(e.message);
					emails.input.focus();
					return;
				}
				results.append(notice("error", h("p", {}, e.message)));
				return;
			}
			const list = answer.results || [];
			results.append(...outcomes(list).filter(Boolean));
			// Keep only the wrong addresses in the box, to fix them.
			emails.input.value = list
			    .filter((r) => r.status === "EMAIL_INVALID")
			    .map((r) => r.email).join("\n");
			if (emails.input.value !== "") {
				emails.setError("Corrigez les adresses restantes, " +
				    "puis cliquez à nouveau sur « Inviter ».");
				emails.input.focus();
			}
			await opts.onSent();
		});
	});
	return { toggle, panel };
}
