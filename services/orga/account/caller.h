/*
 * caller.h - who calls an HTTP route (a browser session or a personal
 * API token) and whether they belong to a school: the "..._or_reply"
 * loaders route handlers start with. Each either returns what it loaded
 * or has already answered (401, 403, 404, 503).
 */
#ifndef ORGA_CALLER_H
#define ORGA_CALLER_H

#include <stdbool.h>
#include <stdint.h>

#include "account/session.h"
#include "edge/http/http_request.h"
#include "err.h"
#include "school/organization.h"

/*
 * orga_caller_session lookups the session of the cookie (once per
 * request, on the request's connection). *out is NULL when there is none
 * (no cookie, unknown or expired); it lives with the request. Errors are
 * database errors, not answered.
 */
com_err orga_caller_session(orga_req *req, const orga_session **out)
    COM_MUSTCHECK;

/*
 * orga_caller_session_or_reply returns the caller's session (lives with
 * the request), or NULL after answering 401 NOT_AUTHENTICATED (clearing a
 * stale cookie), or (a state change whose X-CSRF-Token is not the
 * session's) 403 CSRF_INVALID.
 */
const orga_session *orga_caller_session_or_reply(orga_req *req);

/*
 * orga_caller_or_reply returns the caller's user id, from
 * "Authorization: Bearer TOKEN" when that header is present (a personal
 * API token; no CSRF check: browsers never send it by themselves), else
 * from the session cookie as orga_caller_session_or_reply (CSRF checked).
 * Returns 0 after answering 401 TOKEN_INVALID (malformed, unknown or
 * revoked token, or another scheme), 401 NOT_AUTHENTICATED, 403
 * CSRF_INVALID or an internal error.
 */
int64_t orga_caller_or_reply(orga_req *req);

/*
 * orga_caller_cookie_token: the session cookie's token read by
 * orga_caller_session ("" when none, or not looked at yet). Lives with
 * the request.
 */
const char *orga_caller_cookie_token(orga_req *req);

/*
 * orga_caller_member_or_reply checks that the logged-in user belongs to
 * school org_id and writes the role; false after answering 404
 * ORGANIZATION_NOT_FOUND (also for a school that exists: outsiders learn
 * nothing) or an internal error.
 */
bool orga_caller_member_or_reply(orga_req *req, const orga_session *s,
    int64_t org_id, orga_role *role);

/* orga_caller_user_member_or_reply: the same for user_id (any caller). */
bool orga_caller_user_member_or_reply(orga_req *req, int64_t user_id,
    int64_t org_id, orga_role *role);

#endif
