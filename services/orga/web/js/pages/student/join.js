// pages/student/join.js - /campagnes/{CODE}/rejoindre: log in (GAR, an
// Orga account, or a new one), then, the first time in the school, "Un
// tout petit détail !" (names prefilled, birth date) to link the account
// to the imported student, then join and show the participation. A
// student already linked in the school goes straight to the participation.

import { enc, get, post } from "../../api.js";
import { loginForm, signupForm } from "../../account.js";
import { focusHeading, h, notice, setFlash, uid } from "../../dom.js";
import { clearErrors, field, formAlert, showErrors, whileBusy }
    from "../../forms.js";
import { displayName, herePath, loadMe, logout } from "../../session.js";
import { birthDateField } from "./birthdate.js";
import { campaignPath, frame, kicker, loadCampaign, missingPage,
    normalizeCode } from "./common.js";
import { participationView } from "./participation.js";

const NOT_YOU = "Vérifiez que vous êtes bien connecté à votre ENT ou " +
    "contactez votre enseignant.";

// A screen of this page: its content replaces the previous one and the
// new heading gets the focus (the first one is focused by the router).
class Screens {
	constructor(ctx, campaign) {
		this.ctx = ctx;
		this.campaign = campaign;
		this.view = h("div", { class: "student-view" });
		this.first = true;
	}

	show(...content) {
		this.view.textContent = "";
		this.view.append(...content);
		if (!this.first && this.ctx.isCurrent())
			focusHeading(this.view);
		this.first = false;
	}
}

function api(code, what) {
	return `/api/campaigns/${enc(code)}/${what}`;
}

// --- not logged in: the three ways in ---------------------------------

function loginChoice(s) {
	const c = s.campaign;
	const back = `${campaignPath(c.code)}/rejoindre`;
	const panelId = uid("compte");
	const panel = h("div", { id: panelId, class: "student-account" });
	const done = () => s.ctx.navigate(herePath(), { replace: true });
	const buttons = {};
	const views = {
		login: () => {
			const id = uid("titre");
			return [h("h2", { id }, "J'ai déjà un compte Orga"),
			    loginForm({ headingId: id, onDone: done })];
		},
		signup: () => {
			const id = uid("titre");
			return [h("h2", { id }, "Créer un compte"),
			    signupForm({ headingId: id, onDone: done })];
		},
	};
	const open = (key) => {
		for (const [k, b] of Object.entries(buttons))
			b.setAttribute("aria-expanded", k === key ? "true" : "false");
		panel.textContent = "";
		panel.append(...views[key]());
		panel.querySelector("input").focus();
	};
	buttons.login = h("button", { type: "button",
	    class: "button button-secondary", "aria-expanded": "false",
	    "aria-controls": panelId, onclick: () => open("login") },
	    "J'ai déjà un compte Orga");
	buttons.signup = h("button", { type: "button",
	    class: "button button-secondary", "aria-expanded": "false",
	    "aria-controls": panelId, onclick: () => open("signup") },
	    "Créer un compte");
	s.show(h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", {}, "Connectez-vous pour participer"),
	    h("p", { class: "lead" }, `Campagne « ${c.name} »`),
	    h("div", { class: "student-ways" },
		h("a", { class: "button button-gar",
		    href: `/api/gar/login?returnTo=${enc(back)}` },
		    "Se connecter avec le GAR"),
		h("p", { class: "muted student-ways-hint" }, "Depuis votre ENT, " +
		    "avec le compte de votre établissement."),
		buttons.login, buttons.signup),
	    panel));
}

// --- logged in, not linked: "Un tout petit détail !" -------------------

async function notYou(s) {
	await logout().catch(() => null);
	setFlash(`Vous avez été déconnecté(e). ${NOT_YOU}`, "info");
	await s.ctx.navigate(herePath(), { replace: true });
}

