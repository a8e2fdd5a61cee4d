// pages/campaigns/common.js - what the Campagnes screens share: French
// labels of types and states, plurals, and how an answer meaning "not
// allowed any more" is handled.

import { setFlash } from "../../dom.js";
import { forget, herePath, setNext } from "../../session.js";

export const TYPES = {
	PROFILES_COLLECTION: "Collecter les profils",
	ASSESSMENT: "Évaluer les participants",
};

export function typeLabel(type) {
	return TYPES[type] || type || "";
}

// stateLabel: participations.status as the school reads it.
export function stateLabel(status, type) {
	if (status === "STARTED")
		return "En cours";
	if (status === "TO_SHARE")
		return "En attente d'envoi";
	if (status === "SHARED")
		return type === "ASSESSMENT" ? "Résultats reçus" : "Profil reçu";
	return status || "";
}

export function nb(count, one, many) {
	return `${count} ${count === 1 ? one : many}`;
}

export function personName(p) {
	return `${(p && p.firstName) || ""} ${(p && p.lastName) || ""}`.trim();
}

// lost handles the errors meaning the page cannot go on (session ended,
// no longer a member): true when it navigated away.
export function lost(ctx, org, e) {
	if (e && e.status === 401) {
		forget();
		setNext(herePath());
		ctx.navigate("/connexion", { replace: true });
		return true;
	}
	if (e && e.status === 404 && e.code === "ORGANIZATION_NOT_FOUND") {
		forget();
		setFlash("Vous n'avez plus accès à l'espace de " +
		    `${org.name} : vous n'en êtes plus membre.`, "error");
		ctx.navigate("/", { replace: true });
		return true;
	}
	return false;
}

// apiBase: the school's API path.
export function apiBase(org) {
	return `/api/organizations/${encodeURIComponent(org.id)}`;
}

// spaceBase: the school's space path in the UI.
export function spaceBase(org) {
	return `/organisations/${encodeURIComponent(org.id)}`;
}
