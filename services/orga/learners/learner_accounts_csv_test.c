/* learner_accounts_csv_test.c - the CSV of identifiers, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "learners/learner_accounts_csv.h"

static void
fill(orga_learner_credential *c, const char *cls, const char *last,
    const char *first, const char *login, const char *pw)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->class_code, sizeof(c->class_code), "%s", cls);
	snprintf(c->last_name, sizeof(c->last_name), "%s", last);
	snprintf(c->first_name, sizeof(c->first_name), "%s", first);
	snprintf(c->login, sizeof(c->login), "%s", login);
	snprintf(c->password, sizeof(c->password), "%s", pw);
}

static void
file_has_bom_header_and_neutral_fields(void **state)
{
	orga_learner_credential list[2];
	orga_learner_accounts a = {list, 2, NULL, 0};
	com_buf b;

	(void)state;
	fill(&list[0], "5A", "Dupré", "Léa", "lea.dupre0703", "ABCDEF23");
	fill(&list[1], "5B", "=HYPERLINK(\"x\")", "Jo;e", "jo.e0101",
	    "GHJKMN45");
	com_buf_init(&b, 4096);
	assert_int_equal(orga_learner_accounts_csv(&a, &b), COM_OK);
	assert_string_equal(com_buf_str(&b),
	    "\xEF\xBB\xBF"
	    "Classe;Nom;Prénom;Identifiant;Mot de passe temporaire\r\n"
	    "5A;Dupré;Léa;lea.dupre0703;ABCDEF23\r\n"
	    "5B;\"'=HYPERLINK(\"\"x\"\")\";\"Jo;e\";jo.e0101;GHJKMN45\r\n");
	com_buf_fini(&b);
}

static void
file_name_says_the_date_and_time(void **state)
{
	char name[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	assert_int_equal(orga_learner_accounts_csv_name(1700000000, name,
	                     sizeof(name)), COM_OK);
	assert_string_equal(name, "identifiants-2023-11-14-22h13.csv");
	assert_int_equal(orga_learner_accounts_csv_name(1700000000, name, 10),
	    COM_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_has_bom_header_and_neutral_fields),
		cmocka_unit_test(file_name_says_the_date_and_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
