/* user_rpc.c - orgactl user show and user unblock over nng. */
#include "account/user_rpc.h"

#include <stdlib.h>

#include "account/account.h"
#include "account/account_status.h"
#include "rpc.h"
#include "validate.h"

/* What one reply points to while it is packed. */
typedef struct user_rpc_body {
	orga_account_status st;
	orga_user_membership *list;
	Orga__UserMembership *msgs;
	Orga__UserMembership **ptrs;
	char *methods[2];
} user_rpc_body;

static void
user_rpc_body_fini(user_rpc_body *b)
{
	free(b->ptrs);
	free(b->msgs);
	free(b->list);
}

/* Fills msg from b->st and the account's schools. */
static com_err
user_rpc_fill(orga_rpc_call *call, user_rpc_body *b, Orga__UserReply *msg)
{
	int n = 0, k = 0;
	com_err rv;

	rv = orga_account_memberships(call->db, b->st.id, &b->list, &n);
	if (rv != COM_OK)
		return rv;
	b->msgs = calloc((size_t)n + 1, sizeof(*b->msgs));
	b->ptrs = calloc((size_t)n + 1, sizeof(*b->ptrs));
	if (b->msgs == NULL || b->ptrs == NULL)
		return COM_ENOMEM;
	for (int i = 0; i < n; i++) {
		orga__user_membership__init(&b->msgs[i]);
		b->msgs[i].uai = b->list[i].uai;
		b->msgs[i].name = b->list[i].name;
		b->msgs[i].role = (char *)orga_role_name(b->list[i].role);
		b->ptrs[i] = &b->msgs[i];
	}
	if (b->st.password)
		b->methods[k++] = "PASSWORD";
	if (b->st.gar)
		b->methods[k++] = "GAR";
	msg->id = b->st.id;
	msg->first_name = b->st.first_name;
	msg->last_name = b->st.last_name;
	msg->email = b->st.email;
	msg->login = b->st.login;
	msg->n_login_methods = (size_t)k;
	msg->login_methods = b->methods;
	msg->must_change_password = b->st.must_change_password;
	msg->failed_logins = b->st.failed_logins;
	msg->blocked = b->st.blocked;
	msg->blocked_forever = b->st.blocked_forever;
	msg->blocked_until = b->st.blocked_until;
	msg->last_login_at = b->st.last_login_at;
	msg->created_at = b->st.created_at;
	msg->n_memberships = (size_t)n;
	msg->memberships = b->ptrs;
	return COM_OK;
}

static com_err
user_rpc_answer(orga_rpc_call *call, const Orga__UserRequest *req,
    bool unblock, com_buf *out)
{
	Orga__UserReply msg = ORGA__USER_REPLY__INIT;
	char email[COM_EMAIL_MAX + 1];
	user_rpc_body b = {0};
	bool was_blocked = false;
	com_err rv;

	if (com_email_normalize(req->email, email, sizeof(email)) != COM_OK) {
		orga_rpc_fail(call, "EMAIL_INVALID",
		    "L'adresse e-mail « %s » n'est pas valide.", req->email);
		return com_rpc_pack(&call->reply.base, out);
	}
	rv = orga_account_status_by_email(call->db, email, &b.st);
	if (rv == COM_OK && unblock) {
		was_blocked = b.st.blocked || b.st.failed_logins > 0;
		rv = orga_account_unblock_email(call->db, email, &b.st);
	}
	if (rv == COM_ENOTFOUND) {
		orga_rpc_fail(call, "USER_NOT_FOUND",
		    "Aucun compte n'a l'adresse %s.", email);
		goto out;
	}
	if (rv == COM_OK)
		rv = user_rpc_fill(call, &b, &msg);
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		goto out;
	}
	msg.unblocked = was_blocked;
	if (unblock) {
		call->reply.body_case = ORGA__ORGA_REPLY__BODY_USER_UNBLOCK;
		call->reply.user_unblock = &msg;
	} else {
		call->reply.body_case = ORGA__ORGA_REPLY__BODY_USER_SHOW;
		call->reply.user_show = &msg;
	}
out:
	rv = com_rpc_pack(&call->reply.base, out);
	user_rpc_body_fini(&b);
	return rv;
}

com_err
orga_rpc_user_show(orga_rpc_call *call, const Orga__UserRequest *req,
    com_buf *out)
{
	return user_rpc_answer(call, req, false, out);
}

com_err
orga_rpc_user_unblock(orga_rpc_call *call, const Orga__UserRequest *req,
    com_buf *out)
{
	return user_rpc_answer(call, req, true, out);
}
