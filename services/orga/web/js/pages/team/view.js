// pages/team/view.js - the Équipe page's lists: the pending invitations
// ("Invité le JJ/MM/AAAA", re-send, cancel), the members (Nom, Prénom,
// Rôle; change the role, remove), leaving the school, and for ADMINs the
// audit log. Losing access (removed meanwhile) sends the person back to
// their home.

import { enc, get, post, request } from "../../api.js";
import { formatDate, h, notice, setFlash, uid } from "../../dom.js";
import { whileBusy } from "../../forms.js";
import { forget, herePath, setNext } from "../../session.js";
import { AUDIT_PAGE, auditSection } from "./audit.js";
import { fullName, roleLabel } from "./common.js";

async function attempt(path) {
	try {
		return { data: await get(path) };
	} catch (e) {
		if (!e.errors || e.status === 401 || e.status === 404)
			throw e;
		return { error: e };
	}
}

// confirmBox replaces `slot`'s content by a question and two buttons;
// Escape or "no" puts the previous content back and focuses `back`.
function confirmBox(slot, back, question, yesText, noText, onYes) {
	const previous = [...slot.childNodes];
	const yes = h("button", { type: "button",
	    class: "button button-danger button-small" }, yesText);
	const restore = () => {
		slot.textContent = "";
		slot.append(...previous);
		back.focus();
	};
	const no = h("button", { type: "button",
	    class: "button button-secondary button-small", onclick: restore },
	    noText);
	const box = h("div", { class: "confirm-box", role: "group",
	    "aria-label": question },
	    h("p", {}, question), h("div", { class: "row-actions" }, yes, no));
	box.addEventListener("keydown", (event) => {
		if (event.key === "Escape")
			restore();
	});
	yes.addEventListener("click", () => whileBusy(yes, "Un instant…",
	    onYes));
	slot.textContent = "";
	slot.append(box);
	yes.focus();
}

// TeamView loads the team's lists, shows them and runs the changes.
export class TeamView {
	constructor(ctx, org, me) {
		this.ctx = ctx;
		this.org = org;
		this.me = me;
		this.myId = me && me.user ? me.user.id : null;
		this.isAdmin = String(org.role || "").toUpperCase() === "ADMIN";
		this.base = `/api/organizations/${enc(org.id)}`;
		this.status = h("div", { class: "team-status",
		    "aria-live": "polite" });
		this.content = h("div", { class: "team-content" });
	}

	// lost handles the answers meaning "not allowed any more": true when
	// it navigated away or reloaded the page.
	lost(e) {
		if (e && e.status === 401) {
			forget();
			setNext(herePath());
			this.ctx.navigate("/connexion", { replace: true });
			return true;
		}
		if (e && e.status === 404 && e.code === "ORGANIZATION_NOT_FOUND") {
			forget();
			setFlash("Vous n'avez plus accès à l'espace de " +
			    `${this.org.name} : vous n'en êtes plus membre.`, "error");
			this.ctx.navigate("/", { replace: true });
			return true;
		}
		if (e && e.status === 403 && e.code === "FORBIDDEN") {
			/* no longer an ADMIN: show the page as a MEMBER sees it */
			setFlash(e.message, "error");
			this.ctx.navigate(herePath(), { replace: true });
			return true;
		}
		return false;
	}

	// say shows one message above the lists; focus moves to it when asked
	// (the button that was used may be gone after the refresh).
	say(kind, text, focus) {
		const box = notice(kind, h("p", {}, text));
		box.setAttribute("tabindex", "-1");
		this.status.textContent = "";
		this.status.append(box);
		if (focus)
			box.focus();
	}

	// act runs one change: fn() returns the success message; refusals
	// (last ADMIN, already cancelled...) are shown the same way.
	async act(fn) {
		let text;
		try {
			text = await fn();
		} catch (e) {
			if (this.lost(e))
				return;
			this.say("error", e.message, true);
			return;
		}
		if (text === null)
			return;       /* it navigated */
		await this.refresh();
		if (text)
			this.say("success", text, true);
	}

	async load() {
		const calls = [attempt(`${this.base}/members`),
		    attempt(`${this.base}/invitations`)];
		if (this.isAdmin)
			calls.push(attempt(`${this.base}/audit?limit=${AUDIT_PAGE}`));
		return Promise.all(calls);
	}

