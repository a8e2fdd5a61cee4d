/*
 * audit.c - "orgactl audit": one AuditRequest to orga, the school's team
 * audit log printed newest first, one French line per event.
 */
#include "audit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "validate.h"

#define CTL_AUDIT_MSG 256
#define CTL_AUDIT_LIMIT_MAX 1000

void
ctl_audit_usage(FILE *f)
{
	fprintf(f, "  orgactl audit --uai UAI [--limit N]\n");
}

static int
ctl_audit_usage_error(const char *msg)
{
	fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
	ctl_audit_usage(stderr);
	return CTL_EXIT_USAGE;
}

/* ctl_audit_who: "Prénom Nom <e-mail>", the e-mail alone, or "?". */
static void
ctl_audit_who(const char *name, const char *email, char *out, size_t size)
{
	bool has_name = name != NULL && name[0] != '\0';
	bool has_email = email != NULL && email[0] != '\0';

	if (has_name && has_email)
		snprintf(out, size, "%s <%s>", name, email);
	else if (has_name || has_email)
		snprintf(out, size, "%s", has_name ? name : email);
	else
		snprintf(out, size, "?");
}

void
ctl_audit_describe(const Orga__AuditEntry *e, char *out, size_t size)
{
	char actor[600], target[600];
	const char *a = e->action;

	if (e->actor_user_id == 0)
		snprintf(actor, sizeof(actor), "Un opérateur");
	else
		ctl_audit_who(e->actor_name, e->actor_email, actor,
		    sizeof(actor));
	ctl_audit_who(e->target_name, e->target_email, target,
	    sizeof(target));
	if (strcmp(a, "invited") == 0)
		snprintf(out, size, "%s a invité %s (%s)", actor, target,
		    e->new_role);
	else if (strcmp(a, "invitation_resent") == 0)
		snprintf(out, size, "%s a renvoyé l'invitation de %s (%s)", actor,
		    target, e->new_role);
	else if (strcmp(a, "invitation_cancelled") == 0)
		snprintf(out, size, "%s a annulé l'invitation de %s", actor,
		    target);
	else if (strcmp(a, "joined") == 0)
		snprintf(out, size, "%s a rejoint l'établissement (%s)", target,
		    e->new_role);
	else if (strcmp(a, "role_changed") == 0)
		snprintf(out, size, "%s a changé le rôle de %s : %s -> %s",
		    actor, target, e->old_role, e->new_role);
	else if (strcmp(a, "removed") == 0)
		snprintf(out, size, "%s a retiré %s de l'équipe (%s)", actor,
		    target, e->old_role);
	else if (strcmp(a, "left") == 0)
		snprintf(out, size, "%s a quitté l'établissement (%s)", target,
		    e->old_role);
	else
		snprintf(out, size, "%s : %s, %s", a, actor, target);
}

/* ctl_audit_limit reads a decimal 1..CTL_AUDIT_LIMIT_MAX. */
static bool
ctl_audit_limit(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 ||
	    v > CTL_AUDIT_LIMIT_MAX)
		return false;
	*out = (int)v;
	return true;
}

static void
ctl_audit_print(const Orga__AuditReply *r)
{
	char date[CTL_DATE_SIZE];
	char line[1600];

	if (r->organization != NULL)
		printf("Journal de l'équipe : %s (UAI %s)\n",
		    r->organization->name, r->organization->uai);
	if (r->n_entries == 0) {
		printf("Aucun événement.\n");
		return;
	}
	for (size_t i = 0; i < r->n_entries; i++) {
		ctl_date_fr(r->entries[i]->created_at, date);
		ctl_audit_describe(r->entries[i], line, sizeof(line));
		printf("%s  %s\n", date, line);
	}
	printf("%zu événement%s, du plus récent au plus ancien.\n",
	    r->n_entries, r->n_entries > 1 ? "s" : "");
}

int
ctl_audit_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = {
		{ .name = "uai", .required = true },
		{ .name = "limit", .required = false },
	};
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__AuditRequest body = ORGA__AUDIT_REQUEST__INIT;
	Orga__OrgaReply *reply;
	char msg[CTL_AUDIT_MSG];
	char uai[COM_UAI_SIZE];
	int limit = 0;
	int rc;

	if (ctl_args_parse(argc, argv, opts, 2, NULL, 0, msg,
	    sizeof(msg)) != COM_OK)
		return ctl_audit_usage_error(msg);
	if (com_uai_normalize(opts[0].value, uai) != COM_OK) {
		fprintf(stderr, "orgactl : UAI invalide « %s » : un UAI compte "
		    "7 chiffres suivis d'une lettre (ex. 0123456A).\n",
		    opts[0].value);
		return CTL_EXIT_FAIL;
	}
	if (opts[1].value != NULL && !ctl_audit_limit(opts[1].value, &limit)) {
		fprintf(stderr, "orgactl : --limit attend un nombre entre 1 et "
		    "%d.\n", CTL_AUDIT_LIMIT_MAX);
		return CTL_EXIT_FAIL;
	}
	body.uai = uai;
	body.limit = limit;
	req.body_case = ORGA__ORGA_REQUEST__BODY_AUDIT;
	req.audit = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_AUDIT, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	ctl_audit_print(reply->audit);
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}
