/* token.c - orgactl token create. */
#include "token.h"

#include <inttypes.h>
#include <string.h>

#include "args.h"

void
ctl_token_usage(FILE *f)
{
	fprintf(f, "  orgactl token create --email E [--name NOM]   (jeton "
	           "d'API pour envoyer des fichiers)\n");
}

static int
ctl_token_create(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = {
		{ .name = "email", .required = true },
		{ .name = "name", .required = false },
	};
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__TokenCreateRequest body = ORGA__TOKEN_CREATE_REQUEST__INIT;
	Orga__OrgaReply *reply;
	char msg[256];
	int rc;

	if (ctl_args_parse(argc, argv, opts, 2, NULL, 0, msg, sizeof(msg)) !=
	    COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_token_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	body.email = (char *)opts[0].value;
	body.name = (char *)(opts[1].value != NULL ? opts[1].value : "");
	req.body_case = ORGA__ORGA_REQUEST__BODY_TOKEN_CREATE;
	req.token_create = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_TOKEN_CREATE, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	/* The token alone on stdout, so scripts can capture it. */
	printf("%s\n", reply->token_create->token);
	fprintf(stderr, "Jeton n° %" PRId64 " créé : il n'est affiché qu'une "
	                "fois. Utilisez-le dans l'en-tête « Authorization: "
	                "Bearer … ».\n",
	    reply->token_create->id);
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}

int
ctl_token_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	if (argc >= 1 && strcmp(argv[0], "create") == 0)
		return ctl_token_create(ctx, argc - 1, argv + 1);
	fprintf(stderr, "orgactl : %s\n\nUsage :\n", argc < 1
	    ? "sous-commande manquante" : "sous-commande inconnue");
	ctl_token_usage(stderr);
	return CTL_EXIT_USAGE;
}
