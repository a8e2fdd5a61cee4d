/* dupset.c - open-addressing set of INEs with the first student's name. */
#include "dupset.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <sodium.h>

#define IMP_DUPSET_NAME_MAX 48
#define IMP_DUPSET_MIN_SLOTS 1024

com_err
imp_dupset_init(imp_dupset *d, size_t max_bytes)
{
	memset(d, 0, sizeof(*d));
	/* Offsets are 32-bit. */
	if (max_bytes > UINT32_MAX - 1)
		max_bytes = UINT32_MAX - 1;
	com_buf_init(&d->arena, max_bytes);
	if (getrandom(d->key, sizeof(d->key), 0) != (ssize_t)sizeof(d->key)) {
		/* No entropy: a fixed-per-run key still spreads real data. */
		uintptr_t a = (uintptr_t)d ^ (uintptr_t)time(NULL);

		memcpy(d->key, &a, sizeof(a));
	}
	return COM_OK;
}

void
imp_dupset_fini(imp_dupset *d)
{
	free(d->slots);
	d->slots = NULL;
	d->nslots = 0;
	d->count = 0;
	com_buf_fini(&d->arena);
}

static uint32_t
imp_dupset_hash(const imp_dupset *d, const char *ine, size_t len)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint32_t v;

	crypto_shorthash(h, (const unsigned char *)ine, len, d->key);
	memcpy(&v, h, sizeof(v));
	return v;
}

/* Finds ine's slot, or the empty slot where it belongs. */
static size_t
imp_dupset_find(const imp_dupset *d, const char *ine, uint32_t h)
{
	size_t mask = d->nslots - 1;
	size_t i = h & mask;

	for (;;) {
		uint64_t s = d->slots[i];

		if (s == 0)
			return i;
		if ((uint32_t)(s >> 32) == h &&
		    strcmp(d->arena.data + (uint32_t)s - 1, ine) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

static com_err
imp_dupset_grow(imp_dupset *d)
{
	size_t n = d->nslots ? d->nslots * 2 : IMP_DUPSET_MIN_SLOTS;
	uint64_t *old = d->slots;
	size_t oldn = d->nslots;
	uint64_t *slots;

	if (n > SIZE_MAX / sizeof(*slots) / 2)
		return COM_ETOOLARGE;
	slots = calloc(n, sizeof(*slots));
	if (slots == NULL)
		return COM_ENOMEM;
	d->slots = slots;
	d->nslots = n;
	for (size_t i = 0; i < oldn; i++) {
		uint64_t s = old[i];
		size_t j;

		if (s == 0)
			continue;
		j = (uint32_t)(s >> 32) & (n - 1);
		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = s;
	}
	free(old);
	return COM_OK;
}

/* Appends at most *left bytes of s, cut on a UTF-8 boundary. */
static com_err
imp_dupset_put(com_buf *b, const char *s, size_t *left)
{
	size_t n = strlen(s);

	if (n > *left) {
		n = *left;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	*left -= n;
	return com_buf_append(b, s, n);
}

com_err
imp_dupset_add(imp_dupset *d, const char *ine, const char *eleve_id,
    const char *last_name, const char *first_name,
    const char **first_eleve_id, const char **first_full_name)
{
	size_t all = SIZE_MAX;
	size_t id_left = IMP_DUPSET_NAME_MAX;
	size_t name_left = IMP_DUPSET_NAME_MAX;
	size_t len = strlen(ine);
	size_t off = d->arena.len;
	uint32_t h;
	size_t i;
	com_err rv;

	if (d->count + 1 > d->nslots / 2) {
		rv = imp_dupset_grow(d);
		if (rv != COM_OK)
			return rv;
	}
	h = imp_dupset_hash(d, ine, len);
	i = imp_dupset_find(d, ine, h);
	if (d->slots[i] != 0) {
		const char *e = d->arena.data + (uint32_t)d->slots[i] - 1;

		e += strlen(e) + 1;
		*first_eleve_id = e;
		*first_full_name = e + strlen(e) + 1;
		return COM_OK;
	}
	rv = imp_dupset_put(&d->arena, ine, &all);
	if (rv == COM_OK)
		rv = com_buf_append(&d->arena, "", 1);
	if (rv == COM_OK)
		rv = imp_dupset_put(&d->arena, eleve_id, &id_left);
	if (rv == COM_OK)
		rv = com_buf_append(&d->arena, "", 1);
	if (rv == COM_OK)
		rv = imp_dupset_put(&d->arena, last_name, &name_left);
	if (rv == COM_OK && last_name[0] != '\0' && first_name[0] != '\0' &&
	    name_left > 0) {
		rv = com_buf_append(&d->arena, " ", 1);
		name_left--;
	}
	if (rv == COM_OK)
		rv = imp_dupset_put(&d->arena, first_name, &name_left);
	if (rv == COM_OK)
		rv = com_buf_append(&d->arena, "", 1);
	if (rv != COM_OK) {
		d->arena.len = off;
		return rv;
	}
	d->slots[i] = ((uint64_t)h << 32) | (uint64_t)(off + 1);
	d->count++;
	*first_eleve_id = NULL;
	*first_full_name = NULL;
	return COM_OK;
}
