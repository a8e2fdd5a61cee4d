/*
 * service_test.c - the small daemons' health-and-wake endpoint answered
 * without a socket (com_service_handle), for both daemons' messages, and
 * the registration's pauses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "importer.pb-c.h"
#include "log.h"
#include "mailer.pb-c.h"
#include "orga.pb-c.h"
#include "register.h"
#include "rpc.h"
#include "service.h"

/* No server listens on this socket: health finds the database away. */
#define NO_DB "host=/nonexistent-service-test port=1 connect_timeout=1"

static int wakes;

static void
count_wake(void *arg)
{
	(void)arg;
	wakes++;
}

static com_service *
new_mailer(void)
{
	com_service_config cfg = {
		.name = "mailer",
		.version = "9.9",
		.url = "inproc://service-test",
		.workers = 1,
		.conninfo = NO_DB,
		.request = &orga__mailer_request__descriptor,
		.reply = &orga__mailer_reply__descriptor,
		.undecodable_message = "illisible",
		.unknown_message = "inconnue",
		.wake = count_wake,
	};
	com_service *s = NULL;

	assert_int_equal(com_service_new(&cfg, &s), COM_OK);
	return s;
}

/* ask packs req, answers it and unpacks the reply with desc. */
static ProtobufCMessage *
ask(com_service *s, const ProtobufCMessage *req,
    const ProtobufCMessageDescriptor *desc)
{
	com_buf in, out;
	ProtobufCMessage *reply;

	com_buf_init(&in, COM_RPC_MAX_MSG);
	com_buf_init(&out, COM_RPC_MAX_MSG);
	assert_int_equal(com_rpc_pack(req, &in), COM_OK);
	assert_int_equal(com_service_handle(s, (const uint8_t *)in.data,
	    in.len, &out), COM_OK);
	reply = protobuf_c_message_unpack(desc, NULL, out.len,
	    (const uint8_t *)out.data);
	assert_non_null(reply);
	com_buf_fini(&in);
	com_buf_fini(&out);
	return reply;
}

static void
health_names_the_daemon_and_the_database_state(void **state)
{
	Orga__MailerRequest req = ORGA__MAILER_REQUEST__INIT;
	Orga__HealthRequest h = ORGA__HEALTH_REQUEST__INIT;
	com_service *s = new_mailer();
	Orga__MailerReply *r;

	(void)state;
	req.body_case = ORGA__MAILER_REQUEST__BODY_HEALTH;
	req.health = &h;
	r = (Orga__MailerReply *)ask(s, &req.base,
	    &orga__mailer_reply__descriptor);
	assert_null(r->error);
	assert_int_equal(r->body_case, ORGA__MAILER_REPLY__BODY_HEALTH);
	assert_string_equal(r->health->service, "mailer");
	assert_string_equal(r->health->version, "9.9");
	assert_int_equal(r->health->pid, getpid());
	assert_false(r->health->database_ok);
	orga__mailer_reply__free_unpacked(r, NULL);
	com_service_free(s);
}

static void
wake_calls_the_daemon_once(void **state)
{
	Orga__MailerRequest req = ORGA__MAILER_REQUEST__INIT;
	Orga__WakeRequest w = ORGA__WAKE_REQUEST__INIT;
	com_service *s = new_mailer();
	Orga__MailerReply *r;

	(void)state;
	wakes = 0;
	req.body_case = ORGA__MAILER_REQUEST__BODY_WAKE;
	req.wake = &w;
	r = (Orga__MailerReply *)ask(s, &req.base,
	    &orga__mailer_reply__descriptor);
	assert_int_equal(wakes, 1);
	assert_null(r->error);
	assert_int_equal(r->body_case, ORGA__MAILER_REPLY__BODY_WAKE);
	assert_non_null(r->wake);
	orga__mailer_reply__free_unpacked(r, NULL);
	com_service_free(s);
}

