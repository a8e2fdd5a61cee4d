// pages/student/assessment.js - the test of an assessment campaign: "Je
// commence", one question at a time (its competence, a progress bar, the
// choices in a labelled fieldset, "Je valide" and "Je passe"; each answer
// is final and the server says which question comes next), then the
// result by competence with the explanations and "J'envoie mes
// résultats". Leaving and coming back resumes at the same question.

import { enc, get, post } from "../../api.js";
import { h, notice, uid } from "../../dom.js";
import { whileBusy } from "../../forms.js";
import { kicker } from "./common.js";

const api = (c, what) => `/api/campaigns/${enc(c.code)}/${what}`;

function failed(slot, text) {
	slot.textContent = "";
	slot.append(notice("error", h("p", {}, text)));
}

const NETWORK = "La réponse n'a pas pu être envoyée. Vérifiez votre " +
    "connexion puis réessayez : votre réponse n'est pas perdue.";

function progress(a) {
	const done = a.progress.answered;
	const max = Math.max(a.progress.planned, done + 1);
	const id = uid("progress");
	return h("div", { class: "test-progress" },
	    h("label", { for: id }, `Question ${done + 1} (au plus ${max})`),
	    h("progress", { id, max: String(max), value: String(done) },
		`${done} sur ${max}`));
}

// choicesFieldset: radios (QCU) or checkboxes (QCM) under the question.
function choicesFieldset(q, legendId) {
	const type = q.kind === "QCU" ? "radio" : "checkbox";
	const name = uid("choice");
	return h("fieldset", { class: "test-choices", "aria-labelledby": legendId },
	    h("legend", { class: "visually-hidden" }, q.kind === "QCU" ?
		"Choisissez une réponse" : "Choisissez une ou plusieurs réponses"),
	    q.kind === "QCM" ? h("p", { class: "hint" },
		"Plusieurs réponses possibles.") : null,
	    q.choices.map((text, i) => {
		const id = uid("c");
		return h("div", { class: "test-choice" },
		    h("input", { type, id, name, value: String(i + 1) }),
		    h("label", { for: id }, text));
	    }));
}

function textsFieldset(q, legendId) {
	return h("fieldset", { class: "test-texts", "aria-labelledby": legendId },
	    h("legend", { class: "visually-hidden" }, "Votre réponse"),
	    q.fields.map((f) => {
		const id = uid("t");
		return h("div", { class: "field" },
		    h("label", { for: id }, f.label),
		    h("input", { type: "text", id, name: id, autocomplete: "off",
			spellcheck: "false", maxlength: "500",
			placeholder: f.placeholder || null }));
	    }));
}

// answerOf reads the form: null when nothing is given.
function answerOf(q, form) {
	if (q.kind === "QCU" || q.kind === "QCM") {
		const choices = [...form.querySelectorAll("input:checked")]
		    .map((i) => Number(i.value));
		return choices.length ? { choices } : null;
	}
	const texts = [...form.querySelectorAll("input[type=text]")]
	    .map((i) => i.value);
	return texts.some((t) => t.trim() !== "") ? { texts } : null;
}

function questionView(s, a) {
	const c = s.campaign;
	const q = a.question;
	const slot = h("div", { "aria-live": "polite" });
	const textId = uid("q");
	const validate = h("button", { type: "submit", class: "button" },
	    "Je valide");
	const skip = h("button", { type: "button", class: "button-secondary" },
	    "Je passe");
	const form = h("form", { class: "test-question", novalidate: true },
	    h("p", { id: textId, class: "test-text" }, q.text),
	    q.imageAlt ? h("p", { class: "hint" }, `Image : ${q.imageAlt}`) : null,
	    q.kind === "QCU" || q.kind === "QCM" ? choicesFieldset(q, textId) :
		textsFieldset(q, textId),
	    slot,
	    h("div", { class: "form-actions" }, validate, skip));
	const send = (button, body) => whileBusy(button, "Envoi…", async () => {
		let r;
		try {
			r = await post(api(c, "assessment/answers"),
			    { questionId: q.id, ...body });
		} catch (e) {
			if (e.code === "QUESTION_NOT_CURRENT" ||
			    e.code === "ASSESSMENT_COMPLETED") {
				// Answered elsewhere (another tab, another device).
				showAssessment(s, (await get(api(c, "assessment")))
				    .assessment);
				return;
			}
			if (!e.status || e.status >= 500)
				throw e;
			failed(slot, e.message);
			return;
		}
		showAssessment(s, r.assessment);
	}).catch(() => failed(slot, NETWORK));
	form.addEventListener("submit", (ev) => {
		ev.preventDefault();
		const body = answerOf(q, form);
		if (!body) {
			failed(slot, "Répondez à la question, ou cliquez sur « Je " +
			    "passe ».");
			return;
		}
		send(validate, body);
	});
	skip.addEventListener("click", () => send(skip, { skip: true }));
	return h("div", { class: "panel panel-narrow test" },
	    kicker(c),
	    progress(a),
	    h("p", { class: "test-competence" },
		h("span", { class: "visually-hidden" }, "Compétence : "),
		`${q.competence.code} ${q.competence.name}`),
	    h("h1", { class: "test-title" },
		`Question ${a.progress.answered + 1}`),
	    form);
}

