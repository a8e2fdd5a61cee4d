/*
 * str.h - bounded C strings: the one copy into a fixed buffer, which says
 * when it does not fit instead of truncating silently.
 */
#ifndef COM_STR_H
#define COM_STR_H

#include <stddef.h>

#include "err.h"

/*
 * com_str_copy copies src (NUL-terminated) into dst of size bytes.
 * COM_ETOOLARGE when src needs more than size bytes with its NUL: dst is
 * then "" (never a cut value). COM_EINVAL when src is NULL or size is 0.
 */
com_err com_str_copy(char *dst, size_t size, const char *src) COM_MUSTCHECK;

#endif
