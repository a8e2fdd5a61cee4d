// router.js - client-side routing on location.pathname with
// history.pushState. A page is an async function (ctx) that builds its
// screen into ctx.root; the router swaps it in when it is still current.

import { clear, focusHeading } from "./dom.js";

let routes = [];
let notFound = null;
let failure = null;
let generation = 0;
let firstRender = true;
let rendered = "";          // pathname + search of the screen shown

// start installs the table: routes is a list of [RegExp, page], the
// regexp's groups becoming ctx.params; onMissing renders unknown paths;
// onError(ctx, error) renders a page that threw.
export function start(table, onMissing, onError) {
	routes = table;
	notFound = onMissing;
	failure = onError;
	document.addEventListener("click", onClick);
	/* an in-page anchor (the skip link) changes only the hash */
	window.addEventListener("popstate", () => {
		if (location.pathname + location.search !== rendered)
			render();
	});
	return render();
}

// navigate goes to a same-origin path; {replace: true} replaces the
// history entry (redirects) instead of adding one.
export function navigate(path, options) {
	const opts = options || {};
	if (opts.replace)
		history.replaceState(null, "", path);
	else
		history.pushState(null, "", path);
	return render();
}

function onClick(event) {
	if (event.defaultPrevented || event.button !== 0 || event.metaKey ||
	    event.ctrlKey || event.shiftKey || event.altKey)
		return;
	const link = event.target.closest("a[href]");
	if (!link || link.target || link.hasAttribute("download") ||
	    link.dataset.reload !== undefined)
		return;
	const url = new URL(link.href, location.href);
	if (url.origin !== location.origin || url.pathname.startsWith("/api/"))
		return;
	if (url.pathname === location.pathname &&
	    url.search === location.search && url.hash)
		return;       /* in-page anchor such as the skip link */
	event.preventDefault();
	navigate(url.pathname + url.search + url.hash);
}

function match(pathname) {
	const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") :
	    pathname;
	for (const [pattern, page] of routes) {
		const m = pattern.exec(path);
		if (m)
			return { page, params: m.slice(1).map(decodeURIComponent) };
	}
	return { page: notFound, params: [] };
}

async function render() {
	generation += 1;
	const mine = generation;
	rendered = location.pathname + location.search;
	const app = document.getElementById("app");
	const root = document.createElement("div");
	root.className = "screen";
	let matched;
	try {
		matched = match(location.pathname);
	} catch (e) {
		matched = { page: notFound, params: [] };   /* bad %-escape */
	}
	const ctx = {
		root,
		params: matched.params,
		query: new URLSearchParams(location.search),
		navigate,
		isCurrent: () => mine === generation,
	};
	app.setAttribute("aria-busy", "true");
	try {
		await matched.page(ctx);
	} catch (error) {
		if (mine !== generation)
			return;
		clear(root);
		await failure(ctx, error);
	}
	if (mine !== generation)   /* superseded, or the page redirected */
		return;
	clear(app);
	app.append(...root.childNodes);
	app.removeAttribute("aria-busy");
	if (!firstRender) {
		window.scrollTo(0, 0);
		focusHeading(app);
	}
	firstRender = false;
}
