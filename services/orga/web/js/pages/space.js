// pages/space.js - the school's space /organisations/{id}/… (the URL names
// the school: a bookmark opens that one): checks the session and
// membership, then frames one section (campagnes, equipe, eleves,
// documentation) with the header, the school switcher and the menu.

import { enc, get } from "../api.js";
import { setTitle } from "../dom.js";
import { SPACE_MENU, spacePage } from "../layout.js";
import { gate } from "../session.js";
import { notFoundPage } from "./missing.js";

// mySchools: the person's schools for the switcher, asked for each screen
// (a school they were removed from never shows); [] if it fails.
export async function mySchools() {
	try {
		return (await get("/api/me/organizations")).organizations || [];
	} catch (e) {
		return [];
	}
}

// section makes a route page for one menu entry. build(ctx, org, me)
// returns the section's nodes (its h1 first).
export function section(key, build) {
	const label = (SPACE_MENU.find(([k]) => k === key) || [])[1];
	return async (ctx) => {
		const me = await gate(ctx.navigate);
		if (!me)
			return;
		const id = ctx.params[0];
		let org;
		try {
			org = await get(`/api/organizations/${enc(id)}`);
		} catch (e) {
			if (e.status === 404 || e.status === 403)
				return notFoundPage(ctx);
			throw e;
		}
		org.id = org.id || id;
		/* after the school's own answer, which records it as last used */
		org.schools = await mySchools();
		const content = await build(ctx, org, me);
		if (!ctx.isCurrent())
			return;
		setTitle(label, org.name);
		spacePage(ctx.root, me, org, key, content);
	};
}

// spaceHome: /organisations/{id} opens its first section.
export async function spaceHome(ctx) {
	await ctx.navigate(`/organisations/${enc(ctx.params[0])}/campagnes`,
	    { replace: true });
}
