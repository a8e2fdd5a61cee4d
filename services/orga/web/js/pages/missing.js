// pages/missing.js - "Page introuvable" (unknown path, or a school the
// user is not a member of) and the page shown when a screen failed.

import { h, setTitle } from "../dom.js";
import { publicPage } from "../layout.js";
import { forget, herePath, setNext } from "../session.js";

export function notFoundPage(ctx) {
	setTitle("Page introuvable");
	publicPage(ctx.root, h("div", { class: "panel panel-narrow" },
	    h("h1", {}, "Page introuvable"),
	    h("p", {}, "La page demandée n'existe pas ou vous n'y avez pas " +
		"accès. Vérifiez l'adresse, ou revenez à votre espace."),
	    h("p", {}, h("a", { class: "button", href: "/" },
		"Aller à mon espace"))));
}

export function errorPage(ctx, error) {
	if (error && error.status === 404)
		return notFoundPage(ctx);
	if (error && error.status === 401) {
		/* the session ended (expired, logged out in another tab) */
		forget();
		setNext(herePath());
		return ctx.navigate("/connexion", { replace: true });
	}
	if (!error || !error.errors)
		console.error(error);
	setTitle("Erreur");
	const message = error && error.errors ? error.message :
	    "Une erreur inattendue est survenue.";
	publicPage(ctx.root, h("div", { class: "panel panel-narrow" },
	    h("h1", {}, "Cette page n'a pas pu s'afficher"),
	    h("div", { class: "notice notice-error", role: "alert" },
		h("p", {}, message)),
	    h("p", {}, h("a", { class: "button", href: location.pathname +
		location.search, "data-reload": "" }, "Réessayer"))));
	return undefined;
}
