/*
 * main.c - the importer daemon: runs the import jobs queued in PostgreSQL
 * (jobs.c), answers ImporterRequest (health, wake) on its nng socket and
 * registers with orga at start.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "importer.pb-c.h"
#include "jobs.h"
#include "log.h"
#include "register.h"
#include "service.h"

#ifndef IMP_VERSION
#define IMP_VERSION "0.1.0"
#endif

#define IMP_RPC_WORKERS 2
/* Registration with orga: pauses of 0.2 s doubling up to 6.4 s. */
#define IMP_REGISTER_TRIES 10
#define IMP_REGISTER_FIRST_PAUSE_MS 200L
#define IMP_REGISTER_MAX_PAUSE_MS 6400L
#define IMP_REGISTER_TIMEOUT_MS 1000

static volatile sig_atomic_t imp_stop_flag;

static void
imp_on_signal(int sig)
{
	(void)sig;
	imp_stop_flag = 1;
}

static void
imp_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* mkdir -p for the directory holding an ipc:// socket. */
static com_err
imp_make_dir(const char *path)
{
	char buf[600];
	int n;

	n = snprintf(buf, sizeof(buf), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return COM_ETOOLARGE;
	for (char *c = buf + 1; *c != '\0'; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return COM_EIO;
		*c = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return COM_EIO;
	return COM_OK;
}

static com_err
imp_make_run_dirs(const com_config *cfg)
{
	char run[600];
	char sock[600];
	char *slash;
	com_err rv;
	int n;

	n = snprintf(run, sizeof(run), "%s/run", cfg->var_dir);
	if (n < 0 || (size_t)n >= sizeof(run))
		return COM_ETOOLARGE;
	rv = imp_make_dir(run);
	if (rv != COM_OK)
		return rv;
	if (strncmp(cfg->importer_rpc_url, "ipc://", 6) != 0)
		return COM_OK;
	n = snprintf(sock, sizeof(sock), "%s", cfg->importer_rpc_url + 6);
	if (n < 0 || (size_t)n >= sizeof(sock))
		return COM_ETOOLARGE;
	slash = strrchr(sock, '/');
	if (slash == NULL || slash == sock)
		return COM_OK;
	*slash = '\0';
	return imp_make_dir(sock);
}

/* imp_jobs_settings reads the IMPORTER_* settings (README lists them). */
static com_err
imp_jobs_settings(const com_config *cfg, imp_jobs_config *jc)
{
	long workers, parsers, part_mb, poll_ms, lease_ms, max_students;
	com_err rv;

	memset(jc, 0, sizeof(*jc));
	imp_limits_default(&jc->limits);
	rv = com_env_long("IMPORTER_WORKERS", 2, 1, 64, &workers);
	if (rv == COM_OK)
		rv = com_env_long("IMPORTER_PARSERS", 2, 1, IMP_MAX_PARSERS,
		    &parsers);
	if (rv == COM_OK)
		rv = com_env_long("IMPORTER_PART_MB", 8, 1, 1024, &part_mb);
	if (rv == COM_OK)
		rv = com_env_long("IMPORTER_POLL_MS", 2000, 10, 3600000,
		    &poll_ms);
	if (rv == COM_OK)
		rv = com_env_long("IMPORTER_LEASE_MS", 30000, 500, 3600000,
		    &lease_ms);
	if (rv == COM_OK)
		rv = com_env_long("IMPORTER_MAX_STUDENTS",
		    (long)jc->limits.max_students, 1, 100000000, &max_students);
	if (rv != COM_OK)
		return rv;
	jc->conninfo = cfg->database_url;
	jc->workers = (int)workers;
	jc->parsers = (int)parsers;
	jc->part_chunks = (int)part_mb;
	jc->poll_ms = (int)poll_ms;
	jc->lease_ms = (int)lease_ms;
	jc->limits.max_students = (uint64_t)max_students;
	return COM_OK;
}

/* imp_wake: a wake request (a job queued, a chunk uploaded) makes idle
 * workers look now; arg is main's imp_jobs pointer. */
static void
imp_wake(void *arg)
{
	imp_jobs_wake(*(imp_jobs **)arg);
}

int
main(void)
{
	static com_config cfg;
	imp_jobs_config jobs_cfg;
	imp_jobs *jobs = NULL;
	com_service_config scfg = {
		.name = "importer",
		.version = IMP_VERSION,
		.workers = IMP_RPC_WORKERS,
		.request = &orga__importer_request__descriptor,
		.reply = &orga__importer_reply__descriptor,
		.undecodable_message = "Requête illisible pour l'importeur.",
		.unknown_message = "Requête inconnue de l'importeur.",
		.wake = imp_wake,
		.arg = &jobs,
	};
	com_register_config rcfg = {
		.service = "importer",
		.tries = IMP_REGISTER_TRIES,
		.first_pause_ms = IMP_REGISTER_FIRST_PAUSE_MS,
		.max_pause_ms = IMP_REGISTER_MAX_PAUSE_MS,
		.call_ms = IMP_REGISTER_TIMEOUT_MS,
	};
	com_service *service = NULL;
	com_register *reg = NULL;
	struct sigaction sa;
	int status = 1;
	com_err rv;

	com_log_init("importer");
	/*
	 * An upload is read a MiB at a time (libpq results), by several
	 * threads. A fixed mmap threshold gives each such block back to the
	 * system when freed; glibc's sliding one would keep them in the
	 * threads' heaps, and the importer's memory would creep up with the
	 * file (a few MB at a million students).
	 */
	if (mallopt(M_MMAP_THRESHOLD, 256 * 1024) != 1)
		com_log_warn("mallopt(M_MMAP_THRESHOLD) failed");
	rv = com_config_load(&cfg);
	if (rv != COM_OK) {
		com_log_err("config: %s", com_strerror(rv));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = imp_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rv = imp_make_run_dirs(&cfg);
	if (rv != COM_OK) {
		com_log_err("cannot create %s/run: %s", cfg.var_dir,
		    com_strerror(rv));
		goto out;
	}
	scfg.url = cfg.importer_rpc_url;
	scfg.conninfo = cfg.database_url;
	rv = com_service_new(&scfg, &service);
	if (rv != COM_OK) {
		com_log_err("cannot set up the RPC service: %s",
		    com_strerror(rv));
		goto out;
	}
	if (!com_service_database_ok(service))
		com_log_warn("database not reachable yet; health says so");
	rv = imp_jobs_settings(&cfg, &jobs_cfg);
	if (rv == COM_OK)
		rv = imp_jobs_start(&jobs_cfg, &jobs);
	if (rv != COM_OK) {
		com_log_err("cannot start the job workers: %s",
		    com_strerror(rv));
		goto out;
	}
	rv = com_service_start(service);
	if (rv != COM_OK) {
		com_log_err("cannot listen on %s: %s", cfg.importer_rpc_url,
		    com_strerror(rv));
		goto out;
	}
	rcfg.orga_url = cfg.orga_rpc_url;
	rcfg.my_url = cfg.importer_rpc_url;
	if (com_register_start(&rcfg, &reg) != COM_OK)
		com_log_warn("cannot start the registration thread");
	com_log_info("importer %s listening on %s (pid %d)", IMP_VERSION,
	    cfg.importer_rpc_url, (int)getpid());
	while (!imp_stop_flag)
		imp_sleep_ms(100);
	com_log_info("stopping");
	status = 0;
out:
	com_register_stop(reg);
	com_service_free(service);
	imp_jobs_stop(jobs);
	return status;
}
