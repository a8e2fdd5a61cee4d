/*
 * learners.h - "orgactl learners --uai UAI [--all]": the school's learners
 * as UTF-8 CSV on stdout (INE;Nom;Prénom;Date de naissance;Classe, and a
 * last column Statut with --all).
 */
#ifndef CTL_LEARNERS_H
#define CTL_LEARNERS_H

#include <stdio.h>

#include "client.h"

int ctl_learners_main(const ctl_ctx *ctx, int argc, char *argv[]);
void ctl_learners_usage(FILE *f);

#endif
