// pages/student/birthdate.js - "Date de naissance" as three labelled
// fields JJ / MM / AAAA in one fieldset, numeric keyboard on phones, the
// focus moving on when a part is complete, one error for the group
// (tied to each part by aria-describedby).

import { h, uid } from "../../dom.js";
import { errorText, fieldErrors } from "../../forms.js";

const PARTS = [
	["day", "JJ", "Jour", 2, "bday-day"],
	["month", "MM", "Mois", 2, "bday-month"],
	["year", "AAAA", "Année", 4, "bday-year"],
];

function validDate(d, m, y) {
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 &&
	    date.getUTCDate() === d;
}

// birthDateField returns a field for forms.js's showErrors/clearErrors:
// {el, input (the day, focused on error), name: "birthDate", setError,
// clearError, value()}; value() is {text: "JJ/MM/AAAA"} or {error}.
export function birthDateField() {
	const id = uid("naissance");
	const hintId = `${id}-aide`;
	const inputs = PARTS.map(([key, short, long, size, auto]) => {
		const input = h("input", { id: `${id}-${key}`, name: key,
		    type: "text", inputmode: "numeric", pattern: "[0-9]*",
		    maxlength: String(size), size: String(size),
		    autocomplete: auto, class: `date-part date-part-${key}` });
		return { input, short, long, size };
	});
	inputs.forEach((p, i) => {
		p.input.addEventListener("input", () => {
			const clean = p.input.value.replace(/[^0-9]/g, "");
			if (clean !== p.input.value)
				p.input.value = clean;
			/* auto-advance once a part is full */
			if (clean.length === p.size && i + 1 < inputs.length &&
			    document.activeElement === p.input)
				inputs[i + 1].input.focus();
		});
		p.input.addEventListener("keydown", (event) => {
			if (event.key === "Backspace" && p.input.value === "" && i > 0)
				inputs[i - 1].input.focus();
		});
	});
	const error = errorText(`${id}-erreur`);
	const el = h("fieldset", { class: "field date-field" },
	    h("legend", {}, "Date de naissance"),
	    h("p", { id: hintId, class: "field-hint" },
		"Par exemple : 05 03 2012"),
	    h("div", { class: "date-parts" }, inputs.map((p) =>
		h("div", { class: "date-part-box" },
		    h("label", { for: p.input.id },
			h("span", { "aria-hidden": "true" }, p.short),
			h("span", { class: "visually-hidden" },
			    `${p.long} (${p.short})`)),
		    p.input))),
	    error);
	const f = fieldErrors(el, inputs.map((p) => p.input), "birthDate",
	    error, [hintId]);
	return {
		...f,
		value() {
			const [d, m, y] = inputs.map((p) => p.input.value.trim());
			if (d === "" && m === "" && y === "")
				return { error: "Saisissez votre date de naissance." };
			const nd = Number(d);
			const nm = Number(m);
			const ny = Number(y);
			if (!/^[0-9]{1,2}$/.test(d) || !/^[0-9]{1,2}$/.test(m) ||
			    !/^[0-9]{4}$/.test(y) || !validDate(nd, nm, ny) ||
			    ny < 1900) {
				return { error: "Saisissez une date de naissance valide : " +
				    "jour, mois et année (par exemple 05, 03, 2012)." };
			}
			const two = (n) => String(n).padStart(2, "0");
			return { text: `${two(nd)}/${two(nm)}/${ny}` };
		},
	};
}
