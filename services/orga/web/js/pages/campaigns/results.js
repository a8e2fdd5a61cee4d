// pages/campaigns/results.js - a campaign's Activité and Résultats tabs:
// counts per state and a chart of participations started and shared per
// day; per participant the mastery and the level of each competence, the
// average, the distribution in bands of 10 % (a chart with its table),
// filters by class and state, a participant's own results (competences
// and topics), and "Exporter les résultats (CSV)". Charts are CSS bars
// beside a table that says the same, for screen readers.

import { get } from "../../api.js";
import { formatDate, h, notice, uid } from "../../dom.js";
import { apiBase, nb, stateLabel } from "./common.js";

// barChart: rows [{label, values:[n…]}] with series names; bars are
// hidden from screen readers, the table beside them is the alternative.
function barChart(title, series, rows) {
	const max = Math.max(1, ...rows.flatMap((r) => r.values));
	const pct = (v) => Math.round((v * 20) / max) * 5;  // steps of 5 %
	return h("figure", { class: "chart" },
	    h("figcaption", {}, title),
	    h("div", { class: "chart-bars", "aria-hidden": "true" },
		rows.map((r) => h("div", { class: "chart-row" },
		    h("span", { class: "chart-label" }, r.label),
		    h("span", { class: "chart-values" }, r.values.map((v, i) =>
			h("span", { class: `chart-bar chart-s${i} w-${pct(v)}` },
			    String(v))))))),
	    h("table", { class: "table chart-table" },
		h("caption", { class: "visually-hidden" }, title),
		h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""),
		    series.map((s) => h("th", { scope: "col" }, s)))),
		h("tbody", {}, rows.map((r) => h("tr", {},
		    h("th", { scope: "row" }, r.label),
		    r.values.map((v) => h("td", {}, String(v))))))));
}

export async function activityPanel(org, c) {
	const a = await get(`${apiBase(org)}/campaigns/` +
	    `${encodeURIComponent(c.id)}/activity`);
	const counts = a.counts;
	return h("div", { class: "campaign-activity" },
	    h("ul", { class: "campaign-counts" },
		["STARTED", "TO_SHARE", "SHARED"].map((k) => h("li", {},
		    h("span", { class: "campaign-count-n" }, String(counts[k])),
		    h("span", {}, stateLabel(k, c.type))))),
	    a.days.length ? barChart("Participations par jour",
		["Commencées", "Envoyées"], a.days.map((d) => ({
		    label: formatDate(`${d.date}T12:00:00Z`),
		    values: [d.started, d.shared] }))) : null);
}

function levelCell(k) {
	return k ? h("td", {}, h("span", { class: "visually-hidden" },
	    "Niveau "), String(k.level), h("span", { class: "muted" },
	    ` (${k.validated}/${k.total})`)) : h("td", {}, "–");
}

// participantPanel: one participant's competences and topics.
async function participantPanel(org, c, id) {
	const r = await get(`${apiBase(org)}/campaigns/` +
	    `${encodeURIComponent(c.id)}/results/${encodeURIComponent(id)}`);
	const p = r.participant;
	const headingId = uid("titre");
	if (!p.competences)
		return h("section", { class: "team-block", "aria-labelledby": headingId },
		    h("h3", { id: headingId, tabindex: "-1" },
			`${p.firstName} ${p.lastName}`),
		    h("p", {}, "Résultats pas encore envoyés."));
	return h("section", { class: "team-block campaign-participant",
	    "aria-labelledby": headingId },
	    h("h3", { id: headingId, tabindex: "-1" },
		`${p.firstName} ${p.lastName}`,
		p.mastery !== null ? ` : ${p.mastery} % de maîtrise` : ""),
	    h("ul", {}, p.competences.map((k) => h("li", {},
		`${k.code} ${k.name} : ${k.levelText || `niveau ${k.level}`}`,
		k.total !== undefined ? ` (${k.validated} acquis sur ${k.total})` :
		    "",
		h("ul", {}, (p.topics || []).filter((t) => t.competence ===
		    k.code).map((t) => h("li", {}, `${t.name} : ` +
		    (t.validated === t.total ? "acquis" : t.validated === 0 ?
			"non acquis" : `${t.validated} acquis sur ${t.total}`))))))));
}

