/* api_terms.c - terms of use: GET /api/terms, POST /api/terms/accept. */
#include <stdlib.h>
#include <string.h>

#include "account/terms_routes.h"
#include "edge/http/http_reply.h"
#include "account/caller.h"
#include "account/terms.h"

static void api_terms_get(orga_req *req);
static void api_terms_accept(orga_req *req);

const orga_route orga_terms_routes[] = {
	ORGA_ROUTE("GET", "/api/terms", api_terms_get),
	ORGA_ROUTE("POST", "/api/terms/accept", api_terms_accept),
	ORGA_ROUTE_END,
};

static void
api_terms_get(orga_req *req)
{
	PGconn *db = orga_req_db_or_reply(req);
	char *body = NULL;
	int version;
	com_err rv;

	if (db == NULL)
		return;
	rv = orga_terms_current(db, &version, &body);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "terms");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:i,s:s}", "version", version, "body", body));
	free(body);
}

/* Reads "version" as a JSON integer or a string of digits. */
static bool
api_terms_version(const json_t *in, int *out)
{
	const json_t *v = json_object_get(in, "version");
	json_int_t n;
	char *end;

	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else if (json_is_string(v) && json_string_length(v) > 0 &&
	           json_string_length(v) < 10) {
		n = strtoll(json_string_value(v), &end, 10);
		if (*end != '\0')
			return false;
	} else {
		return false;
	}
	if (n < 1 || n > 1000000000)
		return false;
	*out = (int)n;
	return true;
}

static void
api_terms_accept(orga_req *req)
{
	const orga_session *s = orga_caller_session_or_reply(req);
	json_t *in;
	int version;
	com_err rv;

	if (s == NULL)
		return;
	in = orga_req_json_or_reply(req);
	if (in == NULL)
		return;
	if (!api_terms_version(in, &version)) {
		orga_http_reply_error(req, 422, "FIELD_REQUIRED", "version",
		    "La version des conditions d'utilisation acceptée est "
		    "manquante.");
		return;
	}
	rv = orga_terms_accept(req->db, s->user_id, version);
	if (rv == COM_ECONFLICT) {
		orga_http_reply_error(req, 409, "TERMS_OUTDATED", "version",
		    "Les conditions d'utilisation ont changé. Lisez la "
		    "nouvelle version avant de l'accepter.");
		return;
	}
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "terms accept");
		return;
	}
	orga_http_reply_json(req, 200,
	    json_pack("{s:i,s:b}", "version", version, "mustAcceptTerms", 0));
}