static void
an_empty_request_gets_the_unknown_error(void **state)
{
	Orga__MailerRequest req = ORGA__MAILER_REQUEST__INIT;
	com_service *s = new_mailer();
	Orga__MailerReply *r;

	(void)state;
	wakes = 0;
	r = (Orga__MailerReply *)ask(s, &req.base,
	    &orga__mailer_reply__descriptor);
	assert_int_equal(wakes, 0);
	assert_non_null(r->error);
	assert_string_equal(r->error->code, "EINVAL");
	assert_string_equal(r->error->message, "inconnue");
	assert_int_equal(r->body_case, ORGA__MAILER_REPLY__BODY__NOT_SET);
	orga__mailer_reply__free_unpacked(r, NULL);
	com_service_free(s);
}

static void
garbage_gets_the_undecodable_error(void **state)
{
	static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
	com_service *s = new_mailer();
	Orga__MailerReply *r;
	com_buf out;

	(void)state;
	com_buf_init(&out, COM_RPC_MAX_MSG);
	assert_int_equal(com_service_handle(s, junk, sizeof(junk), &out),
	    COM_OK);
	r = orga__mailer_reply__unpack(NULL, out.len,
	    (const uint8_t *)out.data);
	assert_non_null(r);
	assert_string_equal(r->error->code, "EPROTO");
	assert_string_equal(r->error->message, "illisible");
	orga__mailer_reply__free_unpacked(r, NULL);
	com_buf_fini(&out);
	com_service_free(s);
}

static void
the_importer_messages_fit_too(void **state)
{
	com_service_config cfg = {
		.name = "importer",
		.version = "1",
		.conninfo = NO_DB,
		.request = &orga__importer_request__descriptor,
		.reply = &orga__importer_reply__descriptor,
		.undecodable_message = "illisible",
		.unknown_message = "inconnue",
		.wake = count_wake,
	};
	Orga__ImporterRequest req = ORGA__IMPORTER_REQUEST__INIT;
	Orga__ImportWakeRequest w = ORGA__IMPORT_WAKE_REQUEST__INIT;
	Orga__ImporterReply *r;
	com_service *s = NULL;

	(void)state;
	assert_int_equal(com_service_new(&cfg, &s), COM_OK);
	wakes = 0;
	req.body_case = ORGA__IMPORTER_REQUEST__BODY_WAKE;
	req.wake = &w;
	r = (Orga__ImporterReply *)ask(s, &req.base,
	    &orga__importer_reply__descriptor);
	assert_int_equal(wakes, 1);
	assert_int_equal(r->body_case, ORGA__IMPORTER_REPLY__BODY_WAKE);
	orga__importer_reply__free_unpacked(r, NULL);
	com_service_free(s);
}

static void
messages_of_another_layout_are_refused(void **state)
{
	com_service_config cfg = {
		.name = "orga",
		.request = &orga__orga_request__descriptor,
		.reply = &orga__orga_reply__descriptor,
		.wake = count_wake,
	};
	com_service *s = NULL;

	(void)state;
	assert_int_equal(com_service_new(&cfg, &s), COM_EINVAL);
	assert_null(s);
	cfg.request = &orga__mailer_request__descriptor;
	cfg.reply = &orga__importer_request__descriptor;
	assert_int_equal(com_service_new(&cfg, &s), COM_EINVAL);
	assert_null(s);
}

static void
register_pauses_double_up_to_their_maximum(void **state)
{
	com_register_config c = {
		.tries = 10, .first_pause_ms = 200, .max_pause_ms = 6400,
	};
	static const long want[] = {200, 400, 800, 1600, 3200, 6400, 6400};

	(void)state;
	for (int i = 0; i < 7; i++)
		assert_int_equal(com_register_pause_ms(&c, i + 2), want[i]);
	c.first_pause_ms = 1000;
	c.max_pause_ms = 16000;
	assert_int_equal(com_register_pause_ms(&c, 6), 16000);
	assert_int_equal(com_register_pause_ms(&c, 60), 16000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(health_names_the_daemon_and_the_database_state),
		cmocka_unit_test(wake_calls_the_daemon_once),
		cmocka_unit_test(an_empty_request_gets_the_unknown_error),
		cmocka_unit_test(garbage_gets_the_undecodable_error),
		cmocka_unit_test(the_importer_messages_fit_too),
		cmocka_unit_test(messages_of_another_layout_are_refused),
		cmocka_unit_test(register_pauses_double_up_to_their_maximum),
	};

	com_log_init("service_test");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
