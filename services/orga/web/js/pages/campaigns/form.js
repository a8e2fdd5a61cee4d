// pages/campaigns/form.js - "Créer une campagne" and "Modifier la
// campagne": name, type (creation only), participant-identifier label,
// landing text with a live character counter (at most 5000), owner among
// the school's members. Errors are shown next to their field.

import { post, request } from "../../api.js";
import { h, uid } from "../../dom.js";
import { clearErrors, errorText, field, fieldErrors, formAlert, showErrors,
    whileBusy } from "../../forms.js";
import { TYPES, apiBase, personName } from "./common.js";

export const LANDING_MAX = 5000;

// chars counts characters as the server does (code points).
function chars(text) {
	return [...text].length;
}

// landingField: the textarea and its counter "N / 5000 caractères". The
// counter is read with the field; a live message speaks only near and
// past the limit, not at each key.
function landingField(value) {
	const input = h("textarea", { name: "landingText", rows: "6",
	    value: value || "" });
	const counterId = uid("champ-landingText-compteur");
	const counter = h("p", { id: counterId, class: "campaign-counter" });
	const live = h("p", { class: "visually-hidden", "aria-live": "polite" });
	const f = field({ name: "landingText", control: input,
	    label: ["Texte de la page d'accueil ",
		h("span", { class: "field-optional" }, "(facultatif)")],
	    hint: "Affiché aux élèves quand ils ouvrent la campagne, avant de " +
		"commencer. 5000 caractères au plus.",
	    wrapInput: (control) => [control, counter],
	    describedBy: [counterId] });
	let timer = null;
	let lastSaid = "";
	const update = () => {
		const n = chars(input.value);
		counter.textContent = `${n} / ${LANDING_MAX} caractères`;
		counter.classList.toggle("campaign-counter-over", n > LANDING_MAX);
		clearTimeout(timer);
		timer = setTimeout(() => {
			let say = "";
			if (n > LANDING_MAX)
				say = `${n - LANDING_MAX} caractères de trop : ` +
				    `${LANDING_MAX} au plus.`;
			else if (LANDING_MAX - n <= 100)
				say = `Encore ${LANDING_MAX - n} caractères possibles.`;
			if (say !== lastSaid)
				live.textContent = say;
			lastSaid = say;
		}, 700);
	};
	input.addEventListener("input", update);
	update();
	f.el.append(live);
	f.length = () => chars(input.value);
	return f;
}

// parcoursField: the published parcours to choose from (shown with the
// assessment type), with the description and competences of the chosen.
function parcoursField(profiles) {
	const input = h("select", { name: "targetProfileId" },
	    h("option", { value: "" }, "Choisissez un parcours"),
	    profiles.map((p) => h("option", { value: p.id }, p.name)));
	const about = h("div", { class: "campaign-parcours", "aria-live": "polite" });
	const f = field({ name: "targetProfileId", control: input,
	    label: "Parcours (profil cible)",
	    hint: "Les compétences que le test mesure.",
	    wrapInput: (control) => [control, about] });
	input.addEventListener("change", () => {
		const p = profiles.find((x) => x.id === input.value);
		about.textContent = "";
		if (p)
			about.append(h("p", {}, p.description),
			    h("ul", {}, p.competences.map((k) =>
				h("li", {}, `${k.code} ${k.name}`))));
	});
	return f;
}

// typeField: the two radios.
function typeField() {
	const name = uid("type");
	const legendId = uid("legende");
	const noteId = uid("type-note");
	const radio = (value, label, checked) => {
		const id = uid("type");
		const input = h("input", { id, type: "radio", name, value,
		    checked });
		return { input, el: h("div", { class: "campaign-radio" }, input,
		    h("label", { for: id }, label)) };
	};
	const a = radio("PROFILES_COLLECTION", TYPES.PROFILES_COLLECTION, true);
	const b = radio("ASSESSMENT", TYPES.ASSESSMENT, false);
	const err = errorText(uid("type-erreur"));
	b.input.setAttribute("aria-describedby", noteId);
	const el = h("fieldset", { class: "field campaign-types",
	    "aria-labelledby": legendId },
	    h("legend", { id: legendId }, "Type de campagne"),
	    a.el, b.el,
	    h("p", { id: noteId, class: "field-hint" },
		"« Évaluer les participants » : les élèves passent un test " +
		"adaptatif sur le parcours choisi ci-dessous."),
	    err);
	const f = fieldErrors(el, [a.input], "type", err, []);
	f.value = () => (b.input.checked ? "ASSESSMENT" : "PROFILES_COLLECTION");
	f.inputs = [a.input, b.input];
	return f;
}

