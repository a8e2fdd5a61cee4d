/*
 * siecle_fuzz.c - libFuzzer target: any bytes through the SIECLE parser
 * (and the zip reader when they start like a zip) with the in-memory
 * consumer, fed in small chunks whose size the first byte picks; then
 * parsed in parts as the importer cuts an upload, which must agree with
 * the parse in one piece whenever the parts can decide alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "siecle/collect.h"
#include "log.h"
#include "siecle/siecle.h"
#include "siecle/zip.h"

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

/* fuzz_same_report: a and b say the same (a trap otherwise). */
static void
fuzz_same_report(const imp_report *a, const imp_report *b)
{
	if (a->nerrors != b->nerrors || a->nskips != b->nskips ||
	    a->errors_total != b->errors_total || a->students != b->students ||
	    a->accepted != b->accepted || a->classes != b->classes)
		__builtin_trap();
	for (size_t i = 0; i < a->nerrors; i++)
		if (strcmp(a->errors[i], b->errors[i]) != 0)
			__builtin_trap();
	for (size_t i = 0; i < a->nskips; i++)
		if (strcmp(a->skips[i], b->skips[i]) != 0)
			__builtin_trap();
}

static void
fuzz_parts(const imp_collect *c, const imp_report *r, com_err rv,
    const uint8_t *data, size_t size, size_t chunk, const imp_limits *lim)
{
	imp_collect pc;
	imp_report pr;
	size_t parts;
	com_err prv;

	imp_collect_init(&pc);
	imp_report_init(&pr, lim->max_messages);
	prv = imp_collect_run_parts(&pc, &pr, "0123456A", 20240901, lim, data,
	    size, chunk * 4, 1, chunk, &parts);
	if (prv != COM_ECONFLICT) {
		if (prv != rv || pc.nlearners != c->nlearners)
			__builtin_trap();
		fuzz_same_report(&pr, r);
		for (size_t i = 0; i < pc.nlearners; i++)
			if (strcmp(pc.learners[i].ine, c->learners[i].ine) != 0 ||
			    strcmp(pc.learners[i].class_code,
			    c->learners[i].class_code) != 0)
				__builtin_trap();
	}
	imp_collect_fini(&pc);
	imp_report_fini(&pr);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	imp_limits lim;
	imp_collect c;
	imp_report r;
	size_t chunk;
	com_err rv;

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
	rv = imp_collect_run(&c, &r, "0123456A", 20240901, &lim, data, size,
	    chunk);
	/* Every kept sentence is a NUL-terminated line. */
	for (size_t i = 0; i < r.nerrors; i++)
		if (strchr(r.errors[i], '\n') != NULL)
			__builtin_trap();
	if (rv != COM_ENOMEM)
		fuzz_parts(&c, &r, rv, data, size, chunk, &lim);
	imp_collect_fini(&c);
	imp_report_fini(&r);
	return 0;
}
