/*
 * outbox.c - the mailer's delivery loop over the PostgreSQL outbox.
 * Delivery is at least once: a row is marked sent in the transaction that
 * holds its lock, right after the relay accepted the message.
 */
#include "outbox.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "deadline.h"
#include "log.h"
#include "render.h"

/* How long one wait slice lasts, so a stop request is seen promptly. */
#define MAIL_SLICE_MS 250L
/* Pause between reconnection attempts while PostgreSQL is away. */
#define MAIL_RECONNECT_MS 1000L
/* Wait when a due row is held by another mailer (SKIP LOCKED). */
#define MAIL_LOCKED_WAIT_MS 1000L

struct mail_outbox {
	mail_outbox_opts opts;
	PGconn *conn;           /* used by the loop's thread only */
	bool db_down;           /* the outage is already logged */
	pthread_mutex_t lock;
	pthread_cond_t cond;    /* CLOCK_MONOTONIC */
	bool woken;             /* guarded by lock */
	com_buf msg;            /* the message being sent */
};

/* One claimed row; strings live in the PGresult. */
typedef struct mail_row {
	const char *id;
	const char *template;
	const char *recipient;
	const char *params;
	int attempts;
	const char *stamp;
} mail_row;

static const char mail_sql_claim[] =
    "SELECT id, template, recipient, params, attempts, "
    "extract(epoch FROM created_at)::bigint "
    "FROM outbox WHERE status = 'pending' AND next_attempt_at <= now() "
    "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED";
static const char mail_sql_sent[] =
    "UPDATE outbox SET status = 'sent', sent_at = now(), "
    "attempts = attempts + 1, params = NULL, last_error = NULL "
    "WHERE id = $1";
static const char mail_sql_retry[] =
    "UPDATE outbox SET attempts = attempts + 1, last_error = $2, "
    "next_attempt_at = now() + $3::bigint * interval '1 millisecond' "
    "WHERE id = $1";
static const char mail_sql_failed[] =
    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, "
    "last_error = $2 WHERE id = $1";
static const char mail_sql_next[] =
    "SELECT ceil(extract(epoch FROM min(next_attempt_at) - now()) "
    "* 1000)::bigint FROM outbox WHERE status = 'pending'";

long
mail_backoff_ms(int attempts, long base_ms, long max_ms)
{
	long d = base_ms;

	if (max_ms < 0)
		max_ms = 0;
	if (d < 0)
		d = 0;
	for (int i = 1; i < attempts && d < max_ms; i++)
		d = d > LONG_MAX / 2 ? LONG_MAX : d * 2;
	return d < max_ms ? d : max_ms;
}

com_err
mail_db_open(const char *conninfo, PGconn **out)
{
	/* Later keywords override what the expanded conninfo says. */
	const char *const keys[] = {"dbname", "connect_timeout", NULL};
	const char *const vals[] = {conninfo, "5", NULL};
	PGconn *conn;

	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL)
		return COM_ENOMEM;
	if (PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		return COM_EDB;
	}
	*out = conn;
	return COM_OK;
}

com_err
mail_outbox_new(const mail_outbox_opts *opts, mail_outbox **out)
{
	pthread_condattr_t attr;
	mail_outbox *ob;

	ob = calloc(1, sizeof(*ob));
	if (ob == NULL)
		return COM_ENOMEM;
	ob->opts = *opts;
	com_buf_init(&ob->msg, MAIL_RENDER_MAX);
	pthread_mutex_init(&ob->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ob->cond, &attr);
	pthread_condattr_destroy(&attr);
	*out = ob;
	return COM_OK;
}

void
mail_outbox_free(mail_outbox *ob)
{
	if (ob == NULL)
		return;
	if (ob->conn != NULL)
		PQfinish(ob->conn);
	com_buf_fini(&ob->msg);
	pthread_cond_destroy(&ob->cond);
	pthread_mutex_destroy(&ob->lock);
	free(ob);
}

void
mail_outbox_wake(mail_outbox *ob)
{
	pthread_mutex_lock(&ob->lock);
	ob->woken = true;
	pthread_cond_signal(&ob->cond);
	pthread_mutex_unlock(&ob->lock);
}

