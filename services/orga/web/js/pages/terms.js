// pages/terms.js - /cgu : the current terms of use (GET /api/terms); a
// logged-in user who has not accepted them ticks the box and continues
// (POST /api/terms/accept) to where they were going.

import { fallbackMessage, get, post } from "../api.js";
import { h, setTitle } from "../dom.js";
import { checkbox, clearErrors, formAlert, showErrors, whileBusy }
    from "../forms.js";
import { publicPage } from "../layout.js";
import { loadMe, takeNext } from "../session.js";

const TITLE = "Conditions générales d'utilisation";

function acceptForm(ctx, version) {
	const box = checkbox("accept", "J'ai lu et j'accepte les conditions " +
	    "générales d'utilisation");
	const alert = formAlert();
	const button = h("button", { type: "submit", class: "button" },
	    "Je continue");
	const form = h("form", { class: "form terms-form", novalidate: true,
	    "aria-label": "Acceptation des conditions" },
	    alert.el, box.el, h("div", { class: "form-actions" }, button));
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearErrors([box], alert);
		if (!box.input.checked) {
			showErrors([box], alert, [{ field: "accept", message:
			    "Cochez la case pour accepter les conditions " +
			    "générales d'utilisation." }]);
			return;
		}
		await whileBusy(button, "Enregistrement…", async () => {
			try {
				await post("/api/terms/accept", { version });
			} catch (e) {
				if (e.code === "TERMS_OUTDATED") {
					/* a new version was published meanwhile */
					await ctx.navigate("/cgu", { replace: true });
					return;
				}
				alert.show(e.errors ? e.message :
				    fallbackMessage("INTERNAL"));
				return;
			}
			await loadMe(true);
			await ctx.navigate(takeNext() || "/", { replace: true });
		});
	});
	return form;
}

// termsBody renders the plain-text CGU: blocks split by blank lines; a
// block whose first line is a short title ("1. Objet") gets it as an h2.
function termsBody(text) {
	const nodes = [];
	const blocks = String(text || "").split(/\n\s*\n/)
	    .map((b) => b.trim()).filter((b) => b.length > 0);
	for (const block of blocks) {
		const lines = block.split("\n");
		const first = lines[0].trim();
		if (lines.length > 1 && first.length <= 80 && !/[.:;,]$/.test(first)) {
			nodes.push(h("h2", {}, first));
			nodes.push(h("p", {}, lines.slice(1).join("\n").trim()));
		} else {
			nodes.push(h("p", {}, block));
		}
	}
	return nodes;
}

export default async function termsPage(ctx) {
	const [terms, me] = await Promise.all([get("/api/terms"), loadMe()]);
	setTitle(TITLE);
	let footer;
	if (me && me.mustAcceptTerms) {
		footer = [
			h("p", { class: "lead" }, "Pour utiliser Orga, lisez puis " +
			    "acceptez ces conditions."),
			acceptForm(ctx, terms.version),
		];
	} else if (me) {
		footer = [h("p", {}, "Vous avez accepté cette version. ",
		    h("a", { href: "/" }, "Retour à mon espace"))];
	} else {
		footer = [h("p", {}, h("a", { href: "/connexion" },
		    "Se connecter"))];
	}
	publicPage(ctx.root, h("div", { class: "panel terms" },
	    h("h1", {}, TITLE),
	    h("p", { class: "terms-version" }, `Version ${terms.version}`),
	    h("div", { class: "terms-body" }, termsBody(terms.body)),
	    ...footer));
}
