/* learners.c - orgactl learners: page through the list, print CSV. */
#include "learners.h"

#include <string.h>

#include "args.h"
#include "csv.h"

#define CTL_LEARNERS_PAGE 1000

void
ctl_learners_usage(FILE *f)
{
	fprintf(f, "  orgactl learners --uai UAI [--all]   (CSV ; --all : "
	           "aussi les élèves partis)\n");
}

static com_err
ctl_learners_line(com_buf *line, const Orga__Learner *l, int all)
{
	com_err rv;

	com_buf_reset(line);
	rv = com_csv_field(line, l->ine, 1);
	if (rv == COM_OK)
		rv = com_csv_field(line, l->last_name, 0);
	if (rv == COM_OK)
		rv = com_csv_field(line, l->first_name, 0);
	if (rv == COM_OK)
		rv = com_csv_field(line, l->birth_date, 0);
	if (rv == COM_OK)
		rv = com_csv_field(line, l->class_code, 0);
	if (rv == COM_OK && all)
		rv = com_csv_field(line,
		    l->active ? "Dans l'établissement"
		              : "N'est plus dans l'établissement",
		    0);
	return rv;
}

int
ctl_learners_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = { { .name = "uai", .required = true } };
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__LearnersListRequest list = ORGA__LEARNERS_LIST_REQUEST__INIT;
	Orga__OrgaReply *reply;
	com_buf line;
	char msg[256];
	int all = 0;
	int rc = CTL_EXIT_OK;

	/* --all takes no value: strip it before the generic parser. */
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0) {
			all = 1;
			memmove(&argv[i], &argv[i + 1],
			    (size_t)(argc - i - 1) * sizeof(*argv));
			argc--;
			i--;
		}
	}
	if (ctl_args_parse(argc, argv, opts, 1, NULL, 0, msg, sizeof(msg)) !=
	    COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_learners_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	list.uai = (char *)opts[0].value;
	list.all = all;
	list.limit = CTL_LEARNERS_PAGE;
	req.body_case = ORGA__ORGA_REQUEST__BODY_LEARNERS_LIST;
	req.learners_list = &list;
	com_buf_init(&line, 64 * 1024);
	printf("INE;Nom;Prénom;Date de naissance;Classe%s\n",
	    all ? ";Statut" : "");
	for (;;) {
		size_t n;

		rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_LEARNERS_LIST,
		    &reply);
		if (rc != CTL_EXIT_OK)
			break;
		n = reply->learners_list->n_learners;
		for (size_t i = 0; i < n && rc == CTL_EXIT_OK; i++) {
			if (ctl_learners_line(&line,
			        reply->learners_list->learners[i], all) !=
			    COM_OK) {
				fprintf(stderr, "orgactl : ligne trop longue\n");
				rc = CTL_EXIT_FAIL;
				break;
			}
			printf("%s\n", com_buf_str(&line));
		}
		ctl_reply_free(reply);
		if (rc != CTL_EXIT_OK || n < CTL_LEARNERS_PAGE)
			break;
		list.offset += (int64_t)n;
	}
	com_buf_fini(&line);
	return rc;
}
