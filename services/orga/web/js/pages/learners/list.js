// pages/learners/list.js - the school's learners, 50 a page: total,
// search by name (the server ignores case and accents), class filter,
// sortable columns, the students no longer in the school, and a pager.
// Only the table, count and pager change; the controls keep the focus.

import { get } from "../../api.js";
import { h, notice, uid } from "../../dom.js";
import { accountCell, accountStyles } from "../student/learner-account.js";
import { learnersCount, nb } from "./words.js";

const PAGE_SIZE = 50;
const DEBOUNCE_MS = 300;

const COLUMNS = [
	["lastName", "Nom"],
	["firstName", "Prénom"],
	["birthDate", "Date de naissance"],
	["class", "Classe"],
];

const GONE = "N'est plus dans l'établissement";

// howTo is the short SIECLE export guide of the empty state.
function howTo(isAdmin) {
	if (!isAdmin) {
		return [h("p", {}, "Un administrateur de l'établissement importe " +
		    "la liste des élèves depuis SIECLE. Elle apparaîtra ici.")];
	}
	return [
		h("p", {}, "Importez la liste depuis SIECLE : l'équipe de " +
		    "direction l'exporte, puis vous l'importez ici."),
		h("ol", { class: "learners-howto" },
		    h("li", {}, "dans SIECLE, Base élèves, ouvrez le menu ",
			h("strong", {}, "Exportations"), " puis choisissez ",
			h("strong", {}, "En XML"), " ;"),
		    h("li", {}, "dans les exports génériques, choisissez ",
			h("strong", {}, "Élèves sans adresse"),
			" et enregistrez le fichier zip ;"),
		    h("li", {}, "ici, cliquez sur ",
			h("strong", {}, "Importer (.xml ou .zip)"),
			" et choisissez ce zip, ou le fichier " +
			"ElevesSansAdresses.xml qu'il contient.")),
	];
}

function emptyState(isAdmin, base) {
	return h("div", { class: "empty learners-empty" },
	    h("p", { class: "empty-title" }, "Aucun élève pour le moment."),
	    ...howTo(isAdmin),
	    h("p", {}, h("a", { href: `${base}/documentation` },
		"Voir toute la documentation"), "."));
}

