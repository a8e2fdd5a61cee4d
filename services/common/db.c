/* db.c - libpq connection pool and statement helper. */
#include "db.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct com_db_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	char *conninfo;
	int size;
	PGconn **idle;   /* stack of idle connections (NULL = not opened) */
	int nidle;
};

static void
com_db_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

com_err
com_db_connect(const char *conninfo, int wait_ms, PGconn **out)
{
	int waited = 0;
	PGconn *conn;

	for (;;) {
		conn = PQconnectdb(conninfo);
		if (conn == NULL)
			return COM_ENOMEM;
		if (PQstatus(conn) == CONNECTION_OK)
			break;
		if (waited >= wait_ms) {
			com_log_err("db: cannot connect: %s",
			    PQerrorMessage(conn));
			PQfinish(conn);
			return COM_EDB;
		}
		PQfinish(conn);
		com_db_sleep_ms(200);
		waited += 200;
	}
	*out = conn;
	return COM_OK;
}

com_err
com_db_pool_new(const char *conninfo, int size, com_db_pool **out)
{
	com_db_pool *pool = calloc(1, sizeof(*pool));

	if (pool == NULL)
		return COM_ENOMEM;
	pool->conninfo = strdup(conninfo);
	pool->idle = calloc((size_t)size, sizeof(PGconn *));
	if (pool->conninfo == NULL || pool->idle == NULL) {
		free(pool->conninfo);
		free(pool->idle);
		free(pool);
		return COM_ENOMEM;
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->freed, NULL);
	pool->size = size;
	pool->nidle = size; /* all slots free, none opened yet */
	*out = pool;
	return COM_OK;
}

void
com_db_pool_free(com_db_pool *pool)
{
	if (pool == NULL)
		return;
	for (int i = 0; i < pool->nidle; i++)
		PQfinish(pool->idle[i]);
	pthread_cond_destroy(&pool->freed);
	pthread_mutex_destroy(&pool->lock);
	free(pool->idle);
	free(pool->conninfo);
	free(pool);
}

com_err
com_db_pool_acquire(com_db_pool *pool, PGconn **out)
{
	PGconn *conn;
	com_err rv;

	pthread_mutex_lock(&pool->lock);
	while (pool->nidle == 0)
		pthread_cond_wait(&pool->freed, &pool->lock);
	conn = pool->idle[--pool->nidle];
	pool->idle[pool->nidle] = NULL;
	pthread_mutex_unlock(&pool->lock);

	if (conn != NULL && PQstatus(conn) != CONNECTION_OK) {
		PQreset(conn);
		if (PQstatus(conn) != CONNECTION_OK) {
			PQfinish(conn);
			conn = NULL;
		}
	}
	if (conn == NULL) {
		rv = com_db_connect(pool->conninfo, 2000, &conn);
		if (rv != COM_OK) {
			com_db_pool_release(pool, NULL);
			return rv;
		}
	}
	*out = conn;
	return COM_OK;
}

void
com_db_pool_release(com_db_pool *pool, PGconn *conn)
{
	/* A connection left inside a transaction is not reusable as is. */
	if (conn != NULL && PQtransactionStatus(conn) != PQTRANS_IDLE) {
		PQfinish(conn);
		conn = NULL;
	}
	pthread_mutex_lock(&pool->lock);
	pool->idle[pool->nidle++] = conn;
	pthread_cond_signal(&pool->freed);
	pthread_mutex_unlock(&pool->lock);
}

com_err
com_db_exec(PGconn *conn, const char *sql, int nparams,
    const char *const *params, PGresult **out)
{
	return com_db_exec_binary(conn, sql, nparams, params, NULL, NULL, 0,
	    out);
}

com_err
com_db_exec_binary(PGconn *conn, const char *sql, int nparams,
    const char *const *params, const int *lengths, const int *formats,
    int result_format, PGresult **out)
{
	PGresult *res;
	ExecStatusType st;
	const char *state;
	com_err rv;

	res = PQexecParams(conn, sql, nparams, NULL, params, lengths, formats,
	    result_format);
	if (res == NULL) {
		com_log_err("db: %s", PQerrorMessage(conn));
		return COM_EDB;
	}
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		if (out != NULL)
			*out = res;
		else
			PQclear(res);
		return COM_OK;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state != NULL && strcmp(state, "23505") == 0)
		rv = COM_EEXIST;
	else if (state != NULL && (strcmp(state, "40001") == 0 ||
	                              strcmp(state, "40P01") == 0 ||
	                              strcmp(state, "55P03") == 0))
		rv = COM_EBUSY;
	else
		rv = COM_EDB;
	if (rv == COM_EDB)
		com_log_err("db: statement failed (SQLSTATE %s): %s",
		    state != NULL ? state : "none",
		    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) != NULL
		        ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
		        : PQerrorMessage(conn));
	PQclear(res);
	return rv;
}

com_err
com_db_begin(PGconn *conn)
{
	return com_db_exec(conn, "BEGIN", 0, NULL, NULL);
}

com_err
com_db_commit(PGconn *conn)
{
	return com_db_exec(conn, "COMMIT", 0, NULL, NULL);
}

void
com_db_rollback(PGconn *conn)
{
	PGresult *res = PQexec(conn, "ROLLBACK");

	PQclear(res);
}

bool
com_db_ping(PGconn *conn)
{
	return com_db_exec(conn, "SELECT 1", 0, NULL, NULL) == COM_OK;
}

const char *
com_db_value(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return "";
	return PQgetvalue(res, row, col);
}

com_err
com_db_one(PGconn *conn, const char *sql, int nparams,
    const char *const *params, PGresult **out)
{
	PGresult *res;
	com_err rv;
	int n;

	rv = com_db_exec(conn, sql, nparams, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	if (n != 1) {
		PQclear(res);
		if (n == 0)
			return COM_ENOTFOUND;
		com_log_err("db: %d rows where one was expected", n);
		return COM_EDB;
	}
	*out = res;
	return COM_OK;
}

com_err
com_db_i64(const PGresult *res, int row, int col, int64_t *out)
{
	const char *s;
	char *end;
	long long v;

	if (PQgetisnull(res, row, col))
		return COM_EINVAL;
	s = PQgetvalue(res, row, col);
	if (!(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return COM_EINVAL; /* strtoll would skip spaces, take "+" */
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return COM_EINVAL;
	*out = (int64_t)v;
	return COM_OK;
}

bool
com_db_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) &&
	    strcmp(PQgetvalue(res, row, col), "t") == 0;
}

com_err
com_db_rows(PGconn *conn, const char *sql, int nparams,
    const char *const *params, size_t elem_size, com_db_row_fn fn,
    void **out, int *count)
{
	PGresult *res;
	char *list;
	com_err rv;
	int n;

	rv = com_db_exec(conn, sql, nparams, params, &res);
	if (rv != COM_OK)
		return rv;
	n = PQntuples(res);
	list = calloc(n > 0 ? (size_t)n : 1, elem_size);
	if (list == NULL) {
		PQclear(res);
		return COM_ENOMEM;
	}
	for (int i = 0; i < n; i++)
		fn(res, i, list + (size_t)i * elem_size);
	PQclear(res);
	*out = list;
	*count = n;
	return COM_OK;
}

com_db_id
com_db_id_of(int64_t id)
{
	com_db_id out;

	snprintf(out.s, sizeof(out.s), "%" PRId64, id);
	return out;
}
