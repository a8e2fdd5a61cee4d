// pages/student/code.js - /campagnes ("J'ai un code") and
// /campagnes/{CODE} (the campaign's landing: school, campaign, landing
// text, "Je commence").

import { h, uid } from "../../dom.js";
import { clearErrors, field, formAlert, showErrors, whileBusy }
    from "../../forms.js";
import { CODE_RE, TYPES, campaignPath, frame, kicker, loadCampaign,
    missingPage, normalizeCode } from "./common.js";

export async function codePage(ctx) {
	const headingId = uid("titre");
	const alert = formAlert();
	const code = field({ name: "code", label: "Code de la campagne",
	    hint: "9 caractères : 6 lettres puis 3 chiffres, par exemple " +
		"ABCDEF123.", autocomplete: "off" });
	code.input.setAttribute("maxlength", "12");
	code.input.setAttribute("autocapitalize", "characters");
	code.input.setAttribute("spellcheck", "false");
	code.input.classList.add("code-input");
	const button = h("button", { type: "submit", class: "button" },
	    "Accéder au parcours");
	const form = h("form", { class: "form", novalidate: true,
	    "aria-labelledby": headingId }, alert.el, code.el,
	    h("div", { class: "form-actions" }, button));
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		clearErrors([code], alert);
		const value = normalizeCode(code.input.value);
		if (value === "") {
			showErrors([code], alert, [{ field: "code",
			    message: "Saisissez le code donné par votre enseignant." }]);
			return;
		}
		if (!CODE_RE.test(value)) {
			showErrors([code], alert, [{ field: "code",
			    message: "Ce code n'est pas valide : il comporte 9 " +
				"caractères, 6 lettres puis 3 chiffres." }]);
			return;
		}
		await whileBusy(button, "Recherche…", async () => {
			const campaign = await loadCampaign(value).catch((e) => {
				alert.show(e.message);
				return undefined;
			});
			if (campaign === null) {
				showErrors([code], alert, [{ field: "code",
				    message: "Ce code de campagne n'existe pas. Vérifiez " +
					"le code donné par votre enseignant." }]);
				return;
			}
			if (campaign)
				await ctx.navigate(campaignPath(campaign.code));
		});
	});
	frame(ctx.root, "J'ai un code",
	    h("div", { class: "panel panel-narrow" },
		h("h1", { id: headingId }, "J'ai un code"),
		h("p", { class: "lead" }, "Saisissez le code de la campagne " +
		    "donné par votre enseignant pour commencer le parcours."),
		form));
}

// landingText keeps the author's line breaks (as text, never HTML).
function landingText(text) {
	if (!text)
		return null;
	return h("div", { class: "landing-text" },
	    text.split(/\n{2,}/).map((para) => h("p", {}, para)));
}

export async function landingPage(ctx) {
	const code = normalizeCode(ctx.params[0]);
	const campaign = await loadCampaign(code);
	if (!ctx.isCurrent())
		return;
	if (!campaign) {
		missingPage(ctx.root);
		return;
	}
	if (campaign.code !== ctx.params[0]) {
		await ctx.navigate(campaignPath(campaign.code), { replace: true });
		return;
	}
	frame(ctx.root, campaign.name,
	    h("div", { class: "panel panel-narrow student-landing" },
		kicker(campaign),
		h("h1", {}, campaign.name),
		h("p", { class: "muted" }, TYPES[campaign.type] || ""),
		landingText(campaign.landingText),
		h("p", { class: "form-actions" },
		    h("a", { class: "button",
			href: `${campaignPath(campaign.code)}/rejoindre` },
			"Je commence"))));
}