// learnerList builds the list. orgId: the school; isAdmin: the empty
// state explains the import; first: the first page already loaded
// ({data} or {error}), its query being the defaults; spaceBase: the
// space's path, for links. Resolves with {el, refresh()}; refresh()
// reloads with the current filters (after an import).
export async function learnerList(orgId, isAdmin, first, spaceBase) {
	const base = `/api/organizations/${encodeURIComponent(orgId)}`;
	const state = { search: "", cls: "", all: false, sort: "lastName",
	    order: "asc", page: 1 };
	let seq = 0;
	let timer = null;
	let mode = null;          // "empty", "list" or "error"

	const headingId = uid("titre");
	const el = h("section", { class: "learners",
	    "aria-labelledby": headingId });
	const heading = h("h2", { id: headingId, class: "visually-hidden" },
	    "Liste des élèves");

	/* the controls, built once */
	const searchId = uid("recherche");
	const search = h("input", { id: searchId, type: "search",
	    name: "search", autocomplete: "off", spellcheck: "false",
	    maxlength: "100",
	    class: "learners-search-input" });
	const classId = uid("classe");
	const allClasses = h("option", { value: "" }, "Toutes les classes");
	const classSelect = h("select", { id: classId, name: "class" },
	    allClasses);
	const goneId = uid("anciens");
	const gone = h("input", { id: goneId, type: "checkbox",
	    name: "status" });
	const form = h("form", { class: "learners-filters", role: "search",
	    "aria-label": "Filtrer la liste des élèves", novalidate: true },
	    h("div", { class: "learners-filter learners-filter-search" },
		h("label", { for: searchId }, "Rechercher un élève"),
		h("span", { class: "learners-filter-hint",
		    id: `${searchId}-aide` }, "Nom ou prénom"),
		search),
	    h("div", { class: "learners-filter" },
		h("label", { for: classId }, "Classe"), classSelect),
	    h("div", { class: "learners-filter learners-filter-gone" },
		h("div", { class: "checkbox-row" }, gone,
		    h("label", { for: goneId }, "Afficher les élèves qui ne " +
			"sont plus dans l'établissement"))));
	search.setAttribute("aria-describedby", `${searchId}-aide`);

	const count = h("p", { class: "learners-count", role: "status" });
	const caption = h("caption", { class: "visually-hidden" });
	const headButtons = new Map();
	const heads = COLUMNS.map(([key, label]) => {
		const button = h("button", { type: "button",
		    class: "sort-button", onclick: () => sortBy(key) },
		    label, h("span", { class: "sort-icon",
			"aria-hidden": "true" }));
		headButtons.set(key, button);
		return h("th", { scope: "col", "data-key": key }, button);
	});
	const tbody = h("tbody", {});
	const done = h("div", { class: "learners-done" });
	const table = h("table", { class: "table learners-table" }, caption,
	    h("thead", {}, h("tr", {}, heads,
		h("th", { scope: "col" }, "Compte"))), tbody);
	const tableWrap = h("div", { class: "table-wrap learners-table-wrap",
	    role: "region", tabindex: "0", "aria-label": "Tableau des élèves" },
	    table);
	const noMatch = h("p", { class: "learners-none" });
	const pageText = h("span", { class: "pager-text" });
	const prev = h("button", { type: "button", class: "pager-button",
	    onclick: () => turn(-1) }, h("span", { "aria-hidden": "true" },
		"‹ "), "Précédent");
	const next = h("button", { type: "button", class: "pager-button",
	    onclick: () => turn(1) }, "Suivant", h("span",
		{ "aria-hidden": "true" }, " ›"));
	const pager = h("nav", { class: "pager", "aria-label": "Pagination" },
	    prev, pageText, next);
	const failure = h("div", {});
	const listView = h("div", { class: "learners-list" }, form, count,
	    failure, done, noMatch, tableWrap, pager);

	function query(overrides) {
		const q = { ...state, ...(overrides || {}) };
		const p = new URLSearchParams({
			search: q.search.trim(), class: q.cls,
			status: q.all ? "all" : "active", sort: q.sort,
			order: q.order, page: String(q.page),
			pageSize: String(q.pageSize || PAGE_SIZE),
		});
		return `${base}/learners?${p}`;
	}

	function filtered() {
		return state.search.trim() !== "" || state.cls !== "";
	}

	function fillClasses(classes) {
		const list = Array.isArray(classes) ? classes.map(String) : [];
		if (state.cls && !list.includes(state.cls))
			list.push(state.cls);
		const want = ["", ...list];
		const have = [...classSelect.options].map((o) => o.value);
		if (want.join("\n") === have.join("\n"))
			return;
		while (classSelect.options.length > 1)
			classSelect.remove(1);
		for (const c of list)
			classSelect.append(h("option", { value: c }, c));
		classSelect.value = state.cls;
	}

	function row(l) {
		const usage = l.usageName && l.usageName !== l.lastName ?
		    h("span", { class: "learner-usage" },
			`Nom d'usage : ${l.usageName}`) : null;
		const badge = l.active === false ? h("span",
		    { class: "badge badge-gone" }, GONE) : null;
		return h("tr", { class: l.active === false ? "learner-gone" :
		    null },
		    h("td", {}, h("span", { class: "learner-name" }, l.lastName),
			usage, badge),
		    h("td", {}, l.firstName),
		    h("td", {}, l.birthDate),
		    h("td", {}, l.class),
		    accountCell(base, l, isAdmin, (text) => {
			const box = notice("success", h("p", {}, text));
			box.setAttribute("tabindex", "-1");
			done.textContent = "";
			done.append(box);
			box.focus();
			reload();
		    }));
	}

	function showHeads() {
		for (const th of heads) {
			const key = th.dataset.key;
			const icon = headButtons.get(key).querySelector(".sort-icon");
			if (key === state.sort) {
				th.setAttribute("aria-sort", state.order === "desc" ?
				    "descending" : "ascending");
				icon.textContent = state.order === "desc" ? " ▼" : " ▲";
			} else {
				th.removeAttribute("aria-sort");
				icon.textContent = " ↕";
			}
		}
		const label = (COLUMNS.find(([k]) => k === state.sort) || [])[1];
		caption.textContent = `Liste des élèves, triée par ${label}, ` +
		    `ordre ${state.order === "desc" ? "décroissant" : "croissant"}`;
	}

	function showList(data) {
		failure.textContent = "";
		const total = Number(data.total) || 0;
		const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
		const learners = Array.isArray(data.learners) ? data.learners : [];
		fillClasses(data.classes);
		count.textContent = total === 0 ? "" : learnersCount(total) +
		    (pages > 1 ? ` – page ${nb(state.page)} sur ${nb(pages)}` : "");
		tbody.textContent = "";
		tbody.append(...learners.map(row));
		showHeads();
		tableWrap.hidden = learners.length === 0;
		if (total === 0) {
			noMatch.hidden = false;
			noMatch.textContent = filtered() ?
			    "Aucun élève ne correspond à votre recherche." :
			    state.all ? "Aucun élève." :
			    "Aucun élève n'est actuellement dans l'établissement.";
			count.textContent = noMatch.textContent;
		} else {
			noMatch.hidden = true;
		}
		pager.hidden = pages <= 1;
		pageText.textContent = `Page ${nb(state.page)} sur ${nb(pages)}`;
		prev.setAttribute("aria-disabled", state.page <= 1 ? "true" :
		    "false");
		next.setAttribute("aria-disabled", state.page >= pages ? "true" :
		    "false");
	}

	function setMode(m) {
		if (mode === m)
			return;
		mode = m;
		el.textContent = "";
		el.append(heading);
		if (m === "empty")
			el.append(emptyState(isAdmin, spaceBase));
		else
			el.append(listView);
	}

	function showError(e) {
		failure.textContent = "";
		failure.append(notice("error", h("p", {}, e.message)));
	}

	// show decides between the empty state and the list: the empty state
	// only when the school has no learner at all, with no filter on.
	async function show(data) {
		const total = Number(data.total) || 0;
		if (total === 0 && !filtered() && !state.all) {
			const any = await get(query({ all: true, page: 1,
			    pageSize: 1 }));
			if (Number(any.total) === 0) {
				setMode("empty");
				return;
			}
		}
		setMode("list");
		const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
		if (state.page > pages) {
			state.page = pages;
			await load();
			return;
		}
		showList(data);
	}

	async function load() {
		seq += 1;
		const mine = seq;
		el.setAttribute("aria-busy", "true");
		try {
			const data = await get(query());
			if (mine !== seq)
				return;
			await show(data);
		} catch (e) {
			if (mine !== seq)
				return;
			if (!e.errors || e.status === 401)
				throw e;
			setMode("list");
			showError(e);
		} finally {
			if (mine === seq)
				el.removeAttribute("aria-busy");
		}
	}

	function reload() {
		load().catch((e) => {
			showError({ message: e.message ||
			    "Une erreur inattendue est survenue." });
		});
	}

	function sortBy(key) {
		if (state.sort === key) {
			state.order = state.order === "asc" ? "desc" : "asc";
		} else {
			state.sort = key;
			state.order = "asc";
		}
		state.page = 1;
		showHeads();
		reload();
	}

	function turn(delta) {
		const button = delta < 0 ? prev : next;
		if (button.getAttribute("aria-disabled") === "true")
			return;
		state.page = Math.max(1, state.page + delta);
		reload();
	}

	function searchNow() {
		clearTimeout(timer);
		timer = null;
		if (search.value === state.search)
			return;
		state.search = search.value;
		state.page = 1;
		reload();
	}

	search.addEventListener("input", () => {
		clearTimeout(timer);
		timer = setTimeout(searchNow, DEBOUNCE_MS);
	});
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		searchNow();
	});
	classSelect.addEventListener("change", () => {
		state.cls = classSelect.value;
		state.page = 1;
		reload();
	});
	gone.addEventListener("change", () => {
		state.all = gone.checked;
		state.page = 1;
		reload();
	});

	/* the first page, loaded by the caller */
	accountStyles();
	showHeads();
	if (first.error) {
		setMode("list");
		showError(first.error);
	} else {
		await show(first.data);
	}
	return { el, refresh: reload };
}

// firstPage loads the default first page for learnerList: {data} or,
// when the API refused, {error}.
export async function firstPage(orgId) {
	const base = `/api/organizations/${encodeURIComponent(orgId)}`;
	const p = new URLSearchParams({ search: "", class: "",
	    status: "active", sort: "lastName", order: "asc", page: "1",
	    pageSize: String(PAGE_SIZE) });
	try {
		return { data: await get(`${base}/learners?${p}`) };
	} catch (e) {
		if (!e.errors || e.status === 401)
			throw e;
		return { error: e };
	}
}
