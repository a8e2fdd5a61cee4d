// pages/learners/import.js - the SIECLE import of the Élèves page (ADMINs):
// choose the file, upload it, follow the job (polled), show the preview
// with the skipped students, confirm or cancel, then the result. A
// refused file shows every error sentence; nothing was changed.

import { enc, get, post } from "../../api.js";
import { h, notice, uid } from "../../dom.js";
import { whileBusy } from "../../forms.js";
import { fileKind, uploadFile } from "./upload.js";
import { nb, phrase } from "./words.js";

const POLL_MS = 700;
const LABEL = "Importer (.xml ou .zip)";
const RUNNING = ["uploading", "queued", "validating", "applying"];
const NOTHING_CHANGED = "Aucune modification n'a été faite : la liste " +
    "des élèves est inchangée.";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// isOpen tells whether a job still needs the page: running or waiting for
// confirmation.
export function isOpen(job) {
	return Boolean(job) && (RUNNING.includes(job.status) ||
	    job.status === "validated");
}

// currentJob loads the school's newest import job, or null when none.
export async function currentJob(orgId) {
	try {
		return await get(`/api/organizations/${enc(orgId)}/imports/current`);
	} catch (e) {
		if (e.status === 404)
			return null;
		throw e;
	}
}

function focus(el) {
	if (el && el.isConnected) {
		if (!el.hasAttribute("tabindex"))
			el.setAttribute("tabindex", "-1");
		el.focus();
	}
}

function percent(done, total) {
	if (!total || total <= 0)
		return 0;
	return Math.max(0, Math.min(100, Math.floor(done * 100 / total)));
}

// statusLine is the live sentence of a running job.
function statusLine(job) {
	switch (job.status) {
	case "uploading":
		return "Envoi du fichier en cours…";
	case "queued":
		return "Fichier reçu. La lecture va commencer…";
	case "validating":
		return `Lecture du fichier… ${phrase(job.studentsRead, null,
		    "élève lu", "élèves lus")}`;
	case "applying":
		return "Enregistrement de la liste des élèves…";
	default:
		return "";
	}
}

function previewList(p) {
	const items = [
		phrase(p.toAdd, "Aucun élève ne sera ajouté", "élève sera ajouté",
		    "élèves seront ajoutés"),
		phrase(p.toUpdate, "Aucun élève ne sera mis à jour",
		    "élève sera mis à jour", "élèves seront mis à jour"),
	];
	if (Number(p.unchanged) > 0)
		items.push(phrase(p.unchanged, null, "élève est déjà à jour",
		    "élèves sont déjà à jour"));
	if (Number(p.toDeactivate) > 0)
		items.push(phrase(p.toDeactivate, null,
		    "élève n'est plus dans le fichier (il sera marqué comme " +
		    "n'étant plus dans l'établissement)",
		    "élèves ne sont plus dans le fichier (ils seront marqués " +
		    "comme n'étant plus dans l'établissement)"));
	return h("ul", { class: "import-counts" },
	    items.map((text) => h("li", {}, text)));
}

function skippedDetails(job) {
	const s = job.skipped || {};
	const reasons = [
		[s.left, "a quitté l'établissement", "ont quitté l'établissement"],
		[s.notArrived, "pas encore arrivé", "pas encore arrivés"],
		[s.noClass, "sans classe", "sans classe"],
	].filter(([n]) => Number(n) > 0);
	const total = reasons.reduce((sum, [n]) => sum + Number(n), 0);
	const sentences = Array.isArray(job.skips) ? job.skips : [];
	if (total === 0 && sentences.length === 0)
		return h("p", { class: "muted" },
		    "Aucun élève du fichier n'est ignoré.");
	const shown = total || sentences.length;
	return h("details", { class: "import-skipped" },
	    h("summary", {}, phrase(shown, null,
		"élève du fichier ne sera pas importé",
		"élèves du fichier ne seront pas importés"),
		" (voir pourquoi)"),
	    reasons.length > 0 ? h("ul", { class: "import-reasons" },
		reasons.map(([n, one, many]) => h("li", {},
		    `${phrase(n, null, "élève", "élèves")} : ` +
		    `${Number(n) > 1 ? many : one}`))) : null,
	    sentences.length > 0 ? h("ul", { class: "import-skips" },
		sentences.map((t) => h("li", {}, t))) : null);
}