export async function resultsPanel(org, c, onError) {
	const base = `${apiBase(org)}/campaigns/${encodeURIComponent(c.id)}`;
	const classId = uid("classe");
	const stateId = uid("etat");
	const classSel = h("select", { id: classId },
	    h("option", { value: "" }, "Toutes les classes"));
	const stateSel = h("select", { id: stateId },
	    h("option", { value: "" }, "Tous les états"),
	    ["STARTED", "TO_SHARE", "SHARED"].map((k) =>
		h("option", { value: k }, stateLabel(k, c.type))));
	const body = h("div", {});
	const detail = h("div", {});
	let seq = 0;
	const first = await get(`${base}/results`);
	const classes = [...new Set(first.participants.map((p) => p.class)
	    .filter(Boolean))].sort();
	classes.forEach((k) => classSel.append(h("option", { value: k }, k)));

	function render(data) {
		const comps = data.competences || [];
		body.textContent = "";
		body.append(
		    h("p", { class: "campaign-count", role: "status" },
			`${nb(data.total, "participant", "participants")}, ` +
			`${nb(data.shared, "résultat reçu", "résultats reçus")}` +
			(data.average !== null ? ` ; maîtrise moyenne : ` +
			    `${data.average} %` : "")),
		    data.shared > 0 ? barChart("Répartition des participants " +
			"par taux de maîtrise", ["Participants"],
			data.distribution.map((b) => ({
			    label: `${b.from} à ${b.to} %`, values: [b.count] }))) :
			null,
		    data.participants.length === 0 ? h("p", { class: "empty" },
			"Aucun participant.") :
		    h("div", { class: "table-wrap", role: "region", tabindex: "0",
			"aria-label": "Tableau des résultats" },
			h("table", { class: "table campaign-table" },
			    h("caption", { class: "visually-hidden" },
				`Résultats de la campagne ${c.name}`),
			    h("thead", {}, h("tr", {},
				["Nom", "Prénom", "Classe", "État", "Envoyé le",
				    "Maîtrise"].map((t) => h("th", { scope: "col" }, t)),
				comps.map((k) => h("th", { scope: "col",
				    title: k.name }, k.code)))),
			    h("tbody", {}, data.participants.map((p) => {
				const open = h("button", { type: "button",
				    class: "link-button" }, p.lastName);
				open.addEventListener("click", async () => {
					try {
						const panel = await participantPanel(org,
						    c, p.id);
						detail.textContent = "";
						detail.append(panel);
						panel.querySelector("h3").focus();
					} catch (e) {
						if (!onError(e))
							detail.append(notice("error",
							    h("p", {}, e.message)));
					}
				});
				const byCode = new Map((p.competences || [])
				    .map((k) => [k.code, k]));
				return h("tr", {},
				    h("td", {}, open), h("td", {}, p.firstName),
				    h("td", {}, p.class || "–"),
				    h("td", {}, stateLabel(p.status, c.type)),
				    h("td", {}, p.sharedAt ? formatDate(p.sharedAt) :
					"–"),
				    h("td", {}, p.mastery !== null ? `${p.mastery} %` :
					"–"),
				    comps.map((k) => levelCell(byCode.get(k.code))));
			    })))));
	}

	async function reload() {
		seq += 1;
		const mine = seq;
		const q = new URLSearchParams();
		if (classSel.value)
			q.set("class", classSel.value);
		if (stateSel.value)
			q.set("status", stateSel.value);
		try {
			const data = await get(`${base}/results?${q}`);
			if (mine === seq)
				render(data);
		} catch (e) {
			if (mine !== seq || onError(e))
				return;
			body.textContent = "";
			body.append(notice("error", h("p", {}, e.message)));
		}
	}
	classSel.addEventListener("change", reload);
	stateSel.addEventListener("change", reload);
	render(first);
	return h("div", { class: "campaign-results" },
	    h("p", {}, h("a", { class: "button button-secondary",
		href: `${base}/results.csv`, download: "" },
		"Exporter les résultats (CSV)")),
	    h("div", { class: "campaign-filters" },
		classes.length ? h("div", { class: "field" },
		    h("label", { for: classId }, "Classe"), classSel) : null,
		h("div", { class: "field" },
		    h("label", { for: stateId }, "État"), stateSel)),
	    body, detail);
}

// tabs: an ARIA tab list over panels built on demand ([{label, build}]).
export function tabs(list) {
	const panel = h("div", { role: "tabpanel", tabindex: "0",
	    class: "campaign-tabpanel" });
	const buttons = list.map((t, i) => h("button", { type: "button",
	    role: "tab", id: uid("onglet"), "aria-selected": "false",
	    tabindex: "-1", class: "campaign-tab" }, t.label));
	async function select(i, focus) {
		buttons.forEach((b, j) => {
			b.setAttribute("aria-selected", String(i === j));
			b.setAttribute("tabindex", i === j ? "0" : "-1");
		});
		panel.setAttribute("aria-labelledby", buttons[i].id);
		if (focus)
			buttons[i].focus();
		panel.textContent = "";
		panel.append(h("p", {}, "Chargement…"));
		try {
			const content = await list[i].build();
			panel.textContent = "";
			panel.append(content);
		} catch (e) {
			panel.textContent = "";
			panel.append(notice("error", h("p", {}, e.message ||
			    "Le chargement a échoué.")));
		}
	}
	buttons.forEach((b, i) => {
		b.addEventListener("click", () => select(i, false));
		b.addEventListener("keydown", (ev) => {
			const n = buttons.length;
			const k = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n,
			    Home: 0, End: n - 1 }[ev.key];
			if (k !== undefined) {
				ev.preventDefault();
				select(k, true);
			}
		});
	});
	select(0, false);
	return h("div", { class: "campaign-tabs" },
	    h("div", { role: "tablist", "aria-label": "Suivi de la campagne" },
		buttons), panel);
}
