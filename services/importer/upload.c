/* upload.c - large object reader. */
#include "upload.h"

#include <stdio.h>

#include <libpq/libpq-fs.h>

#include "db.h"
#include "log.h"

void
imp_upload_init(imp_upload *u, PGconn *db, Oid oid)
{
	u->db = db;
	u->oid = oid;
	u->offset = 0;
}

com_err
imp_upload_read(imp_upload *u, void *buf, size_t cap, size_t *n)
{
	com_err rv;
	int fd;
	int got;

	rv = com_db_begin(u->db);
	if (rv != COM_OK)
		return rv;
	fd = lo_open(u->db, u->oid, INV_READ);
	if (fd < 0) {
		com_log_err("upload: cannot open large object %u: %s",
		    (unsigned)u->oid, PQerrorMessage(u->db));
		com_db_rollback(u->db);
		return PQstatus(u->db) == CONNECTION_OK ? COM_ENOTFOUND
		                                        : COM_EDB;
	}
	if (lo_lseek64(u->db, fd, u->offset, SEEK_SET) < 0) {
		com_db_rollback(u->db);
		return COM_EDB;
	}
	got = lo_read(u->db, fd, buf, cap > 0x40000000 ? 0x40000000 : cap);
	if (got < 0) {
		com_db_rollback(u->db);
		return COM_EDB;
	}
	lo_close(u->db, fd);
	rv = com_db_commit(u->db);
	if (rv != COM_OK)
		return rv;
	u->offset += got;
	*n = (size_t)got;
	return COM_OK;
}
