// pages/campaigns.js - menu Campagnes. Campaigns arrive in a later
// version: for now an honest empty state pointing to what to do first.

import { enc } from "../api.js";
import { h } from "../dom.js";

export default function campaigns(ctx, org) {
	const base = `/organisations/${enc(org.id)}`;
	return [
		h("h1", {}, "Campagnes"),
		h("div", { class: "empty" },
		    h("p", { class: "empty-title" },
			"Aucune campagne pour le moment."),
		    h("p", {}, "La création de campagnes de test sera bientôt " +
			"disponible ici. En attendant, préparez votre espace : ",
			h("a", { href: `${base}/documentation` },
			    "consultez la documentation"),
			" pour importer la liste des élèves et inviter votre " +
			"équipe.")),
	];
}