// levelBar: a level out of 5, as a bar with its words beside.
function levelBar(k) {
	return h("div", { class: "level" },
	    h("span", { class: "level-bar", "aria-hidden": "true" },
		h("span", { class: `level-fill level-${Math.min(k.level, 5)}` })),
	    h("span", { class: "level-words" }, k.levelText));
}

function resultsList(results) {
	return h("section", { class: "test-results", "aria-label":
	    "Vos résultats par compétence" },
	    h("p", { class: "test-mastery" },
		`Vous maîtrisez ${results.mastery} % de ce parcours.`),
	    h("ul", { class: "profile-list" }, results.competences.map((k) =>
		h("li", {},
		    h("span", { class: "profile-name" }, `${k.code} ${k.name}`),
		    h("span", { class: "profile-level" }, levelBar(k),
			h("span", { class: "hint" },
			    ` (${k.validated} acquis sur ${k.total})`))))));
}

function review(results) {
	return h("details", { class: "test-review" },
	    h("summary", {}, "Revoir les questions et leurs explications"),
	    h("ol", {}, results.review.map((r) => h("li", {},
		h("p", { class: "test-text" }, r.text),
		h("p", {}, r.skipped ? "Vous êtes passé(e) à la suite." :
		    r.correct ? "Bonne réponse." : "Réponse incorrecte."),
		r.solution.length ? h("p", {}, `Réponse attendue : ` +
		    r.solution.join(" ; ")) : null,
		h("p", { class: "hint" }, r.explanation)))));
}

function sharedView(s) {
	const c = s.campaign;
	return h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", {}, "Résultats envoyés, merci !"),
	    notice("success", h("p", {}, `${c.organization.name} a bien reçu ` +
		`vos résultats pour la campagne « ${c.name} ».`)),
	    h("p", {}, "Vous pouvez fermer cette page."));
}

function finishedView(s, a, shared) {
	const c = s.campaign;
	const slot = h("div", {});
	const button = h("button", { type: "button", class: "button" },
	    "J'envoie mes résultats");
	button.addEventListener("click", () => whileBusy(button, "Envoi…",
	    async () => {
		try {
			await post(api(c, "share"), {});
		} catch (e) {
			if (e.code !== "ALREADY_SHARED") {
				if (!e.status || e.status >= 500)
					throw e;
				failed(slot, e.message);
				return;
			}
		}
		s.show(sharedView(s));
	    }).catch(() => failed(slot, "L'envoi n'a pas abouti. Vérifiez " +
		"votre connexion puis réessayez.")));
	return h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", {}, shared ? "Vos résultats" : "Test terminé !"),
	    h("p", { class: "lead" }, shared ?
		`Vos résultats ont été envoyés à ${c.organization.name}.` :
		`Voici vos résultats. Ils ne sont pas encore envoyés : ` +
		`${c.organization.name} ne les verra qu'après « J'envoie mes ` +
		"résultats »."),
	    resultsList(a.results),
	    review(a.results),
	    slot,
	    shared ? null : h("div", { class: "form-actions" }, button));
}

export function showAssessment(s, a, shared = false) {
	s.show(a.state === "COMPLETED" ? finishedView(s, a, shared) :
	    questionView(s, a));
}

// startView: "Je commence" (or "Je reprends" once started).
export function startView(s) {
	const c = s.campaign;
	const slot = h("div", {});
	const button = h("button", { type: "button", class: "button" },
	    "Je commence");
	button.addEventListener("click", () => whileBusy(button, "Chargement…",
	    async () => {
		let r;
		try {
			r = await post(api(c, "assessment"), {});
		} catch (e) {
			if (!e.status || e.status >= 500)
				throw e;
			failed(slot, e.message);
			return;
		}
		showAssessment(s, r.assessment);
	    }).catch(() => failed(slot, "Le test n'a pas pu démarrer. " +
		"Vérifiez votre connexion puis réessayez.")));
	return h("div", { class: "panel panel-narrow" },
	    kicker(c),
	    h("h1", {}, c.name),
	    h("p", { class: "lead" }, "Répondez aux questions une à une. Chaque " +
		"réponse est définitive ; si vous ne savez pas, cliquez sur " +
		"« Je passe ». Vous pouvez vous arrêter et reprendre plus tard, " +
		"même sur un autre appareil."),
	    slot,
	    h("div", { class: "form-actions" }, button));
}

// assessmentScreen shows where the student's assessment stands: not
// started, a question, or the end (to send, or sent).
export async function assessmentScreen(s, p) {
	let a = null;
	try {
		a = (await get(api(s.campaign, "assessment"))).assessment;
	} catch (e) {
		if (e.status !== 404)
			throw e;
	}
	if (!a) {
		s.show(startView(s));
		return;
	}
	showAssessment(s, a, p.status === "SHARED");
}