/*
 * mail_outbox_wait sleeps up to ms, cut short by a wake-up or a stop
 * request (checked every slice: the signal handler cannot signal cond).
 */
static void
mail_outbox_wait(mail_outbox *ob, long ms)
{
	struct timespec until;
	long left = ms;

	pthread_mutex_lock(&ob->lock);
	while (!ob->woken && !*ob->opts.stop && left > 0) {
		long slice = left < MAIL_SLICE_MS ? left : MAIL_SLICE_MS;

		until = com_deadline(CLOCK_MONOTONIC, slice);
		/* A wake-up ends the loop; the time left is what matters. */
		pthread_cond_timedwait(&ob->cond, &ob->lock, &until);
		left -= slice;
	}
	ob->woken = false;
	pthread_mutex_unlock(&ob->lock);
}

/* mail_outbox_connect makes sure ob->conn is usable; logs transitions. */
static bool
mail_outbox_connect(mail_outbox *ob)
{
	com_err rv;

	if (ob->conn != NULL && PQstatus(ob->conn) == CONNECTION_OK)
		return true;
	if (ob->conn != NULL) {
		PQfinish(ob->conn);
		ob->conn = NULL;
	}
	rv = mail_db_open(ob->opts.conninfo, &ob->conn);
	if (rv != COM_OK) {
		if (!ob->db_down)
			com_log_warn("outbox: database unavailable (%s); "
			             "retrying every %ld ms",
			    com_strerror(rv), MAIL_RECONNECT_MS);
		ob->db_down = true;
		return false;
	}
	if (ob->db_down)
		com_log_notice("outbox: database reachable again");
	else
		com_log_info("outbox: connected to the database");
	ob->db_down = false;
	return true;
}

/* mail_outbox_record runs one UPDATE then COMMIT on the claimed row. */
static com_err
mail_outbox_record(mail_outbox *ob, const char *sql, int nparams,
    const char *const *params)
{
	com_err rv;

	rv = com_db_exec(ob->conn, sql, nparams, params, NULL);
	if (rv == COM_OK)
		rv = com_db_commit(ob->conn);
	else
		com_db_rollback(ob->conn);
	return rv;
}

static bool
mail_render_permanent(com_err rv)
{
	return rv == COM_ENOTFOUND || rv == COM_EINVAL || rv == COM_ETOOLARGE;
}

/*
 * mail_outbox_deliver renders and sends the claimed row, then records
 * the outcome and commits. The transaction is open on entry.
 */
static com_err
mail_outbox_deliver(mail_outbox *ob, const mail_row *row)
{
	mail_render_in in = {
		.id = row->id,
		.stamp = row->stamp,
		.template = row->template,
		.recipient = row->recipient,
		.params = row->params,
		.from = ob->opts.from,
		.help = ob->opts.help,
		.now = time(NULL),
		.templates = ob->opts.templates,
	};
	char why[MAIL_ERROR_SIZE];
	char delay[32];
	const char *params[3] = {row->id, why, delay};
	int attempt = row->attempts + 1;
	long ms;
	com_err rv;

	com_buf_reset(&ob->msg);
	rv = mail_render(&in, &ob->msg);
	if (rv != COM_OK && !mail_render_permanent(rv)) {
		com_db_rollback(ob->conn);
		com_log_err("outbox: cannot render: %s", com_strerror(rv));
		return rv;
	}
	if (rv != COM_OK) {
		snprintf(why, sizeof(why), "%s",
		    rv == COM_ENOTFOUND ? "unknown template"
		                        : "invalid params or recipient");
		com_log_err("outbox: giving up on template '%.40s': %s",
		    row->template, why);
		return mail_outbox_record(ob, mail_sql_failed, 2, params);
	}
	rv = mail_transport_send(ob->opts.transport, row->id, row->recipient,
	    ob->msg.data, ob->msg.len, why);
	if (rv == COM_OK) {
		rv = mail_outbox_record(ob, mail_sql_sent, 1, params);
		if (rv == COM_OK)
			com_log_info("outbox: sent (attempt %d)", attempt);
		else
			com_log_err("outbox: sent but not recorded: it may "
			            "be sent again");
		return rv;
	}
	if (rv == COM_EBUSY) {
		/* Stopping: the row stays as it was, for the next run. */
		com_db_rollback(ob->conn);
		com_log_notice("outbox: delivery abandoned to stop");
		return COM_OK;
	}
	if (rv == COM_EINVAL || attempt >= MAIL_ATTEMPTS_MAX) {
		com_log_err("outbox: giving up after %d attempts: %s", attempt,
		    why);
		return mail_outbox_record(ob, mail_sql_failed, 2, params);
	}
	ms = mail_backoff_ms(attempt, ob->opts.retry_base_ms,
	    ob->opts.retry_max_ms);
	snprintf(delay, sizeof(delay), "%ld", ms);
	com_log_warn("outbox: attempt %d failed (%s); next in %ld ms",
	    attempt, why, ms);
	return mail_outbox_record(ob, mail_sql_retry, 3, params);
}

