// pages/student/participation.js - the student's participation in a
// campaign: for a profile collection, what will be shared (the 16
// competences of the framework and their levels: none is evaluated yet,
// said plainly) and "J'envoie mon profil", then "Profil envoyé, merci !".

import { enc, post } from "../../api.js";
import { formatDate, h, notice, uid } from "../../dom.js";
import { whileBusy } from "../../forms.js";
import { assessmentScreen } from "./assessment.js";
import { kicker } from "./common.js";

function levelText(c) {
	return c.level > 0 ? `Niveau ${c.level}` : "Non évaluée";
}

// profileList: the competences by area, each with its level.
function profileList(profile) {
	const comps = (profile && profile.competences) || [];
	const areas = [];
	for (const c of comps) {
		let area = areas.find((a) => a.name === c.area);
		if (!area) {
			area = { name: c.area, list: [] };
			areas.push(area);
		}
		area.list.push(c);
	}
	const evaluated = comps.filter((c) => c.level > 0).length;
	const headingId = uid("titre");
	/* h1 (the screen), h2 (the profile), h3 (each area): no level skipped */
	return h("section", { class: "profile", "aria-labelledby": headingId },
	    h("h2", { id: headingId, class: "profile-title" }, "Votre profil"),
	    h("p", { class: "profile-summary" }, evaluated === 0 ?
		"Votre profil : aucune compétence évaluée pour le moment." :
		`Votre profil : ${evaluated} compétence${evaluated > 1 ? "s" : ""}` +
		    ` évaluée${evaluated > 1 ? "s" : ""} sur ${comps.length}.`),
	    areas.map((a) => h("div", { class: "profile-area" },
		h("h3", {}, a.name),
		h("ul", { class: "profile-list" }, a.list.map((c) =>
		    h("li", {},
			h("span", { class: "profile-name" }, `${c.code} ${c.name}`),
			h("span", { class: "profile-level" }, levelText(c))))))));
}

function sharedView(s, p) {
	const c = s.campaign;
	const when = formatDate(p.sharedAt);
	return h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", {}, "Profil envoyé, merci !"),
	    notice("success", h("p", {}, `${c.organization.name} a bien reçu ` +
		`votre profil${when ? ` le ${when}` : ""} pour la campagne ` +
		`« ${c.name} ».`)),
	    h("p", {}, "Vous pouvez fermer cette page."));
}

function toShareView(s, p) {
	const c = s.campaign;
	const slot = h("div", {});
	const button = h("button", { type: "button", class: "button" },
	    "J'envoie mon profil");
	button.addEventListener("click", () => whileBusy(button, "Envoi…",
	    async () => {
		let r;
		try {
			r = await post(`/api/campaigns/${enc(c.code)}/share`, {});
		} catch (e) {
			if (e.code === "ALREADY_SHARED") {
				s.show(sharedView(s, { ...p, sharedAt: null }));
				return;
			}
			if (!e.errors)
				throw e;
			slot.textContent = "";
			slot.append(notice("error", h("p", {}, e.message)));
			return;
		}
		s.show(sharedView(s, r.participation));
	    }).catch(() => {
		slot.textContent = "";
		slot.append(notice("error", h("p", {}, "L'envoi n'a pas " +
		    "abouti. Vérifiez votre connexion puis réessayez.")));
	    }));
	return h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", {}, "Envoyez votre profil"),
	    h("p", { class: "lead" }, `Campagne « ${c.name} » : ` +
		`${c.organization.name} recevra votre profil de compétences ` +
		"numériques."),
	    profileList(p.profile),
	    slot,
	    h("div", { class: "form-actions" }, button));
}

// loadingView: the assessment is being read (assessmentScreen replaces
// it).
function loadingView(s, p) {
	const view = h("div", { class: "panel panel-narrow" }, kicker(s.campaign),
	    h("h1", {}, s.campaign.name), h("p", {}, "Chargement…"));
	assessmentScreen(s, p).catch(() => {
		view.append(notice("error", h("p", {}, "Le test n'a pas pu être " +
		    "chargé. Vérifiez votre connexion puis rechargez la page.")));
	});
	return view;
}

// participationView builds the screen for participation p (from the API).
export function participationView(s, p) {
	if (s.campaign.type === "ASSESSMENT")
		return loadingView(s, p);
	if (p.status === "SHARED")
		return sharedView(s, p);
	if (p.status === "TO_SHARE")
		return toShareView(s, p);
}
