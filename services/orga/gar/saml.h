/*
 * saml.h - Orga as a SAML 2.0 service provider of the GAR, through lasso:
 * our metadata, SP-initiated AuthnRequests (HTTP-Redirect) and the check of
 * the Responses posted to the assertion consumer (HTTP-POST), including
 * unsolicited ones the GAR starts itself. No signature is checked by hand:
 * lasso (xmlsec) verifies them against the configured IdP only.
 */
#ifndef ORGA_SAML_H
#define ORGA_SAML_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "school/organization.h"

#define ORGA_SAML_ID_MAX 257   /* bytes with the NUL: request, assertion */
#define ORGA_SAML_IDO_MAX 257  /* bytes with the NUL: the GAR's IDO */

typedef struct orga_saml orga_saml;

typedef struct orga_saml_config {
	const char *idp_metadata; /* file: the GAR's metadata (its key) */
	const char *sp_metadata;  /* file: ours, served as is */
	const char *sp_key;       /* file: our private key (PEM) */
	const char *sp_cert;      /* file: our certificate (PEM) */
	const char *entity_id;    /* our entity id: the expected audience */
	const char *acs_url;      /* our assertion consumer URL */
	const char *attr_ido, *attr_pre, *attr_nom; /* attribute names */
	long clock_skew_s;        /* tolerance on NotBefore/NotOnOrAfter */
} orga_saml_config;

/* What a verified Response says about the student. */
typedef struct orga_saml_identity {
	char ido[ORGA_SAML_IDO_MAX];
	char first_name[ORGA_NAME_MAX];   /* PRE, trimmed */
	char last_name[ORGA_NAME_MAX];    /* NOM, trimmed */
	char assertion_id[ORGA_SAML_ID_MAX];
	char in_response_to[ORGA_SAML_ID_MAX]; /* "" when unsolicited */
	int64_t keep_until;  /* Unix time: remember assertion_id until then */
} orga_saml_identity;

/*
 * orga_saml_open initialises lasso (once per process) and loads cfg's
 * files; the strings are copied. COM_EINVAL (logged with the reason) when
 * a file is missing or malformed, the SP metadata's entity id is not
 * cfg->entity_id, or the IdP metadata does not describe exactly one IdP.
 * Call before the HTTP threads start; free with orga_saml_close.
 */
com_err orga_saml_open(const orga_saml_config *cfg, orga_saml **out)
    COM_MUSTCHECK;

/* orga_saml_close frees sp and shuts lasso down; NULL is a no-op. */
void orga_saml_close(orga_saml *sp);

/*
 * orga_saml_metadata returns our metadata XML (owned by sp, lives until
 * orga_saml_close) and its length.
 */
const char *orga_saml_metadata(const orga_saml *sp, size_t *len);

/*
 * orga_saml_authn_request builds a signed AuthnRequest for the GAR with
 * relay_state (a checked path, at most 1024 bytes): *url (malloc'd, the
 * caller frees) is where to redirect the browser, request_id the id to
 * expect back in InResponseTo. Thread-safe.
 */
com_err orga_saml_authn_request(orga_saml *sp, const char *relay_state,
    char **url, char request_id[ORGA_SAML_ID_MAX]) COM_MUSTCHECK;

/*
 * orga_saml_verify checks a base64 SAMLResponse as posted to the ACS, at
 * time now: signed by the configured IdP (Response or Assertion), status
 * Success, exactly one assertion, audience = our entity id, within
 * NotBefore/NotOnOrAfter +- the clock skew (NotOnOrAfter required),
 * Destination (when present) and the bearer Recipient = our ACS URL, and
 * the IDO, PRE and NOM attributes present and well-formed. It does not
 * know earlier responses: replays and InResponseTo are the caller's (see
 * gar.h). COM_EAUTH with *why (a static English phrase for the log, never
 * message content) when refused; COM_ENOMEM. Thread-safe.
 */
com_err orga_saml_verify(orga_saml *sp, const char *saml_response,
    time_t now, orga_saml_identity *out, const char **why) COM_MUSTCHECK;

/*
 * orga_saml_time_parse reads an xs:dateTime in UTC as SAML writes it
 * ("2024-05-01T12:00:00Z", optional fraction, "+00:00" accepted) into Unix
 * seconds. COM_EINVAL otherwise. Pure.
 */
com_err orga_saml_time_parse(const char *s, int64_t *out) COM_MUSTCHECK;

/*
 * orga_saml_name_clean copies an attribute value into out, trimmed of
 * surrounding white space: a person's name of 1 to 255 characters of
 * UTF-8 without control characters. COM_EINVAL otherwise. Pure.
 */
com_err orga_saml_name_clean(const char *in, char *out, size_t size)
    COM_MUSTCHECK;

/*
 * orga_saml_ido_ok: 1 to 256 bytes of printable ASCII (the GAR's IDO is an
 * opaque identifier). Pure.
 */
int orga_saml_ido_ok(const char *ido);

#endif
