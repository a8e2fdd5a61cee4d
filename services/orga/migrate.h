/*
 * migrate.h - applies the SQL files of the migrations directory in name
 * order, each once, each in its own transaction, recorded in
 * schema_migrations. An advisory lock keeps two orga daemons from
 * migrating at the same time. A migration is never edited once released:
 * changes are new files.
 */
#ifndef ORGA_MIGRATE_H
#define ORGA_MIGRATE_H

#include <libpq-fe.h>

#include "err.h"

/*
 * orga_migrate_run applies the pending migrations of dir; *applied counts
 * them. On error nothing of the failing file is kept and the error is
 * logged with the file name.
 */
com_err orga_migrate_run(PGconn *db, const char *dir, int *applied)
    COM_MUSTCHECK;

#endif
