// pages/login.js - /connexion (log in) and /inscription (create an
// account without an invitation). Both continue to the kept destination,
// or / which opens the user's space.

import { loginForm, signupForm } from "../account.js";
import { h, setTitle, uid } from "../dom.js";
import { publicPage } from "../layout.js";
import { loadMe, setNext, takeNext } from "../session.js";

async function continueAfter(ctx, me) {
	if (me && me.mustAcceptTerms) {
		const next = takeNext();
		if (next)
			setNext(next);
		await ctx.navigate("/cgu", { replace: true });
		return;
	}
	await ctx.navigate(takeNext() || "/", { replace: true });
}

export async function loginPage(ctx) {
	const me = await loadMe();
	if (me) {
		await continueAfter(ctx, me);
		return;
	}
	const headingId = uid("titre");
	setTitle("Connexion");
	publicPage(ctx.root, h("div", { class: "panel panel-narrow" },
	    h("h1", { id: headingId }, "Connexion à Orga"),
	    loginForm({ headingId, onDone: (m) => continueAfter(ctx, m) }),
	    h("p", { class: "aside" }, "Vous n'avez pas de compte ? ",
		h("a", { href: "/inscription" }, "Créer un compte"))));
}

export async function signupPage(ctx) {
	const me = await loadMe();
	if (me) {
		await continueAfter(ctx, me);
		return;
	}
	const headingId = uid("titre");
	setTitle("Créer un compte");
	publicPage(ctx.root, h("div", { class: "panel panel-narrow" },
	    h("h1", { id: headingId }, "Créer un compte"),
	    h("p", { class: "lead" }, "Pour rejoindre l'espace de votre " +
		"établissement, ouvrez plutôt le lien de l'invitation reçue " +
		"par e-mail : il vous proposera de créer votre compte."),
	    signupForm({ headingId, onDone: (m) => continueAfter(ctx, m) }),
	    h("p", { class: "aside" }, "Vous avez déjà un compte ? ",
		h("a", { href: "/connexion" }, "Se connecter"))));
}
