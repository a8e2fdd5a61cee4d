// pages/campaigns/detail.js - one campaign's page: its name, the code in
// large type with "Copier le lien" and the direct link, type, owner,
// landing text; "Modifier" and "Archiver" / "Désarchiver" for the owner
// and ADMINs; the participants (Nom, Prénom, Classe, the participant
// identifier under the campaign's label, État, dates) with a class filter
// and their CSV export.

import { get, post } from "../../api.js";
import { formatDate, h, notice, setFlash, uid } from "../../dom.js";
import { herePath } from "../../session.js";
import { campaignForm } from "./form.js";
import { activityPanel, resultsPanel, tabs } from "./results.js";
import { apiBase, lost, nb, personName, spaceBase, stateLabel, typeLabel }
    from "./common.js";

// copyText puts text on the clipboard; without the clipboard API (or
// when refused), it selects the field so that Ctrl+C copies it. Returns
// true when copied.
async function copyText(text, input) {
	try {
		if (navigator.clipboard && window.isSecureContext) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch (e) {
		/* refused: fall back to the selection */
	}
	input.focus();
	input.select();
	try {
		return document.execCommand("copy");
	} catch (e) {
		return false;
	}
}

function codeBlock(c) {
	const linkId = uid("lien");
	const said = h("p", { class: "campaign-copied", role: "status" });
	const link = h("input", { id: linkId, type: "text", readonly: true,
	    class: "campaign-link-input", value: c.url, spellcheck: "false" });
	const copy = h("button", { type: "button", class: "button" },
	    "Copier le lien");
	copy.addEventListener("click", async () => {
		said.textContent = "";
		const ok = await copyText(c.url, link);
		said.textContent = ok ? "Lien copié. Collez-le dans un message " +
		    "à vos élèves (ENT, messagerie)." : "Le lien est " +
		    "sélectionné : copiez-le avec Ctrl+C (ou Cmd+C).";
	});
	return h("section", { class: "campaign-code-block",
	    "aria-label": "Code et lien de la campagne" },
	    h("p", { class: "campaign-code-label" }, "Code de la campagne"),
	    h("p", { class: "campaign-code" }, c.code),
	    h("p", { class: "field-hint" }, "Les élèves le saisissent sur la " +
		"page « J'ai un code », ou ouvrent directement le lien."),
	    h("div", { class: "campaign-link" },
		h("label", { for: linkId }, "Lien direct"),
		h("div", { class: "campaign-link-row" }, link, copy)),
	    said);
}

function details(c) {
	const item = (term, ...value) => [h("dt", {}, term),
	    h("dd", {}, ...value)];
	return h("dl", { class: "campaign-details" },
	    item("Type", typeLabel(c.type)),
	    c.targetProfile ? item("Parcours", c.targetProfile.name) : null,
	    item("Propriétaire", personName(c.owner)),
	    item("Créée le", formatDate(c.createdAt)),
	    c.archived ? item("Archivée le", formatDate(c.archivedAt)) : null,
	    item("Identifiant demandé aux participants",
		c.externalIdLabel || h("span", { class: "muted" }, "Aucun")),
	    item("Texte de la page d'accueil", c.landingText ?
		h("p", { class: "campaign-landing" }, c.landingText) :
		h("span", { class: "muted" }, "Aucun")));
}

// participantsSection: the table with its class filter; the first answer
// is already loaded.
function participantsSection(org, c, first, onError) {
	const headingId = uid("titre");
	const classId = uid("classe");
	const select = h("select", { id: classId, name: "class" },
	    h("option", { value: "" }, "Toutes les classes"),
	    (first.classes || []).map((k) => h("option", { value: k }, k)));
	const count = h("p", { class: "campaign-count", role: "status" });
	const body = h("div", {});
	let seq = 0;

	function render(data) {
		const list = data.participants || [];
		count.textContent = select.value === "" ?
		    nb(list.length, "participant", "participants") :
		    `${nb(list.length, "participant", "participants")} en ` +
		    `${select.value}`;
		body.textContent = "";
		if (list.length === 0 && select.value === "") {
			count.textContent = "";
			body.append(h("div", { class: "empty" },
			    h("p", { class: "empty-title" },
				"Aucun participant pour le moment."),
			    h("p", {}, "Communiquez le code ",
				h("strong", { class: "campaign-code-small" }, c.code),
				" ou le lien direct à vos élèves : ils apparaîtront " +
				"ici dès qu'ils auront rejoint la campagne.")));
			return;
		}
		body.append(h("div", { class: "table-wrap", role: "region",
		    tabindex: "0", "aria-label": "Tableau des participants" },
		    h("table", { class: "table campaign-table" },
			h("caption", { class: "visually-hidden" },
			    `Participants de la campagne ${c.name}`),
			h("thead", {}, h("tr", {},
			    ["Nom", "Prénom", "Classe", c.externalIdLabel, "État",
				"Commencée le", "Envoyée le"].filter(Boolean)
				.map((t) => h("th", { scope: "col" }, t)))),
			h("tbody", {}, list.map((p) => h("tr", {},
			    h("td", {}, p.lastName),
			    h("td", {}, p.firstName),
			    h("td", {}, p.class || "–"),
			    c.externalIdLabel ? h("td", {}, p.externalId || "–") :
				null,
			    h("td", {}, h("span", {
				class: `campaign-state campaign-state-${
				    String(p.status).toLowerCase()}`,
			    }, stateLabel(p.status, c.type))),
			    h("td", {}, formatDate(p.createdAt)),
			    h("td", {}, p.sharedAt ? formatDate(p.sharedAt) :
				"–")))))));
	}

	select.addEventListener("change", async () => {
		seq += 1;
		const mine = seq;
		const q = select.value ?
		    `?${new URLSearchParams({ class: select.value })}` : "";
		try {
			const data = await get(`${apiBase(org)}/campaigns/` +
			    `${encodeURIComponent(c.id)}/participants${q}`);
			if (mine === seq)
				render(data);
		} catch (e) {
			if (mine !== seq || onError(e))
				return;
			body.textContent = "";
			body.append(notice("error", h("p", {}, e.message)));
		}
	});
	render(first);
	const exportLink = (first.participants || []).length === 0 ? null :
	    h("p", {}, h("a", { class: "button button-secondary",
		href: `${apiBase(org)}/campaigns/${encodeURIComponent(c.id)}` +
		    "/participants/export", download: "" },
		"Exporter les participants (CSV)"));
	return h("section", { class: "campaign-participants",
	    "aria-labelledby": headingId },
	    h("h2", { id: headingId }, "Participants"),
	    exportLink,
	    (first.classes || []).length > 0 ? h("div", { class: "field" },
		h("label", { for: classId }, "Classe"), select) : null,
	    count, body);
}

// campaignPage is the route page /organisations/{id}/campagnes/{cid}.
export async function campaignPage(ctx, org, me) {
	const cid = encodeURIComponent(ctx.params[1]);
	const base = `${apiBase(org)}/campaigns/${cid}`;
	const [c, first, team] = await Promise.all([
		get(base), get(`${base}/participants`),
		get(`${apiBase(org)}/members`).catch(() => ({ members: [] })),
	]);
	const onError = (e) => lost(ctx, org, e);
	const status = h("div", { class: "campaign-status",
	    "aria-live": "polite" });
	const say = (kind, text) => {
		const box = notice(kind, h("p", {}, text));
		box.setAttribute("tabindex", "-1");
		status.textContent = "";
		status.append(box);
		box.focus();
	};
	const slot = h("div", {});
	const actions = h("div", { class: "row-actions campaign-actions" });
	if (c.canEdit) {
		const edit = h("button", { type: "button",
		    class: "button button-secondary", "aria-expanded": "false" },
		    "Modifier");
		const close = () => {
			slot.textContent = "";
			edit.setAttribute("aria-expanded", "false");
			edit.focus();
		};
		edit.addEventListener("click", () => {
			if (edit.getAttribute("aria-expanded") === "true")
				return close();
			const form = campaignForm({ org, me, campaign: c,
			    members: team.members || [], onCancel: close, onError,
			    onDone: async (updated) => {
				setFlash(`La campagne « ${updated.name} » a été ` +
				    "modifiée.", "success");
				await ctx.navigate(herePath(), { replace: true });
			    } });
			slot.textContent = "";
			slot.append(form.el);
			edit.setAttribute("aria-expanded", "true");
			form.focus();
			return undefined;
		});
		const archive = h("button", { type: "button",
		    class: "button button-secondary" },
		    c.archived ? "Désarchiver" : "Archiver");
		archive.addEventListener("click", async () => {
			try {
				await post(`${base}/${c.archived ? "unarchive" :
				    "archive"}`, {});
			} catch (e) {
				if (!onError(e))
					say("error", e.message);
				return;
			}
			setFlash(c.archived ? `La campagne « ${c.name} » est de ` +
			    "nouveau active." : `La campagne « ${c.name} » est ` +
			    "archivée : elle apparaît dans « Archivées ». Ses " +
			    "participants restent consultables.", "success");
			await ctx.navigate(herePath(), { replace: true });
		});
		actions.append(edit, archive);
	}
	return [
		h("p", { class: "campaign-back" }, h("a", {
			href: `${spaceBase(org)}/campagnes` },
		    h("span", { "aria-hidden": "true" }, "‹ "),
		    "Toutes les campagnes")),
		h("div", { class: "campaign-title" },
		    h("h1", {}, c.name),
		    c.archived ? h("span", { class: "badge" }, "Archivée") : null),
		status, actions, slot,
		c.archived ? notice("info", h("p", {}, "Cette campagne est " +
		    "archivée : les élèves ne peuvent plus la rejoindre.")) : null,
		codeBlock(c),
		details(c),
		tabs([
			{ label: "Activité", build: async () => h("div", {},
			    await activityPanel(org, c),
			    participantsSection(org, c, first, onError)) },
			{ label: "Résultats", build: () => resultsPanel(org, c,
			    onError) },
		]),
	];
}
