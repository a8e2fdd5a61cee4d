/*
 * address_list_test.c - what people paste into "Inviter un membre", from
 * mail clients and spreadsheets, and the parts it must give: one table,
 * one test per row, named by the row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "school/address_list.h"

#define ROW_PARTS 6

/* A pasted text and its parts: "+address" accepted, "-text" refused. */
typedef struct row {
	const char *name;
	const char *pasted;
	const char *parts[ROW_PARTS];
} row;

static const row rows[] = {
	{"a bare address", "prof@ac-exemple.fr", {"+prof@ac-exemple.fr"}},
	{"addresses separated by commas, semicolons, spaces and new lines",
	    " a@x.fr,b@x.fr\n c@x.fr;\td@x.fr\r\n",
	    {"+a@x.fr", "+b@x.fr", "+c@x.fr", "+d@x.fr"}},
	{"a name and its address, as Gmail copies it",
	    "Jean Dupont <jean.dupont@ac-exemple.fr>",
	    {"+jean.dupont@ac-exemple.fr"}},
	{"a quoted name and its address, as Thunderbird copies it",
	    "\"Jean Dupont\" <jean.dupont@ac-exemple.fr>",
	    {"+jean.dupont@ac-exemple.fr"}},
	{"a quoted name holding a comma is one name",
	    "\"Dupont, Jean\" <jean@x.fr>, \"Martin; Paul\" <paul@x.fr>",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"names and addresses separated by semicolons, as Outlook copies them",
	    "Dupont Jean <jean@x.fr>; Martin Paul <paul@x.fr>;",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"names and addresses on separate lines",
	    "Jean Dupont <jean@x.fr>\nPaul Martin <paul@x.fr>\n",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"names and addresses separated by spaces only",
	    "Jean <jean@x.fr> Paul Martin <paul@x.fr>",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"an address in brackets without a name", "<jean@x.fr>",
	    {"+jean@x.fr"}},
	{"an accented name", "Élodie Bérénice Ça <elodie@x.fr>",
	    {"+elodie@x.fr"}},
	{"an address followed by a name in parentheses",
	    "jean@x.fr (Jean Dupont), paul@x.fr",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"the address used as its own name",
	    "'jean@x.fr' <jean@x.fr>, \"paul@x.fr\" <paul@x.fr>",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"a quoted address alone, and one in single quotes",
	    "\"jean@x.fr\"; 'paul@x.fr'", {"+jean@x.fr", "+paul@x.fr"}},
	{"a mailto: link", "mailto:Jean@X.fr, <mailto:paul@x.fr>",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"capitals are lowered and repeats dropped",
	    "Prof@X.fr, Prof <prof@x.fr>,,PROF@x.FR autre@x.fr",
	    {"+prof@x.fr", "+autre@x.fr"}},
	{"no-break and zero-width spaces, as a web page copies them",
	    "\xc2\xa0jean@x.fr\xe2\x80\x8b\xc2\xa0paul@x.fr\xe2\x80\xaf",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"a group's label and its end",
	    "Professeurs: jean@x.fr, paul@x.fr;",
	    {"+jean@x.fr", "+paul@x.fr"}},
	{"a name without its address is named as refused",
	    "Jean Dupont, paul@x.fr", {"-Jean Dupont", "+paul@x.fr"}},
	{"a wrong address in brackets is named with its name",
	    "Jean Dupont <jean@x>, paul@x.fr",
	    {"-Jean Dupont <jean@x>", "+paul@x.fr"}},
	{"wrong words are kept as typed",
	    "ok@x.fr pas-une-adresse Jean@@x.fr",
	    {"+ok@x.fr", "-pas-une-adresse", "-Jean@@x.fr"}},
	{"a bracket left open still gives its address",
	    "Jean <jean@x.fr, paul@x.fr", {"+jean@x.fr", "+paul@x.fr"}},
	{"a quote left open is read as part of the name",
	    "\"Jean <jean@x.fr>, paul@x.fr", {"+jean@x.fr", "+paul@x.fr"}},
	{"a spreadsheet's column (tabs and line ends)",
	    "jean@x.fr\t\r\npaul@x.fr\r\n\r\n", {"+jean@x.fr", "+paul@x.fr"}},
	{"an internationalised address is refused",
	    "élève@x.fr, Zoé <zoé@x.fr>", {"-élève@x.fr", "-Zoé <zoé@x.fr>"}},
	{"blank text gives no part", " ,\n ; \xc2\xa0", {NULL}},
};

#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

static void
pasted_text_gives_its_parts(void **state)
{
	const row *r = *state;
	orga_address *list = NULL;
	int expected = 0;
	int n = -1;

	while (expected < ROW_PARTS && r->parts[expected] != NULL)
		expected++;
	assert_int_equal(orga_address_list_parse(r->pasted, 50, &list, &n),
	    COM_OK);
	for (int i = 0; i < n && i < expected; i++) {
		char got[ORGA_ADDRESS_PART_MAX + 8];

		snprintf(got, sizeof(got), "%c%s", list[i].valid ? '+' : '-',
		    list[i].text);
		assert_string_equal(got, r->parts[i]);
	}
	assert_int_equal(n, expected);
	free(list);
}

static void
a_very_long_part_is_cut_on_a_character_boundary(void **state)
{
	char text[2000];
	orga_address *list;
	size_t len;
	int n;

	(void)state;
	/* "é" is two bytes: an odd cut would split one. */
	text[0] = 'x';
	for (size_t i = 1; i + 2 < sizeof(text); i += 2)
		memcpy(text + i, "\xc3\xa9", 2);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(orga_address_list_parse(text, 50, &list, &n), COM_OK);
	assert_int_equal(n, 1);
	assert_false(list[0].valid);
	len = strlen(list[0].text);
	assert_true(len <= ORGA_ADDRESS_PART_MAX + 3);
	assert_memory_equal(list[0].text + len - 3, "\xe2\x80\xa6", 3);
	assert_memory_equal(list[0].text + len - 5, "\xc3\xa9", 2);
	free(list);
}

static void
more_distinct_parts_than_the_maximum_are_refused(void **state)
{
	orga_address *list = NULL;
	int n;

	(void)state;
	assert_int_equal(orga_address_list_parse("a@x.fr b@x.fr c@x.fr", 2,
	    &list, &n), COM_ETOOLARGE);
	assert_int_equal(orga_address_list_parse("a@x.fr A@x.fr a@X.FR", 1,
	    &list, &n), COM_OK);
	assert_int_equal(n, 1);
	free(list);
}

int
main(void)
{
	struct CMUnitTest tests[ROW_COUNT + 2];

	memset(tests, 0, sizeof(tests));
	for (size_t i = 0; i < ROW_COUNT; i++) {
		tests[i].name = rows[i].name;
		tests[i].test_func = pasted_text_gives_its_parts;
		tests[i].initial_state = (void *)&rows[i];
	}
	tests[ROW_COUNT] = (struct CMUnitTest)cmocka_unit_test(
	    a_very_long_part_is_cut_on_a_character_boundary);
	tests[ROW_COUNT + 1] = (struct CMUnitTest)cmocka_unit_test(
	    more_distinct_parts_than_the_maximum_are_refused);
	return _cmocka_run_group_tests("address_list", tests, ROW_COUNT + 2,
	    NULL, NULL);
}
