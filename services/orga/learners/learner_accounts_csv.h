/*
 * learner_accounts_csv.h - the file of identifiers and one-time passwords
 * an ADMIN downloads once after generating them: UTF-8 with a BOM (so a
 * spreadsheet reads the accents), ";" between fields (csv.h, the one
 * field writer), CRLF line ends, columns Classe, Nom, Prénom,
 * Identifiant, Mot de passe temporaire. Pure.
 */
#ifndef ORGA_LEARNER_ACCOUNTS_CSV_H
#define ORGA_LEARNER_ACCOUNTS_CSV_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "learners/learner_accounts.h"

/* orga_learner_accounts_csv appends the file of a's credentials to out. */
com_err orga_learner_accounts_csv(const orga_learner_accounts *a,
    com_buf *out) COM_MUSTCHECK;

/*
 * orga_learner_accounts_csv_name writes the file's name for the instant
 * now (local time): "identifiants-AAAA-MM-JJ-HHhMM.csv". COM_EINVAL.
 */
com_err orga_learner_accounts_csv_name(time_t now, char *out, size_t size)
    COM_MUSTCHECK;

#endif
