/*
 * content.c - checking, publishing and listing content bundles. A bundle
 * is checked before it is sent: a refused one never reaches orga.
 */
#include "content.h"

#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "assessment/content.h"
#include "buf.h"

/* The folders of a bundle that count, beside referentiel.json. */
static const char *const ctl_content_dirs[] = {"competences", "parcours",
    "images"};

void
ctl_content_usage(FILE *f)
{
	fprintf(f, "  orgactl content check DOSSIER    (vérifie, ne publie rien)\n"
	           "  orgactl content publish DOSSIER  (nouvelle version si le "
	           "contenu a changé)\n"
	           "  orgactl content show\n");
}

/* The files of a bundle read in memory. */
typedef struct ctl_bundle {
	orga_content_file *files;
	char **names;
	void **datas;
	size_t n, cap;
} ctl_bundle;

static void
ctl_bundle_fini(ctl_bundle *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->names[i]);
		free(b->datas[i]);
	}
	free(b->files);
	free(b->names);
	free(b->datas);
	memset(b, 0, sizeof(*b));
}

/* ctl_bundle_add reads dir/rel into the bundle. */
static com_err
ctl_bundle_add(ctl_bundle *b, const char *dir, const char *rel)
{
	char path[4096];
	com_buf data;
	char chunk[8192];
	FILE *f;
	size_t k;
	com_err rv = COM_OK;

	if (b->n == ORGA_CONTENT_FILES_MAX)
		return COM_ETOOLARGE;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		orga_content_file *files = realloc(b->files, cap * sizeof(*files));
		char **names;
		void **datas;

		if (files == NULL)
			return COM_ENOMEM;
		b->files = files;
		names = realloc(b->names, cap * sizeof(*names));
		if (names == NULL)
			return COM_ENOMEM;
		b->names = names;
		datas = realloc(b->datas, cap * sizeof(*datas));
		if (datas == NULL)
			return COM_ENOMEM;
		b->datas = datas;
		b->cap = cap;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "orgactl : impossible de lire %s : %s\n", path,
		    strerror(errno));
		return COM_EIO;
	}
	com_buf_init(&data, ORGA_CONTENT_FILE_MAX);
	while (rv == COM_OK && (k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rv = com_buf_append(&data, chunk, k);
	if (rv == COM_OK && ferror(f))
		rv = COM_EIO;
	(void)fclose(f);
	if (rv != COM_OK) {
		fprintf(stderr, "orgactl : %s : %s\n", path,
		    rv == COM_ETOOLARGE ? "fichier trop gros" : "erreur de lecture");
		com_buf_fini(&data);
		return rv;
	}
	b->names[b->n] = strdup(rel);
	b->files[b->n].len = data.len;
	b->datas[b->n] = com_buf_steal(&data);
	if (b->names[b->n] == NULL || b->datas[b->n] == NULL) {
		free(b->names[b->n]);
		free(b->datas[b->n]);
		return COM_ENOMEM;
	}
	b->files[b->n].name = b->names[b->n];
	b->files[b->n].data = b->datas[b->n];
	b->n++;
	return COM_OK;
}

/* ctl_bundle_read reads referentiel.json and the regular files of the
 * bundle's folders (one level), as orga's loader counts them. */
static com_err
ctl_bundle_read(const char *dir, ctl_bundle *b)
{
	com_err rv;

	rv = ctl_bundle_add(b, dir, "referentiel.json");
	for (size_t d = 0; rv == COM_OK && d < 3; d++) {
		char path[4096];
		struct dirent **list = NULL;
		int n;

		snprintf(path, sizeof(path), "%s/%s", dir, ctl_content_dirs[d]);
		n = scandir(path, &list, NULL, alphasort);
		if (n < 0)
			continue;  /* a missing folder: the loader says so */
		for (int i = 0; i < n; i++) {
			char rel[600], full[4700];
			struct stat st;

			snprintf(rel, sizeof(rel), "%s/%s", ctl_content_dirs[d],
			    list[i]->d_name);
			snprintf(full, sizeof(full), "%s/%s", dir, rel);
			if (rv == COM_OK && list[i]->d_name[0] != '.' &&
			    stat(full, &st) == 0 && S_ISREG(st.st_mode))
				rv = ctl_bundle_add(b, dir, rel);
			free(list[i]);
		}
		free(list);
	}
	return rv;
}

/* ctl_content_check_dir loads dir, printing every error; CTL_EXIT_OK
 * when it holds. */
static int
ctl_content_check_dir(const ctl_bundle *b, const char *dir, bool quiet)
{
	orga_content_report report;
	orga_content *c = NULL;
	com_err rv;

	orga_content_report_init(&report);
	rv = orga_content_load(b->files, b->n, &c, &report);
	if (rv == COM_EINVAL || rv == COM_ETOOLARGE) {
		for (size_t i = 0; i < report.n; i++)
			fprintf(stderr, "%s\n", report.lines[i]);
		if (report.dropped > 0)
			fprintf(stderr, "… et %zu autre(s) erreur(s)\n",
			    report.dropped);
		fprintf(stderr, "orgactl : %s : %zu erreur(s), rien n'est "
		    "publié\n", dir, report.n + report.dropped);
		orga_content_report_fini(&report);
		return CTL_EXIT_FAIL;
	}
	orga_content_report_fini(&report);
	if (rv != COM_OK) {
		fprintf(stderr, "orgactl : %s : %s\n", dir, com_strerror(rv));
		return CTL_EXIT_FAIL;
	}
	if (!quiet)
		printf("%s : contenu valide (%zu compétences, %zu sujets, %zu "
		    "acquis, %zu questions, %zu parcours), empreinte %.12s\n",
		    dir, c->ncompetences, c->ntopics, c->nskills, c->nquestions,
		    c->nparcours, c->hash);
	orga_content_free(c);
	return CTL_EXIT_OK;
}

/* ctl_content_operator: who publishes (the login name). */
static const char *
ctl_content_operator(void)
{
	const struct passwd *pw = getpwuid(getuid());

	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		return pw->pw_name;
	return "orgactl";
}

static int
ctl_content_send(const ctl_ctx *ctx, const ctl_bundle *b)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__ContentPublishRequest body = ORGA__CONTENT_PUBLISH_REQUEST__INIT;
	Orga__ContentFile *msgs = calloc(b->n + 1, sizeof(*msgs));
	Orga__ContentFile **ptrs = calloc(b->n + 1, sizeof(*ptrs));
	Orga__OrgaReply *reply = NULL;
	int rc = CTL_EXIT_FAIL;

	if (msgs == NULL || ptrs == NULL) {
		fprintf(stderr, "orgactl : mémoire insuffisante\n");
		goto out;
	}
	for (size_t i = 0; i < b->n; i++) {
		orga__content_file__init(&msgs[i]);
		msgs[i].name = (char *)b->files[i].name;
		msgs[i].data.data = (uint8_t *)b->files[i].data;
		msgs[i].data.len = b->files[i].len;
		ptrs[i] = &msgs[i];
	}
	body.files = ptrs;
	body.n_files = b->n;
	body.published_by = (char *)ctl_content_operator();
	req.body_case = ORGA__ORGA_REQUEST__BODY_CONTENT_PUBLISH;
	req.content_publish = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_CONTENT_PUBLISH, &reply);
	if (rc != CTL_EXIT_OK)
		goto out;
	if (reply->content_publish->created)
		printf("Contenu publié : version %lld (%d questions, %d "
		    "parcours). Les évaluations en cours gardent leur version.\n",
		    (long long)reply->content_publish->version,
		    (int)reply->content_publish->questions,
		    (int)reply->content_publish->parcours);
	else
		printf("Contenu inchangé : c'est déjà la version %lld ; rien "
		    "n'est publié.\n", (long long)reply->content_publish->version);
	ctl_reply_free(reply);
