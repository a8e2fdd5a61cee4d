// pages/learners/words.js - French numbers and agreement for the Élèves
// page: "Aucun élève", "1 élève", "1 234 élèves".

const NUMBER = new Intl.NumberFormat("fr-FR");

// nb formats a count the French way (narrow space between thousands).
export function nb(n) {
	return NUMBER.format(Number(n) || 0);
}

// phrase picks a sentence by count: zero (no number in it, or null to
// use one), one (0 or 1 in French grammar) and many get the number in
// front, as "2 élèves seront ajoutés".
export function phrase(n, zero, one, many) {
	const v = Number(n) || 0;
	if (v === 0 && zero)
		return zero;
	return `${nb(v)} ${v > 1 ? many : one}`;
}

// learnersCount: "Aucun élève", "1 élève", "12 élèves".
export function learnersCount(n) {
	return phrase(n, "Aucun élève", "élève", "élèves");
}
