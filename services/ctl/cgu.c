/*
 * cgu.c - publishing the terms of use from a UTF-8 text file.
 */
#include "cgu.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "utf8.h"

void
ctl_cgu_usage(FILE *f)
{
	fprintf(f, "  orgactl cgu publish FICHIER   (texte UTF-8)\n");
}

com_err
ctl_cgu_read_file(const char *path, com_buf *out)
{
	com_err rv = COM_OK;
	char chunk[8192];
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "orgactl : impossible de lire %s : %s\n", path,
		    strerror(errno));
		return COM_EIO;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rv = com_buf_append(out, chunk, n);
		if (rv != COM_OK) {
			fprintf(stderr, "orgactl : %s est trop gros (plus de "
			    "%zu octets)\n", path, out->max);
			goto out;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "orgactl : erreur de lecture de %s\n", path);
		rv = COM_EIO;
		goto out;
	}
	if (ctl_blank(out->data, out->len)) {
		fprintf(stderr, "orgactl : %s est vide : rien à publier\n",
		    path);
		rv = COM_EINVAL;
		goto out;
	}
	if (!com_utf8_valid(out->data, out->len)) {
		fprintf(stderr, "orgactl : %s n'est pas un texte UTF-8 "
		    "(convertissez-le, par ex. iconv -f latin1 -t utf-8)\n",
		    path);
		rv = COM_EINVAL;
		goto out;
	}
out:
	(void)fclose(f);
	return rv;
}

static int
ctl_cgu_publish(const ctl_ctx *ctx, int argc, char *argv[])
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__TermsPublishRequest body = ORGA__TERMS_PUBLISH_REQUEST__INIT;
	Orga__OrgaReply *reply;
	const char *path;
	char msg[256];
	com_buf text;
	int rc;

	if (ctl_args_parse(argc, argv, NULL, 0, &path, 1, msg,
	    sizeof(msg)) != COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_cgu_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	com_buf_init(&text, CTL_CGU_MAX);
	if (ctl_cgu_read_file(path, &text) != COM_OK) {
		rc = CTL_EXIT_FAIL;
		goto out;
	}
	body.body = text.data;
	req.body_case = ORGA__ORGA_REQUEST__BODY_TERMS_PUBLISH;
	req.terms_publish = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_TERMS_PUBLISH,
	    &reply);
	if (rc != CTL_EXIT_OK)
		goto out;
	printf("CGU publiées : version %d. Chaque utilisateur devra les "
	    "accepter à sa prochaine visite.\n",
	    (int)reply->terms_publish->version);
	ctl_reply_free(reply);
out:
	com_buf_fini(&text);
	return rc;
}

int
ctl_cgu_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	if (argc >= 1 && strcmp(argv[0], "publish") == 0)
		return ctl_cgu_publish(ctx, argc - 1, argv + 1);
	fprintf(stderr, "orgactl : %s\n\nUsage :\n", argc < 1
	    ? "sous-commande manquante" : "sous-commande inconnue");
	ctl_cgu_usage(stderr);
	return CTL_EXIT_USAGE;
}