function linkForm(s, state) {
	const c = s.campaign;
	const headingId = uid("titre");
	const alert = formAlert();
	const first = field({ name: "firstName", label: "Prénom",
	    autocomplete: "given-name", value: state.prefill.firstName });
	const last = field({ name: "lastName", label: "Nom",
	    autocomplete: "family-name", value: state.prefill.lastName });
	const birth = birthDateField();
	const fields = [first, last, birth];
	const button = h("button", { type: "submit", class: "button" },
	    "C'est parti !");
	const form = h("form", { class: "form link-form", novalidate: true,
	    "aria-labelledby": headingId },
	    alert.el, first.el, last.el, birth.el,
	    h("div", { class: "form-actions" }, button));
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		if (button.dataset.busy)
			return;
		clearErrors(fields, alert);
		const local = [];
		if (first.input.value.trim() === "")
			local.push({ field: "firstName",
			    message: "Saisissez votre prénom." });
		if (last.input.value.trim() === "")
			local.push({ field: "lastName", message: "Saisissez votre nom." });
		const date = birth.value();
		if (date.error)
			local.push({ field: "birthDate", message: date.error });
		if (local.length > 0) {
			showErrors(fields, alert, local);
			return;
		}
		await whileBusy(button, "Vérification…", async () => {
			try {
				await post(api(c.code, "link"), {
					firstName: first.input.value.trim(),
					lastName: last.input.value.trim(),
					birthDate: date.text,
				});
			} catch (e) {
				if (!e.errors)
					throw e;
				showErrors(fields, alert, e.errors);
				return;
			}
			await joinAndShow(s, null);
		});
	});
	const who = displayName(state.me);
	s.show(h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    who ? h("p", { class: "student-who" },
		h("span", { class: "visually-hidden" }, "Connecté(e) : "), who) :
		null,
	    h("h1", { id: headingId }, "Un tout petit détail !"),
	    h("p", { class: "lead" }, "Remplissez les informations manquantes"),
	    form,
	    h("div", { class: "not-you" },
		h("button", { type: "button", class: "link-button",
		    onclick: () => notYou(s) }, "Ce n'est pas vous ?"),
		h("p", { class: "muted" }, NOT_YOU))));
}

// --- the participant identifier, when the campaign asks for one -------

function externalIdForm(s, message) {
	const c = s.campaign;
	const headingId = uid("titre");
	const alert = formAlert();
	const ext = field({ name: "externalId", label: c.externalIdLabel,
	    autocomplete: "off" });
	const button = h("button", { type: "submit", class: "button" },
	    "Continuer");
	const form = h("form", { class: "form", novalidate: true,
	    "aria-labelledby": headingId }, alert.el, ext.el,
	    h("div", { class: "form-actions" }, button));
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearErrors([ext], alert);
		if (ext.input.value.trim() === "") {
			showErrors([ext], alert, [{ field: "externalId",
			    message: `Saisissez votre ${c.externalIdLabel}.` }]);
			return;
		}
		await whileBusy(button, "Un instant…",
		    () => joinAndShow(s, ext.input.value.trim(), [ext], alert));
	});
	s.show(h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", { id: headingId }, "Encore une information"),
	    h("p", { class: "lead" }, "Votre établissement demande cette " +
		"information pour reconnaître votre participation."),
	    form));
	if (message)
		showErrors([ext], alert, [{ field: "externalId", message }]);
}

// joinAndShow joins the campaign and shows the participation; a missing
// identifier asks for it first.
async function joinAndShow(s, externalId, fields, alert) {
	const c = s.campaign;
	let result;
	try {
		result = await post(api(c.code, "join"),
		    externalId ? { externalId } : {});
	} catch (e) {
		if (e.field === "externalId") {
			if (fields && alert)
				showErrors(fields, alert, e.errors);
			else
				externalIdForm(s, null);
			return;
		}
		if (e.code === "LEARNER_GONE" || e.code === "NOT_LINKED") {
			await s.ctx.navigate(herePath(), { replace: true });
			return;
		}
		throw e;
	}
	s.show(participationView(s, result.participation));
}

function gonePage(s) {
	s.show(h("div", { class: "panel panel-narrow" },
	    kicker(s.campaign),
	    h("h1", {}, "Vous ne pouvez pas participer à cette campagne"),
	    notice("error", h("p", {}, "Vous n'êtes plus inscrit(e) dans la " +
		"liste des élèves de cet établissement. Contactez votre " +
		"enseignant.")),
	    h("p", {}, h("button", { type: "button", class: "link-button",
		onclick: () => notYou(s) }, "Ce n'est pas vous ?"))));
}

export default async function studentJoinPage(ctx) {
	const code = normalizeCode(ctx.params[0]);
	const campaign = await loadCampaign(code);
	if (!ctx.isCurrent())
		return;
	if (!campaign) {
		missingPage(ctx.root);
		return;
	}
	const s = new Screens(ctx, campaign);
	frame(ctx.root, campaign.name, s.view);
	const me = await loadMe();
	if (!me) {
		loginChoice(s);
		return;
	}
	const state = await get(api(campaign.code, "me"));
	state.me = me;
	if (state.participation) {
		s.show(participationView(s, state.participation));
		return;
	}
	if (state.learnerGone) {
		gonePage(s);
		return;
	}
	if (state.linked) {
		/* later campaigns of the school: no form */
		if (campaign.externalIdLabel)
			externalIdForm(s, null);
		else
			await joinAndShow(s, null);
		return;
	}
	linkForm(s, state);
}
