// pages/learners.js - menu Élèves: the school's imported students (every
// member) and, for ADMINs, the SIECLE import with its preview; an import
// still running or waiting for confirmation is shown again on arrival;
// the last import (when, by whom, its counts) under the title.

import { enc } from "../api.js";
import { h } from "../dom.js";
import { currentJob, importPanel } from "./learners/import.js";
import { lastImport } from "./learners/last-import.js";
import { firstPage, learnerList } from "./learners/list.js";

function isAdmin(org, me) {
	if (org.role)
		return String(org.role).toUpperCase() === "ADMIN";
	const mine = ((me && me.memberships) || []).find((m) =>
	    m.organization && String(m.organization.id) === String(org.id));
	return Boolean(mine) && String(mine.role).toUpperCase() === "ADMIN";
}

export default async function learners(ctx, org, me) {
	const admin = isAdmin(org, me);
	const spaceBase = `/organisations/${enc(org.id)}`;
	const [first, job] = await Promise.all([
		firstPage(org.id),
		admin ? currentJob(org.id).catch(() => null) : null,
	]);
	const list = await learnerList(org.id, admin, first, spaceBase);
	const last = lastImport(org.id);
	await last.refresh();
	const head = h("div", { class: "learners-head" }, h("h1", {}, "Élèves"));
	if (!admin)
		return [head, last.el, list.el];
	const imp = importPanel(ctx, org.id, job, () => {
		last.refresh();
		return list.refresh();
	});
	head.append(imp.chooser);
	return [head, last.el, imp.panel, list.el];
}
