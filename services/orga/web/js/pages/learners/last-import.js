// pages/learners/last-import.js - on Élèves, for every member: when and by
// whom the list was last imported, and what that import changed
// (GET /api/organizations/{id}/learners/last-import).

import { get } from "../../api.js";
import { formatDate, h } from "../../dom.js";
import { phrase } from "./words.js";

function sentence(last) {
	if (!last)
		return "La liste des élèves n'a pas encore été importée.";
	const who = last.by ? `${last.by.firstName} ${last.by.lastName}`.trim() :
	    "un opérateur de la plateforme";
	const counts = [
		phrase(last.added, null, "élève ajouté", "élèves ajoutés"),
		phrase(last.updated, null, "mis à jour", "mis à jour"),
		phrase(last.unchanged, null, "inchangé", "inchangés"),
		phrase(last.deactivated, null, "sorti de l'établissement",
		    "sortis de l'établissement"),
	].join(", ");
	return `Dernier import le ${formatDate(last.finishedAt)} par ${who} : ` +
	    `${counts} ; ${phrase(last.active, "aucun élève", "élève",
		"élèves")} dans l'établissement.`;
}

// lastImport builds the line; refresh() reads it again (after an import).
export function lastImport(orgId) {
	const el = h("p", { class: "learners-last-import muted" });
	const refresh = async () => {
		try {
			const r = await get(`/api/organizations/${
			    encodeURIComponent(orgId)}/learners/last-import`);
			el.textContent = sentence(r.lastImport);
		} catch (e) {
			el.textContent = "";   /* the list says what matters */
		}
	};
	return { el, refresh };
}
