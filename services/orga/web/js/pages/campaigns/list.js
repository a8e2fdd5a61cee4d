// pages/campaigns/list.js - the school's campaigns: "Mes campagnes /
// Toutes les campagnes" and "Actives / Archivées" (toggle buttons), one
// row each (name linking to its page, code, owner, creation date,
// participants and profiles received). Only the table and the count
// change; the buttons keep the focus.

import { get } from "../../api.js";
import { formatDate, h, notice, uid } from "../../dom.js";
import { apiBase, nb, personName, spaceBase } from "./common.js";

const OWNERS = [["me", "Mes campagnes"], ["all", "Toutes les campagnes"]];
const STATUSES = [["active", "Actives"], ["archived", "Archivées"]];

// toggles builds a group of aria-pressed buttons; onPick(value).
function toggles(label, choices, current, onPick) {
	const buttons = choices.map(([value, text]) => h("button", {
		type: "button", class: "choice",
		"aria-pressed": value === current ? "true" : "false",
		onclick: () => {
			buttons.forEach((b, i) => b.setAttribute("aria-pressed",
			    choices[i][0] === value ? "true" : "false"));
			onPick(value);
		},
	}, text));
	return h("div", { class: "choices campaign-toggles", role: "group",
	    "aria-label": label }, buttons);
}

function row(org, c) {
	const href = `${spaceBase(org)}/campagnes/${encodeURIComponent(c.id)}`;
	const p = c.participants || { total: 0, shared: 0 };
	return h("tr", {},
	    h("th", { scope: "row" }, h("a", { href }, c.name)),
	    h("td", {}, h("span", { class: "campaign-code-small" }, c.code)),
	    h("td", {}, personName(c.owner)),
	    h("td", {}, formatDate(c.createdAt)),
	    h("td", { class: "num" }, String(p.total)),
	    h("td", { class: "num" }, String(p.shared)));
}

// emptyText: the sentence of an empty list for these filters.
function emptyState(org, owner, status) {
	if (status === "archived") {
		return h("div", { class: "empty" },
		    h("p", { class: "empty-title" },
			owner === "me" ? "Vous n'avez aucune campagne archivée." :
			    "Aucune campagne archivée."));
	}
	return h("div", { class: "empty" },
	    h("p", { class: "empty-title" }, "Aucune campagne pour le moment."),
	    h("p", {}, owner === "me" ? "Vous n'êtes propriétaire d'aucune " +
		"campagne active. " : "",
		"Cliquez sur « Créer une campagne » : chaque campagne reçoit " +
		"un code à communiquer aux élèves. Avant cela, ",
		h("a", { href: `${spaceBase(org)}/eleves` },
		    "importez la liste des élèves"),
		" pour que leurs comptes soient reconnus."));
}

// campaignList builds the list; first is {owner, status, campaigns}
// already loaded. onError(e): true when it handled e. Returns {el}.
export function campaignList(org, first, onError) {
	const state = { owner: first.owner, status: first.status };
	let seq = 0;
	const headingId = uid("titre");
	const count = h("p", { class: "campaign-count", role: "status" });
	const body = h("div", {});
	const failure = h("div", {});

	function render(campaigns) {
		count.textContent = campaigns.length === 0 ? "" :
		    nb(campaigns.length, "campagne", "campagnes") +
		    (state.status === "archived" ? " archivée" +
			(campaigns.length > 1 ? "s" : "") : "");
		body.textContent = "";
		if (campaigns.length === 0) {
			body.append(emptyState(org, state.owner, state.status));
			return;
		}
		const caption = h("caption", { class: "visually-hidden" },
		    `${OWNERS.find(([k]) => k === state.owner)[1]}, ` +
		    `${STATUSES.find(([k]) => k === state.status)[1]
			.toLowerCase()}`);
		body.append(h("div", { class: "table-wrap", role: "region",
		    tabindex: "0", "aria-label": "Tableau des campagnes" },
		    h("table", { class: "table campaign-table" }, caption,
			h("thead", {}, h("tr", {},
			    h("th", { scope: "col" }, "Nom"),
			    h("th", { scope: "col" }, "Code"),
			    h("th", { scope: "col" }, "Propriétaire"),
			    h("th", { scope: "col" }, "Créée le"),
			    h("th", { scope: "col", class: "num" }, "Participants"),
			    h("th", { scope: "col", class: "num" },
				"Profils reçus"))),
			h("tbody", {}, campaigns.map((c) => row(org, c))))));
	}

	async function reload() {
		seq += 1;
		const mine = seq;
		const q = new URLSearchParams({ owner: state.owner,
		    status: state.status });
		let data;
		try {
			data = await get(`${apiBase(org)}/campaigns?${q}`);
		} catch (e) {
			if (mine !== seq || onError(e))
				return;
			failure.textContent = "";
			failure.append(notice("error", h("p", {}, e.message)));
			return;
		}
		if (mine !== seq)
			return;
		failure.textContent = "";
		render(data.campaigns || []);
	}

	const pick = (key) => (value) => {
		state[key] = value;
		reload();
	};
	const el = h("section", { class: "campaigns",
	    "aria-labelledby": headingId },
	    h("h2", { id: headingId, class: "visually-hidden" },
		"Liste des campagnes"),
	    h("div", { class: "campaign-filters" },
		toggles("Propriétaire des campagnes", OWNERS, state.owner,
		    pick("owner")),
		toggles("État des campagnes", STATUSES, state.status,
		    pick("status"))),
	    count, failure, body);
	render(first.campaigns);
	return { el };
}

// firstList loads the default view: the user's campaigns when they own
// any active one, else all the school's.
export async function firstList(org) {
	const base = `${apiBase(org)}/campaigns`;
	const mine = await get(`${base}?owner=me&status=active`);
	if ((mine.campaigns || []).length > 0)
		return { owner: "me", status: "active", campaigns: mine.campaigns };
	const all = await get(`${base}?owner=all&status=active`);
	return { owner: "all", status: "active", campaigns: all.campaigns || [] };
}
