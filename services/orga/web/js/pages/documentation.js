// pages/documentation.js - menu Documentation: a short French guide to
// the next steps once the school's space is open.

import { enc } from "../api.js";
import { h } from "../dom.js";

function step(title, ...body) {
	return h("li", { class: "guide-step" }, h("h2", {}, title), ...body);
}

export default function documentation(ctx, org) {
	const base = `/organisations/${enc(org.id)}`;
	return [
		h("h1", {}, "Documentation"),
		h("p", { class: "lead" }, `L'espace de ${org.name} est ouvert. ` +
		    "Voici les étapes suivantes, dans l'ordre."),
		h("ol", { class: "guide" },
		    step("1. Importer la liste des élèves",
			h("p", {}, "L'équipe de direction exporte la liste depuis " +
			    "SIECLE :"),
			h("ol", {},
			    h("li", {}, "dans SIECLE, Base élèves, ouvrez le menu ",
				h("strong", {}, "Exportations"), " puis choisissez ",
				h("strong", {}, "En XML"), " ;"),
			    h("li", {}, "dans les exports génériques, choisissez ",
				h("strong", {}, "Élèves sans adresse"), " ;"),
			    h("li", {}, "enregistrez le fichier zip obtenu ; il " +
				"contient le fichier ElevesSansAdresses.xml.")),
			h("p", {}, "Dans Orga, ouvrez ensuite le menu ",
			    h("a", { href: `${base}/eleves` }, "Élèves"),
			    " et choisissez « Importer (.xml ou .zip) » : le zip " +
			    "tel quel ou le fichier XML qu'il contient. Orga vérifie " +
			    "tout le fichier et vous montre ce qui va changer avant " +
			    "que vous ne confirmiez. Vous pourrez réimporter la " +
			    "liste à chaque mise à jour de SIECLE : les élèves sont " +
			    "mis à jour, rien n'est perdu.")),
		    step("2. Inviter l'équipe pédagogique",
			h("p", {}, "Dans le menu ",
			    h("a", { href: `${base}/equipe` }, "Équipe"),
			    ", les administrateurs cliquent sur « Inviter un " +
			    "membre » et saisissent une ou plusieurs adresses. " +
			    "Chaque personne invitée reçoit un e-mail avec un lien " +
			    "pour créer son compte ou se connecter ; suivez les " +
			    "invitations en attente et la liste des membres.")),
		    step("3. Lancer une première campagne",
			h("p", {}, "Une campagne de test donne aux élèves un code " +
			    "ou un lien vers un parcours. Dans le menu ",
			    h("a", { href: `${base}/campagnes` }, "Campagnes"),
			    ", cliquez sur « Créer une campagne », choisissez " +
			    "« Collecter les profils », puis partagez son code ou " +
			    "son lien avec une classe. Les participants " +
			    "apparaissent sur la page de la campagne, avec leur " +
			    "classe et l'état de leur participation ; vous pouvez " +
			    "les exporter en fichier CSV.")),
		    step("4. Rattacher les élèves venus du GAR",
			h("ul", {},
			    h("li", {}, "Chaque élève se connecte une première " +
				"fois via le GAR, depuis l'ENT, pour obtenir son " +
				"compte."),
			    h("li", {}, "Il ouvre ensuite le lien d'une campagne " +
				"de l'établissement, vérifie son prénom et son " +
				"nom, déjà remplis, et saisit sa date de " +
				"naissance."),
			    h("li", {}, "Son compte est alors rattaché à la liste " +
				"des élèves importée ; les campagnes suivantes le " +
				"reconnaîtront automatiquement.")))),
		h("p", {}, "Une question ? Rapprochez-vous de votre " +
		    "délégation académique au numérique (Dane)."),
	];
}
