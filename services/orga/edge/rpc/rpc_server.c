/* rpc_server.c - OrgaRequest handlers: schools, invitations, terms. */
#include "edge/rpc/rpc_server.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "school/invitation.h"
#include "log.h"
#include "notify.h"
#include "school/organization.h"
#include "edge/rpc/rpc_call.h"
#include "school/team_rpc.h"
#include "account/user_rpc.h"
#include "school/team.h"
#include "account/terms.h"
#include "validate.h"

void
orga_rpc_fail(orga_rpc_call *call, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(call->message, sizeof(call->message), fmt, ap);
	va_end(ap);
	orga__rpc_error__init(&call->error);
	call->error.code = (char *)code;
	call->error.message = call->message;
	call->reply.error = &call->error;
	com_log_info("rpc: refused: %s", code);
}

void
orga_rpc_fail_internal(orga_rpc_call *call, com_err err)
{
	orga_rpc_fail(call, com_err_name(err),
	    "Erreur interne (%s) : réessayez ; si elle persiste, consultez le "
	    "journal d'orga.",
	    com_strerror(err));
}

/* Storage for one school's message with its lists. */
typedef struct orga_rpc_org {
	Orga__Organization msg;
	Orga__Invitation *inv_msgs;
	Orga__Invitation **inv_ptrs;
	Orga__Member *mem_msgs;
	Orga__Member **mem_ptrs;
	orga_invitation *invitations;
	orga_member *members;
} orga_rpc_org;

static void
orga_rpc_org_msg(const orga_org *org, Orga__Organization *msg)
{
	orga__organization__init(msg);
	msg->id = org->id;
	msg->uai = (char *)org->uai;
	msg->name = (char *)org->name;
	msg->type = (char *)org->type;
	msg->email = (char *)org->email;
	msg->created_at = (char *)org->created_at;
}

static void
orga_rpc_invitation_msg(const orga_invitation *inv, Orga__Invitation *msg)
{
	orga__invitation__init(msg);
	msg->id = inv->id;
	msg->email = (char *)inv->email;
	msg->role = (char *)orga_role_name(inv->role);
	msg->status = (char *)inv->status;
	msg->created_at = (char *)inv->created_at;
	msg->updated_at = (char *)inv->updated_at;
}

static void
orga_rpc_org_fini(orga_rpc_org *o)
{
	free(o->inv_msgs);
	free(o->inv_ptrs);
	free(o->mem_msgs);
	free(o->mem_ptrs);
	free(o->invitations);
	free(o->members);
}

/* orga_rpc_org_load fills o with org, its pending invitations, members. */
static com_err
orga_rpc_org_load(PGconn *db, const orga_org *org, orga_rpc_org *o)
{
	int ninv = 0, nmem = 0;
	com_err rv;

	memset(o, 0, sizeof(*o));
	orga_rpc_org_msg(org, &o->msg);
	rv = orga_invitation_list_pending(db, org->id, &o->invitations, &ninv);
	if (rv != COM_OK)
		return rv;
	rv = orga_member_list(db, org->id, &o->members, &nmem);
	if (rv != COM_OK)
		return rv;
	o->inv_msgs = calloc((size_t)ninv + 1, sizeof(*o->inv_msgs));
	o->inv_ptrs = calloc((size_t)ninv + 1, sizeof(*o->inv_ptrs));
	o->mem_msgs = calloc((size_t)nmem + 1, sizeof(*o->mem_msgs));
	o->mem_ptrs = calloc((size_t)nmem + 1, sizeof(*o->mem_ptrs));
	if (o->inv_msgs == NULL || o->inv_ptrs == NULL ||
	    o->mem_msgs == NULL || o->mem_ptrs == NULL)
		return COM_ENOMEM;
	for (int i = 0; i < ninv; i++) {
		orga_rpc_invitation_msg(&o->invitations[i], &o->inv_msgs[i]);
		o->inv_ptrs[i] = &o->inv_msgs[i];
	}
	for (int i = 0; i < nmem; i++) {
		Orga__Member *m = &o->mem_msgs[i];

		orga__member__init(m);
		m->user_id = o->members[i].user_id;
		m->first_name = o->members[i].first_name;
		m->last_name = o->members[i].last_name;
		m->email = o->members[i].email;
		m->role = (char *)orga_role_name(o->members[i].role);
		m->joined_at = o->members[i].joined_at;
		o->mem_ptrs[i] = m;
	}
	o->msg.n_invitations = (size_t)ninv;
	o->msg.invitations = o->inv_ptrs;
	o->msg.n_members = (size_t)nmem;
	o->msg.members = o->mem_ptrs;
	return COM_OK;
}

