// pages/team.js - menu Équipe: "Mon équipe", the pending invitations
// ("Invité le JJ/MM/AAAA") and the members (Nom, Prénom, Rôle).

import { enc, get } from "../api.js";
import { formatDate, h, notice, uid } from "../dom.js";

const ROLES = { ADMIN: "Administrateur", MEMBER: "Membre" };

function roleLabel(role) {
	return ROLES[String(role || "").toUpperCase()] || role || "";
}

async function attempt(path) {
	try {
		return { data: await get(path) };
	} catch (e) {
		if (!e.errors || e.status === 401)
			throw e;
		return { error: e };
	}
}

function invitationsSection(result) {
	const headingId = uid("titre");
	if (result.error)
		return h("section", { "aria-labelledby": headingId },
		    h("h2", { id: headingId }, "Invitations en attente"),
		    notice("error", h("p", {}, result.error.message)));
	const list = result.data.invitations || [];
	const items = list.map((inv) => {
		const sent = formatDate(inv.createdAt);
		const resent = formatDate(inv.updatedAt);
		return h("li", { class: "invitation" },
		    h("span", { class: "invitation-email" }, inv.email),
		    h("span", { class: "invitation-date" }, `Invité le ${sent}`,
			resent && resent !== sent ?
			    ` (renvoyée le ${resent})` : null));
	});
	return h("section", { class: "team-block",
	    "aria-labelledby": headingId },
	    h("h2", { id: headingId }, `Invitations en attente (${list.length})`),
	    list.length > 0 ? h("ul", { class: "invitations" }, items) :
		h("p", { class: "muted" }, "Aucune invitation en attente."));
}

function membersSection(result) {
	const headingId = uid("titre");
	if (result.error)
		return h("section", { "aria-labelledby": headingId },
		    h("h2", { id: headingId }, "Liste des membres"),
		    notice("error", h("p", {}, result.error.message)));
	const list = result.data.members || [];
	const rows = list.map((m) => h("tr", {},
	    h("td", {}, m.lastName), h("td", {}, m.firstName),
	    h("td", {}, roleLabel(m.role))));
	return h("section", { class: "team-block",
	    "aria-labelledby": headingId },
	    h("h2", { id: headingId }, `Liste des membres (${list.length})`),
	    h("div", { class: "table-wrap" },
		h("table", { class: "table", "aria-labelledby": headingId },
		    h("thead", {}, h("tr", {},
			h("th", { scope: "col" }, "Nom"),
			h("th", { scope: "col" }, "Prénom"),
			h("th", { scope: "col" }, "Rôle"))),
		    h("tbody", {}, rows))));
}

export default async function team(ctx, org) {
	const base = `/api/organizations/${enc(org.id)}`;
	const [members, invitations] = await Promise.all([
		attempt(`${base}/members`), attempt(`${base}/invitations`),
	]);
	return [
		h("h1", {}, "Mon équipe"),
		invitationsSection(invitations),
		membersSection(members),
	];
}
