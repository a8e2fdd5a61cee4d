// pages/join.js - /rejoindre?invitationId=…&code=… : the invitation
// e-mail's link. Shows the school, lets the person create an account or
// log in, sends them through the CGU, accepts, and opens the space.

import { enc, get, post } from "../api.js";
import { loginForm, signupForm } from "../account.js";
import { h, notice, setFlash, setTitle, uid } from "../dom.js";
import { publicPage } from "../layout.js";
import { displayName, forget, herePath, loadMe, logout, setNext }
    from "../session.js";

// The invitation to accept by itself when the person comes back from the
// CGU screen (sessionStorage: only this tab, only this invitation).
const AUTO_KEY = "orga.rejoindre";

function setAuto(id) {
	try {
		sessionStorage.setItem(AUTO_KEY, id);
	} catch (e) {
		/* without storage the person clicks "Rejoindre" once more */
	}
}

function takeAuto(id) {
	try {
		const value = sessionStorage.getItem(AUTO_KEY);
		sessionStorage.removeItem(AUTO_KEY);
		return value === id;
	} catch (e) {
		return false;
	}
}

function endPage(root, title, ...body) {
	setTitle(title);
	publicPage(root, h("div", { class: "panel panel-narrow" },
	    h("h1", {}, title), ...body));
}

function invalidPage(root) {
	endPage(root, "Ce lien d'invitation n'est pas valide.",
	    h("p", {}, "Vérifiez que vous avez ouvert le lien complet de " +
		"l'e-mail reçu. Si l'invitation vous a été renvoyée, seul le " +
		"lien du dernier e-mail fonctionne."),
	    h("p", {}, "Sinon, demandez une nouvelle invitation à un " +
		"administrateur de votre établissement."),
	    h("p", {}, h("a", { href: "/connexion" }, "Se connecter")));
}

function acceptedPage(root, me) {
	if (me) {
		endPage(root, "Cette invitation a déjà été acceptée.",
		    h("p", {}, "Vous êtes connecté(e) : retrouvez l'espace de " +
			"votre établissement depuis votre accueil."),
		    h("p", {}, h("a", { class: "button", href: "/" },
			"Aller à mon espace")));
		return;
	}
	endPage(root, "Cette invitation a déjà été acceptée.",
	    h("p", {}, "Connectez-vous avec votre compte pour accéder à " +
		"l'espace de votre établissement."),
	    h("p", {}, h("a", { class: "button", href: "/connexion" },
		"Se connecter")));
}

function cancelledPage(root) {
	endPage(root, "Cette invitation a été annulée.",
	    h("p", {}, "Elle ne permet plus de rejoindre l'établissement. " +
		"Si vous devez y accéder, demandez une nouvelle invitation à " +
		"un administrateur de votre établissement."),
	    h("p", {}, h("a", { href: "/connexion" }, "Se connecter")));
}

// accept posts the acceptance and opens the space. report(text) shows a
// refusal on the current screen.
async function accept(ctx, inv, code, report) {
	const name = inv.organization.name;
	let result;
	try {
		result = await post(`/api/invitations/${enc(inv.id)}/accept`,
		    { code });
	} catch (e) {
		if (e.code === "TERMS_NOT_ACCEPTED") {
			setAuto(String(inv.id));
			setNext(herePath());
			await ctx.navigate("/cgu", { replace: true });
			return;
		}
		if (e.code === "INVITATION_ACCEPTED" ||
		    e.code === "INVITATION_CANCELLED" ||
		    e.code === "INVITATION_NOT_FOUND" || e.status === 404) {
			await ctx.navigate(herePath(), { replace: true });
			return;
		}
		if (!e.errors)
			throw e;
		report(e.message);
		return;
	}
	forget();          /* memberships changed: /api/me again */
	if (result.alreadyMember)
		setFlash(`Vous êtes déjà membre de ${name} : rien n'a changé.`,
		    "info");
	else
		setFlash(`Bienvenue ! Vous avez rejoint l'espace de ${name}.`,
		    "success");
	/* replace: the link and its code leave the history */
	await ctx.navigate(
	    `/organisations/${enc(result.organizationId)}/campagnes`,
	    { replace: true });
}

// proceed runs once a session is open: CGU first if needed, then accept.
async function proceed(ctx, inv, code, me, report) {
	if (me.mustAcceptTerms) {
		setAuto(String(inv.id));
		setNext(herePath());
		await ctx.navigate("/cgu");
		return;
	}
	await accept(ctx, inv, code, report);
}

function errorSlot() {
	const slot = h("div", { class: "slot" });
	return {
		el: slot,
		show(text) {
			slot.textContent = "";
			slot.append(notice("error", h("p", {}, text)));
		},
	};
}

