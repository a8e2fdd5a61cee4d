/* campaign_test.c - campaign codes (shape, alphabet) and form checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "campaigns/campaign.h"
#include "secret.h"

static int
setup(void **state)
{
	(void)state;
	return com_secret_init() == COM_OK ? 0 : -1;
}

static void
codes_are_six_letters_without_look_alikes_then_three_digits(void **state)
{
	char code[ORGA_CAMPAIGN_CODE_SIZE];
	int seen[26] = {0};

	(void)state;
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(orga_campaign_code_new(code), COM_OK);
		assert_int_equal(strlen(code), ORGA_CAMPAIGN_CODE_LEN);
		assert_true(orga_campaign_code_ok(code));
		for (int j = 0; j < 6; j++) {
			assert_true(code[j] >= 'A' && code[j] <= 'Z');
			assert_true(strchr("ILO", code[j]) == NULL);
			seen[code[j] - 'A']++;
		}
		for (int j = 6; j < 9; j++)
			assert_true(code[j] >= '0' && code[j] <= '9');
	}
	/* Every letter of the alphabet comes out, and only those. */
	for (int c = 0; c < 26; c++) {
		bool allowed = strchr(ORGA_CAMPAIGN_LETTERS, 'A' + c) != NULL;

		assert_int_equal(seen[c] > 0, allowed);
	}
}

static void
two_codes_in_a_row_differ(void **state)
{
	char a[ORGA_CAMPAIGN_CODE_SIZE], b[ORGA_CAMPAIGN_CODE_SIZE];

	(void)state;
	assert_int_equal(orga_campaign_code_new(a), COM_OK);
	assert_int_equal(orga_campaign_code_new(b), COM_OK);
	assert_string_not_equal(a, b);
}

static void
code_check_refuses_other_shapes(void **state)
{
	(void)state;
	assert_true(orga_campaign_code_ok("ABCDEF123"));
	assert_true(orga_campaign_code_ok("ZZZZZZ000"));
	assert_false(orga_campaign_code_ok(NULL));
	assert_false(orga_campaign_code_ok(""));
	assert_false(orga_campaign_code_ok("ABCDEF12"));
	assert_false(orga_campaign_code_ok("ABCDEF1234"));
	assert_false(orga_campaign_code_ok("abcdef123"));
	assert_false(orga_campaign_code_ok("ABCDE1123"));
	assert_false(orga_campaign_code_ok("ABCDEFA23"));
	assert_false(orga_campaign_code_ok("ABCIEF123"));  /* look-alike */
	assert_false(orga_campaign_code_ok("OBCDEF123"));
	assert_false(orga_campaign_code_ok("ABCDEL123"));
	assert_false(orga_campaign_code_ok("ABCDÉ123"));
}

static void
types_are_profiles_collection_and_assessment(void **state)
{
	(void)state;
	assert_true(orga_campaign_type_ok("PROFILES_COLLECTION"));
	assert_true(orga_campaign_type_ok("ASSESSMENT"));
	assert_false(orga_campaign_type_ok("assessment"));
	assert_false(orga_campaign_type_ok(""));
	assert_false(orga_campaign_type_ok(NULL));
}

static void
a_creation_needs_a_name(void **state)
{
	orga_campaign_problem p[ORGA_CAMPAIGN_PROBLEMS_MAX];
	orga_campaign_fields f = {0};

	(void)state;
	assert_int_equal(orga_campaign_check(&f, true, p), 1);
	assert_string_equal(p[0].field, "name");
	assert_string_equal(p[0].code, "FIELD_REQUIRED");
	assert_non_null(strstr(p[0].message, "nom de la campagne"));
	f.name = "  \t ";
	assert_int_equal(orga_campaign_check(&f, true, p), 1);
	f.name = "Rentrée 2024 – 2nde";
	assert_int_equal(orga_campaign_check(&f, true, p), 0);
	/* An edit may leave the name out, never empty it. */
	f.name = NULL;
	assert_int_equal(orga_campaign_check(&f, false, p), 0);
	f.name = "";
	assert_int_equal(orga_campaign_check(&f, false, p), 1);
}

static void
names_are_at_most_255_characters_without_control_characters(void **state)
{
	orga_campaign_problem p[ORGA_CAMPAIGN_PROBLEMS_MAX];
	orga_campaign_fields f = {0};
	char name[600];

	(void)state;
	for (int i = 0; i < 255; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);     /* é: 2 bytes */
	name[510] = '\0';
	f.name = name;
	assert_int_equal(orga_campaign_check(&f, true, p), 0);
	memcpy(name + 510, "e", 2);
	assert_int_equal(orga_campaign_check(&f, true, p), 1);
	assert_string_equal(p[0].code, "FIELD_TOO_LONG");
	f.name = "tab\there";
	assert_int_equal(orga_campaign_check(&f, true, p), 1);
	assert_string_equal(p[0].code, "FIELD_INVALID");
	f.name = "latin1 \xe9";
	assert_int_equal(orga_campaign_check(&f, true, p), 1);
}

static void
landing_text_is_at_most_5000_characters(void **state)
{
	orga_campaign_problem p[ORGA_CAMPAIGN_PROBLEMS_MAX];
	orga_campaign_fields f = {.name = "C", .set_landing = true};
	char *text = malloc(5002);

	(void)state;
	assert_non_null(text);
	memset(text, 'x', 5000);
	text[5000] = '\0';
	text[10] = '\n';
	f.landing_text = text;
	assert_int_equal(orga_campaign_check(&f, true, p), 0);
	text[5000] = 'x';
	text[5001] = '\0';
	assert_int_equal(orga_campaign_check(&f, true, p), 1);
	assert_string_equal(p[0].field, "landingText");
	assert_string_equal(p[0].code, "FIELD_TOO_LONG");
	assert_non_null(strstr(p[0].message, "5000"));
	assert_non_null(strstr(p[0].message, "5001"));
	free(text);
	/* Clearing it is always fine. */
	f.landing_text = NULL;
	assert_int_equal(orga_campaign_check(&f, true, p), 0);
}

static void
every_fault_is_reported_with_its_field(void **state)
{
	orga_campaign_problem p[ORGA_CAMPAIGN_PROBLEMS_MAX];
	orga_campaign_fields f = {.type = "QUIZ", .set_label = true,
	    .external_id_label = "a\x01"};

	(void)state;
	assert_int_equal(orga_campaign_check(&f, true, p), 3);
	assert_string_equal(p[0].field, "name");
	assert_string_equal(p[1].field, "type");
	assert_string_equal(p[2].field, "externalIdLabel");
	f.type = "ASSESSMENT";
	f.external_id_label = "Numéro d'élève";
	f.name = "Évaluation";
	assert_int_equal(orga_campaign_check(&f, true, p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    codes_are_six_letters_without_look_alikes_then_three_digits),
		cmocka_unit_test(two_codes_in_a_row_differ),
		cmocka_unit_test(code_check_refuses_other_shapes),
		cmocka_unit_test(types_are_profiles_collection_and_assessment),
		cmocka_unit_test(a_creation_needs_a_name),
		cmocka_unit_test(
		    names_are_at_most_255_characters_without_control_characters),
		cmocka_unit_test(landing_text_is_at_most_5000_characters),
		cmocka_unit_test(every_fault_is_reported_with_its_field),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
