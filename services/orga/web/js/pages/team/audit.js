// pages/team/audit.js - "Journal de l'équipe" on the Équipe page (ADMINs
// only): who invited, re-sent, cancelled, joined, changed a role, removed
// or left, and when (GET /api/organizations/{id}/audit).

import { get } from "../../api.js";
import { h, uid } from "../../dom.js";
import { whileBusy } from "../../forms.js";
import { roleLabel } from "./common.js";

const PAGE = 50;
function person(p) {
	if (!p)
		return "";
	const name = `${p.firstName || ""} ${p.lastName || ""}`.trim();
	return name || p.email || "";
}

// sentence tells one entry in French, without its date.
export function sentence(e) {
	const actor = e.actor ? person(e.actor) : "Un opérateur";
	const target = person(e.target) || e.target.email;
	const email = e.target.email;
	switch (e.action) {
	case "invited":
		return `${actor} a invité ${email} (${roleLabel(e.newRole)})`;
	case "invitation_resent":
		return `${actor} a renvoyé l'invitation de ${email}`;
	case "invitation_cancelled":
		return `${actor} a annulé l'invitation de ${email}`;
	case "joined":
		return `${target} a rejoint l'établissement ` +
		    `(${roleLabel(e.newRole)})`;
	case "role_changed":
		return `${actor} a changé le rôle de ${target} : ` +
		    `${roleLabel(e.oldRole)} → ${roleLabel(e.newRole)}`;
	case "removed":
		return `${actor} a retiré ${target} de l'équipe`;
	case "left":
		return `${target} a quitté l'établissement`;
	default:
		return `${e.action} : ${target}`;
	}
}

// when gives "JJ/MM/AAAA à HH:MM" in Paris time.
function when(iso) {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime()))
		return "";
	const fmt = (o) => new Intl.DateTimeFormat("fr-FR",
	    { ...o, timeZone: "Europe/Paris" }).format(d);
	return `${fmt({ day: "2-digit", month: "2-digit", year: "numeric" })}` +
	    ` à ${fmt({ hour: "2-digit", minute: "2-digit" })}`;
}

// One list item per entry (a list, not a table: the members' table stays
// the page's only table).
function rows(entries) {
	return entries.map((e) => h("li", { class: "audit-entry" },
	    h("time", { class: "audit-date", datetime: e.createdAt },
		when(e.createdAt)),
	    h("span", {}, sentence(e))));
}

// auditSection builds the section from the first page of entries
// (GET …/audit?limit=PAGE); "Afficher les événements plus anciens" loads
// the next ones. onError(e) handles a lost session or access.
export function auditSection(base, first, onError) {
	const headingId = uid("titre");
	const body = h("ol", { class: "audit", "aria-labelledby": headingId },
	    rows(first));
	const status = h("p", { class: "visually-hidden",
	    "aria-live": "polite" });
	let last = first;
	const more = h("button", { type: "button", class: "link-button" },
	    "Afficher les événements plus anciens");
	const moreWrap = h("p", {}, more);
	moreWrap.hidden = first.length < PAGE;
	more.addEventListener("click", () => whileBusy(more, "Chargement…",
	    async () => {
		const before = last[last.length - 1].id;
		let page;
		try {
			page = await get(`${base}/audit?limit=${PAGE}` +
			    `&before=${before}`);
		} catch (e) {
			if (!onError(e))
				status.textContent = e.message;
			return;
		}
		last = page.entries || [];
		const added = rows(last);
		body.append(...added);
		status.textContent = `${last.length} événement` +
		    `${last.length > 1 ? "s" : ""} de plus.`;
		moreWrap.hidden = last.length < PAGE;
		if (added.length > 0) {
			added[0].setAttribute("tabindex", "-1");
			added[0].focus();
		}
	    }));
	return h("section", { class: "team-block",
	    "aria-labelledby": headingId },
	    h("h2", { id: headingId }, "Journal de l'équipe"),
	    h("p", { class: "muted" }, "Les changements de l'équipe, du plus " +
		"récent au plus ancien."),
	    first.length === 0 ? h("p", { class: "muted" },
		"Aucun événement pour le moment.") : body,
	    moreWrap, status);
}

export const AUDIT_PAGE = PAGE;
