/* zip.c - one .xml entry of a zip streamed into the SIECLE parser. */
#include "siecle/zip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <archive.h>
#include <archive_entry.h>

#include "log.h"

#define IMP_ZIP_CHUNK (64 * 1024)
#define IMP_ZIP_NAME_MAX 128

typedef struct imp_zip_stream {
	imp_zip_read_fn fn;
	void *arg;
	com_err err;                 /* the reader's own failure */
	char buf[IMP_ZIP_CHUNK];
} imp_zip_stream;

bool
imp_zip_sniff(const void *head, size_t len)
{
	const unsigned char *h = head;

	return len >= 4 && h[0] == 'P' && h[1] == 'K' &&
	    ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6));
}

/* Entries a Mac adds when it re-zips a folder: never the export. */
static bool
imp_zip_ignored(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base != NULL ? base + 1 : name;
	return strncmp(name, "__MACOSX/", 9) == 0 ||
	    strncmp(base, "._", 2) == 0 || base[0] == '\0';
}

static bool
imp_zip_is_xml(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcasecmp(name + n - 4, ".xml") == 0;
}

/* A printable, bounded copy of an entry name for a message. */
static void
imp_zip_name(char *out, size_t size, const char *name)
{
	size_t i = 0;

	for (; name[i] != '\0' && i + 1 < size; i++)
		out[i] = (unsigned char)name[i] < 0x20 ? '?' : name[i];
	/* Cut inside a UTF-8 sequence: drop its first bytes too. */
	if (((unsigned char)name[i] & 0xC0) == 0x80) {
		while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0)
			i--;
	}
	out[i] = '\0';
}

static com_err
imp_zip_unreadable(imp_siecle *p, struct archive *a, int nentries)
{
	com_log_info("import: zip unreadable: %s",
	    archive_error_string(a) ? archive_error_string(a) : "?");
	if (nentries == 0)
		return imp_siecle_refuse(p, "Ce fichier n'est pas une archive "
		    "zip lisible : envoyez l'export ExportXML_ElevesSansAdresses"
		    ".zip tel que SIECLE le donne, ou le fichier .xml qu'il "
		    "contient.");
	return imp_siecle_refuse(p, "L'archive zip est abîmée et ne peut pas "
	    "être lue jusqu'au bout : exportez-la de nouveau depuis SIECLE.");
}

static com_err
imp_zip_too_big(imp_siecle *p, uint64_t max)
{
	char size[32];

	imp_size_text(size, max);
	return imp_siecle_refuse(p, "Le fichier .xml du zip dépasse %s une "
	    "fois décompressé, la limite de cet import.", size);
}

/* Streams the current entry into p, capped at the file limit. */
static com_err
imp_zip_entry(imp_siecle *p, struct archive *a, uint64_t max)
{
	char buf[IMP_ZIP_CHUNK];
	uint64_t total = 0;
	la_ssize_t n;
	com_err rv;

	for (;;) {
		n = archive_read_data(a, buf, sizeof(buf));
		if (n < 0)
			return imp_zip_unreadable(p, a, 1);
		if (n == 0)
			return COM_OK;
		total += (uint64_t)n;
		if (total > max)
			return imp_zip_too_big(p, max);
		rv = imp_siecle_feed(p, buf, (size_t)n);
		if (rv != COM_OK)
			return rv;
	}
}

static com_err
imp_zip_walk(imp_siecle *p, struct archive *a)
{
	const imp_limits *lim = imp_siecle_limits(p);
	char first[IMP_ZIP_NAME_MAX];
	char other[IMP_ZIP_NAME_MAX];
	struct archive_entry *e;
	uint64_t nentries = 0;
	int nxml = 0;
	com_err rv;
	int r;

	for (;;) {
		const char *name;

		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return imp_zip_unreadable(p, a, (int)nentries);
		if (++nentries > lim->max_zip_entries)
			return imp_siecle_refuse(p, "L'archive zip contient "
			    "plus de %llu fichiers : un export SIECLE n'en a "
			    "qu'un.", (unsigned long long)lim->max_zip_entries);
		name = archive_entry_pathname(e);
		if (name == NULL || archive_entry_filetype(e) != AE_IFREG ||
		    imp_zip_ignored(name) || !imp_zip_is_xml(name))
			continue;
		if (++nxml > 1) {
			imp_zip_name(other, sizeof(other), name);
			return imp_siecle_refuse(p, "L'archive zip contient "
			    "plusieurs fichiers .xml (« %s » et « %s ») : elle "
			    "doit contenir le seul fichier exporté de SIECLE.",
			    first, other);
		}
		imp_zip_name(first, sizeof(first), name);
		if (archive_entry_is_encrypted(e))
			return imp_siecle_refuse(p, "Le fichier « %s » de "
			    "l'archive zip est protégé par un mot de passe : "
			    "exportez-le de nouveau sans chiffrement.", first);
		if (archive_entry_size_is_set(e) &&
		    (uint64_t)archive_entry_size(e) > lim->max_file_bytes)
			return imp_zip_too_big(p, lim->max_file_bytes);
		rv = imp_zip_entry(p, a, lim->max_file_bytes);
		if (rv != COM_OK)
			return rv;
	}
	if (nxml == 0)
		return imp_siecle_refuse(p, "L'archive zip ne contient aucun "
		    "fichier .xml : envoyez l'export "
		    "ExportXML_ElevesSansAdresses.zip de SIECLE ou le fichier "
		    ".xml qu'il contient.");
	return imp_siecle_finish(p);
}

com_err
imp_zip_parse_fd(imp_siecle *p, int fd)
{
	struct archive *a = archive_read_new();
	com_err rv;

	if (a == NULL)
		return COM_ENOMEM;
	archive_read_support_format_zip(a);
	if (archive_read_open_fd(a, fd, IMP_ZIP_CHUNK) != ARCHIVE_OK)
		rv = imp_zip_unreadable(p, a, 0);
	else
		rv = imp_zip_walk(p, a);
	archive_read_free(a);
	return rv;
}

static la_ssize_t
imp_zip_read_cb(struct archive *a, void *arg, const void **buf)
{
	imp_zip_stream *s = arg;
	size_t got = 0;

	s->err = s->fn(s->arg, s->buf, sizeof(s->buf), &got);
	if (s->err != COM_OK) {
		archive_set_error(a, EIO, "reader failed: %s",
		    com_strerror(s->err));
		return -1;
	}
	*buf = s->buf;
	return (la_ssize_t)got;
}

com_err
imp_zip_parse_reader(imp_siecle *p, imp_zip_read_fn fn, void *arg)
{
	struct archive *a;
	imp_zip_stream *s;
	com_err rv;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return COM_ENOMEM;
	s->fn = fn;
	s->arg = arg;
	a = archive_read_new();
	if (a == NULL) {
		free(s);
		return COM_ENOMEM;
	}
	archive_read_support_format_zip_streamable(a);
	if (archive_read_open(a, s, NULL, imp_zip_read_cb, NULL) !=
	    ARCHIVE_OK)
		rv = s->err != COM_OK ? s->err : imp_zip_unreadable(p, a, 0);
	else
		rv = imp_zip_walk(p, a);
	/* The reader's own failure wins over what libarchive made of it. */
	if (s->err != COM_OK)
		rv = s->err;
	archive_read_free(a);
	free(s);
	return rv;
}
