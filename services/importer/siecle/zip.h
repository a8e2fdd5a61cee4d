/*
 * zip.h - the zip SIECLE downloads (ExportXML_ElevesSansAdresses.zip):
 * streams its single .xml entry into the parser, chunk by chunk, with
 * libarchive. Limits: entries listed, inflated size (zip bombs).
 */
#ifndef IMP_ZIP_H
#define IMP_ZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "siecle/siecle.h"

/*
 * imp_zip_read_fn fills buf with up to size bytes of the zip and sets
 * *got (0 at the end). Any error but COM_OK stops the import with it.
 */
typedef com_err (*imp_zip_read_fn)(void *arg, void *buf, size_t size,
    size_t *got);

/*
 * imp_zip_parse_fd reads the zip in fd (a file: its central directory is
 * used when fd can seek) and feeds the one .xml entry to p, then finishes
 * p. Exactly one .xml entry is required (AppleDouble "._*" and
 * "__MACOSX/" entries do not count). Zip problems are file errors in p's
 * report. Returns as imp_siecle_finish: COM_OK, COM_EINVAL (refused: see
 * the report), COM_ENOMEM, a callback's error.
 */
com_err imp_zip_parse_fd(imp_siecle *p, int fd) COM_MUSTCHECK;

/* imp_zip_parse_reader is imp_zip_parse_fd over a stream (no seeking). */
com_err imp_zip_parse_reader(imp_siecle *p, imp_zip_read_fn fn, void *arg)
    COM_MUSTCHECK;

/* imp_zip_sniff: head (the first len bytes of a file) starts a zip. */
bool imp_zip_sniff(const void *head, size_t len);

#endif
