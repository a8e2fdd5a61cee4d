// dom.js - safe element creation (text only, never HTML strings) and the
// small page helpers every screen shares: title, focus, flash messages.

// h("p", {class: "x", onclick: fn}, "text", child, ...) builds an element.
// Attributes are set with setAttribute (or as properties for on*, value,
// checked); children are nodes or strings (as text nodes); null/false skip.
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs || {})) {
		if (value === null || value === undefined || value === false)
			continue;
		if (key.startsWith("on") && typeof value === "function")
			el.addEventListener(key.slice(2), value);
		else if (key === "value" || key === "checked")
			el[key] = value;
		else if (key === "class")
			el.className = value;
		else
			el.setAttribute(key, value === true ? "" : String(value));
	}
	append(el, children);
	return el;
}

export function append(el, children) {
	for (const child of children.flat(Infinity)) {
		if (child === null || child === undefined || child === false)
			continue;
		el.append(child instanceof Node ? child : String(child));
	}
	return el;
}

export function clear(el) {
	while (el.firstChild)
		el.removeChild(el.firstChild);
	return el;
}

let idCounter = 0;
export function uid(prefix) {
	idCounter += 1;
	return `${prefix}-${idCounter}`;
}

export const APP_NAME = "Orga";

// setTitle sets the document title: "Page – Context – Orga".
export function setTitle(...parts) {
	document.title = [...parts.filter(Boolean), APP_NAME].join(" – ");
}

// focusHeading moves focus to the page's h1 so screen readers announce
// the new screen after a navigation.
export function focusHeading(root) {
	const heading = (root || document).querySelector("h1");
	if (!heading)
		return;
	heading.setAttribute("tabindex", "-1");
	heading.focus({ preventScroll: false });
}

// loadStyles adds css/NAME.css (the styles of a group of screens, on top
// of orga.css) to the page once, as a <link> in the head: same origin, so
// the CSP allows it. Each screen calls it before it renders.
export function loadStyles(name) {
	if (document.querySelector(`link[data-styles="${name}"]`))
		return;
	document.head.append(h("link", { rel: "stylesheet",
	    href: `/css/${name}.css`, "data-styles": name }));
}

// Flash: one message carried to the next screen (sessionStorage).
const FLASH_KEY = "orga.flash";

export function setFlash(text, kind) {
	try {
		sessionStorage.setItem(FLASH_KEY,
		    JSON.stringify({ text, kind: kind || "info" }));
	} catch (e) {
		/* storage disabled: the message is lost, not the navigation */
	}
}

export function takeFlash() {
	try {
		const raw = sessionStorage.getItem(FLASH_KEY);
		sessionStorage.removeItem(FLASH_KEY);
		return raw ? JSON.parse(raw) : null;
	} catch (e) {
		return null;
	}
}

// notice builds a message box; kind is info, success or error.
export function notice(kind, ...children) {
	const role = kind === "error" ? "alert" : "status";
	return h("div", { class: `notice notice-${kind}`, role }, ...children);
}

// formatDate gives JJ/MM/AAAA (Paris time) for an ISO timestamp.
export function formatDate(iso) {
	if (!iso)
		return "";
	const d = new Date(iso);
	if (Number.isNaN(d.getTime()))
		return "";
	return new Intl.DateTimeFormat("fr-FR", {
		day: "2-digit", month: "2-digit", year: "numeric",
		timeZone: "Europe/Paris",
	}).format(d);
}