// ownerField: a select of the members, the current owner chosen.
function ownerField(members, ownerId) {
	const input = h("select", { name: "ownerId" },
	    members.map((m) => h("option", {
		value: String(m.userId),
		selected: String(m.userId) === String(ownerId) ? true : null,
	    }, personName(m))));
	input.value = String(ownerId);
	return field({ name: "ownerId", control: input,
	    label: "Propriétaire de la campagne",
	    hint: "Le propriétaire et les administrateurs peuvent modifier et " +
		"archiver la campagne." });
}

// campaignForm builds the form. opts: org, me, members (GET …/members),
// profiles (GET …/target-profiles, for a creation),
// campaign (to edit; absent: creation), onDone(campaign), onCancel(),
// onError(e) (true when it handled e: session lost...).
export function campaignForm(opts) {
	const editing = Boolean(opts.campaign);
	const c = opts.campaign || {};
	const myId = opts.me && opts.me.user ? opts.me.user.id : null;
	const headingId = uid("titre");
	const name = field({ name: "name", label: "Nom de la campagne",
	    autocomplete: "off", value: c.name || "",
	    hint: "Par exemple « Rentrée 2024 – 6e ». Les élèves le voient." });
	const type = editing ? null : typeField();
	const parcours = editing ? null : parcoursField(opts.profiles || []);
	if (parcours) {
		const sync = () => {
			parcours.el.hidden = type.value() !== "ASSESSMENT";
		};
		type.inputs.forEach((i) => i.addEventListener("change", sync));
		sync();
	}
	const label = field({ name: "externalIdLabel", required: false,
	    autocomplete: "off",
	    label: "Libellé de l'identifiant du participant (facultatif)",
	    value: c.externalIdLabel || "",
	    hint: "Si vous demandez aux élèves un identifiant en plus, son " +
		"nom, par exemple « Numéro d'élève ». Ne demandez jamais le " +
		"numéro de sécurité sociale." });
	const landing = landingField(c.landingText || "");
	const owner = ownerField(opts.members,
	    editing ? c.owner.id : myId);
	const alert = formAlert();
	const submit = h("button", { type: "submit", class: "button" },
	    editing ? "Enregistrer les modifications" : "Créer la campagne");
	const cancel = h("button", { type: "button",
	    class: "button button-secondary", onclick: () => opts.onCancel() },
	    "Annuler");
	const fields = [name, type, parcours, label, landing, owner]
	    .filter(Boolean);
	const form = h("form", { class: "form campaign-form", novalidate: true,
	    "aria-labelledby": headingId },
	    alert.el, ...fields.map((f) => f.el),
	    h("div", { class: "form-actions row-actions" }, submit, cancel));
	const el = h("section", { class: "team-block campaign-form-block",
	    "aria-labelledby": headingId },
	    h("h2", { id: headingId }, editing ? "Modifier la campagne" :
		"Créer une campagne"), form);
	el.addEventListener("keydown", (event) => {
		if (event.key === "Escape")
			opts.onCancel();
	});

	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearErrors(fields, alert);
		const local = [];
		if (name.input.value.trim() === "")
			local.push({ field: "name", message: "Le nom de la campagne " +
			    "est obligatoire." });
		if (landing.length() > LANDING_MAX)
			local.push({ field: "landingText", message: "Le texte de la " +
			    `page d'accueil ne doit pas dépasser ${LANDING_MAX} ` +
			    `caractères (il en compte ${landing.length()}).` });
		if (type && type.value() === "ASSESSMENT" &&
		    parcours.input.value === "")
			local.push({ field: "targetProfileId", message: "Choisissez " +
			    "le parcours que le test mesure." });
		if (local.length > 0) {
			showErrors(fields, alert, local);
			return;
		}
		const body = {
			name: name.input.value,
			externalIdLabel: label.input.value,
			landingText: landing.input.value,
			ownerId: Number(owner.input.value),
		};
		if (type)
			body.type = type.value();
		if (type && body.type === "ASSESSMENT")
			body.targetProfileId = parcours.input.value;
		await whileBusy(submit, editing ? "Enregistrement…" : "Création…",
		    async () => {
			let answer;
			try {
				answer = editing ?
				    await request("PATCH",
					`${apiBase(opts.org)}/campaigns/` +
					`${encodeURIComponent(c.id)}`, body) :
				    await post(`${apiBase(opts.org)}/campaigns`, body);
			} catch (e) {
				if (opts.onError && opts.onError(e))
					return;
				showErrors(fields, alert, e.errors || [e]);
				return;
			}
			await opts.onDone(answer);
		});
	});
	return { el, focus: () => name.input.focus() };
}
