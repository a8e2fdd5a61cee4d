/*
 * org.c - "orgactl org create|list|show|invite": validates the arguments
 * client-side (UAI, e-mail, role), sends the request, prints the answer.
 */
#include "org.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "validate.h"

#define CTL_MSG_SIZE 256

void
ctl_org_usage(FILE *f)
{
	fprintf(f,
	    "  orgactl org create --uai UAI --name NOM --email E-MAIL "
	    "[--type SCO]\n"
	    "  orgactl org list\n"
	    "  orgactl org show --uai UAI\n"
	    "  orgactl org invite --uai UAI --email E-MAIL "
	    "[--role ADMIN|MEMBER]\n");
}

static int
ctl_org_usage_error(const char *msg)
{
	fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
	ctl_org_usage(stderr);
	return CTL_EXIT_USAGE;
}

/* ctl_org_value_error: a well-formed command with a refused value. */
static int
ctl_org_value_error(const char *msg)
{
	fprintf(stderr, "orgactl : %s\n", msg);
	return CTL_EXIT_FAIL;
}

/* ctl_org_check_uai: normalises in into out or prints why not. */
static int
ctl_org_check_uai(const char *in, char out[COM_UAI_SIZE])
{
	if (com_uai_normalize(in, out) != COM_OK) {
		fprintf(stderr, "orgactl : UAI invalide « %s » : un UAI compte "
		    "7 chiffres suivis d'une lettre (ex. 0123456A).\n", in);
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

static int
ctl_org_check_email(const char *in, char out[COM_EMAIL_MAX + 1])
{
	if (com_email_normalize(in, out, COM_EMAIL_MAX + 1) != COM_OK) {
		fprintf(stderr, "orgactl : adresse e-mail invalide « %s » "
		    "(attendu : nom@domaine.fr).\n", in);
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

/* ctl_org_upper copies an ASCII word upper-cased; -1 when too long. */
static int
ctl_org_upper(const char *in, char *out, size_t size)
{
	size_t n = strlen(in);

	if (n >= size)
		return -1;
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	return 0;
}

static void
ctl_org_print_link(const char *link)
{
	if (link == NULL || link[0] == '\0')
		return;
	printf("Lien d'invitation (à ne transmettre qu'à la personne "
	    "invitée) :\n  %s\n", link);
}

static int
ctl_org_create(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = {
		{ .name = "uai", .required = true },
		{ .name = "name", .required = true },
		{ .name = "email", .required = true },
		{ .name = "type", .required = false },
	};
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__OrgCreateRequest body = ORGA__ORG_CREATE_REQUEST__INIT;
	Orga__OrgaReply *reply;
	Orga__OrgCreateReply *r;
	char msg[CTL_MSG_SIZE];
	char uai[COM_UAI_SIZE];
	char email[COM_EMAIL_MAX + 1];
	char type[16] = "SCO";
	int rc;

	if (ctl_args_parse(argc, argv, opts, 4, NULL, 0, msg,
	    sizeof(msg)) != COM_OK)
		return ctl_org_usage_error(msg);
	rc = ctl_org_check_uai(opts[0].value, uai);
	if (rc == CTL_EXIT_OK)
		rc = ctl_org_check_email(opts[2].value, email);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (ctl_blank(opts[1].value, strlen(opts[1].value)))
		return ctl_org_value_error("le nom de l'établissement est vide");
	if (opts[3].value != NULL &&
	    (opts[3].value[0] == '\0' ||
	    ctl_org_upper(opts[3].value, type, sizeof(type)) != 0))
		return ctl_org_value_error("type d'établissement invalide "
		    "(ex. SCO)");
	body.uai = uai;
	body.name = (char *)opts[1].value;
	body.email = email;
	body.type = type;
	req.body_case = ORGA__ORGA_REQUEST__BODY_ORG_CREATE;
	req.org_create = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_ORG_CREATE, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	r = reply->org_create;
	if (r->organization != NULL)
		printf("Établissement créé : %s (UAI %s, type %s).\n",
		    r->organization->name, r->organization->uai,
		    r->organization->type);
	if (r->invitation != NULL)
		printf("Invitation %s envoyée à %s.\n", r->invitation->role,
		    r->invitation->email);
	ctl_org_print_link(r->invitation_link);
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}

static int
ctl_org_list(const ctl_ctx *ctx, int argc, char *argv[])
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__OrgListRequest body = ORGA__ORG_LIST_REQUEST__INIT;
	Orga__OrgaReply *reply;
	Orga__OrgListReply *r;
	char msg[CTL_MSG_SIZE];
	char date[CTL_DATE_SIZE];
	int rc;

	if (ctl_args_parse(argc, argv, NULL, 0, NULL, 0, msg,
	    sizeof(msg)) != COM_OK)
		return ctl_org_usage_error(msg);
	req.body_case = ORGA__ORGA_REQUEST__BODY_ORG_LIST;
	req.org_list = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_ORG_LIST, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	r = reply->org_list;
	if (r->n_organizations == 0) {
		printf("Aucun établissement.\n");
	} else {
		/* Written out: printf pads bytes, not accented letters. */
		printf("UAI       Type  Créé le               Nom\n");
		for (size_t i = 0; i < r->n_organizations; i++) {
			const Orga__Organization *o = r->organizations[i];

			ctl_date_fr(o->created_at, date);
			printf("%-8s  %-4s  %-20s  %s\n", o->uai, o->type,
			    date, o->name);
		}
		printf("%zu établissement%s.\n", r->n_organizations,
		    r->n_organizations > 1 ? "s" : "");
	}
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}

static void
ctl_org_print(const Orga__Organization *o)
{
	char d1[CTL_DATE_SIZE];
	char d2[CTL_DATE_SIZE];

	ctl_date_fr(o->created_at, d1);
	printf("Établissement : %s\n", o->name);
	printf("UAI : %s\n", o->uai);
	printf("Type : %s\n", o->type);
	if (o->email != NULL && o->email[0] != '\0')
		printf("Adresse de contact : %s\n", o->email);
	printf("Créé le : %s\n", d1);
	if (o->n_members == 0) {
		printf("Membres : aucun\n");
	} else {
		printf("Membres (%zu) :\n", o->n_members);
		for (size_t i = 0; i < o->n_members; i++) {
			const Orga__Member *m = o->members[i];

			ctl_date_fr(m->joined_at, d1);
			printf("  %-6s  %s %s <%s>, membre depuis le %s\n",
			    m->role, m->first_name, m->last_name, m->email,
			    d1);
		}
	}
	if (o->n_invitations == 0) {
		printf("Invitations : aucune\n");
		return;
	}
	printf("Invitations (%zu) :\n", o->n_invitations);
	for (size_t i = 0; i < o->n_invitations; i++) {
		const Orga__Invitation *inv = o->invitations[i];

		ctl_date_fr(inv->created_at, d1);
		ctl_date_fr(inv->updated_at, d2);
		printf("  n° %lld  %-6s  %s  %s, créée le %s, "
		    "dernier envoi le %s\n", (long long)inv->id, inv->role,
		    inv->email, ctl_status_fr(inv->status), d1, d2);
	}
}

static int
ctl_org_show(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = { { .name = "uai", .required = true } };
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__OrgShowRequest body = ORGA__ORG_SHOW_REQUEST__INIT;
	Orga__OrgaReply *reply;
	char msg[CTL_MSG_SIZE];
	char uai[COM_UAI_SIZE];
	int rc;

	if (ctl_args_parse(argc, argv, opts, 1, NULL, 0, msg,
	    sizeof(msg)) != COM_OK)
		return ctl_org_usage_error(msg);
	rc = ctl_org_check_uai(opts[0].value, uai);
	if (rc != CTL_EXIT_OK)
		return rc;
	body.uai = uai;
	req.body_case = ORGA__ORGA_REQUEST__BODY_ORG_SHOW;
	req.org_show = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_ORG_SHOW, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (reply->org_show->organization == NULL) {
		fprintf(stderr, "erreur : aucun établissement avec l'UAI %s\n",
		    uai);
		rc = CTL_EXIT_FAIL;
	} else {
		ctl_org_print(reply->org_show->organization);
	}
	ctl_reply_free(reply);
	return rc;
}

static int
ctl_org_invite(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = {
		{ .name = "uai", .required = true },
		{ .name = "email", .required = true },
		{ .name = "role", .required = false },
	};
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__OrgInviteRequest body = ORGA__ORG_INVITE_REQUEST__INIT;
	Orga__OrgaReply *reply;
	Orga__OrgInviteReply *r;
	char msg[CTL_MSG_SIZE];
	char uai[COM_UAI_SIZE];
	char email[COM_EMAIL_MAX + 1];
	char role[16] = "ADMIN";
	int rc;

	if (ctl_args_parse(argc, argv, opts, 3, NULL, 0, msg,
	    sizeof(msg)) != COM_OK)
		return ctl_org_usage_error(msg);
	rc = ctl_org_check_uai(opts[0].value, uai);
	if (rc == CTL_EXIT_OK)
		rc = ctl_org_check_email(opts[1].value, email);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (opts[2].value != NULL &&
	    (ctl_org_upper(opts[2].value, role, sizeof(role)) != 0 ||
	    (strcmp(role, "ADMIN") != 0 && strcmp(role, "MEMBER") != 0)))
		return ctl_org_value_error("rôle invalide : ADMIN ou MEMBER "
		    "attendu");
	body.uai = uai;
	body.email = email;
	body.role = role;
	req.body_case = ORGA__ORGA_REQUEST__BODY_ORG_INVITE;
	req.org_invite = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_ORG_INVITE, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	r = reply->org_invite;
	if (r->invitation != NULL)
		printf(r->resent
		    ? "Invitation %s déjà en attente : renvoyée à %s.\n"
		    : "Invitation %s envoyée à %s.\n",
		    r->invitation->role, r->invitation->email);
	ctl_org_print_link(r->invitation_link);
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}

int
ctl_org_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	if (argc < 1)
		return ctl_org_usage_error("sous-commande manquante");
	if (strcmp(argv[0], "create") == 0)
		return ctl_org_create(ctx, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0)
		return ctl_org_list(ctx, argc - 1, argv + 1);
	if (strcmp(argv[0], "show") == 0)
		return ctl_org_show(ctx, argc - 1, argv + 1);
	if (strcmp(argv[0], "invite") == 0)
		return ctl_org_invite(ctx, argc - 1, argv + 1);
	fprintf(stderr, "orgactl : sous-commande inconnue « org %s »\n\n"
	    "Usage :\n", argv[0]);
	ctl_org_usage(stderr);
	return CTL_EXIT_USAGE;
}
