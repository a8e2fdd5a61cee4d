/*
 * idp.h - the local GAR's SAML identity provider (lasso): signed Responses
 * (RSA-SHA256) carrying IDO, PRE and NOM for a chosen demo student, either
 * answering an AuthnRequest (HTTP-Redirect) or unsolicited, plus the
 * faulty variants tests need (wrong audience or recipient, expired,
 * unsigned, tampered). For development and tests only.
 */
#ifndef GIDP_IDP_H
#define GIDP_IDP_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

typedef struct gidp gidp;

typedef struct gidp_config {
	const char *idp_metadata, *idp_key, *idp_cert; /* files: ours */
	const char *sp_metadata;                      /* file: Orga's */
	const char *attr_ido, *attr_pre, *attr_nom;   /* attribute names */
} gidp_config;

typedef struct gidp_student {
	const char *ido, *pre, *nom;
} gidp_student;

/* Faults to build in (all off: a good response). */
typedef struct gidp_options {
	const char *audience;     /* NULL: the SP's entity id */
	const char *recipient;    /* NULL: the SP's ACS (Destination too) */
	int64_t not_on_or_after;  /* Unix time; 0: now + 5 minutes */
	bool unsigned_;           /* no signature at all */
	bool tamper;              /* IDO changed after signing */
} gidp_options;

/* A Response to post: all malloc'd, freed by gidp_message_fini. */
typedef struct gidp_message {
	char *acs_url;        /* where to post it */
	char *saml_response;  /* base64 */
	char *relay_state;    /* NULL when none */
} gidp_message;

/*
 * gidp_open initialises lasso and loads cfg's files (copied). COM_EINVAL
 * (logged) when they cannot be loaded. Free with gidp_close.
 */
com_err gidp_open(const gidp_config *cfg, gidp **out) COM_MUSTCHECK;
void gidp_close(gidp *g);

/* gidp_metadata returns our metadata file's text (lives with g). */
const char *gidp_metadata(const gidp *g);

/*
 * gidp_response builds a Response for student. query is the raw query
 * string of the AuthnRequest (HTTP-Redirect: SAMLRequest, RelayState,
 * SigAlg, Signature), whose signature is checked, or NULL for an
 * unsolicited response with relay_state (may be NULL). COM_EAUTH when the
 * request is refused, COM_EINVAL for bad options. Not thread-safe.
 */
com_err gidp_response(gidp *g, const char *query, const char *relay_state,
    const gidp_student *student, const gidp_options *opts,
    gidp_message *out) COM_MUSTCHECK;

void gidp_message_fini(gidp_message *m);

#endif
