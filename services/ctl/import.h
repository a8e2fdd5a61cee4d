/*
 * import.h - "orgactl import --uai UAI FICHIER": sends a SIECLE export
 * (xml or zip) to orga in chunks, lets the importer validate and apply
 * it, and prints the outcome (or every error, exiting 1).
 */
#ifndef CTL_IMPORT_H
#define CTL_IMPORT_H

#include <stdio.h>

#include "client.h"

int ctl_import_main(const ctl_ctx *ctx, int argc, char *argv[]);
void ctl_import_usage(FILE *f);

#endif