bool
orga_rpc_uai_or_fail(orga_rpc_call *call, const char *uai,
    char out[COM_UAI_SIZE])
{
	if (com_uai_normalize(uai, out) == COM_OK)
		return true;
	orga_rpc_fail(call, "UAI_INVALID",
	    "L'UAI « %s » n'est pas valide : 7 chiffres suivis d'une lettre "
	    "sont attendus (exemple : 0123456A).",
	    uai);
	return false;
}

bool
orga_rpc_org_or_fail(orga_rpc_call *call, const char *uai_in, orga_org *org)
{
	char uai[COM_UAI_SIZE];
	com_err rv;

	if (!orga_rpc_uai_or_fail(call, uai_in, uai))
		return false;
	rv = orga_org_get_by_uai(call->db, uai, org);
	if (rv == COM_ENOTFOUND)
		orga_rpc_fail(call, "ORGANIZATION_NOT_FOUND",
		    "Aucun établissement n'a l'UAI %s.", uai);
	else if (rv != COM_OK)
		orga_rpc_fail_internal(call, rv);
	return rv == COM_OK;
}

static void
orga_rpc_invite_failed(orga_rpc_call *call, com_err rv, const char *email,
    const orga_org *org)
{
	if (rv == COM_ECONFLICT)
		orga_rpc_fail(call, "ALREADY_MEMBER",
		    "%s est déjà membre de « %s » : aucune invitation envoyée.",
		    email, org->name);
	else
		orga_rpc_fail_internal(call, rv);
}

static void
orga_rpc_invitation_reply(const orga_invitation_sent *sent,
    Orga__Invitation *msg)
{
	orga_rpc_invitation_msg(&sent->invitation, msg);
}

static com_err
orga_rpc_org_create(orga_rpc_call *call, const Orga__OrgCreateRequest *req,
    com_buf *out)
{
	Orga__OrgCreateReply body = ORGA__ORG_CREATE_REPLY__INIT;
	Orga__Organization org_msg;
	Orga__Invitation inv_msg;
	orga_invitation_sent sent;
	char uai[COM_UAI_SIZE];
	char email[COM_EMAIL_MAX + 1];
	orga_org org;
	com_err rv;

	if (!orga_rpc_uai_or_fail(call, req->uai, uai))
		return com_rpc_pack(&call->reply.base, out);
	if (req->name[0] == '\0' || strlen(req->name) > 255) {
		orga_rpc_fail(call, "NAME_INVALID",
		    "Le nom de l'établissement est obligatoire (255 caractères "
		    "au plus).");
		return com_rpc_pack(&call->reply.base, out);
	}
	if (com_email_normalize(req->email, email, sizeof(email)) != COM_OK) {
		orga_rpc_fail(call, "EMAIL_INVALID",
		    "L'adresse e-mail « %s » n'est pas valide.", req->email);
		return com_rpc_pack(&call->reply.base, out);
	}
	if (req->type[0] != '\0' && strcmp(req->type, "SCO") != 0 &&
	    strcmp(req->type, "PRO") != 0 && strcmp(req->type, "SUP") != 0) {
		orga_rpc_fail(call, "TYPE_INVALID",
		    "Le type « %s » n'existe pas : SCO, PRO ou SUP.", req->type);
		return com_rpc_pack(&call->reply.base, out);
	}
	rv = com_db_begin(call->db);
	if (rv != COM_OK)
		goto failed;
	rv = orga_org_insert(call->db, uai, req->name, req->type, email, &org);
	if (rv == COM_EEXIST) {
		com_db_rollback(call->db);
		if (orga_org_get_by_uai(call->db, uai, &org) != COM_OK)
			snprintf(org.name, sizeof(org.name), "?");
		orga_rpc_fail(call, "UAI_TAKEN",
		    "Un établissement avec l'UAI %s existe déjà (« %s »).", uai,
		    org.name);
		return com_rpc_pack(&call->reply.base, out);
	}
	if (rv == COM_OK)
		rv = orga_invitation_send(call->db, call->app->public_url, &org,
		    email, ORGA_ROLE_ADMIN, ORGA_INVITATION_ACTIVATION, 0, &sent);
	if (rv == COM_OK)
		rv = orga_team_audit_add(call->db, org.id, 0, ORGA_AUDIT_INVITED,
		    0, email, ORGA_ROLE_NONE, ORGA_ROLE_ADMIN);
	if (rv == COM_OK)
		rv = com_db_commit(call->db);
	if (rv != COM_OK) {
		com_db_rollback(call->db);
		goto failed;
	}
	orga_notify_mailer(call->app->notify);
	com_log_notice("rpc: organization %" PRId64 " created", org.id);
	orga_rpc_org_msg(&org, &org_msg);
	orga_rpc_invitation_reply(&sent, &inv_msg);
	body.organization = &org_msg;
	body.invitation = &inv_msg;
	body.invitation_link = sent.link;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_ORG_CREATE;
	call->reply.org_create = &body;
	return com_rpc_pack(&call->reply.base, out);
failed:
	orga_rpc_fail_internal(call, rv);
	return com_rpc_pack(&call->reply.base, out);
}

