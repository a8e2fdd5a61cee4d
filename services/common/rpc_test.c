/* rpc_test.c - protobuf messages packed, sent over nng and answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "orga.pb-c.h"
#include "rpc.h"

static void
org_create_request_round_trips_through_pack(void **state)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__OrgCreateRequest create = ORGA__ORG_CREATE_REQUEST__INIT;
	Orga__OrgaRequest *back;
	com_buf buf;

	(void)state;
	create.uai = "0123456A";
	create.name = "Lycée Pix « Œuvre »";
	create.email = "ce.0123456a@ac-exemple.fr";
	req.body_case = ORGA__ORGA_REQUEST__BODY_ORG_CREATE;
	req.org_create = &create;
	com_buf_init(&buf, COM_RPC_MAX_MSG);
	assert_int_equal(com_rpc_pack(&req.base, &buf), COM_OK);
	back = orga__orga_request__unpack(NULL, buf.len,
	    (const uint8_t *)buf.data);
	assert_non_null(back);
	assert_int_equal(back->body_case, ORGA__ORGA_REQUEST__BODY_ORG_CREATE);
	assert_string_equal(back->org_create->name, "Lycée Pix « Œuvre »");
	assert_string_equal(back->org_create->uai, "0123456A");
	assert_string_equal(back->org_create->type, "");
	orga__orga_request__free_unpacked(back, NULL);
	com_buf_fini(&buf);
}

static void
pack_beyond_the_buffer_maximum_is_refused(void **state)
{
	Orga__TermsPublishRequest t = ORGA__TERMS_PUBLISH_REQUEST__INIT;
	char body[200];
	com_buf buf;

	(void)state;
	memset(body, 'x', sizeof(body) - 1);
	body[sizeof(body) - 1] = '\0';
	t.body = body;
	com_buf_init(&buf, 64);
	assert_int_equal(com_rpc_pack(&t.base, &buf), COM_ETOOLARGE);
	com_buf_fini(&buf);
}

/* Echo server: answers a health reply naming the request's kind. */
static com_err
echo_handler(void *arg, const uint8_t *data, size_t len, com_buf *reply)
{
	Orga__OrgaReply rep = ORGA__ORGA_REPLY__INIT;
	Orga__HealthReply health = ORGA__HEALTH_REPLY__INIT;
	Orga__OrgaRequest *req;
	char name[32];
	com_err rv;

	(void)arg;
	req = orga__orga_request__unpack(NULL, len, data);
	if (req == NULL)
		return COM_EPROTO;
	snprintf(name, sizeof(name), "kind-%d", (int)req->body_case);
	health.service = name;
	health.pid = 7;
	rep.body_case = ORGA__ORGA_REPLY__BODY_HEALTH;
	rep.health = &health;
	rv = com_rpc_pack(&rep.base, reply);
	orga__orga_request__free_unpacked(req, NULL);
	return rv;
}

static void
call_over_ipc_gets_the_servers_reply(void **state)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__HealthRequest h = ORGA__HEALTH_REQUEST__INIT;
	ProtobufCMessage *out = NULL;
	Orga__OrgaReply *rep;
	com_rpc_server *srv;
	com_rpc_client *cli;
	char url[128];

	(void)state;
	snprintf(url, sizeof(url), "ipc:///tmp/orga-rpc-test-%d.ipc",
	    (int)getpid());
	assert_int_equal(com_rpc_server_start(url, 2, echo_handler, NULL, &srv),
	    COM_OK);
	assert_int_equal(com_rpc_client_open(url, 2000, &cli), COM_OK);
	req.body_case = ORGA__ORGA_REQUEST__BODY_HEALTH;
	req.health = &h;
	for (int i = 0; i < 20; i++) {
		assert_int_equal(com_rpc_call(cli, &req.base,
		                     &orga__orga_reply__descriptor, &out),
		    COM_OK);
		rep = (Orga__OrgaReply *)out;
		assert_int_equal(rep->body_case, ORGA__ORGA_REPLY__BODY_HEALTH);
		assert_string_equal(rep->health->service, "kind-1");
		assert_int_equal(rep->health->pid, 7);
		protobuf_c_message_free_unpacked(out, NULL);
	}
	com_rpc_client_close(cli);
	com_rpc_server_stop(srv);
}

static void
call_to_absent_peer_times_out(void **state)
{
	Orga__OrgaRequest req = ORGA__ORGA_REQUEST__INIT;
	Orga__HealthRequest h = ORGA__HEALTH_REQUEST__INIT;
	ProtobufCMessage *out = NULL;

	(void)state;
	req.body_case = ORGA__ORGA_REQUEST__BODY_HEALTH;
	req.health = &h;
	assert_int_equal(com_rpc_call_url("ipc:///tmp/orga-nobody-here.ipc",
	                     200, &req.base, &orga__orga_reply__descriptor,
	                     &out),
	    COM_ETIMEDOUT);
	assert_null(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(org_create_request_round_trips_through_pack),
		cmocka_unit_test(pack_beyond_the_buffer_maximum_is_refused),
		cmocka_unit_test(call_over_ipc_gets_the_servers_reply),
		cmocka_unit_test(call_to_absent_peer_times_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
