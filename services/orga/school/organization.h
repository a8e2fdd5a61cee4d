/*
 * organization.h - schools (organisations) and their memberships.
 * Functions take a connection the caller holds (and may be inside the
 * caller's transaction); results are plain structs the caller owns.
 */
#ifndef ORGA_ORGANIZATION_H
#define ORGA_ORGANIZATION_H

#include <stdint.h>

#include <libpq-fe.h>

#include "err.h"
#include "validate.h"

#define ORGA_NAME_MAX 1024   /* bytes, for 255 characters of UTF-8 */

typedef struct orga_org {
	int64_t id;
	char uai[COM_UAI_SIZE];
	char name[ORGA_NAME_MAX];
	char type[8];
	char email[COM_EMAIL_MAX + 1];
	char created_at[40];     /* ISO 8601 */
} orga_org;

typedef enum orga_role {
	ORGA_ROLE_NONE = 0,
	ORGA_ROLE_MEMBER,
	ORGA_ROLE_ADMIN,
} orga_role;

/* orga_role_name: "ADMIN", "MEMBER" or "" for NONE. */
const char *orga_role_name(orga_role role);

/* orga_role_parse: "ADMIN"/"MEMBER" (any case); COM_EINVAL otherwise. */
com_err orga_role_parse(const char *s, orga_role *out) COM_MUSTCHECK;

/* orga_org_get loads a school by id; COM_ENOTFOUND when none. */
com_err orga_org_get(PGconn *db, int64_t id, orga_org *out) COM_MUSTCHECK;

/* orga_org_get_by_uai loads a school by (normalised) UAI. */
com_err orga_org_get_by_uai(PGconn *db, const char *uai, orga_org *out)
    COM_MUSTCHECK;

/*
 * orga_org_insert creates a school (uai already normalised, type "" means
 * SCO). COM_EEXIST when the UAI is taken.
 */
com_err orga_org_insert(PGconn *db, const char *uai, const char *name,
    const char *type, const char *email, orga_org *out) COM_MUSTCHECK;

/*
 * orga_membership_role tells the role of user_id in org_id: ORGA_ROLE_NONE
 * when not a member. Every API route that names a school calls it.
 */
com_err orga_membership_role(PGconn *db, int64_t org_id, int64_t user_id,
    orga_role *out) COM_MUSTCHECK;

typedef struct orga_member {
	int64_t user_id;
	char first_name[ORGA_NAME_MAX];
	char last_name[ORGA_NAME_MAX];
	char email[COM_EMAIL_MAX + 1];
	orga_role role;
	char joined_at[40];      /* ISO 8601 */
} orga_member;

/*
 * orga_member_list returns the members of a school sorted by last then
 * first name, in a malloc'd array (*out, free() it) of *count entries.
 */
com_err orga_member_list(PGconn *db, int64_t org_id, orga_member **out,
    int *count) COM_MUSTCHECK;

/*
 * orga_membership_touch records that user_id opened the space of school
 * org_id now (memberships.last_used_at), unless it is already the school
 * they used last; a non-member changes nothing. Its own statement.
 */
com_err orga_membership_touch(PGconn *db, int64_t org_id, int64_t user_id)
    COM_MUSTCHECK;

typedef struct orga_my_school {
	int64_t id;
	char name[ORGA_NAME_MAX];
	char uai[COM_UAI_SIZE];
	orga_role role;
	char last_used_at[40];   /* ISO 8601 UTC; "" when never opened */
} orga_my_school;

/*
 * orga_my_schools returns the schools user_id is a member of, the one
 * used last first (then never used ones by name), in a malloc'd array
 * (*out, free() it) of *count.
 */
com_err orga_my_schools(PGconn *db, int64_t user_id, orga_my_school **out,
    int *count) COM_MUSTCHECK;

#endif