static com_err
orga_rpc_org_invite(orga_rpc_call *call, const Orga__OrgInviteRequest *req,
    com_buf *out)
{
	Orga__OrgInviteReply body = ORGA__ORG_INVITE_REPLY__INIT;
	Orga__Invitation inv_msg;
	orga_invitation_sent sent;
	char email[COM_EMAIL_MAX + 1];
	orga_role role = ORGA_ROLE_ADMIN;
	orga_org org;
	com_err rv;

	if (!orga_rpc_org_or_fail(call, req->uai, &org))
		return com_rpc_pack(&call->reply.base, out);
	if (com_email_normalize(req->email, email, sizeof(email)) != COM_OK) {
		orga_rpc_fail(call, "EMAIL_INVALID",
		    "L'adresse e-mail « %s » n'est pas valide.", req->email);
		return com_rpc_pack(&call->reply.base, out);
	}
	if (req->role[0] != '\0' && orga_role_parse(req->role, &role) != COM_OK) {
		orga_rpc_fail(call, "ROLE_INVALID",
		    "Le rôle « %s » n'existe pas : ADMIN ou MEMBER.", req->role);
		return com_rpc_pack(&call->reply.base, out);
	}
	rv = com_db_begin(call->db);
	if (rv == COM_OK)
		/* The school's own mailbox may be opened by its head or its
		 * référent: anyone holding that link may accept it. */
		rv = orga_invitation_send(call->db, call->app->public_url, &org,
		    email, role,
		    strcmp(email, org.email) == 0 ? ORGA_INVITATION_ACTIVATION
		                                  : ORGA_INVITATION_MEMBER,
		    0, &sent);
	if (rv == COM_OK)
		rv = orga_team_audit_add(call->db, org.id, 0,
		    sent.resent ? ORGA_AUDIT_RESENT : ORGA_AUDIT_INVITED, 0, email,
		    ORGA_ROLE_NONE, role);
	if (rv == COM_OK)
		rv = com_db_commit(call->db);
	if (rv != COM_OK) {
		com_db_rollback(call->db);
		orga_rpc_invite_failed(call, rv, email, &org);
		return com_rpc_pack(&call->reply.base, out);
	}
	orga_notify_mailer(call->app->notify);
	orga_rpc_invitation_reply(&sent, &inv_msg);
	body.invitation = &inv_msg;
	body.invitation_link = sent.link;
	body.resent = sent.resent;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_ORG_INVITE;
	call->reply.org_invite = &body;
	return com_rpc_pack(&call->reply.base, out);
}

static com_err
orga_rpc_org_show(orga_rpc_call *call, const Orga__OrgShowRequest *req,
    com_buf *out)
{
	Orga__OrgShowReply body = ORGA__ORG_SHOW_REPLY__INIT;
	orga_rpc_org o;
	orga_org org;
	com_err rv;

	if (!orga_rpc_org_or_fail(call, req->uai, &org))
		return com_rpc_pack(&call->reply.base, out);
	rv = orga_rpc_org_load(call->db, &org, &o);
	if (rv != COM_OK) {
		orga_rpc_org_fini(&o);
		orga_rpc_fail_internal(call, rv);
		return com_rpc_pack(&call->reply.base, out);
	}
	body.organization = &o.msg;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_ORG_SHOW;
	call->reply.org_show = &body;
	rv = com_rpc_pack(&call->reply.base, out);
	orga_rpc_org_fini(&o);
	return rv;
}

