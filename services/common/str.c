/* str.c - bounded C strings (see str.h). */
#include "str.h"

#include <string.h>

com_err
com_str_copy(char *dst, size_t size, const char *src)
{
	size_t len;

	if (size == 0)
		return COM_EINVAL;
	if (src == NULL) {
		dst[0] = '\0';
		return COM_EINVAL;
	}
	len = strlen(src);
	if (len >= size) {
		dst[0] = '\0';
		return COM_ETOOLARGE;
	}
	memcpy(dst, src, len + 1);
	return COM_OK;
}
