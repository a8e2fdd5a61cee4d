// pages/campaigns.js - menu Campagnes: the school's campaigns (mine / all,
// active / archived) and "Créer une campagne" for every member; a
// campaign's own page is in campaigns/detail.js.

import { get } from "../api.js";
import { h, loadStyles, setFlash } from "../dom.js";
import { apiBase, lost, spaceBase } from "./campaigns/common.js";
import { campaignPage as detailPage } from "./campaigns/detail.js";
import { campaignForm } from "./campaigns/form.js";
import { campaignList, firstList } from "./campaigns/list.js";

export default async function campaigns(ctx, org, me) {
	loadStyles("campaigns");
	const [first, team, profiles] = await Promise.all([
		firstList(org),
		get(`${apiBase(org)}/members`).catch(() => ({ members: [] })),
		get(`${apiBase(org)}/target-profiles`)
		    .catch(() => ({ targetProfiles: [] })),
	]);
	const onError = (e) => lost(ctx, org, e);
	const slot = h("div", {});
	const create = h("button", { type: "button", class: "button",
	    "aria-expanded": "false" }, "Créer une campagne");
	const close = () => {
		slot.textContent = "";
		create.setAttribute("aria-expanded", "false");
		create.focus();
	};
	create.addEventListener("click", () => {
		if (create.getAttribute("aria-expanded") === "true") {
			close();
			return;
		}
		const form = campaignForm({ org, me, members: team.members || [],
		    profiles: profiles.targetProfiles || [], onCancel: close, onError,
		    onDone: async (c) => {
			setFlash(`La campagne « ${c.name} » a été créée. ` +
			    "Communiquez son code ou son lien à vos élèves.",
			    "success");
			await ctx.navigate(`${spaceBase(org)}/campagnes/` +
			    `${encodeURIComponent(c.id)}`);
		    } });
		slot.textContent = "";
		slot.append(form.el);
		create.setAttribute("aria-expanded", "true");
		form.focus();
	});
	const list = campaignList(org, first, onError);
	return [
		h("div", { class: "campaign-title" }, h("h1", {}, "Campagnes"),
		    create),
		slot,
		list.el,
	];
}

// campaignPage: the route page of one campaign.
export async function campaignPage(ctx, org, me) {
	loadStyles("campaigns");
	return detailPage(ctx, org, me);
}