	render([members, invitations, audit]) {
		this.content.textContent = "";
		this.content.append(this.invitationsSection(invitations),
		    this.membersSection(members));
		if (audit)
			this.content.append(audit.error ?
			    notice("error", h("p", {}, audit.error.message)) :
			    auditSection(this.base, audit.data.entries || [],
				(e) => this.lost(e)));
	}

	async refresh() {
		let data;
		try {
			data = await this.load();
		} catch (e) {
			if (!this.lost(e))
				this.say("error", e.message, true);
			return;
		}
		this.render(data);
	}

	invitationActions(inv) {
		const resend = h("button", { type: "button",
		    class: "button button-secondary button-small",
		    "aria-label": `Renvoyer l'invitation à ${inv.email}` },
		    "Renvoyer");
		resend.addEventListener("click", () => whileBusy(resend,
		    "Envoi…", () => this.act(async () => {
			await post(`${this.base}/invitations/${enc(inv.id)}/resend`);
			return `L'invitation a été renvoyée à ${inv.email} avec un ` +
			    "nouveau lien : le lien de l'e-mail précédent ne " +
			    "fonctionne plus.";
		    })));
		const cancel = h("button", { type: "button",
		    class: "button button-secondary button-small",
		    "aria-label": `Annuler l'invitation de ${inv.email}` },
		    "Annuler");
		cancel.addEventListener("click", () => whileBusy(cancel,
		    "Annulation…", () => this.act(async () => {
			await post(`${this.base}/invitations/${enc(inv.id)}/cancel`);
			return `L'invitation de ${inv.email} a été annulée : son ` +
			    "lien ne fonctionne plus.";
		    })));
		return h("span", { class: "row-actions" }, resend, cancel);
	}

	invitationsSection(result) {
		const headingId = uid("titre");
		if (result.error)
			return h("section", { class: "team-block",
			    "aria-labelledby": headingId },
			    h("h2", { id: headingId }, "Invitations en attente"),
			    notice("error", h("p", {}, result.error.message)));
		const list = result.data.invitations || [];
		const items = list.map((inv) => {
			const sent = formatDate(inv.createdAt);
			const resent = inv.updatedAt && inv.updatedAt !== inv.createdAt ?
			    formatDate(inv.updatedAt) : "";
			/* only ADMINs are told the address */
			return h("li", { class: "invitation" },
			    h("span", { class: "invitation-who" },
				h("span", { class: "invitation-email" }, inv.email ||
				    "Invitation en attente"),
				h("span", { class: "invitation-role" },
				    roleLabel(inv.role))),
			    h("span", { class: "invitation-date" },
				`Invité le ${sent}`,
				resent ? ` (renvoyé le ${resent})` : null),
			    this.isAdmin ? this.invitationActions(inv) : null);
		});
		return h("section", { class: "team-block",
		    "aria-labelledby": headingId },
		    h("h2", { id: headingId },
			`Invitations en attente (${list.length})`),
		    list.length > 0 && this.isAdmin ? h("p", { class: "field-hint" },
			"« Renvoyer » envoie un nouvel e-mail avec un nouveau " +
			"lien : le lien de l'e-mail précédent ne fonctionnera " +
			"plus.") : null,
		    list.length > 0 && !this.isAdmin ? h("p", { class: "field-hint" },
			"Seuls les administrateurs voient les adresses " +
			"invitées.") : null,
		    list.length > 0 ? h("ul", { class: "invitations" }, items) :
			h("p", { class: "muted" }, "Aucune invitation en attente."));
	}

