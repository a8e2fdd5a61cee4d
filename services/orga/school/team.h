/*
 * team.h - a school's team: inviting many addresses at once, re-sending and
 * cancelling invitations, changing roles, removing members, leaving; each
 * change written to audit_log in its own transaction. The last ADMIN of a
 * school can never be removed, demoted or leave: checked here, with the
 * school's memberships locked.
 */
#ifndef ORGA_TEAM_H
#define ORGA_TEAM_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"
#include "school/address_list.h"
#include "school/invitation.h"
#include "school/organization.h"

#define ORGA_TEAM_INVITE_MAX 50     /* addresses in one request */
#define ORGA_TEAM_TOKEN_MAX ORGA_ADDRESS_PART_MAX /* kept of a wrong part */
#define ORGA_TEAM_AUDIT_LIMIT 100   /* entries listed by default */
#define ORGA_TEAM_AUDIT_MAX 1000

typedef enum orga_team_outcome {
	ORGA_TEAM_TO_SEND = 0,      /* parsed, not sent yet */
	ORGA_TEAM_INVALID,          /* not an e-mail address: nothing sent */
	ORGA_TEAM_INVITED,          /* a new invitation was sent */
	ORGA_TEAM_RESENT,           /* the pending invitation was re-sent */
	ORGA_TEAM_ALREADY_MEMBER,   /* a member has it: nothing sent */
} orga_team_outcome;

typedef struct orga_team_address {
	/* Normalised when valid; else the text typed (trimmed, cut to
	 * ORGA_TEAM_TOKEN_MAX bytes on a UTF-8 boundary). */
	char email[ORGA_TEAM_TOKEN_MAX + 4];
	orga_team_outcome outcome;
	int64_t invitation_id;      /* INVITED and RESENT */
} orga_team_address;

/*
 * orga_team_parse reads the pasted list text with orga_address_list_parse
 * (bare addresses or `Nom <adresse>`, separated by commas, semicolons,
 * spaces or new lines; normalised, repeats dropped, in order). Writes
 * the malloc'd array into *out (free() it; one element even when empty)
 * and its length into *count; outcomes are TO_SEND, or INVALID for a
 * refused part (kept as pasted).
 * COM_ETOOLARGE past ORGA_TEAM_INVITE_MAX distinct addresses. Pure.
 */
com_err orga_team_parse(const char *text, orga_team_address **out,
    int *count) COM_MUSTCHECK;

/*
 * orga_team_invite sends a MEMBER invitation with role to each TO_SEND
 * address of list (from orga_team_parse), in one transaction, and writes
 * each outcome: INVITED, RESENT (it was pending: same invitation, new
 * code, role updated) or ALREADY_MEMBER. Audited as invited or
 * invitation_resent by actor. The caller wakes the mailer after COM_OK.
 * On error nothing is sent and the outcomes are unspecified.
 */
com_err orga_team_invite(PGconn *db, const char *public_url,
    const orga_org *org, int64_t actor, orga_role role,
    orga_team_address *list, int count) COM_MUSTCHECK;

/*
 * orga_team_resend re-sends pending invitation inv_id of org with a new
 * code (the old link stops working), audited as invitation_resent. *out
 * is the invitation as now. COM_ENOTFOUND (not this school's),
 * COM_ECONFLICT (accepted or cancelled: *status, if not NULL, tells
 * which; 12 bytes), COM_EEXIST (the address became a member's).
 */
com_err orga_team_resend(PGconn *db, const char *public_url,
    const orga_org *org, int64_t actor, int64_t inv_id, orga_invitation *out,
    char *status) COM_MUSTCHECK;

/*
 * orga_team_cancel cancels pending invitation inv_id of org_id (its link
 * stops working), audited as invitation_cancelled. Errors as
 * orga_team_resend (without COM_EEXIST).
 */
com_err orga_team_cancel(PGconn *db, int64_t org_id, int64_t actor,
    int64_t inv_id, char *status) COM_MUSTCHECK;

/*
 * orga_team_set_role gives member user_id of org_id the role, audited as
 * role_changed (nothing written when it had that role already: *changed
 * false). *old receives the previous role. COM_EPERM (actor, when not 0,
 * is not an ADMIN of org_id once the team is locked), COM_ENOTFOUND (not
 * a member), COM_ECONFLICT (the last ADMIN would be demoted), COM_EBUSY
 * (a concurrent change: retry).
 */
com_err orga_team_set_role(PGconn *db, int64_t org_id, int64_t actor,
    int64_t user_id, orga_role role, orga_role *old, bool *changed)
    COM_MUSTCHECK;

/*
 * orga_team_remove ends the membership of user_id in org_id: audited as
 * removed, or left when actor is user_id. The person keeps their account
 * and sessions, but every request naming the school is refused from the
 * commit on. COM_EPERM (actor, not 0 nor user_id, is not an ADMIN once
 * the team is locked), COM_ENOTFOUND, COM_ECONFLICT (the last ADMIN),
 * COM_EBUSY.
 */
com_err orga_team_remove(PGconn *db, int64_t org_id, int64_t actor,
    int64_t user_id) COM_MUSTCHECK;

typedef enum orga_audit_action {
	ORGA_AUDIT_INVITED = 0,
	ORGA_AUDIT_RESENT,
	ORGA_AUDIT_CANCELLED,
	ORGA_AUDIT_JOINED,
	ORGA_AUDIT_ROLE_CHANGED,
	ORGA_AUDIT_REMOVED,
	ORGA_AUDIT_LEFT,
} orga_audit_action;

/* orga_audit_action_name: "invited", ... as stored in audit_log.action. */
const char *orga_audit_action_name(orga_audit_action action);

/*
 * orga_team_audit_add writes one audit_log row inside the caller's
 * transaction. actor 0 is an operator, target_user 0 and target_email
 * NULL are left empty (one of them is needed); ORGA_ROLE_NONE roles are
 * left empty.
 */
com_err orga_team_audit_add(PGconn *db, int64_t org_id, int64_t actor,
    orga_audit_action action, int64_t target_user, const char *target_email,
    orga_role old_role, orga_role new_role) COM_MUSTCHECK;

typedef struct orga_audit_entry {
	int64_t id;
	char action[24];
	char created_at[40];      /* ISO 8601 UTC */
	int64_t actor_user_id;    /* 0: an operator */
	char actor_first_name[ORGA_NAME_MAX];
	char actor_last_name[ORGA_NAME_MAX];
	char actor_email[COM_EMAIL_MAX + 1];
	int64_t target_user_id;   /* 0: an address only (invitations) */
	char target_first_name[ORGA_NAME_MAX];
	char target_last_name[ORGA_NAME_MAX];
	char target_email[COM_EMAIL_MAX + 1];
	char old_role[8];         /* "ADMIN", "MEMBER" or "" */
	char new_role[8];
} orga_audit_entry;

/*
 * orga_team_audit_list returns up to limit (1..ORGA_TEAM_AUDIT_MAX)
 * entries of org_id, newest first, with ids below before (0: from the
 * newest), in a malloc'd array (*out, free() it) of *count.
 */
com_err orga_team_audit_list(PGconn *db, int64_t org_id, int64_t before,
    int limit, orga_audit_entry **out, int *count) COM_MUSTCHECK;

#endif
