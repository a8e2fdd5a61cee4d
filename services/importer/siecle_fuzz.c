/*
 * siecle_fuzz.c - libFuzzer target: any bytes through the SIECLE parser
 * (and the zip reader when they start like a zip) with the in-memory
 * consumer, fed in small chunks whose size the first byte picks.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect.h"
#include "log.h"
#include "siecle.h"
#include "zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_reader {
	const uint8_t *data;
	size_t len;
	size_t off;
	size_t chunk;
} fuzz_reader;

static com_err
fuzz_read(void *arg, void *buf, size_t cap, size_t *got)
{
	fuzz_reader *r = arg;
	size_t n = r->len - r->off;

	if (n > r->chunk)
		n = r->chunk;
	if (n > cap)
		n = cap;
	memcpy(buf, r->data + r->off, n);
	r->off += n;
	*got = n;
	return COM_OK;
}

static void
fuzz_zip(const uint8_t *data, size_t size, size_t chunk,
    const imp_limits *lim)
{
	fuzz_reader rd = {data, size, 0, chunk};
	imp_options o;
	imp_collect c;
	imp_report r;
	imp_siecle *p;
	com_err rv;

	memset(&o, 0, sizeof(o));
	imp_collect_init(&c);
	imp_report_init(&r, lim->max_messages);
	memcpy(o.uai, "0123456A", sizeof(o.uai));
	o.today = 20240901;
	o.limits = *lim;
	o.report = &r;
	o.on_student = imp_collect_student;
	o.on_class = imp_collect_class;
	o.arg = &c;
	if (imp_siecle_new(&o, &p) == COM_OK) {
		rv = imp_zip_parse_reader(p, fuzz_read, &rd);
		imp_siecle_free(p);
		if (rv == COM_OK || rv == COM_EINVAL)
			(void)imp_collect_finish(&c, &r);
	}
	imp_collect_fini(&c);
	imp_report_fini(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	imp_limits lim;
	imp_collect c;
	imp_report r;
	size_t chunk;

	if (!ready) {
		com_log_set_level(COM_LOG_ERR);
		ready = 1;
	}
	if (size == 0)
		return 0;
	/* First byte: chunk size 1..256; the rest is the file. */
	chunk = (size_t)data[0] + 1;
	data++;
	size--;
	imp_limits_default(&lim);
	lim.max_parser_bytes = 8u << 20;
	lim.max_messages = 50;
	lim.max_zip_entries = 8;
	lim.max_file_bytes = 16u << 20;
	if (imp_zip_sniff(data, size)) {
		fuzz_zip(data, size, chunk, &lim);
		return 0;
	}
	imp_collect_init(&c);
	imp_report_init(&r, lim.max_messages);
	(void)imp_collect_run(&c, &r, "0123456A", 20240901, &lim, data, size,
	    chunk);
	/* Every kept sentence is a NUL-terminated line. */
	for (size_t i = 0; i < r.nerrors; i++)
		if (strchr(r.errors[i], '\n') != NULL)
			__builtin_trap();
	imp_collect_fini(&c);
	imp_report_fini(&r);
	return 0;
}
