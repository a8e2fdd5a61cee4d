// layout.js - the two frames of every screen: the public one (login,
// invitation, CGU, error pages) and the school's space (header, school
// switcher, menu, user, logout); both end with the help contact.

import { get } from "./api.js";
import { APP_NAME, h, notice, takeFlash } from "./dom.js";
import { displayName, logout } from "./session.js";
import { navigate } from "./router.js";

// The help contact (GET /api/help, ORGA_HELP_EMAIL), asked once.
let help = null;

function helpEmail() {
	if (!help)
		help = get("/api/help").then((r) => r.email || "")
		    .catch(() => { help = null; return ""; });
	return help;
}

// helpLine: "Besoin d'aide ? Écrivez à …", filled in once known (every
// page ends with it, error pages included).
function helpLine() {
	const line = h("p", { class: "site-help" });
	helpEmail().then((email) => {
		if (!email)
			return;
		line.append("Besoin d'aide ? Écrivez à ",
		    h("a", { href: `mailto:${email}` }, email), ".");
	});
	return line;
}

function brand() {
	return h("a", { class: "brand", href: "/" },
	    h("span", { class: "brand-mark", "aria-hidden": "true" }, "O"),
	    h("span", { class: "brand-name" }, APP_NAME));
}

function footer() {
	return h("footer", { class: "site-footer" },
	    h("p", {}, `${APP_NAME} est l'espace des établissements pour ` +
		"évaluer, développer et certifier les compétences numériques " +
		"de leurs élèves."),
	    helpLine(),
	    h("p", {}, h("a", { href: "/cgu" },
		"Conditions générales d'utilisation")));
}

function flashBox() {
	const flash = takeFlash();
	return flash ? notice(flash.kind, h("p", {}, flash.text)) : null;
}

// publicPage frames content for visitors: brand header, centred column.
export function publicPage(root, ...content) {
	root.append(
	    h("header", { class: "site-header" },
		h("div", { class: "site-header-inner" }, brand())),
	    h("main", { id: "contenu", class: "public-main", tabindex: "-1" },
		flashBox(), ...content),
	    footer());
}

function logoutButton() {
	return h("button", {
		type: "button", class: "link-button logout",
		onclick: async (event) => {
			event.currentTarget.disabled = true;
			try {
				await logout();
			} catch (e) {
				/* the session is forgotten locally anyway */
			}
			navigate("/connexion");
		},
	}, "Se déconnecter");
}

export const SPACE_MENU = [
	["campagnes", "Campagnes"],
	["equipe", "Équipe"],
	["eleves", "Élèves"],
	["documentation", "Documentation"],
];

// schoolSwitch: "Changer d'établissement", the person's other schools
// (GET /api/me/organizations), each opening the same section there.
function schoolSwitch(org, active) {
	const others = (org.schools || []).filter((s) =>
	    String(s.id) !== String(org.id));
	if (others.length === 0)
		return null;
	return h("details", { class: "school-switch" },
	    h("summary", {}, "Changer d'établissement"),
	    h("nav", { "aria-label": "Changer d'établissement" },
		h("ul", {}, others.map((s) => h("li", {},
		    h("a", { href: `/organisations/${encodeURIComponent(s.id)}/` +
			active }, s.name,
			h("span", { class: "school-switch-uai" },
			    ` UAI ${s.uai}`)))))));
}

// spacePage frames a screen of a school's space. active is a SPACE_MENU
// key; org is GET /api/organizations/{id}, with org.schools the person's
// schools for the switcher; me is GET /api/me.
export function spacePage(root, me, org, active, ...content) {
	const base = `/organisations/${encodeURIComponent(org.id)}`;
	const items = SPACE_MENU.map(([key, label]) => h("li", {},
	    h("a", {
		href: `${base}/${key}`,
		"aria-current": key === active ? "page" : null,
	    }, label)));
	root.append(
	    h("header", { class: "space-header" },
		h("div", { class: "space-header-inner" },
		    h("div", { class: "space-org" },
			brand(),
			h("p", { class: "space-org-text" },
			    h("span", { class: "space-kicker" },
				"Mon organisation"),
			    h("span", { class: "space-org-name" }, org.name)),
			schoolSwitch(org, active)),
		    h("div", { class: "space-user" },
			h("p", { class: "space-user-name" },
			    h("span", { class: "visually-hidden" },
				"Connecté(e) : "), displayName(me)),
			logoutButton())),
		h("nav", { class: "space-nav", "aria-label": "Menu principal" },
		    h("ul", {}, items))),
	    h("main", { id: "contenu", class: "space-main", tabindex: "-1" },
		flashBox(), ...content),
	    footer());
}
