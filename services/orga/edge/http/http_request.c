/*
 * http_request.c - the request context of the HTTP edge: memory and
 * clean-ups that live with the request, headers, query, the body parsed
 * as JSON, and the request's PostgreSQL connection.
 */
#include "edge/http/http_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "edge/http/http_reply.h"

struct orga_req_cleanup {
	orga_req_cleanup *next;
	void (*fn)(void *);
	void *ptr;
};

void *
orga_req_alloc(orga_req *req, size_t size)
{
	void *p = calloc(1, size > 0 ? size : 1);

	if (p == NULL)
		return NULL;
	if (orga_req_defer(req, free, p) != COM_OK)
		return NULL;
	return p;
}

com_err
orga_req_defer(orga_req *req, void (*fn)(void *), void *ptr)
{
	orga_req_cleanup *c = malloc(sizeof(*c));

	if (c == NULL) {
		fn(ptr);
		return COM_ENOMEM;
	}
	c->fn = fn;
	c->ptr = ptr;
	c->next = req->cleanups;
	req->cleanups = c;
	return COM_OK;
}

const char *
orga_req_header(orga_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
orga_req_cookie(orga_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *
orga_req_query(orga_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

bool
orga_req_query_has(orga_req *req, const char *name)
{
	const char *value = NULL;
	size_t size = 0;

	return MHD_lookup_connection_value_n(req->conn, MHD_GET_ARGUMENT_KIND,
	           name, strlen(name), &value, &size) == MHD_YES;
}

bool
orga_req_is_write(const orga_req *req)
{
	return strcmp(req->method, "POST") == 0 ||
	    strcmp(req->method, "PUT") == 0 ||
	    strcmp(req->method, "PATCH") == 0 ||
	    strcmp(req->method, "DELETE") == 0;
}

void
orga_req_set_cookie(orga_req *req, const char *value)
{
	snprintf(req->set_cookie, sizeof(req->set_cookie), "%s", value);
}

orga_req *
orga_req_new(orga_app *app, struct MHD_Connection *conn, const char *url,
    const char *method, size_t max_body)
{
	orga_req *req = calloc(1, sizeof(*req));

	if (req == NULL)
		return NULL;
	req->app = app;
	req->conn = conn;
	req->method = method;
	req->url = url;
	req->content_length = -1;
	com_buf_init(&req->body, max_body);
	return req;
}

void
orga_req_free(orga_req *req)
{
	orga_req_cleanup *c;

	if (req == NULL)
		return;
	orga_req_db_release(req);
	while (req->cleanups != NULL) {
		c = req->cleanups;
		req->cleanups = c->next;
		c->fn(c->ptr);
		free(c);
	}
	if (req->held != NULL)
		MHD_destroy_response(req->held);
	json_decref(req->json);
	com_buf_fini(&req->body);
	free(req);
}

void
orga_req_db_release(orga_req *req)
{
	if (req->db != NULL) {
		com_db_pool_release(req->app->db, req->db);
		req->db = NULL;
	}
}

com_err
orga_req_db(orga_req *req, PGconn **out)
{
	PGconn *db;
	com_err rv;

	if (req->db == NULL) {
		rv = com_db_pool_acquire(req->app->db, &db);
		if (rv != COM_OK)
			return rv == COM_ENOMEM ? rv : COM_EDB;
		req->db = db;
	}
	*out = req->db;
	return COM_OK;
}

PGconn *
orga_req_db_or_reply(orga_req *req)
{
	PGconn *db;
	com_err rv;

	rv = orga_req_db(req, &db);
	if (rv != COM_OK) {
		orga_http_reply_internal(req, rv, "database connection");
		return NULL;
	}
	return db;
}

json_t *
orga_req_json_or_reply(orga_req *req)
{
	json_error_t jerr;

	if (req->json != NULL)
		return req->json;
	req->json = json_loadb(req->body.data != NULL ? req->body.data : "",
	    req->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (req->json == NULL || !json_is_object(req->json)) {
		json_decref(req->json);
		req->json = NULL;
		orga_http_reply_error(req, 400, "BAD_JSON", NULL,
		    "La requête est mal formée : un objet JSON est attendu.");
		return NULL;
	}
	return req->json;
}
