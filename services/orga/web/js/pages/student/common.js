// pages/student/common.js - what the student's screens share: the code's
// shape, loading a campaign by its code, the page's styles, the frame and
// the "this code does not exist" screen.

import { enc, get } from "../../api.js";
import { h, loadStyles, setTitle } from "../../dom.js";
import { publicPage } from "../../layout.js";

// 6 letters then 3 digits; spaces and case are forgiven when typed.
export const CODE_RE = /^[A-Z]{6}[0-9]{3}$/;

export function normalizeCode(text) {
	return String(text || "").replace(/\s+/g, "").toUpperCase();
}

export const TYPES = {
	PROFILES_COLLECTION: "Collecte de profils",
	ASSESSMENT: "Évaluation",
};

// loadCampaign returns GET /api/campaigns/{code}, or null when the code
// is unknown (404); other failures are thrown.
export async function loadCampaign(code) {
	if (!CODE_RE.test(code))
		return null;
	try {
		return await get(`/api/campaigns/${enc(code)}`);
	} catch (e) {
		if (e.status === 404)
			return null;
		throw e;
	}
}

export const campaignPath = (code) => `/campagnes/${enc(code)}`;

// frame puts content in the public frame, in the student's column.
export function frame(root, title, ...content) {
	loadStyles("student");
	setTitle(title);
	publicPage(root, h("div", { class: "student" }, ...content));
}

// missingPage: the code leads nowhere (unknown, archived, mistyped).
export function missingPage(root) {
	frame(root, "Code introuvable",
	    h("div", { class: "panel panel-narrow" },
		h("h1", {}, "Ce code de campagne n'existe pas"),
		h("p", {}, "Vérifiez le code donné par votre enseignant : 9 " +
		    "caractères, 6 lettres puis 3 chiffres. La campagne est " +
		    "peut-être aussi terminée."),
		h("p", {}, h("a", { class: "button", href: "/campagnes" },
		    "Saisir un autre code"))));
}

// kicker: the school's name above a title.
export function kicker(campaign) {
	return h("p", { class: "student-kicker" },
	    h("span", { class: "visually-hidden" }, "Établissement : "),
	    campaign.organization ? campaign.organization.name : "");
}
