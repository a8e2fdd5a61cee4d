// pages/learners.js - menu Élèves. The SIECLE import arrives in a later
// version: for now an honest empty state.

import { enc } from "../api.js";
import { h } from "../dom.js";

export default function learners(ctx, org) {
	const base = `/organisations/${enc(org.id)}`;
	return [
		h("h1", {}, "Élèves"),
		h("div", { class: "empty" },
		    h("p", { class: "empty-title" },
			"Aucun élève pour le moment."),
		    h("p", {}, "L'import de la liste des élèves depuis SIECLE " +
			"(fichier ElevesSansAdresses.xml) sera bientôt " +
			"disponible ici. ",
			h("a", { href: `${base}/documentation` },
			    "Voir comment obtenir ce fichier"), ".")),
	];
}
