/* user.c - orgactl user show and user unblock. */
#include "user.h"

#include <inttypes.h>
#include <string.h>

#include "args.h"

void
ctl_user_usage(FILE *f)
{
	fprintf(f, "  orgactl user show --email E      (écoles, connexions, "
	           "blocage d'un compte)\n"
	           "  orgactl user unblock --email E   (débloque un compte "
	           "après trop d'échecs)\n");
}

static void
ctl_user_print(const Orga__UserReply *u)
{
	printf("Compte n° %" PRId64 " : %s %s\n", u->id, u->first_name,
	    u->last_name);
	printf("Adresse e-mail : %s\n", u->email[0] != '\0' ? u->email
	                                                    : "(aucune)");
	if (u->login[0] != '\0')
		printf("Identifiant : %s\n", u->login);
	printf("Connexion :");
	for (size_t i = 0; i < u->n_login_methods; i++)
		printf(" %s", strcmp(u->login_methods[i], "GAR") == 0
		                  ? "GAR"
		                  : "mot de passe");
	printf("%s\n", u->n_login_methods == 0 ? " aucune" : "");
	if (u->must_change_password)
		printf("Mot de passe à usage unique : à changer à la prochaine "
		       "connexion\n");
	if (u->blocked_forever)
		printf("Bloqué : oui, jusqu'à déblocage (%d échecs)\n",
		    u->failed_logins);
	else if (u->blocked)
		printf("Bloqué : oui, jusqu'au %s (%d échecs)\n",
		    u->blocked_until, u->failed_logins);
	else
		printf("Bloqué : non (%d échecs depuis la dernière connexion)\n",
		    u->failed_logins);
	printf("Dernière connexion : %s\n", u->last_login_at[0] != '\0'
	                                        ? u->last_login_at
	                                        : "jamais");
	printf("Créé le : %s\n", u->created_at);
	printf("Établissements :%s\n", u->n_memberships == 0 ? " aucun" : "");
	for (size_t i = 0; i < u->n_memberships; i++)
		printf("  %s  %s  %s\n", u->memberships[i]->uai,
		    u->memberships[i]->role, u->memberships[i]->name);
}

static int
ctl_user_run(const ctl_ctx *ctx, int argc, char *argv[], bool unblock)
{
	ctl_opt opts[] = {{ .name = "email", .required = true }};
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__UserRequest body = ORGA__USER_REQUEST__INIT;
	Orga__OrgaReply *reply;
	const Orga__UserReply *u;
	char msg[256];
	int rc;

	if (ctl_args_parse(argc, argv, opts, 1, NULL, 0, msg, sizeof(msg)) !=
	    COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_user_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	body.email = (char *)opts[0].value;
	if (unblock) {
		req.body_case = ORGA__ORGA_REQUEST__BODY_USER_UNBLOCK;
		req.user_unblock = &body;
	} else {
		req.body_case = ORGA__ORGA_REQUEST__BODY_USER_SHOW;
		req.user_show = &body;
	}
	rc = ctl_call(ctx, &req, unblock ? ORGA__ORGA_REPLY__BODY_USER_UNBLOCK
	                                 : ORGA__ORGA_REPLY__BODY_USER_SHOW,
	    &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	u = unblock ? reply->user_unblock : reply->user_show;
	if (unblock)
		printf("%s\n", u->unblocked ? "Compte débloqué."
		                            : "Ce compte n'était pas bloqué.");
	ctl_user_print(u);
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}

int
ctl_user_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	if (argc >= 1 && strcmp(argv[0], "show") == 0)
		return ctl_user_run(ctx, argc - 1, argv + 1, false);
	if (argc >= 1 && strcmp(argv[0], "unblock") == 0)
		return ctl_user_run(ctx, argc - 1, argv + 1, true);
	fprintf(stderr, "orgactl : %s\n\nUsage :\n", argc < 1
	    ? "sous-commande manquante" : "sous-commande inconnue");
	ctl_user_usage(stderr);
	return CTL_EXIT_USAGE;
}
