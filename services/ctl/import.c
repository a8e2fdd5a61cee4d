/* import.c - orgactl import: upload in chunks, then follow the job. */
#include "import.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"

#define CTL_IMPORT_CHUNK (1024 * 1024)
/* The job is looked at again after 10 ms plus a tenth of the time spent
 * so far, at most 50 ms: a small file's outcome shows at once, a large
 * one's at most 50 ms late (a look is one indexed SELECT in orga). */
#define CTL_IMPORT_POLL_FIRST_MS 10
#define CTL_IMPORT_POLL_MS 50
/* Give up when the job shows no progress for this long. */
#define CTL_IMPORT_STALL_S 300

void
ctl_import_usage(FILE *f)
{
	fprintf(f, "  orgactl import --uai UAI FICHIER   (.xml ou .zip de "
	           "SIECLE, appliqué s'il est valide)\n");
}

static void
ctl_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* ctl_import_send uploads f into a new job of uai; *job_id on success. */
static int
ctl_import_send(const ctl_ctx *ctx, const char *uai, FILE *f, int64_t *job_id)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__ImportStartRequest start = ORGA__IMPORT_START_REQUEST__INIT;
	Orga__ImportChunkRequest chunk = ORGA__IMPORT_CHUNK_REQUEST__INIT;
	Orga__ImportEndRequest end = ORGA__IMPORT_END_REQUEST__INIT;
	Orga__OrgaReply *reply;
	uint8_t *buf;
	size_t n;
	int rc;

	buf = malloc(CTL_IMPORT_CHUNK);
	if (buf == NULL) {
		fprintf(stderr, "orgactl : mémoire insuffisante\n");
		return CTL_EXIT_FAIL;
	}
	n = fread(buf, 1, CTL_IMPORT_CHUNK, f);
	start.uai = (char *)uai;
	start.format = n >= 4 && memcmp(buf, "PK\003\004", 4) == 0 ? "zip"
	                                                         : "xml";
	start.auto_apply = 1;
	req.body_case = ORGA__ORGA_REQUEST__BODY_IMPORT_START;
	req.import_start = &start;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_IMPORT_START, &reply);
	if (rc != CTL_EXIT_OK)
		goto out;
	*job_id = reply->import_start->job_id;
	ctl_reply_free(reply);
	chunk.job_id = *job_id;
	req.body_case = ORGA__ORGA_REQUEST__BODY_IMPORT_CHUNK;
	req.import_chunk = &chunk;
	while (n > 0) {
		chunk.data.data = buf;
		chunk.data.len = n;
		rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_IMPORT_CHUNK,
		    &reply);
		if (rc != CTL_EXIT_OK)
			goto out;
		ctl_reply_free(reply);
		chunk.offset += (int64_t)n;
		n = fread(buf, 1, CTL_IMPORT_CHUNK, f);
	}
	if (ferror(f)) {
		fprintf(stderr, "orgactl : erreur de lecture du fichier\n");
		rc = CTL_EXIT_FAIL;
		goto out;
	}
	end.job_id = *job_id;
	req.body_case = ORGA__ORGA_REQUEST__BODY_IMPORT_END;
	req.import_end = &end;
	rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_IMPORT_END, &reply);
	if (rc == CTL_EXIT_OK)
		ctl_reply_free(reply);
out:
	free(buf);
	return rc;
}

static void
ctl_import_print_skips(const Orga__ImportJob *job)
{
	if (job->n_skips == 0)
		return;
	printf("Élèves ignorés (%" PRId64 " sortis, %" PRId64
	       " pas encore arrivés, %" PRId64 " sans classe) :\n",
	    job->skipped_left, job->skipped_not_arrived,
	    job->skipped_no_class);
	for (size_t i = 0; i < job->n_skips; i++)
		printf("  - %s\n", job->skips[i]);
}