function loggedInView(ctx, inv, code, me) {
	const slot = errorSlot();
	const button = h("button", { type: "button", class: "button" },
	    `Rejoindre ${inv.organization.name}`);
	button.addEventListener("click", () =>
	    proceed(ctx, inv, code, me, (t) => slot.show(t)));
	const other = h("button", { type: "button", class: "link-button",
	    onclick: async () => {
		await logout().catch(() => null);
		await ctx.navigate(herePath(), { replace: true });
	    } }, "Ce n'est pas vous ? Se déconnecter");
	return h("div", { class: "panel" },
	    h("p", {}, "Vous êtes connecté(e) en tant que ",
		h("strong", {}, displayName(me)), ` (${me.user.email}).`),
	    slot.el,
	    h("div", { class: "form-actions" }, button),
	    h("p", {}, other));
}

function choiceView(ctx, inv, code) {
	const prefill = /member/i.test(inv.kind || "") ? inv.email : "";
	const panelId = uid("choix");
	const panel = h("div", { id: panelId, class: "panel" });
	/* once logged in, a refusal is shown on the logged-in view */
	const refused = (text) => {
		setFlash(text, "error");
		return ctx.navigate(herePath(), { replace: true });
	};
	const done = (me) => proceed(ctx, inv, code, me, refused);
	const views = {
		signup: () => {
			const headingId = uid("titre");
			/* the server refuses another address before any account */
			return [h("h2", { id: headingId }, "Créer mon compte"),
			    signupForm({ onDone: done, email: prefill, headingId,
				invitation: { invitationId: Number(inv.id),
				    invitationCode: code } })];
		},
		login: () => {
			const headingId = uid("titre");
			return [h("h2", { id: headingId }, "J'ai déjà un compte"),
			    loginForm({ onDone: done, email: prefill, headingId })];
		},
	};
	const buttons = {};
	const show = (key, focus) => {
		for (const [k, b] of Object.entries(buttons))
			b.setAttribute("aria-pressed", k === key ? "true" : "false");
		panel.textContent = "";
		panel.append(...views[key]());
		if (focus)
			panel.querySelector("input").focus();
	};
	buttons.signup = h("button", { type: "button", class: "choice",
	    "aria-controls": panelId, onclick: () => show("signup", true) },
	    "Créer mon compte");
	buttons.login = h("button", { type: "button", class: "choice",
	    "aria-controls": panelId, onclick: () => show("login", true) },
	    "J'ai déjà un compte");
	show("signup", false);
	return [
		h("div", { class: "choices", role: "group",
		    "aria-label": "Votre compte" },
		    buttons.signup, buttons.login),
		panel,
	];
}

// sentTo says, before any account is made, which address the invitation
// went to: a personal one is accepted by that address only.
function sentTo(inv) {
	if (/member/i.test(inv.kind || "") && inv.email)
		return h("p", { class: "join-sent-to" },
		    "Cette invitation a été envoyée à ",
		    h("strong", {}, inv.email), " : créez votre compte, ou " +
		    "connectez-vous, avec cette adresse.");
	return h("p", { class: "join-sent-to" },
	    "Cette invitation a été envoyée à l'adresse de l'établissement" +
	    (inv.email ? " " : ""), inv.email ? h("strong", {}, inv.email) :
	    null, " : vous pouvez créer votre compte avec votre propre " +
	    "adresse.");
}

export default async function joinPage(ctx) {
	const id = ctx.query.get("invitationId") || "";
	const code = ctx.query.get("code") || "";
	if (!/^[0-9]+$/.test(id) || code === "")
		return invalidPage(ctx.root);
	let inv;
	try {
		inv = await get(`/api/invitations/${enc(id)}?code=${enc(code)}`);
	} catch (e) {
		if (e.status === 404)
			return invalidPage(ctx.root);
		throw e;
	}
	inv.id = inv.id || id;
	inv.organization = inv.organization || { name: "" };
	const status = String(inv.status || "").toLowerCase();
	const me = await loadMe();
	if (status === "accepted")
		return acceptedPage(ctx.root, me);
	if (status === "cancelled")
		return cancelledPage(ctx.root);

	const startSlot = errorSlot();
	if (me && !me.mustAcceptTerms && takeAuto(String(inv.id))) {
		let refused = null;
		await accept(ctx, inv, code, (t) => { refused = t; });
		if (!ctx.isCurrent())
			return undefined;
		if (refused)
			startSlot.show(refused);
	}
	const name = inv.organization.name;
	setTitle(`Rejoindre ${name}`);
	publicPage(ctx.root, h("div", { class: "join" },
	    h("h1", { class: "join-title" },
		"Vous êtes invité(e) à rejoindre ",
		h("strong", { class: "join-org" }, name)),
	    h("p", { class: "lead" }, "Orga permet à votre établissement de " +
		"créer des campagnes de test, de gérer la liste des élèves et " +
		"de suivre leur progression."),
	    sentTo(inv),
	    startSlot.el,
	    me ? loggedInView(ctx, inv, code, me) : choiceView(ctx, inv, code)));
	return undefined;
}