static com_err
orga_rpc_org_list(orga_rpc_call *call, com_buf *out)
{
	Orga__OrgListReply body = ORGA__ORG_LIST_REPLY__INIT;
	Orga__Organization *msgs = NULL;
	Orga__Organization **ptrs = NULL;
	orga_org *orgs = NULL;
	PGresult *res = NULL;
	com_err rv;
	int n;

	rv = com_db_exec(call->db,
	    "SELECT id FROM organizations ORDER BY uai", 0, NULL, &res);
	if (rv != COM_OK)
		goto out;
	n = PQntuples(res);
	orgs = calloc((size_t)n + 1, sizeof(*orgs));
	msgs = calloc((size_t)n + 1, sizeof(*msgs));
	ptrs = calloc((size_t)n + 1, sizeof(*ptrs));
	if (orgs == NULL || msgs == NULL || ptrs == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	for (int i = 0; i < n && rv == COM_OK; i++) {
		rv = orga_org_get(call->db,
		    strtoll(PQgetvalue(res, i, 0), NULL, 10), &orgs[i]);
		orga_rpc_org_msg(&orgs[i], &msgs[i]);
		ptrs[i] = &msgs[i];
	}
	if (rv != COM_OK)
		goto out;
	body.n_organizations = (size_t)n;
	body.organizations = ptrs;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_ORG_LIST;
	call->reply.org_list = &body;
out:
	if (rv != COM_OK)
		orga_rpc_fail_internal(call, rv);
	rv = com_rpc_pack(&call->reply.base, out);
	PQclear(res);
	free(ptrs);
	free(msgs);
	free(orgs);
	return rv;
}

static com_err
orga_rpc_terms_publish(orga_rpc_call *call,
    const Orga__TermsPublishRequest *req, com_buf *out)
{
	Orga__TermsPublishReply body = ORGA__TERMS_PUBLISH_REPLY__INIT;
	int version;
	com_err rv;

	if (strspn(req->body, " \t\r\n") == strlen(req->body)) {
		orga_rpc_fail(call, "TERMS_EMPTY",
		    "Le texte des conditions d'utilisation est vide.");
		return com_rpc_pack(&call->reply.base, out);
	}
	rv = orga_terms_publish(call->db, req->body, &version);
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		return com_rpc_pack(&call->reply.base, out);
	}
	com_log_notice("rpc: terms version %d published", version);
	body.version = version;
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_TERMS_PUBLISH;
	call->reply.terms_publish = &body;
	return com_rpc_pack(&call->reply.base, out);
}

static com_err
orga_rpc_register(orga_rpc_call *call, const Orga__RegisterRequest *req,
    com_buf *out)
{
	Orga__RegisterReply body = ORGA__REGISTER_REPLY__INIT;
	char pid[16];
	const char *params[3] = {req->service, req->url, pid};
	com_err rv;

	snprintf(pid, sizeof(pid), "%d", (int)req->pid);
	rv = com_db_exec(call->db,
	    "INSERT INTO service_instances (service, url, pid) "
	    "VALUES ($1, $2, $3) ON CONFLICT (service, url) DO UPDATE "
	    "SET pid = excluded.pid, started_at = now()",
	    3, params, NULL);
	if (rv != COM_OK) {
		orga_rpc_fail_internal(call, rv);
		return com_rpc_pack(&call->reply.base, out);
	}
	com_log_info("rpc: %s registered (pid %d)", req->service,
	    (int)req->pid);
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_REGISTER;
	call->reply.register_ = &body;
	return com_rpc_pack(&call->reply.base, out);
}

static com_err
orga_rpc_health(orga_rpc_call *call, com_buf *out)
{
	Orga__HealthReply body = ORGA__HEALTH_REPLY__INIT;

	body.service = "orga";
	body.version = (char *)call->app->version;
	body.pid = (int32_t)getpid();
	body.database_ok = com_db_ping(call->db);
	call->reply.body_case = ORGA__ORGA_REPLY__BODY_HEALTH;
	call->reply.health = &body;
	return com_rpc_pack(&call->reply.base, out);
}

