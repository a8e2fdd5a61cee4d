/*
 * db.h - PostgreSQL through libpq: a fixed-size connection pool and one
 * way to run parameterised statements. Only parameterised SQL: values
 * never enter the statement text.
 */
#ifndef COM_DB_H
#define COM_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"

typedef struct com_db_pool com_db_pool;

/*
 * com_db_connect opens one connection, retrying for up to wait_ms while
 * the server is starting or away. *out is closed with PQfinish.
 */
com_err com_db_connect(const char *conninfo, int wait_ms, PGconn **out)
    COM_MUSTCHECK;

/*
 * com_db_pool_new prepares a pool of up to size connections, opened on
 * first use. Free with com_db_pool_free once no connection is held.
 */
com_err com_db_pool_new(const char *conninfo, int size, com_db_pool **out)
    COM_MUSTCHECK;
void com_db_pool_free(com_db_pool *pool);

/*
 * com_db_pool_acquire waits for a free connection, reconnecting it when
 * the server went away. The caller hands it back with
 * com_db_pool_release, outside any transaction.
 */
com_err com_db_pool_acquire(com_db_pool *pool, PGconn **out) COM_MUSTCHECK;
void com_db_pool_release(com_db_pool *pool, PGconn *conn);

/*
 * com_db_exec runs sql with nparams text parameters (NULL entries are SQL
 * NULL). On COM_OK the caller owns *out (PQclear it); out may be NULL when
 * the rows are not wanted. Errors map by SQLSTATE: unique violation ->
 * COM_EEXIST, serialization/deadlock -> COM_EBUSY, lost connection and
 * others -> COM_EDB; each failure is logged with its SQLSTATE, never with
 * the parameters.
 */
com_err com_db_exec(PGconn *conn, const char *sql, int nparams,
    const char *const *params, PGresult **out) COM_MUSTCHECK;

/*
 * com_db_exec_binary is com_db_exec with libpq's binary formats: formats[i]
 * 1 sends params[i] as lengths[i] raw bytes (a bytea, say), 0 as text
 * (lengths and formats may be NULL: all text); result_format 1 answers
 * every column in binary (PQgetvalue/PQgetlength give the raw bytes), 0 in
 * text. Same errors, logging and ownership of *out as com_db_exec.
 */
com_err com_db_exec_binary(PGconn *conn, const char *sql, int nparams,
    const char *const *params, const int *lengths, const int *formats,
    int result_format, PGresult **out) COM_MUSTCHECK;

/* Transactions: BEGIN, COMMIT, ROLLBACK (rollback never fails loudly). */
com_err com_db_begin(PGconn *conn) COM_MUSTCHECK;
com_err com_db_commit(PGconn *conn) COM_MUSTCHECK;
void com_db_rollback(PGconn *conn);

/* com_db_ping is true when conn answers a trivial query. */
bool com_db_ping(PGconn *conn);

/*
 * A row reader for com_db_rows: fills dst (one element of the caller's
 * array) from row of res.
 */
typedef void (*com_db_row_fn)(const PGresult *res, int row, void *dst);

/*
 * com_db_rows runs sql and converts every row with fn into a malloc'd
 * array of elem_size-byte elements: *out (free() it; never NULL on
 * COM_OK, even for no row) of *count elements.
 */
com_err com_db_rows(PGconn *conn, const char *sql, int nparams,
    const char *const *params, size_t elem_size, com_db_row_fn fn,
    void **out, int *count) COM_MUSTCHECK;

/* A decimal id ready to be a statement parameter. */
typedef struct com_db_id {
	char s[24];
} com_db_id;

/* com_db_id_of formats id for a parameter: com_db_id_of(42).s is "42". */
com_db_id com_db_id_of(int64_t id);

/* com_db_value returns row/col as a string, "" when NULL. */
const char *com_db_value(const PGresult *res, int row, int col);

/*
 * com_db_one runs sql (as com_db_exec) for exactly one row: on COM_OK the
 * caller owns *out (PQclear it), which holds that row. COM_ENOTFOUND when
 * it answers none; COM_EDB (logged) when it answers several; the errors of
 * com_db_exec otherwise. *out is written only on COM_OK.
 */
com_err com_db_one(PGconn *conn, const char *sql, int nparams,
    const char *const *params, PGresult **out) COM_MUSTCHECK;

/*
 * com_db_i64 reads row/col as a decimal 64-bit integer into *out.
 * COM_EINVAL when it is NULL or not such an integer.
 */
com_err com_db_i64(const PGresult *res, int row, int col, int64_t *out)
    COM_MUSTCHECK;

/* com_db_bool is true when row/col is the boolean true ("t"). */
bool com_db_bool(const PGresult *res, int row, int col);

#endif
