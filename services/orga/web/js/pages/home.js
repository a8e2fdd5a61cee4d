// pages/home.js - / : opens the user's first school space; visitors go to
// /connexion, users with new CGU to /cgu; a user of no school is told
// how to join one.

import { enc } from "../api.js";
import { h, setTitle } from "../dom.js";
import { publicPage } from "../layout.js";
import { displayName, gate, logout } from "../session.js";

export default async function homePage(ctx) {
	const me = await gate(ctx.navigate);
	if (!me)
		return;
	const first = (me.memberships || [])[0];
	if (first && first.organization) {
		await ctx.navigate(
		    `/organisations/${enc(first.organization.id)}/campagnes`,
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
	    h("p", {}, h("button", { type: "button", class: "link-button",
		onclick: async () => {
			await logout().catch(() => null);
			await ctx.navigate("/connexion");
		} }, "Se déconnecter"))));
}