static com_err
orga_rpc_dispatch(orga_rpc_call *call, const Orga__OrgaRequest *req,
    com_buf *out)
{
	switch (req->body_case) {
	case ORGA__ORGA_REQUEST__BODY_HEALTH:
		return orga_rpc_health(call, out);
	case ORGA__ORGA_REQUEST__BODY_REGISTER:
		return orga_rpc_register(call, req->register_, out);
	case ORGA__ORGA_REQUEST__BODY_ORG_CREATE:
		return orga_rpc_org_create(call, req->org_create, out);
	case ORGA__ORGA_REQUEST__BODY_ORG_LIST:
		return orga_rpc_org_list(call, out);
	case ORGA__ORGA_REQUEST__BODY_ORG_SHOW:
		return orga_rpc_org_show(call, req->org_show, out);
	case ORGA__ORGA_REQUEST__BODY_ORG_INVITE:
		return orga_rpc_org_invite(call, req->org_invite, out);
	case ORGA__ORGA_REQUEST__BODY_TERMS_PUBLISH:
		return orga_rpc_terms_publish(call, req->terms_publish, out);
	case ORGA__ORGA_REQUEST__BODY_IMPORT_START:
		return orga_rpc_import_start(call, req->import_start, out);
	case ORGA__ORGA_REQUEST__BODY_IMPORT_CHUNK:
		return orga_rpc_import_chunk(call, req->import_chunk, out);
	case ORGA__ORGA_REQUEST__BODY_IMPORT_END:
		return orga_rpc_import_end(call, req->import_end, out);
	case ORGA__ORGA_REQUEST__BODY_IMPORT_STATUS:
		return orga_rpc_import_status(call, req->import_status, out);
	case ORGA__ORGA_REQUEST__BODY_LEARNERS_LIST:
		return orga_rpc_learners_list(call, req->learners_list, out);
	case ORGA__ORGA_REQUEST__BODY_TOKEN_CREATE:
		return orga_rpc_token_create(call, req->token_create, out);
	case ORGA__ORGA_REQUEST__BODY_AUDIT:
		return orga_rpc_audit(call, req->audit, out);
	case ORGA__ORGA_REQUEST__BODY_USER_SHOW:
		return orga_rpc_user_show(call, req->user_show, out);
	case ORGA__ORGA_REQUEST__BODY_USER_UNBLOCK:
		return orga_rpc_user_unblock(call, req->user_unblock, out);
	case ORGA__ORGA_REQUEST__BODY_CONTENT_PUBLISH:
		return orga_rpc_content_publish(call, req->content_publish, out);
	case ORGA__ORGA_REQUEST__BODY_CONTENT_SHOW:
		return orga_rpc_content_show(call, out);
	default:
		orga_rpc_fail(call, "UNKNOWN_REQUEST",
		    "Requête inconnue : orgactl et orga n'ont pas la même "
		    "version ?");
		return com_rpc_pack(&call->reply.base, out);
	}
}

static com_err
orga_rpc_handle(void *arg, const uint8_t *data, size_t len, com_buf *out)
{
	orga_rpc_call call;
	Orga__OrgaRequest *req;
	com_err rv;

	memset(&call, 0, sizeof(call));
	call.app = arg;
	orga__orga_reply__init(&call.reply);
	req = orga__orga_request__unpack(NULL, len, data);
	if (req == NULL) {
		orga_rpc_fail(&call, "BAD_REQUEST", "Requête illisible.");
		return com_rpc_pack(&call.reply.base, out);
	}
	rv = com_db_pool_acquire(call.app->db, &call.db);
	if (rv != COM_OK) {
		orga_rpc_fail(&call, "DATABASE_UNAVAILABLE",
		    "La base de données ne répond pas ; réessayez dans un "
		    "instant.");
		rv = com_rpc_pack(&call.reply.base, out);
	} else {
		rv = orga_rpc_dispatch(&call, req, out);
		com_db_pool_release(call.app->db, call.db);
	}
	orga__orga_request__free_unpacked(req, NULL);
	return rv;
}

com_err
orga_rpc_start(orga_app *app, int nworkers, com_rpc_server **out)
{
	return com_rpc_server_start(app->cfg.orga_rpc_url, nworkers,
	    orga_rpc_handle, app, out);
}