/*
 * mail_outbox_claim takes the first due row not locked by another mailer
 * and delivers it. *did is false when nothing was due.
 */
static com_err
mail_outbox_claim(mail_outbox *ob, bool *did)
{
	PGresult *res = NULL;
	char ctx[40];
	mail_row row;
	com_err rv;
	char *end;
	long n;

	rv = com_db_begin(ob->conn);
	if (rv != COM_OK)
		return rv;
	rv = com_db_exec(ob->conn, mail_sql_claim, 0, NULL, &res);
	if (rv != COM_OK) {
		com_db_rollback(ob->conn);
		return rv;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		com_db_rollback(ob->conn);
		*did = false;
		return COM_OK;
	}
	row.id = com_db_value(res, 0, 0);
	row.template = com_db_value(res, 0, 1);
	row.recipient = com_db_value(res, 0, 2);
	row.params = com_db_value(res, 0, 3);
	errno = 0;
	n = strtol(com_db_value(res, 0, 4), &end, 10);
	row.attempts = errno == 0 && *end == '\0' && n >= 0 && n < INT_MAX
	    ? (int)n
	    : 0;
	row.stamp = com_db_value(res, 0, 5);
	snprintf(ctx, sizeof(ctx), "mail=%s", row.id);
	com_log_set_context(ctx);
	rv = mail_outbox_deliver(ob, &row);
	com_log_set_context(NULL);
	PQclear(res);
	if (rv == COM_OK)
		*did = true;
	return rv;
}

/*
 * mail_outbox_idle_ms is how long to wait after draining: the poll
 * interval, or less when a retry falls due sooner.
 */
static long
mail_outbox_idle_ms(mail_outbox *ob)
{
	long ms = ob->opts.poll_ms;
	PGresult *res = NULL;
	long long next;
	char *end;

	if (com_db_exec(ob->conn, mail_sql_next, 0, NULL, &res) != COM_OK)
		return ms;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		errno = 0;
		next = strtoll(PQgetvalue(res, 0, 0), &end, 10);
		if (errno == 0 && *end == '\0') {
			/* Due already: another mailer holds it. */
			if (next <= 0)
				next = MAIL_LOCKED_WAIT_MS;
			if (next < ms)
				ms = (long)next;
		}
	}
	PQclear(res);
	return ms;
}

void
mail_outbox_run(mail_outbox *ob)
{
	volatile sig_atomic_t *stop = ob->opts.stop;
	bool did;
	com_err rv;

	while (!*stop) {
		if (!mail_outbox_connect(ob)) {
			mail_outbox_wait(ob, MAIL_RECONNECT_MS);
			continue;
		}
		rv = COM_OK;
		did = true;
		while (!*stop && rv == COM_OK && did)
			rv = mail_outbox_claim(ob, &did);
		if (*stop)
			break;
		if (rv != COM_OK) {
			/* A lost connection is retried at once, quietly. */
			if (PQstatus(ob->conn) != CONNECTION_OK) {
				com_log_warn("outbox: database connection "
				             "lost");
				ob->db_down = true;
				continue;
			}
			mail_outbox_wait(ob, ob->opts.poll_ms);
			continue;
		}
		mail_outbox_wait(ob, mail_outbox_idle_ms(ob));
	}
}
