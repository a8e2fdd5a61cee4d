/*
 * invitation.h - invitations to join a school. The code in the link is
 * random (COM_TOKEN_ALPHABET_UNAMBIGUOUS, ORGA_INVITATION_CODE_LEN chars);
 * only its SHA-256 is stored, so re-sending an invitation issues a new code
 * on the same invitation (the newest e-mail's link is the one that works).
 */
#ifndef ORGA_INVITATION_H
#define ORGA_INVITATION_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"
#include "school/organization.h"

#define ORGA_INVITATION_CODE_LEN 20

typedef enum orga_invitation_kind {
	ORGA_INVITATION_ACTIVATION, /* to the school's mailbox: any account */
	ORGA_INVITATION_MEMBER,     /* to a person: only that e-mail */
} orga_invitation_kind;

typedef struct orga_invitation {
	int64_t id;
	int64_t organization_id;
	char organization_name[ORGA_NAME_MAX];
	char email[COM_EMAIL_MAX + 1];
	orga_role role;
	orga_invitation_kind kind;
	char status[12];          /* pending, accepted, cancelled */
	char created_at[40];
	char updated_at[40];      /* last sent */
} orga_invitation;

typedef struct orga_invitation_sent {
	orga_invitation invitation;
	bool resent;              /* it was already pending */
	char link[1024];          /* $ORGA_PUBLIC_URL/rejoindre?... */
} orga_invitation_sent;

/*
 * orga_invitation_send creates the pending invitation of (org, email), or
 * re-sends the pending one with a new code, and queues its e-mail in the
 * outbox. Must run inside the caller's transaction (so a school and its
 * first invitation commit together). email must be normalised. invited_by is 0 for operators. The caller wakes the mailer
 * (orga_notify_mailer) after COM_OK. COM_ECONFLICT when email already
 * belongs to a member of the school (nothing is sent).
 */
com_err orga_invitation_send(PGconn *db, const char *public_url,
    const orga_org *org, const char *email, orga_role role,
    orga_invitation_kind kind, int64_t invited_by,
    orga_invitation_sent *out) COM_MUSTCHECK;

/*
 * orga_invitation_check loads invitation id when code matches its stored
 * hash (whatever its status). COM_ENOTFOUND when the id is unknown or the
 * code is wrong: the two are not told apart.
 */
com_err orga_invitation_check(PGconn *db, int64_t id, const char *code,
    orga_invitation *out) COM_MUSTCHECK;

/*
 * orga_invitation_signup_check tells, before an account is created for
 * email (normalised) from the page of invitation id with code, whether
 * that invitation can then be accepted: COM_EPERM when it is a pending
 * MEMBER-kind invitation to another address, whose address is written
 * into expected (COM_EMAIL_MAX + 1 bytes). COM_OK otherwise: the same
 * address, an ACTIVATION invitation (any address), one accepted or
 * cancelled, or an unknown id or wrong code (the page has said so; the
 * sign-up is then no invitation's business). Database errors as is.
 */
com_err orga_invitation_signup_check(PGconn *db, int64_t id,
    const char *code, const char *email, char *expected) COM_MUSTCHECK;

typedef struct orga_invitation_result {
	int64_t organization_id;
	orga_role role;           /* the role the user has now */
	bool already_member;      /* nothing changed */
} orga_invitation_result;

/*
 * orga_invitation_accept accepts invitation id (code checked again) for
 * the logged-in user, in one transaction: membership created with the
 * invitation's role (ADMIN when the school had no member), invitation
 * marked accepted. An existing member changes nothing and gets
 * already_member. Errors: COM_ENOTFOUND (unknown id or wrong code),
 * COM_ECONFLICT (accepted or cancelled already), COM_EPERM (a MEMBER-kind
 * invitation and user_email is not the invited address).
 */
com_err orga_invitation_accept(PGconn *db, int64_t id, const char *code,
    int64_t user_id, const char *user_email, orga_invitation_result *out)
    COM_MUSTCHECK;

/*
 * orga_invitation_list_pending returns the pending invitations of a
 * school, newest first, in a malloc'd array (*out, free() it) of *count.
 */
com_err orga_invitation_list_pending(PGconn *db, int64_t org_id,
    orga_invitation **out, int *count) COM_MUSTCHECK;

#endif
