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
#include "db.h"
#include "err.h"
#include "importer.pb-c.h"
#include "jobs.h"
#include "log.h"
#include "orga.pb-c.h"
#include "rpc.h"

#ifndef IMP_VERSION
#define IMP_VERSION "0.1.0"
#endif

#define IMP_RPC_WORKERS 2
#define IMP_REGISTER_TRIES 10
#define IMP_REGISTER_TIMEOUT_MS 1000

typedef struct imp_daemon {
	com_config cfg;
	pthread_mutex_t db_lock;
	PGconn *db;              /* the health connection; NULL when away */
	time_t db_failed_at;     /* last failed connect: retry after 2 s */
	pthread_t reg_thread;
	bool reg_started;
	imp_jobs *jobs;          /* the job workers */
} imp_daemon;

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

/* Opens or re-checks the health connection; never waits for a server. */
static bool
imp_db_ok(imp_daemon *d)
{
	bool ok;

	pthread_mutex_lock(&d->db_lock);
	if (d->db != NULL && !com_db_ping(d->db)) {
		PQfinish(d->db);
		d->db = NULL;
	}
	if (d->db == NULL && time(NULL) - d->db_failed_at >= 2) {
		if (com_db_connect(d->cfg.database_url, 0, &d->db) != COM_OK) {
			d->db = NULL;
			d->db_failed_at = time(NULL);
		}
	}
	ok = d->db != NULL;
	pthread_mutex_unlock(&d->db_lock);
	return ok;
}

static com_err
imp_handle(void *arg, const uint8_t *req, size_t len, com_buf *reply)
{
	imp_daemon *d = arg;
	Orga__ImporterRequest *r;
	Orga__ImporterReply out = ORGA__IMPORTER_REPLY__INIT;
	Orga__HealthReply health = ORGA__HEALTH_REPLY__INIT;
	Orga__ImportWakeReply wake = ORGA__IMPORT_WAKE_REPLY__INIT;
	Orga__RpcError error = ORGA__RPC_ERROR__INIT;
	com_err rv;

	r = orga__importer_request__unpack(NULL, len, req);
	if (r == NULL) {
		com_log_warn("rpc: undecodable request (%zu bytes)", len);
		error.code = "EPROTO";
		error.message = "Requête illisible pour l'importeur.";
		out.error = &error;
		return com_rpc_pack(&out.base, reply);
	}
	switch (r->body_case) {
	case ORGA__IMPORTER_REQUEST__BODY_HEALTH:
		health.service = "importer";
		health.version = IMP_VERSION;
		health.pid = (int32_t)getpid();
		health.database_ok = imp_db_ok(d);
		out.body_case = ORGA__IMPORTER_REPLY__BODY_HEALTH;
		out.health = &health;
		break;
	case ORGA__IMPORTER_REQUEST__BODY_WAKE:
		imp_jobs_wake(d->jobs);
		out.body_case = ORGA__IMPORTER_REPLY__BODY_WAKE;
		out.wake = &wake;
		break;
	default:
		error.code = "EINVAL";
		error.message = "Requête inconnue de l'importeur.";
		out.error = &error;
		break;
	}
	rv = com_rpc_pack(&out.base, reply);
	orga__importer_request__free_unpacked(r, NULL);
	return rv;
}

/* Announces this daemon to orga, a few times, in the background. */
static void *
imp_register_main(void *arg)
{
	imp_daemon *d = arg;
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__RegisterRequest reg = ORGA__REGISTER_REQUEST__INIT;
	int delay = 200;

	reg.service = "importer";
	reg.url = d->cfg.importer_rpc_url;
	reg.pid = (int32_t)getpid();
	req.body_case = ORGA__ORGA_REQUEST__BODY_REGISTER;
	req.register_ = &reg;
	for (int i = 0; i < IMP_REGISTER_TRIES && !imp_stop_flag; i++) {
		ProtobufCMessage *out = NULL;
		Orga__OrgaReply *reply;
		com_err rv;

		rv = com_rpc_call_url(d->cfg.orga_rpc_url,
		    IMP_REGISTER_TIMEOUT_MS, &req.base,
		    &orga__orga_reply__descriptor, &out);
		if (rv == COM_OK) {
			reply = (Orga__OrgaReply *)out;
			if (reply->error == NULL) {
				com_log_info("registered with orga");
				protobuf_c_message_free_unpacked(out, NULL);
				return NULL;
			}
			com_log_warn("orga refused registration: %s",
			    reply->error->code);
			protobuf_c_message_free_unpacked(out, NULL);
		} else {
			com_log_debug("register with orga: %s",
			    com_strerror(rv));
		}
		for (int waited = 0; waited < delay && !imp_stop_flag;
		     waited += 50)
			imp_sleep_ms(50);
		if (delay < 5000)
			delay *= 2;
	}
	if (!imp_stop_flag)
		com_log_warn("could not register with orga at %s",
		    d->cfg.orga_rpc_url);
	return NULL;
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

int
main(void)
{
	imp_jobs_config jobs_cfg;
	imp_daemon d;
	com_rpc_server *server = NULL;
	struct sigaction sa;
	int status = 1;
	com_err rv;

	memset(&d, 0, sizeof(d));
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
	rv = com_config_load(&d.cfg);
	if (rv != COM_OK) {
		com_log_err("config: %s", com_strerror(rv));
		return 1;
	}
	pthread_mutex_init(&d.db_lock, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = imp_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rv = imp_make_run_dirs(&d.cfg);
	if (rv != COM_OK) {
		com_log_err("cannot create %s/run: %s", d.cfg.var_dir,
		    com_strerror(rv));
		goto out;
	}
	if (!imp_db_ok(&d))
		com_log_warn("database not reachable yet; health says so");
	rv = imp_jobs_settings(&d.cfg, &jobs_cfg);
	if (rv == COM_OK)
		rv = imp_jobs_start(&jobs_cfg, &d.jobs);
	if (rv != COM_OK) {
		com_log_err("cannot start the job workers: %s",
		    com_strerror(rv));
		goto out;
	}
	rv = com_rpc_server_start(d.cfg.importer_rpc_url, IMP_RPC_WORKERS,
	    imp_handle, &d, &server);
	if (rv != COM_OK) {
		com_log_err("cannot listen on %s: %s", d.cfg.importer_rpc_url,
		    com_strerror(rv));
		goto out;
	}
	if (pthread_create(&d.reg_thread, NULL, imp_register_main, &d) == 0)
		d.reg_started = true;
	else
		com_log_warn("cannot start the registration thread");
	com_log_info("importer %s listening on %s (pid %d)", IMP_VERSION,
	    d.cfg.importer_rpc_url, (int)getpid());
	while (!imp_stop_flag)
		imp_sleep_ms(100);
	com_log_info("stopping");
	status = 0;
out:
	imp_stop_flag = 1;
	if (d.reg_started)
		pthread_join(d.reg_thread, NULL);
	com_rpc_server_stop(server);
	imp_jobs_stop(d.jobs);
	if (d.db != NULL)
		PQfinish(d.db);
	pthread_mutex_destroy(&d.db_lock);
	return status;
}
