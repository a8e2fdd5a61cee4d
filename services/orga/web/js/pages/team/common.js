// pages/team/common.js - what the Équipe page's parts share: the role
// names and a person's name.

const ROLES = { ADMIN: "Administrateur", MEMBER: "Membre" };

// roleLabel names a role in French ("Administrateur", "Membre").
export function roleLabel(role) {
	return ROLES[String(role || "").toUpperCase()] || role || "";
}

// fullName is "Prénom Nom" of a member or an invitation's person.
export function fullName(m) {
	return `${m.firstName || ""} ${m.lastName || ""}`.trim();
}