function doneCounts(p) {
	if (!p)
		return null;
	const deact = Number(p.toDeactivate) || 0;
	return h("p", {}, [
		phrase(p.toAdd, "aucun élève ajouté", "élève ajouté",
		    "élèves ajoutés"),
		phrase(p.toUpdate, "aucun mis à jour", "mis à jour",
		    "mis à jour"),
		deact === 0 ? "aucun marqué comme n'étant plus dans " +
		    "l'établissement" : `${nb(deact)} ${deact > 1 ? "marqués" :
		    "marqué"} comme n'étant plus dans l'établissement`,
	].join(", ").replace(/^./, (c) => c.toUpperCase()) + ".");
}

// importPanel builds the import control and its status area. orgId: the
// school; ctx: the router's (polling stops once the screen is left);
// initial: the current job to resume, or null; onApplied(): called after
// a successful import. Returns {chooser, panel}.
export function importPanel(ctx, orgId, initial, onApplied) {
	const base = `/api/organizations/${enc(orgId)}/imports`;
	let run = 0;               // the job being followed; older loops stop
	let aborter = null;
	let knownId = initial ? initial.id : null;   // newest job seen

	/* the chooser: a real file input, its label styled as a button */
	const inputId = uid("fichier");
	const hintId = `${inputId}-aide`;
	const input = h("input", { id: inputId, type: "file", name: "file",
	    class: "file-input", accept: ".xml,.zip,application/xml,text/xml," +
	    "application/zip", "aria-describedby": hintId });
	const chosen = h("p", { class: "import-file-name" });
	const chooserError = h("p", { class: "field-error", role: "alert" });
	const chooser = h("div", { class: "import-chooser" },
	    input,
	    h("label", { for: inputId, class: "button file-button" }, LABEL),
	    h("p", { id: hintId, class: "import-hint" }, "Le zip exporté de " +
		"SIECLE (Élèves sans adresse) ou le fichier " +
		"ElevesSansAdresses.xml qu'il contient."),
	    chosen,
	    chooserError);

	/* the status area, shown while a job is followed */
	const headingId = uid("titre");
	const heading = h("h2", { id: headingId, tabindex: "-1" });
	const live = h("div", { class: "import-live", "aria-live": "polite" });
	const bar = h("progress", { class: "import-progress", max: "100",
	    "aria-labelledby": headingId });
	const detail = h("div", { class: "import-detail" });
	const panel = h("section", { class: "import-panel",
	    "aria-labelledby": headingId, hidden: true },
	    heading, live, bar, detail);

	function setChooserBusy(busy) {
		input.disabled = busy;
		chooser.classList.toggle("import-chooser-busy", busy);
	}

	function setLive(...children) {
		live.textContent = "";
		for (const c of children)
			live.append(typeof c === "string" ? h("p", {}, c) : c);
	}

	function setBar(value) {
		if (value === null) {
			bar.hidden = true;
			return;
		}
		bar.hidden = false;
		if (value === undefined)
			bar.removeAttribute("value");      /* indeterminate */
		else
			bar.value = value;
	}

	function open(title) {
		panel.hidden = false;
		heading.textContent = title;
	}

	// refusal: the error box; advice adds how to fix a refused file.
	function refusal(messages, advice) {
		const list = messages.filter(Boolean);
		const box = h("div", { class: "notice notice-error import-errors",
		    role: "alert", tabindex: "-1" },
		    h("p", {}, h("strong", {}, "Le fichier n'a pas été importé.")),
		    list.length > 0 ? h("ul", {}, list.map((t) =>
			h("li", {}, t))) : h("p", {}, "L'import a échoué."),
		    h("p", {}, NOTHING_CHANGED),
		    advice ? h("p", {}, "Corrigez le fichier dans SIECLE ou " +
			"exportez-le à nouveau, puis importez-le.") : null);
		return box;
	}

	function finishedNeutral() {
		setChooserBusy(false);
		setBar(null);
	}

	function cancelButton(job) {
		return h("button", { type: "button", class: "button-secondary",
		    onclick: async (event) => {
			await whileBusy(event.currentTarget, "Annulation…",
			    () => cancel(job));
		    } }, "Annuler l'import");
	}

	// show renders job; moved says whether it changed phase since the
	// last render (focus moves only then).
	function show(job, moved) {
		detail.textContent = "";
		if (RUNNING.includes(job.status)) {
			setChooserBusy(true);
			setLive(statusLine(job));
			if (job.status === "validating")
				setBar(percent(job.progressBytes, job.uploadBytes));
			else
				setBar(undefined);
			if (job.status !== "applying")
				detail.append(h("div", { class: "import-actions" },
				    cancelButton(job)));
			return;
		}
		setBar(null);
		if (job.status === "validated") {
			setChooserBusy(true);
			setLive("Le fichier est valide. Vérifiez ce qui va changer, " +
			    "puis confirmez l'import.");
			const title = h("h3", { tabindex: "-1" },
			    "Vérifiez avant de confirmer");
			const confirm = h("button", { type: "button",
			    class: "button" }, "Confirmer l'import");
			confirm.addEventListener("click", () => whileBusy(confirm,
			    "Confirmation…", () => doConfirm(job)));
			const cancelIt = h("button", { type: "button",
			    class: "button-secondary" }, "Annuler");
			cancelIt.addEventListener("click", () => whileBusy(cancelIt,
			    "Annulation…", () => cancel(job)));
			detail.append(h("div", { class: "import-preview" },
			    title,
			    h("p", {}, "Si vous confirmez :"),
			    previewList(job.preview || {}),
			    skippedDetails(job),
			    h("p", { class: "muted" }, "Rien n'est modifié tant que " +
				"vous n'avez pas confirmé."),
			    h("div", { class: "import-actions" }, confirm, cancelIt)));
			if (moved)
				focus(title);
			return;
		}
		finishedNeutral();
		if (job.status === "done") {
			const box = notice("success",
			    h("p", {}, h("strong", {},
				"La liste a été importée avec succès.")),
			    doneCounts(job.preview));
			box.setAttribute("tabindex", "-1");
			setLive(box);
			if (moved)
				focus(box);
			return;
		}
		if (job.status === "cancelled") {
			setLive(notice("info", h("p", {}, "L'import a été annulé. " +
			    NOTHING_CHANGED)));
			if (moved)
				focus(input);
			return;
		}
		/* failed, or a status this page does not know */
		setLive("");
		const box = refusal(Array.isArray(job.errors) ? job.errors : [],
		    job.status === "failed");
		detail.append(box);
		if (moved)
			focus(box);
	}

	function showError(e) {
		detail.textContent = "";
		detail.append(notice("error", h("p", {}, e.message)));
	}

	// follow polls job until it stops running; the page may be left.
	async function follow(job, moved) {
		run += 1;
		knownId = job.id;
		const mine = run;
		let last = job.status;
		show(job, moved);
		let failures = 0;
		while (RUNNING.includes(job.status)) {
			await sleep(failures > 0 ? Math.min(5000, POLL_MS *
			    2 ** failures) : POLL_MS);
			if (mine !== run || !ctx.isCurrent())
				return;
			try {
				job = await get(`${base}/${enc(job.id)}`);
				failures = 0;
			} catch (e) {
				if (mine !== run || !ctx.isCurrent())
					return;
				if (e.status === 401 || e.status === 404 ||
				    e.status === 403) {
					finishedNeutral();
					showError(e);
					return;
				}
				failures += 1;
				setLive(`${statusLine(job)} (connexion perdue, ` +
				    "nouvelle tentative…)");
				continue;
			}
			if (mine !== run || !ctx.isCurrent())
				return;
			show(job, job.status !== last);
			last = job.status;
		}
		if (job.status === "done" && onApplied)
			onApplied(job);
	}

	async function doConfirm(job) {
		let next;
		try {
			next = await post(`${base}/${enc(job.id)}/confirm`, {});
		} catch (e) {
			if (e.status === 409) {
				/* cancelled or confirmed meanwhile: show where it is */
				const now = await get(`${base}/${enc(job.id)}`)
				    .catch(() => null);
				if (now) {
					await follow(now, true);
					return;
				}
			}
			showError(e);
			return;
		}
		if (!next || !next.status)
			next = { ...job, status: "applying" };
		await follow(next, true);
	}

	async function cancel(job) {
		if (aborter && job.status === "uploading" && !job.id) {
			aborter.abort();
			return;
		}
		let next;
		try {
			next = await post(`${base}/${enc(job.id)}/cancel`, {});
		} catch (e) {
			if (e.status === 409) {
				const now = await get(`${base}/${enc(job.id)}`)
				    .catch(() => null);
				if (now) {
					await follow(now, true);
					return;
				}
			}
			showError(e);
			return;
		}
		if (!next || !next.status)
			next = { ...job, status: "cancelled" };
		run += 1;                  /* stop a poll of this job */
		show(next, true);
	}

	async function start(file) {
		chooserError.textContent = "";
		chosen.textContent = `Fichier choisi : ${file.name}`;
		if (!fileKind(file)) {
			chooserError.textContent = "Choisissez un fichier .xml ou " +
			    ".zip : l'export SIECLE « Élèves sans adresse ».";
			return;
		}
		if (file.size === 0) {
			chooserError.textContent = "Ce fichier est vide. Choisissez " +
			    "le fichier exporté de SIECLE.";
			return;
		}
		run += 1;                  /* forget any job shown before */
		open(`Import de « ${file.name} »`);
		setChooserBusy(true);
		detail.textContent = "";
		const uploading = { status: "uploading" };
		aborter = new AbortController();
		setLive("Envoi du fichier… 0 %");
		setBar(0);
		detail.append(h("div", { class: "import-actions" },
		    cancelButton(uploading)));
		focus(heading);
		let job;
		let shown = -1;
		try {
			job = await uploadFile(base, file, (loaded, total) => {
				const pct = percent(loaded, total);
				setBar(pct);
				/* the live sentence by steps of 10 %, not every event */
				if (Math.floor(pct / 10) !== shown) {
					shown = Math.floor(pct / 10);
					setLive(`Envoi du fichier… ${pct} %`);
				}
			}, aborter.signal);
		} catch (e) {
			aborter = null;
			if (!ctx.isCurrent())
				return;
			if (e.code === "ABORTED") {
				show({ status: "cancelled" }, true);
				return;
			}
			if (e.status === 0 && e.code === "NETWORK") {
				/* the server may have cut a refused upload short (too
				 * large): its job then says why */
				const ours = await currentJob(orgId).catch(() => null);
				if (ours && ours.id !== knownId &&
				    ours.status === "failed") {
					knownId = ours.id;
					show(ours, true);
					return;
				}
			}
			if (e.status === 409) {
				/* another import of the school: show it instead */
				const other = await currentJob(orgId).catch(() => null);
				if (isOpen(other)) {
					open("Import en cours");
					setLive(e.message);
					await follow(other, true);
					return;
				}
			}
			finishedNeutral();
			setLive("");
			detail.textContent = "";
			const box = refusal(e.errors.map((x) => x.message), false);
			detail.append(box);
			focus(box);
			return;
		}
		aborter = null;
		if (ctx.isCurrent())
			await follow(job, true);
	}

	input.addEventListener("change", () => {
		const file = input.files && input.files[0];
		if (!file)
			return;
		/* the same file may be chosen again after a refusal */
		const picked = file;
		input.value = "";
		start(picked).catch((e) => {
			finishedNeutral();
			showError(e);
		});
	});

	if (isOpen(initial)) {
		open(initial.status === "validated" ? "Import à confirmer" :
		    "Import en cours");
		follow(initial, false).catch((e) => {
			finishedNeutral();
			showError(e);
		});
	}
	return { chooser, panel };
}
