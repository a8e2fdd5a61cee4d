/* http_route_test.c - route matching, ids, listen address, JSON errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "edge/http/http_route.h"

static void
literal_route_matches_only_its_exact_path(void **state)
{
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	int n = -1;

	(void)state;
	assert_true(orga_http_route_match("/api/me", "/api/me", ids, 4, &n));
	assert_int_equal(n, 0);
	assert_false(orga_http_route_match("/api/me", "/api/me/", ids, 4, &n));
	assert_false(orga_http_route_match("/api/me", "/api/m", ids, 4, &n));
	assert_false(orga_http_route_match("/api/me", "/api/mex", ids, 4, &n));
	assert_false(orga_http_route_match("/api/me", "", ids, 4, &n));
}

static void
id_segments_are_parsed_in_order(void **state)
{
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	int n = 0;

	(void)state;
	assert_true(orga_http_route_match("/api/organizations/{id}/members",
	    "/api/organizations/42/members", ids, 4, &n));
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 42);
	assert_true(orga_http_route_match("/a/{id}/b/{id}", "/a/7/b/123456789",
	    ids, 4, &n));
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 7);
	assert_int_equal(ids[1], 123456789);
	assert_true(orga_http_route_match("/api/invitations/{id}",
	    "/api/invitations/3", ids, 4, &n));
	assert_false(orga_http_route_match("/api/invitations/{id}",
	    "/api/invitations/3/accept", ids, 4, &n));
	assert_false(orga_http_route_match("/api/invitations/{id}/accept",
	    "/api/invitations/3", ids, 4, &n));
}

static void
code_segments_match_letters_and_digits_without_capture(void **state)
{
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	int n = -1;

	(void)state;
	assert_true(orga_http_route_match("/api/campaigns/{code}/me",
	    "/api/campaigns/ABCDEF123/me", ids, 4, &n));
	assert_int_equal(n, 0);
	assert_true(orga_http_route_match("/c/{code}", "/c/abc", ids, 4, &n));
	assert_false(orga_http_route_match("/c/{code}", "/c/123", ids, 4, &n));
	assert_false(orga_http_route_match("/c/{code}", "/c/", ids, 4, &n));
	assert_false(orga_http_route_match("/c/{code}", "/c/AB-12", ids, 4,
	    &n));
	assert_false(orga_http_route_match("/c/{code}",
	    "/c/ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567", ids, 4, &n));
}

static void
malformed_ids_do_not_match(void **state)
{
	static const char *const bad[] = {"/o/", "/o/0", "/o/012", "/o/-1",
	    "/o/+1", "/o/1a", "/o/ 1", "/o/1234567890123456789", "/o/1.0"};
	int64_t ids[ORGA_ROUTE_MAX_IDS];
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(orga_http_route_match("/o/{id}", bad[i], ids, 4, &n));
}

static void
more_ids_than_room_do_not_match(void **state)
{
	int64_t ids[1];
	int n;

	(void)state;
	assert_false(orga_http_route_match("/a/{id}/{id}", "/a/1/2", ids, 1,
	    &n));
}

static void
parse_id_takes_up_to_eighteen_digits(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(orga_http_parse_id("999999999999999999", 18, &v),
	    COM_OK);
	assert_int_equal(v, 999999999999999999LL);
	assert_int_equal(orga_http_parse_id("12x", 2, &v), COM_OK);
	assert_int_equal(v, 12);
	assert_int_equal(orga_http_parse_id("", 0, &v), COM_EINVAL);
	assert_int_equal(orga_http_parse_id("0", 1, &v), COM_EINVAL);
}

static void
listen_address_splits_into_host_and_port(void **state)
{
	char host[64], port[8];

	(void)state;
	assert_int_equal(orga_http_addr_split("127.0.0.1:8080", host,
	    sizeof(host), port, sizeof(port)), COM_OK);
	assert_string_equal(host, "127.0.0.1");
	assert_string_equal(port, "8080");
	assert_int_equal(orga_http_addr_split("[::1]:80", host, sizeof(host),
	    port, sizeof(port)), COM_OK);
	assert_string_equal(host, "::1");
	assert_string_equal(port, "80");
	assert_int_equal(orga_http_addr_split(":9000", host, sizeof(host),
	    port, sizeof(port)), COM_OK);
	assert_string_equal(host, "");
	assert_int_equal(orga_http_addr_split("localhost", host, sizeof(host),
	    port, sizeof(port)), COM_EINVAL);
	assert_int_equal(orga_http_addr_split("::1:80", host, sizeof(host),
	    port, sizeof(port)), COM_EINVAL);
	assert_int_equal(orga_http_addr_split("h:", host, sizeof(host), port,
	    sizeof(port)), COM_EINVAL);
	assert_int_equal(orga_http_addr_split("h:80x", host, sizeof(host),
	    port, sizeof(port)), COM_EINVAL);
	assert_int_equal(orga_http_addr_split("h:123456", host, sizeof(host),
	    port, sizeof(port)), COM_EINVAL);
}

static void
json_content_type_accepts_parameters_only(void **state)
{
	(void)state;
	assert_true(orga_http_content_type_json("application/json"));
	assert_true(orga_http_content_type_json(
	    "application/json; charset=utf-8"));
	assert_true(orga_http_content_type_json("Application/JSON"));
	assert_false(orga_http_content_type_json(NULL));
	assert_false(orga_http_content_type_json("text/plain"));
	assert_false(orga_http_content_type_json("application/jsonx"));
	assert_false(orga_http_content_type_json(
	    "application/x-www-form-urlencoded"));
}

static void
error_body_has_code_message_and_field(void **state)
{
	json_t *body;
	char *text;

	(void)state;
	body = orga_http_error_body("EMAIL_TAKEN", "email",
	    "Cette adresse e-mail est déjà utilisée.", NULL);
	assert_non_null(body);
	text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
	    "{\"error\":{\"code\":\"EMAIL_TAKEN\",\"field\":\"email\","
	    "\"message\":\"Cette adresse e-mail est déjà utilisée.\"}}");
	free(text);
	json_decref(body);
}

static void
error_body_without_field_leaves_it_out(void **state)
{
	json_t *body;

	(void)state;
	body = orga_http_error_body("NOT_FOUND", NULL, "Introuvable.", NULL);
	assert_non_null(body);
	assert_null(json_object_get(json_object_get(body, "error"), "field"));
	assert_null(json_object_get(body, "errors"));
	json_decref(body);
}

static void
form_errors_repeat_the_first_as_error(void **state)
{
	json_t *errors = json_array();
	json_t *body;
	const json_t *first;

	(void)state;
	assert_int_equal(json_array_append_new(errors,
	    orga_http_error_item("FIELD_REQUIRED", "email", "a")), 0);
	assert_int_equal(json_array_append_new(errors,
	    orga_http_error_item("PASSWORD_WEAK", "password", "b")), 0);
	body = orga_http_error_body(NULL, NULL, NULL, errors);
	assert_non_null(body);
	first = json_object_get(body, "error");
	assert_string_equal(orga_json_string(first, "code"), "FIELD_REQUIRED");
	assert_string_equal(orga_json_string(first, "field"), "email");
	assert_int_equal(json_array_size(json_object_get(body, "errors")), 2);
	json_decref(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_route_matches_only_its_exact_path),
		cmocka_unit_test(id_segments_are_parsed_in_order),
		cmocka_unit_test(
		    code_segments_match_letters_and_digits_without_capture),
		cmocka_unit_test(malformed_ids_do_not_match),
		cmocka_unit_test(more_ids_than_room_do_not_match),
		cmocka_unit_test(parse_id_takes_up_to_eighteen_digits),
		cmocka_unit_test(listen_address_splits_into_host_and_port),
		cmocka_unit_test(json_content_type_accepts_parameters_only),
		cmocka_unit_test(error_body_has_code_message_and_field),
		cmocka_unit_test(error_body_without_field_leaves_it_out),
		cmocka_unit_test(form_errors_repeat_the_first_as_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
