// layout.js - the two frames of every screen: the public one (login,
// invitation, CGU) and the school's space (header, menu, user, logout).

import { APP_NAME, h, notice, takeFlash } from "./dom.js";
import { displayName, logout } from "./session.js";
import { navigate } from "./router.js";

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

// spacePage frames a screen of a school's space. active is a SPACE_MENU
// key; org is GET /api/organizations/{id}; me is GET /api/me.
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
			    h("span", { class: "space-org-name" }, org.name))),
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
