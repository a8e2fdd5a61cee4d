/*
 * team_test.c - splitting the "Inviter un membre" list of addresses as
 * the team sees it (outcomes); the pasted forms themselves are in
 * address_list_test.c, with the cut of a long refused part.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "school/team.h"

static void
addresses_split_on_commas_spaces_and_new_lines(void **state)
{
	orga_team_address *list;
	int n;

	(void)state;
	assert_int_equal(orga_team_parse(" a@x.fr,b@x.fr\n c@x.fr;\td@x.fr\r\n",
	    &list, &n), COM_OK);
	assert_int_equal(n, 4);
	assert_string_equal(list[0].email, "a@x.fr");
	assert_string_equal(list[1].email, "b@x.fr");
	assert_string_equal(list[2].email, "c@x.fr");
	assert_string_equal(list[3].email, "d@x.fr");
	for (int i = 0; i < n; i++)
		assert_int_equal(list[i].outcome, ORGA_TEAM_TO_SEND);
	free(list);
}

static void
addresses_are_lower_cased_and_repeats_dropped(void **state)
{
	orga_team_address *list;
	int n;

	(void)state;
	assert_int_equal(orga_team_parse("Prof@X.fr, prof@x.fr,,PROF@x.FR "
	    "autre@x.fr", &list, &n), COM_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].email, "prof@x.fr");
	assert_string_equal(list[1].email, "autre@x.fr");
	free(list);
}

static void
wrong_addresses_are_kept_as_typed_and_marked_invalid(void **state)
{
	orga_team_address *list;
	int n;

	(void)state;
	assert_int_equal(orga_team_parse("ok@x.fr pas-une-adresse Jean@@x.fr",
	    &list, &n), COM_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].outcome, ORGA_TEAM_TO_SEND);
	assert_int_equal(list[1].outcome, ORGA_TEAM_INVALID);
	assert_string_equal(list[1].email, "pas-une-adresse");
	assert_int_equal(list[2].outcome, ORGA_TEAM_INVALID);
	assert_string_equal(list[2].email, "Jean@@x.fr");
	free(list);
}

static void
blank_text_gives_no_address(void **state)
{
	orga_team_address *list;
	int n = -1;

	(void)state;
	assert_int_equal(orga_team_parse(" ,\n ; ", &list, &n), COM_OK);
	assert_int_equal(n, 0);
	free(list);
}

static void
more_than_the_maximum_of_distinct_addresses_is_refused(void **state)
{
	char text[ORGA_TEAM_INVITE_MAX * 24 + 64];
	orga_team_address *list = NULL;
	size_t off = 0;
	int n;

	(void)state;
	for (int i = 0; i <= ORGA_TEAM_INVITE_MAX; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "p%d@x.fr ", i);
	assert_int_equal(orga_team_parse(text, &list, &n), COM_ETOOLARGE);
	/* The same address many times is one address. */
	off = 0;
	for (int i = 0; i <= ORGA_TEAM_INVITE_MAX; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off,
		    "p@x.fr ");
	assert_int_equal(orga_team_parse(text, &list, &n), COM_OK);
	assert_int_equal(n, 1);
	free(list);
}

static void
audit_actions_have_their_stored_names(void **state)
{
	(void)state;
	assert_string_equal(orga_audit_action_name(ORGA_AUDIT_INVITED),
	    "invited");
	assert_string_equal(orga_audit_action_name(ORGA_AUDIT_RESENT),
	    "invitation_resent");
	assert_string_equal(orga_audit_action_name(ORGA_AUDIT_LEFT), "left");
	assert_string_equal(orga_audit_action_name((orga_audit_action)99), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    addresses_split_on_commas_spaces_and_new_lines),
		cmocka_unit_test(addresses_are_lower_cased_and_repeats_dropped),
		cmocka_unit_test(
		    wrong_addresses_are_kept_as_typed_and_marked_invalid),
		cmocka_unit_test(blank_text_gives_no_address),
		cmocka_unit_test(
		    more_than_the_maximum_of_distinct_addresses_is_refused),
		cmocka_unit_test(audit_actions_have_their_stored_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