	memberActions(m) {
		const name = fullName(m);
		const isAdmin = m.role === "ADMIN";
		const self = m.userId === this.myId;
		const slot = h("div", { class: "row-actions" });
		const role = h("button", { type: "button",
		    class: "button button-secondary button-small",
		    /* one's own row names nobody: "Passer en membre (vous-même)" */
		    "aria-label": self ?
			`${isAdmin ? "Passer en membre" : "Nommer administrateur"}` +
			    " (vous-même)" :
			isAdmin ? `Passer ${name} en membre` :
			    `Nommer ${name} administrateur` },
		    isAdmin ? "Passer en membre" : "Nommer administrateur");
		role.addEventListener("click", () => whileBusy(role, "Un instant…",
		    () => this.changeRole(m, isAdmin ? "MEMBER" : "ADMIN")));
		slot.append(role);
		if (!self) {
			const remove = h("button", { type: "button",
			    class: "button button-danger button-small",
			    "aria-label": `Retirer ${name} de l'équipe` }, "Retirer");
			remove.addEventListener("click", () => confirmBox(slot, remove,
			    `Retirer ${name} de l'équipe ? ${m.firstName || name} ` +
			    "n'aura plus accès à l'espace de l'établissement.",
			    "Confirmer le retrait", "Annuler",
			    () => this.act(async () => {
				await request("DELETE",
				    `${this.base}/members/${enc(m.userId)}`);
				return `${name} a été retiré(e) de l'équipe.`;
			    })));
			slot.append(remove);
		}
		return slot;
	}

	async changeRole(m, role) {
		const name = fullName(m);
		const self = m.userId === this.myId;
		await this.act(async () => {
			await request("PATCH", `${this.base}/members/${enc(m.userId)}`,
			    { role });
			if (self) {
				/* the page changes with my role: build it again */
				setFlash("Vous êtes maintenant " +
				    `${roleLabel(role).toLowerCase()} de l'établissement.`,
				    "success");
				forget();
				this.ctx.navigate(herePath(), { replace: true });
				return null;
			}
			return `${name} est maintenant ` +
			    `${roleLabel(role).toLowerCase()}.`;
		});
	}

	membersSection(result) {
		const headingId = uid("titre");
		if (result.error)
			return h("section", { class: "team-block",
			    "aria-labelledby": headingId },
			    h("h2", { id: headingId }, "Liste des membres"),
			    notice("error", h("p", {}, result.error.message)));
		const list = result.data.members || [];
		const rows = list.map((m) => h("tr", {},
		    h("td", {}, m.lastName),
		    h("td", {}, m.firstName),
		    h("td", {}, roleLabel(m.role),
			m.userId === this.myId ? h("span", { class: "muted" },
			    " (vous)") : null),
		    this.isAdmin ? h("td", {}, this.memberActions(m)) : null));
		return h("section", { class: "team-block",
		    "aria-labelledby": headingId },
		    h("h2", { id: headingId }, `Liste des membres (${list.length})`),
		    h("div", { class: "table-wrap" },
			h("table", { class: "table", "aria-labelledby": headingId },
			    h("thead", {}, h("tr", {},
				h("th", { scope: "col" }, "Nom"),
				h("th", { scope: "col" }, "Prénom"),
				h("th", { scope: "col" }, "Rôle"),
				this.isAdmin ? h("th", { scope: "col" }, "Actions") :
				    null)),
			    h("tbody", {}, rows))));
	}

	leaveSection() {
		const headingId = uid("titre");
		const slot = h("div", {});
		const button = h("button", { type: "button",
		    class: "button button-secondary" },
		    "Quitter l'établissement");
		button.addEventListener("click", () => confirmBox(slot, button,
		    `Quitter ${this.org.name} ? Vous n'aurez plus accès à son ` +
		    "espace ; pour y revenir, il faudra une nouvelle invitation.",
		    "Quitter définitivement", "Rester", async () => {
			try {
				await post(`${this.base}/leave`);
			} catch (e) {
				if (this.lost(e))
					return;
				slot.textContent = "";
				slot.append(button);
				this.say("error", e.message, true);
				return;
			}
			forget();
			setFlash(`Vous avez quitté ${this.org.name}.`, "success");
			await this.ctx.navigate("/", { replace: true });
		    }));
		slot.append(button);
		return h("section", { class: "team-block",
		    "aria-labelledby": headingId },
		    h("h2", { id: headingId }, "Quitter l'établissement"),
		    h("p", {}, "Vous ne faites plus partie de l'équipe ? Quittez " +
			"l'espace de l'établissement. Le dernier administrateur " +
			"ne peut pas partir : il nomme d'abord un autre " +
			"administrateur."),
		    slot);
	}
}
