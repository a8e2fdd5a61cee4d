// forms.js - labelled fields with their hint and error tied by
// aria-describedby (field() for one control, fieldErrors() for a group
// such as radios or the parts of a date), the password field (rule +
// show/hide), and showing an ApiError next to the fields it names.

import { h, uid } from "./dom.js";

function describe(input, ids) {
	const list = ids.filter(Boolean).join(" ");
	if (list)
		input.setAttribute("aria-describedby", list);
	else
		input.removeAttribute("aria-describedby");
}

// errorText is the element that shows a field's error (empty until then).
export function errorText(id) {
	return h("p", { id, class: "field-error", "aria-live": "polite" });
}

// fieldErrors gives el the error behaviour of every field: setError(text)
// shows "Erreur : text" in error (from errorText), marks each of inputs
// aria-invalid and names the error first in its aria-describedby, before
// the ids of keep (hint, counter: always listed); clearError() undoes it.
// Returns {el, input (the first: focused on error), name, setError,
// clearError}.
export function fieldErrors(el, inputs, name, error, keep) {
	const ids = (keep || []).filter(Boolean);
	inputs.forEach((input) => describe(input, ids));
	return {
		el, input: inputs[0], name,
		setError(text) {
			error.textContent = "";
			error.append(h("span", { class: "visually-hidden" },
			    "Erreur : "), text);
			el.classList.add("field-invalid");
			inputs.forEach((input) => {
				input.setAttribute("aria-invalid", "true");
				describe(input, [error.id, ...ids]);
			});
		},
		clearError() {
			error.textContent = "";
			el.classList.remove("field-invalid");
			inputs.forEach((input) => {
				input.removeAttribute("aria-invalid");
				describe(input, ids);
			});
		},
	};
}

// field builds a labelled form control: its label, hint and error text
// tied by aria-describedby. spec: name, label (text or nodes), hint (text
// or nodes), control (a textarea or select built by the caller, given the
// id here; default: an <input> from type, autocomplete, inputmode,
// required, value), wrapInput(input) (what to show in its place: a
// wrapper, or [input, more nodes]), describedBy (more ids, always read
// after the hint). Returns {el, input, name, setError(text),
// clearError()}.
export function field(spec) {
	const id = uid(`champ-${spec.name}`);
	const hintId = spec.hint ? `${id}-aide` : null;
	const input = spec.control || h("input", {
		name: spec.name, type: spec.type || "text",
		autocomplete: spec.autocomplete || null,
		inputmode: spec.inputmode || null,
		spellcheck: spec.type === "email" || spec.type === "password" ?
		    "false" : null,
		autocapitalize: spec.type === "email" ? "off" : null,
		required: spec.required !== false,
		"aria-required": spec.required !== false ? "true" : null,
		value: spec.value || "",
	});
	input.id = id;
	const error = errorText(`${id}-erreur`);
	const control = spec.wrapInput ? spec.wrapInput(input) : input;
	const el = h("div", { class: "field" },
	    h("label", { for: id }, spec.label),
	    spec.hint ? h("div", { id: hintId, class: "field-hint" },
		spec.hint) : null,
	    control, error);
	return fieldErrors(el, [input], spec.name, error,
	    [hintId, ...(spec.describedBy || [])]);
}

const RULES = [
	[/.{8,}/u, "8 caractères minimum"],
	[/\p{Lu}/u, "une majuscule"],
	[/\p{Ll}/u, "une minuscule"],
	[/\p{Nd}/u, "un chiffre"],
];

// passwordField: a field whose hint states the rule (with a checklist
// kept up to date as one types) and a show/hide button. isNew selects the
// autocomplete value and whether the rule is shown.
export function passwordField(isNew, label) {
	// The checklist repeats the sentence visually; screen readers get the
	// sentence only (aria-hidden list), which is read with the field.
	const checks = RULES.map(([, text]) => h("li", { class: "rule" },
	    h("span", { class: "rule-mark" }), text));
	const hint = isNew ? [
		h("p", {}, "Au moins 8 caractères, dont une majuscule, une " +
		    "minuscule et un chiffre."),
		h("ul", { class: "rules", "aria-hidden": "true" }, checks),
	] : null;
	const word = h("span", {}, "Afficher");
	const f = field({
		name: "password", label: label || "Mot de passe",
		type: "password",
		autocomplete: isNew ? "new-password" : "current-password",
		hint,
		wrapInput: (input) => {
			const toggle = h("button", {
				type: "button", class: "toggle-password",
				"aria-controls": input.id,
				onclick: () => {
					const show = input.type === "password";
					input.type = show ? "text" : "password";
					word.textContent = show ? "Masquer" : "Afficher";
				},
			}, word, h("span", { class: "visually-hidden" },
			    " le mot de passe"));
			return h("div", { class: "password-wrap" }, input, toggle);
		},
	});
	if (isNew) {
		f.input.addEventListener("input", () => {
			const value = f.input.value;
			RULES.forEach(([re], i) => {
				checks[i].classList.toggle("rule-ok", re.test(value));
			});
		});
	}
	return f;
}

// checkbox builds a labelled checkbox with its error element.
export function checkbox(name, label) {
	const id = uid(`case-${name}`);
	const input = h("input", { id, name, type: "checkbox",
	    "aria-required": "true" });
	const error = errorText(`${id}-erreur`);
	const el = h("div", { class: "field field-checkbox" },
	    h("div", { class: "checkbox-row" }, input,
		h("label", { for: id }, label)),
	    error);
	return fieldErrors(el, [input], name, error, []);
}

// formAlert is the form-level message (errors with no field).
export function formAlert() {
	const box = h("div", { class: "form-alert", role: "alert" });
	return {
		el: box,
		show(text) {
			box.textContent = "";
			box.append(h("p", {}, text));
			box.classList.add("form-alert-on");
		},
		clear() {
			box.textContent = "";
			box.classList.remove("form-alert-on");
		},
	};
}

// showErrors puts each error of an ApiError (or a local list of
// {field, message}) next to its field; fieldByCode maps codes that come
// without a field (LOGIN_FAILED → password). The first invalid field is
// focused; the rest goes to alert. Returns true when something was shown.
export function showErrors(fields, alert, errors, fieldByCode) {
	const byName = new Map(fields.map((f) => [f.name, f]));
	const leftover = [];
	let first = null;
	const seen = new Set();
	for (const e of errors) {
		const name = e.field || (fieldByCode || {})[e.code];
		const f = name ? byName.get(name) : null;
		if (!f || seen.has(f)) {
			if (!f)
				leftover.push(e.message);
			continue;
		}
		seen.add(f);
		f.setError(e.message);
		first = first || f;
	}
	if (leftover.length > 0)
		alert.show(leftover.join(" "));
	if (first)
		first.input.focus();
	return first !== null || leftover.length > 0;
}

export function clearErrors(fields, alert) {
	fields.forEach((f) => f.clearError());
	alert.clear();
}

// whileBusy marks a submit button busy while fn runs (aria-disabled, not
// disabled, so keyboard focus stays on it); a second submit meanwhile is
// ignored and returns undefined.
export async function whileBusy(button, busyText, fn) {
	if (button.dataset.busy)
		return undefined;
	const label = button.textContent;
	button.dataset.busy = "1";
	button.setAttribute("aria-disabled", "true");
	button.textContent = busyText;
	try {
		return await fn();
	} finally {
		delete button.dataset.busy;
		button.removeAttribute("aria-disabled");
		button.textContent = label;
	}
}