/* ctl_import_outcome prints a finished job; returns the exit code. */
static int
ctl_import_outcome(const Orga__ImportJob *job)
{
	if (strcmp(job->status, "done") == 0) {
		printf("La liste a été importée avec succès : %" PRId64
		       " élève(s) ajouté(s), %" PRId64 " mis à jour, %" PRId64
		       " inchangé(s), %" PRId64
		       " ne sont plus dans l'établissement.\n",
		    job->to_add, job->to_update, job->unchanged,
		    job->to_deactivate);
		ctl_import_print_skips(job);
		return CTL_EXIT_OK;
	}
	fprintf(stderr, "Import refusé : la liste des élèves n'a pas été "
	                "modifiée.\n");
	for (size_t i = 0; i < job->n_errors; i++)
		fprintf(stderr, "  - %s\n", job->errors[i]);
	ctl_import_print_skips(job);
	return CTL_EXIT_FAIL;
}

/* ctl_import_follow polls the job until it is done, failed or cancelled. */
static int
ctl_import_follow(const ctl_ctx *ctx, int64_t job_id)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__ImportStatusRequest status = ORGA__IMPORT_STATUS_REQUEST__INIT;
	Orga__OrgaReply *reply;
	char last_state[32] = "";
	int64_t last_progress = -1;
	time_t last_change = time(NULL);
	long waited_ms = 0;
	int rc;

	status.job_id = job_id;
	req.body_case = ORGA__ORGA_REQUEST__BODY_IMPORT_STATUS;
	req.import_status = &status;
	for (;;) {
		const Orga__ImportJob *job;

		rc = ctl_call(ctx, &req, ORGA__ORGA_REPLY__BODY_IMPORT_STATUS,
		    &reply);
		if (rc != CTL_EXIT_OK)
			return rc;
		job = reply->import_status->job;
		if (strcmp(job->status, "done") == 0 ||
		    strcmp(job->status, "failed") == 0 ||
		    strcmp(job->status, "cancelled") == 0) {
			rc = ctl_import_outcome(job);
			ctl_reply_free(reply);
			return rc;
		}
		if (strcmp(job->status, last_state) != 0 ||
		    job->progress_bytes != last_progress) {
			snprintf(last_state, sizeof(last_state), "%s",
			    job->status);
			last_progress = job->progress_bytes;
			last_change = time(NULL);
		}
		ctl_reply_free(reply);
		if (time(NULL) - last_change > CTL_IMPORT_STALL_S) {
			fprintf(stderr, "orgactl : l'import %" PRId64
			    " n'avance plus (état %s) : l'importeur tourne-t-il ?"
			    "\n", job_id, last_state);
			return CTL_EXIT_FAIL;
		}
		{
			long ms = CTL_IMPORT_POLL_FIRST_MS + waited_ms / 10;

			if (ms > CTL_IMPORT_POLL_MS)
				ms = CTL_IMPORT_POLL_MS;
			ctl_sleep_ms((int)ms);
			waited_ms += ms;
		}
	}
}

int
ctl_import_main(const ctl_ctx *ctx, int argc, char *argv[])
{
	ctl_opt opts[] = { { .name = "uai", .required = true } };
	const char *path;
	int64_t job_id = 0;
	char msg[256];
	FILE *f;
	int rc;

	if (ctl_args_parse(argc, argv, opts, 1, &path, 1, msg, sizeof(msg)) !=
	    COM_OK) {
		fprintf(stderr, "orgactl : %s\n\nUsage :\n", msg);
		ctl_import_usage(stderr);
		return CTL_EXIT_USAGE;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "orgactl : impossible de lire %s : %s\n", path,
		    strerror(errno));
		return CTL_EXIT_FAIL;
	}
	rc = ctl_import_send(ctx, opts[0].value, f, &job_id);
	fclose(f);
	if (rc == CTL_EXIT_OK)
		rc = ctl_import_follow(ctx, job_id);
	return rc;
}
