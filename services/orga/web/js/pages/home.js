// pages/home.js - / : opens the space of the school the user used last
// (GET /api/me/organizations); visitors go to /connexion, staff with new
// CGU to /cgu; a student (an account of no school that logs in through
// the GAR or has no e-mail) gets the student's screen, never the staff's
// terms of use; a staff member of no school is told how to join one.

import { enc } from "../api.js";
import { h, loadStyles, setTitle } from "../dom.js";
import { publicPage } from "../layout.js";
import { displayName, gate, loadMe, logout, setNext, herePath }
    from "../session.js";
import { mySchools } from "./space.js";

function logoutButton(ctx) {
	return h("button", { type: "button", class: "link-button",
	    onclick: async () => {
		await logout().catch(() => null);
		await ctx.navigate("/connexion");
	    } }, "Se déconnecter");
}

// isStudent: no school, and an account made by the GAR or without e-mail.
function isStudent(me) {
	const methods = (me.user && me.user.loginMethods) || [];
	return (me.memberships || []).length === 0 &&
	    (methods.includes("GAR") || !(me.user && me.user.email));
}

function studentHome(ctx, me) {
	loadStyles("student");
	setTitle("Mon espace élève");
	publicPage(ctx.root, h("div", { class: "student" },
	    h("div", { class: "panel panel-narrow" },
		h("h1", {}, `Bonjour ${displayName(me)}`),
		h("p", { class: "lead" }, "Vous êtes connecté(e) à Orga avec " +
		    "votre compte élève."),
		h("p", {}, "Pour participer à une campagne, saisissez le code " +
		    "donné par votre enseignant, ou ouvrez le lien qu'il vous " +
		    "a envoyé."),
		h("p", { class: "form-actions" }, h("a", { class: "button",
		    href: "/campagnes" }, "J'ai un code")),
		h("p", {}, logoutButton(ctx)))));
}

export default async function homePage(ctx) {
	const known = await loadMe();
	if (!known) {
		setNext(herePath());
		await ctx.navigate("/connexion", { replace: true });
		return;
	}
	if (isStudent(known))
		return studentHome(ctx, known);
	const me = await gate(ctx.navigate);
	if (!me)
		return;
	const schools = await mySchools();
	const first = schools[0] || ((me.memberships || [])[0] || {})
	    .organization;
	if (first && first.id) {
		await ctx.navigate(`/organisations/${enc(first.id)}/campagnes`,
		    { replace: true });
		return;
	}
	setTitle("Aucun établissement");
	publicPage(ctx.root, h("div", { class: "panel panel-narrow" },
	    h("h1", {}, `Bonjour ${displayName(me)}`),
	    h("p", {}, "Votre compte n'est rattaché à aucun établissement " +
		"pour le moment."),
	    h("p", {}, "Pour accéder à l'espace de votre établissement, " +
		"ouvrez le lien de l'invitation reçue par e-mail. Si vous " +
		"n'en avez pas, demandez-en une à un administrateur de votre " +
		"établissement."),
	    h("p", {}, logoutButton(ctx))));
}
