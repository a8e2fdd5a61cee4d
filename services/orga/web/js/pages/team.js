// pages/team.js - menu Équipe: "Mon équipe", its lists (team/view.js)
// and for ADMINs the invite form (team/invite.js) and the audit log
// (team/audit.js). A MEMBER sees the lists only; the server refuses the
// changes anyway.

import { h, loadStyles } from "../dom.js";
import { invitePanel } from "./team/invite.js";
import { TeamView } from "./team/view.js";

export default async function team(ctx, org, me) {
	loadStyles("team");
	const view = new TeamView(ctx, org, me);
	view.render(await view.load());
	const invite = view.isAdmin ? invitePanel({
		base: view.base,
		onSent: () => view.refresh(),
		onError: (e) => view.lost(e),
	}) : null;
	return [
		h("div", { class: "team-title" },
		    h("h1", {}, "Mon équipe"), invite ? invite.toggle : null),
		invite ? invite.panel : null,
		view.status,
		view.content,
		view.leaveSection(),
	];
}