out:
	free(ptrs);
	free(msgs);
	return rc;
}

static int
ctl_content_dir_cmd(const ctl_ctx *ctx, int argc, char *argv[], bool publish)
{
	ctl_bundle b;
	const char *dir;
	char msg[256];
	int rc;

	if (ctl_args_parse(argc, argv, NULL, 0, &dir, 1, msg, sizeof(msg)) !=
	    COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_content_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	memset(&b, 0, sizeof(b));
	if (ctl_bundle_read(dir, &b) != COM_OK) {
		ctl_bundle_fini(&b);
		return CTL_EXIT_FAIL;
	}
	rc = ctl_content_check_dir(&b, dir, publish);
	if (rc == CTL_EXIT_OK && publish)
		rc = ctl_content_send(ctx, &b);
	ctl_bundle_fini(&b);
	return rc;
}

static int
ctl_content_show(const ctl_ctx *ctx, int argc, char *argv[])
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__ContentShowRequest body = ORGA__CONTENT_SHOW_REQUEST__INIT;
	Orga__OrgaReply *reply;
	char msg[256];
	int rc;

	if (ctl_args_parse(argc, argv, NULL, 0, NULL, 0, msg, sizeof(msg)) !=
	    COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_content_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	req.body_case = ORGA__ORGA_REQUEST__BODY_CONTENT_SHOW;
	req.content_show = &body;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_CONTENT_SHOW, &reply);
	if (rc != CTL_EXIT_OK)
		return rc;
	if (reply->content_show->n_versions == 0)
		printf("Aucun contenu publié.\n");
	else
		printf("VERSION\tPUBLIÉE LE\tPAR\tQUESTIONS\tPARCOURS\t"
		    "ÉVALUATIONS\tEMPREINTE\n");
	for (size_t i = 0; i < reply->content_show->n_versions; i++) {
		const Orga__ContentVersion *v = reply->content_show->versions[i];

		printf("%lld\t%s\t%s\t%d\t%d\t%lld\t%.12s\n", (long long)v->id,
		    v->published_at, v->published_by, (int)v->questions,
		    (int)v->parcours, (long long)v->assessments, v->hash);
	}
	ctl_reply_free(reply);
	return CTL_EXIT_OK;
}

int
ctl_content_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	if (argc >= 1 && strcmp(argv[0], "check") == 0)
		return ctl_content_dir_cmd(ctx, argc - 1, argv + 1, false);
	if (argc >= 1 && strcmp(argv[0], "publish") == 0)
		return ctl_content_dir_cmd(ctx, argc - 1, argv + 1, true);
	if (argc >= 1 && strcmp(argv[0], "show") == 0)
		return ctl_content_show(ctx, argc - 1, argv + 1);
	fprintf(stderr, "orgactl : %s\n\nUsage :\n", argc < 1
	    ? "sous-commande manquante" : "sous-commande inconnue");
	ctl_content_usage(stderr);
	return CTL_EXIT_USAGE;
}
