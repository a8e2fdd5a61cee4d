/*
 * expat_limit.c - the parsing limit of this machine for `make bench`:
 * expat alone over a SIECLE file, with empty handlers and the importer's
 * own unknown-encoding handler (services/importer/siecle/encoding.c), fed
 * in the importer's 64 KiB chunks. Prints one line of key=value pairs.
 *
 *   expat_limit FILE
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <expat.h>

#include "siecle/encoding.h"

#define BENCH_CHUNK (64u * 1024u)

typedef struct bench_counts {
	uint64_t elements;
} bench_counts;

static void XMLCALL
bench_on_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	bench_counts *c = arg;

	(void)name;
	(void)atts;
	c->elements++;
}

static void XMLCALL
bench_on_end(void *arg, const XML_Char *name)
{
	(void)arg;
	(void)name;
}

static void XMLCALL
bench_on_text(void *arg, const XML_Char *s, int len)
{
	(void)arg;
	(void)s;
	(void)len;
}

static double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* bench_parse runs the whole of fd through xp; 0 on success. */
static int
bench_parse(XML_Parser xp, int fd, uint64_t *bytes)
{
	for (;;) {
		void *buf = XML_GetBuffer(xp, BENCH_CHUNK);
		ssize_t n;

		if (buf == NULL) {
			fprintf(stderr, "expat_limit: out of memory\n");
			return -1;
		}
		n = read(fd, buf, BENCH_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "expat_limit: read: %s\n",
			    strerror(errno));
			return -1;
		}
		*bytes += (uint64_t)n;
		if (XML_ParseBuffer(xp, (int)n, n == 0) != XML_STATUS_OK) {
			fprintf(stderr, "expat_limit: line %lu: %s\n",
			    (unsigned long)XML_GetCurrentLineNumber(xp),
			    XML_ErrorString(XML_GetErrorCode(xp)));
			return -1;
		}
		if (n == 0)
			return 0;
	}
}

int
main(int argc, char *argv[])
{
	char seen[IMP_ENCODING_NAME_SIZE] = "";
	bench_counts counts = {0};
	uint64_t bytes = 0;
	XML_Parser xp = NULL;
	double t0, secs;
	int fd = -1;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: expat_limit FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "expat_limit: %s: %s\n", argv[1],
		    strerror(errno));
		goto out;
	}
	xp = XML_ParserCreate(NULL);
	if (xp == NULL) {
		fprintf(stderr, "expat_limit: out of memory\n");
		goto out;
	}
	XML_SetUserData(xp, &counts);
	XML_SetElementHandler(xp, bench_on_start, bench_on_end);
	XML_SetCharacterDataHandler(xp, bench_on_text);
	XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetUnknownEncodingHandler(xp, imp_encoding_handler, seen);
	t0 = bench_now();
	if (bench_parse(xp, fd, &bytes) != 0)
		goto out;
	secs = bench_now() - t0;
	printf("bytes=%" PRIu64 " elements=%" PRIu64 " seconds=%.3f "
	       "mbps=%.1f\n",
	    bytes, counts.elements, secs,
	    secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
	rc = 0;
out:
	if (xp != NULL)
		XML_ParserFree(xp);
	if (fd >= 0)
		close(fd);
	return rc;
}
