/*
 * buf.h - a growable byte buffer with an explicit maximum size.
 * Always NUL-terminated; appending past the maximum returns COM_ETOOLARGE
 * and leaves the buffer as it was.
 */
#ifndef COM_BUF_H
#define COM_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

typedef struct com_buf {
	char *data;   /* owned; NULL until the first append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* the most len may ever be */
} com_buf;

/* com_buf_init prepares an empty buffer that may hold up to max bytes. */
void com_buf_init(com_buf *b, size_t max);

/* com_buf_fini frees the storage; the buffer may be re-initialised. */
void com_buf_fini(com_buf *b);

/* com_buf_reset empties the buffer and keeps its storage. */
void com_buf_reset(com_buf *b);

com_err com_buf_append(com_buf *b, const void *data, size_t len)
    COM_MUSTCHECK;
com_err com_buf_append_str(com_buf *b, const char *s) COM_MUSTCHECK;
com_err com_buf_printf(com_buf *b, const char *fmt, ...) COM_MUSTCHECK
    __attribute__((format(printf, 2, 3)));
com_err com_buf_vprintf(com_buf *b, const char *fmt, va_list ap)
    COM_MUSTCHECK;

/*
 * com_buf_extend grows len by n bytes left for the caller to fill through
 * *out (valid until the next append, reset or fini).
 */
com_err com_buf_extend(com_buf *b, size_t n, char **out) COM_MUSTCHECK;

/*
 * com_buf_str returns the NUL-terminated contents ("" when empty); the
 * pointer lives until the next append, reset or fini.
 */
const char *com_buf_str(const com_buf *b);

/*
 * com_buf_steal hands the storage to the caller (free() it) and leaves
 * the buffer empty. Returns a fresh "" copy when empty; NULL on ENOMEM.
 */
char *com_buf_steal(com_buf *b);

#endif
