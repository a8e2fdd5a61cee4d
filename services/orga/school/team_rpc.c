/* rpc_team.c - orgactl audit: a school's team audit log over nng. */
#include "school/team_rpc.h"

#include <stdio.h>
#include <stdlib.h>

#include "rpc.h"
#include "school/team.h"

/* Names joined for the operator: "Prénom Nom", or "" for none. */
typedef struct rpc_team_names {
	char actor[2 * ORGA_NAME_MAX + 1];
	char target[2 * ORGA_NAME_MAX + 1];
} rpc_team_names;

static void
rpc_team_entry(const orga_audit_entry *e, rpc_team_names *names,
    Orga__AuditEntry *msg)
{
	orga__audit_entry__init(msg);
	snprintf(names->actor, sizeof(names->actor), "%s%s%s",
	    e->actor_first_name, e->actor_first_name[0] != '\0' ? " " : "",
	    e->actor_last_name);
	snprintf(names->target, sizeof(names->target), "%s%s%s",
	    e->target_first_name, e->target_first_name[0] != '\0' ? " " : "",
	    e->target_last_name);
	msg->id = e->id;
	msg->action = (char *)e->action;
	msg->created_at = (char *)e->created_at;
	msg->actor_user_id = e->actor_user_id;
	msg->actor_name = names->actor;
	msg->actor_email = (char *)e->actor_email;
	msg->target_user_id = e->target_user_id;
	msg->target_name = names->target;
	msg->target_email = (char *)e->target_email;
	msg->old_role = (char *)e->old_role;
	msg->new_role = (char *)e->new_role;
}

com_err
orga_rpc_audit(orga_rpc_call *call, const Orga__AuditRequest *req,
    com_buf *out)
{
	Orga__AuditReply body = ORGA__AUDIT_REPLY__INIT;
	Orga__Organization org_msg = ORGA__ORGANIZATION__INIT;
	orga_audit_entry *list = NULL;
	rpc_team_names *names = NULL;
	Orga__AuditEntry *msgs = NULL;
	Orga__AuditEntry **ptrs = NULL;
	int limit = req->limit > 0 ? req->limit : ORGA_TEAM_AUDIT_LIMIT;
	orga_org org;
	int n = 0;
	com_err rv;

	if (!orga_rpc_org_or_fail(call, req->uai, &org))
		return com_rpc_pack(&call->reply.base, out);
	if (limit > ORGA_TEAM_AUDIT_MAX) {
		orga_rpc_fail(call, "LIMIT_INVALID",
		    "Le nombre d'événements demandé dépasse %d.",
		    ORGA_TEAM_AUDIT_MAX);
		return com_rpc_pack(&call->reply.base, out);
	}
	rv = orga_team_audit_list(call->db, org.id, 0, limit, &list, &n);
	if (rv != COM_OK)
		goto out;
	names = calloc((size_t)n + 1, sizeof(*names));
	msgs = calloc((size_t)n + 1, sizeof(*msgs));
	ptrs = calloc((size_t)n + 1, sizeof(*ptrs));
	if (names == NULL || msgs == NULL || ptrs == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		rpc_team_entry(&list[i], &names[i], &msgs[i]);
		ptrs[i] = &msgs[i];
	}
	org_msg.id = org.id;
	org_msg.uai = org.uai;
	org_msg.name = org.name;
	org_msg.type = org.type;
	org_msg.email = org.email;
	org_msg.created_at = org.created_at;
	body.organization = &org_msg;
	body.n_entries = (size_t)n;
	body.entries = ptrs;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_AUDIT;
	call->reply.audit = &body;
out:
	if (rv != COM_OK)
		orga_rpc_fail_internal(call, rv);
	rv = com_rpc_pack(&call->reply.base, out);
	free(ptrs);
	free(msgs);
	free(names);
	free(list);
	return rv;
}
