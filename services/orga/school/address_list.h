/*
 * address_list.h - reading the addresses people paste into "Inviter un
 * membre": bare addresses, or what a mail client copies (`Nom <adresse>`,
 * `"Dupont, Jean" <adresse>`, `adresse (Nom)`), separated by commas,
 * semicolons, spaces or new lines. Each part that is not an address is
 * kept as pasted so the page can name it. Pure: no I/O, no global state.
 */
#ifndef ORGA_ADDRESS_LIST_H
#define ORGA_ADDRESS_LIST_H

#include <stdbool.h>

#include "err.h"
#include "validate.h"

/* Bytes kept of a refused part (then cut on a UTF-8 boundary, with "…"). */
#define ORGA_ADDRESS_PART_MAX 320

typedef struct orga_address {
	/* valid: the address, normalised (com_email_normalize). Else the
	 * part as pasted, trimmed, at most ORGA_ADDRESS_PART_MAX bytes
	 * plus "…" when it was longer. */
	char text[ORGA_ADDRESS_PART_MAX + 4];
	bool valid;
} orga_address;

/*
 * orga_address_list_parse reads text (NUL-terminated UTF-8) into parts,
 * in the order pasted, each repeat (ignoring case) dropped after its
 * first. The rules:
 * - parts are separated by ",", ";" and line ends, except inside a
 *   "quoted name", a <bracketed address> or a (comment) closed on the
 *   same line; spaces (also no-break and zero-width ones) separate bare
 *   addresses;
 * - `Nom <adresse>`: the address in brackets counts, the words or the
 *   quoted string before it are its name and are dropped; so are
 *   (comments) and a group's label (`Profs:`);
 * - a bare address may carry `mailto:` or 'single quotes' (removed);
 *   `"adresse"` alone is read as the address;
 * - words that are no address and are followed by none (`Jean Dupont`)
 *   are one refused part, as pasted; so is an address that
 *   com_email_normalize refuses, with its name if it had one.
 * Writes a malloc'd array of at most max parts into *out (free() it; one
 * element even when empty) and its length into *count. COM_ETOOLARGE when
 * there are more than max distinct parts, COM_ENOMEM.
 */
com_err orga_address_list_parse(const char *text, int max,
    orga_address **out, int *count) COM_MUSTCHECK;

#endif
