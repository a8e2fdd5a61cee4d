/* args_test.c - orgactl's option parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "args.h"

static void
options_take_the_next_argument_or_the_text_after_equals(void **state)
{
	char *argv[] = { "--uai", "0123456A", "--name=Lycée Pix",
		"--email", "a@b.fr" };
	ctl_opt opts[] = {
		{ .name = "uai", .required = true },
		{ .name = "name", .required = true },
		{ .name = "email", .required = true },
		{ .name = "type", .required = false },
	};
	char msg[128];

	(void)state;
	assert_int_equal(ctl_args_parse(5, argv, opts, 4, NULL, 0, msg,
	    sizeof(msg)), COM_OK);
	assert_string_equal(opts[0].value, "0123456A");
	assert_string_equal(opts[1].value, "Lycée Pix");
	assert_string_equal(opts[2].value, "a@b.fr");
	assert_null(opts[3].value);
}

static void
missing_required_option_is_named_in_french(void **state)
{
	char *argv[] = { "--uai", "0123456A" };
	ctl_opt opts[] = {
		{ .name = "uai", .required = true },
		{ .name = "email", .required = true },
	};
	char msg[128];

	(void)state;
	assert_int_equal(ctl_args_parse(2, argv, opts, 2, NULL, 0, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "l'option --email est obligatoire");
}

static void
empty_required_option_counts_as_missing(void **state)
{
	char *argv[] = { "--uai=" };
	ctl_opt opts[] = { { .name = "uai", .required = true } };
	char msg[128];

	(void)state;
	assert_int_equal(ctl_args_parse(1, argv, opts, 1, NULL, 0, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "l'option --uai est obligatoire");
}

static void
unknown_repeated_and_valueless_options_are_refused(void **state)
{
	char *unknown[] = { "--uia", "x" };
	char *twice[] = { "--uai", "a", "--uai=b" };
	char *valueless[] = { "--uai" };
	char *shortopt[] = { "-u", "x" };
	ctl_opt opts[] = { { .name = "uai", .required = false } };
	char msg[128];

	(void)state;
	assert_int_equal(ctl_args_parse(2, unknown, opts, 1, NULL, 0, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "option inconnue : « --uia »");
	assert_int_equal(ctl_args_parse(3, twice, opts, 1, NULL, 0, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "l'option --uai est donnée deux fois");
	assert_int_equal(ctl_args_parse(1, valueless, opts, 1, NULL, 0, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "l'option --uai attend une valeur");
	assert_int_equal(ctl_args_parse(2, shortopt, opts, 1, NULL, 0, msg,
	    sizeof(msg)), COM_EINVAL);
}

static void
positional_arguments_are_counted_exactly(void **state)
{
	char *one[] = { "cgu.txt" };
	char *two[] = { "a.txt", "b.txt" };
	char *dashed[] = { "--", "--odd-name.txt" };
	const char *pos[1] = { NULL };
	char msg[128];

	(void)state;
	assert_int_equal(ctl_args_parse(1, one, NULL, 0, pos, 1, msg,
	    sizeof(msg)), COM_OK);
	assert_string_equal(pos[0], "cgu.txt");
	assert_int_equal(ctl_args_parse(2, two, NULL, 0, pos, 1, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "argument en trop : « b.txt »");
	assert_int_equal(ctl_args_parse(0, one, NULL, 0, pos, 1, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_string_equal(msg, "il manque un argument");
	assert_int_equal(ctl_args_parse(2, dashed, NULL, 0, pos, 1, msg,
	    sizeof(msg)), COM_OK);
	assert_string_equal(pos[0], "--odd-name.txt");
}

static void
rpc_option_is_taken_out_wherever_it_appears(void **state)
{
	char *argv[] = { "org", "--rpc", "tcp://h:1", "show",
		"--rpc=ipc:///x", "--uai", "0123456A" };
	const char *url = NULL;
	char msg[128];
	int argc = 7;

	(void)state;
	assert_int_equal(ctl_args_take_rpc(&argc, argv, &url, msg,
	    sizeof(msg)), COM_OK);
	assert_int_equal(argc, 4);
	assert_string_equal(url, "ipc:///x");
	assert_string_equal(argv[0], "org");
	assert_string_equal(argv[1], "show");
	assert_string_equal(argv[2], "--uai");
	assert_string_equal(argv[3], "0123456A");
}

static void
rpc_option_without_address_is_refused(void **state)
{
	char *argv[] = { "health", "--rpc" };
	const char *url = NULL;
	char msg[128];
	int argc = 2;

	(void)state;
	assert_int_equal(ctl_args_take_rpc(&argc, argv, &url, msg,
	    sizeof(msg)), COM_EINVAL);
	assert_null(url);
}

static void
help_is_seen_before_the_end_of_options(void **state)
{
	char *help[] = { "org", "create", "--help" };
	char *after[] = { "cgu", "publish", "--", "-h" };

	(void)state;
	assert_true(ctl_args_wants_help(3, help));
	assert_false(ctl_args_wants_help(4, after));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    options_take_the_next_argument_or_the_text_after_equals),
		cmocka_unit_test(missing_required_option_is_named_in_french),
		cmocka_unit_test(empty_required_option_counts_as_missing),
		cmocka_unit_test(
		    unknown_repeated_and_valueless_options_are_refused),
		cmocka_unit_test(positional_arguments_are_counted_exactly),
		cmocka_unit_test(rpc_option_is_taken_out_wherever_it_appears),
		cmocka_unit_test(rpc_option_without_address_is_refused),
		cmocka_unit_test(help_is_seen_before_the_end_of_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
