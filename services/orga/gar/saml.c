/*
 * saml.c - the GAR service provider on lasso: load the metadata and keys,
 * build AuthnRequests, and verify posted Responses (signature through
 * lasso/xmlsec; audience, validity window, recipient and attributes here).
 */
#include "gar/saml.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <lasso/lasso.h>
#include <lasso/saml-2.0/saml2_helper.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_audience_restriction.h>
#include <lasso/xml/saml-2.0/samlp2_authn_request.h>
#include <lasso/xml/saml-2.0/samlp2_response.h>

#include "account/account.h"
#include "log.h"
#include "gar/saml_values.h"
#include "str.h"
#include "utf8.h"

#define SAML_METADATA_MAX (1024 * 1024)

struct orga_saml {
	pthread_mutex_t lock;     /* lasso objects are not shared safely */
	LassoServer *server;
	char *idp_id;             /* the IdP's entity id (g_malloc'd) */
	char *entity_id, *acs_url, *attr_ido, *attr_pre, *attr_nom;
	char *metadata;           /* our metadata file's text */
	size_t metadata_len;
	long skew;
};

static pthread_mutex_t saml_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int saml_users;

/* lasso's own messages: kept short and at debug level (they may name
 * elements, never our users; the outcome is logged by the caller). */
static void
saml_glib_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer data)
{
	(void)data;
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
	        G_LOG_LEVEL_WARNING)) == 0)
		return;
	com_log_debug("saml: %s: %.160s", domain != NULL ? domain : "glib",
	    msg != NULL ? msg : "");
}

/* libxml2's parser errors quote the document: never print them. */
static void
saml_xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
saml_xml_silent_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

static com_err
saml_global_init(void)
{
	com_err rv = COM_OK;

	pthread_mutex_lock(&saml_init_lock);
	if (saml_users == 0) {
		xmlThrDefSetGenericErrorFunc(NULL, saml_xml_silent);
		xmlSetGenericErrorFunc(NULL, saml_xml_silent);
		xmlThrDefSetStructuredErrorFunc(NULL,
		    saml_xml_silent_structured);
		xmlSetStructuredErrorFunc(NULL, saml_xml_silent_structured);
		(void)g_log_set_handler("Lasso", G_LOG_LEVEL_MASK |
		    G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, saml_glib_log,
		    NULL);
		if (lasso_init() != 0) {
			com_log_err("saml: lasso_init failed");
			rv = COM_EIO;
		}
	}
	if (rv == COM_OK)
		saml_users++;
	pthread_mutex_unlock(&saml_init_lock);
	return rv;
}

static void
saml_global_fini(void)
{
	pthread_mutex_lock(&saml_init_lock);
	if (saml_users > 0 && --saml_users == 0)
		lasso_shutdown();
	pthread_mutex_unlock(&saml_init_lock);
}

/* Reads a whole (small) file into a malloc'd string. */
static com_err
saml_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return COM_ENOTFOUND;
	buf = malloc(SAML_METADATA_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		return COM_ENOMEM;
	}
	n = fread(buf, 1, SAML_METADATA_MAX + 1, f);
	if (ferror(f) || n > SAML_METADATA_MAX) {
		fclose(f);
		free(buf);
		return n > SAML_METADATA_MAX ? COM_ETOOLARGE : COM_EIO;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return COM_OK;
}

static char *
saml_strdup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* The only provider the server knows: the IdP. */
static com_err
saml_idp_id(orga_saml *sp)
{
	GHashTableIter it;
	gpointer key, value;

	if (g_hash_table_size(sp->server->providers) != 1)
		return COM_EINVAL;
	g_hash_table_iter_init(&it, sp->server->providers);
	if (!g_hash_table_iter_next(&it, &key, &value) || key == NULL)
		return COM_EINVAL;
	sp->idp_id = g_strdup(key);
	return sp->idp_id != NULL ? COM_OK : COM_ENOMEM;
}

com_err
orga_saml_open(const orga_saml_config *cfg, orga_saml **out)
{
	orga_saml *sp;
	const char *own_id;
	com_err rv;
	int lrc;

	rv = saml_global_init();
	if (rv != COM_OK)
		return rv;
	sp = calloc(1, sizeof(*sp));
	if (sp == NULL) {
		saml_global_fini();
		return COM_ENOMEM;
	}
	pthread_mutex_init(&sp->lock, NULL);
	sp->skew = cfg->clock_skew_s;
	sp->entity_id = saml_strdup(cfg->entity_id);
	sp->acs_url = saml_strdup(cfg->acs_url);
	sp->attr_ido = saml_strdup(cfg->attr_ido);
	sp->attr_pre = saml_strdup(cfg->attr_pre);
	sp->attr_nom = saml_strdup(cfg->attr_nom);
	if (sp->entity_id == NULL || sp->acs_url == NULL ||
	    sp->attr_ido == NULL || sp->attr_pre == NULL ||
	    sp->attr_nom == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	rv = saml_read_file(cfg->sp_metadata, &sp->metadata,
	    &sp->metadata_len);
	if (rv != COM_OK) {
		com_log_err("saml: cannot read GAR_SP_METADATA %s: %s",
		    cfg->sp_metadata, com_strerror(rv));
		rv = COM_EINVAL;
		goto out;
	}
	sp->server = lasso_server_new(cfg->sp_metadata, cfg->sp_key, NULL,
	    cfg->sp_cert);
	if (sp->server == NULL) {
		com_log_err("saml: cannot load our SP metadata, key or "
		    "certificate (GAR_SP_METADATA %s, GAR_SP_KEY %s, "
		    "GAR_SP_CERT %s)", cfg->sp_metadata, cfg->sp_key,
		    cfg->sp_cert);
		rv = COM_EINVAL;
		goto out;
	}
	/* Our AuthnRequests: RSA-SHA256 (lasso's default is SHA-1). */
	sp->server->signature_method = LASSO_SIGNATURE_METHOD_RSA_SHA256;
	own_id = LASSO_PROVIDER(sp->server)->ProviderID;
	if (own_id == NULL || strcmp(own_id, sp->entity_id) != 0) {
		com_log_err("saml: the entity id of GAR_SP_METADATA (%s) is "
		    "not GAR_SP_ENTITY_ID (%s)", own_id != NULL ? own_id : "?",
		    sp->entity_id);
		rv = COM_EINVAL;
		goto out;
	}
	lrc = lasso_server_add_provider(sp->server, LASSO_PROVIDER_ROLE_IDP,
	    cfg->idp_metadata, NULL, NULL);
	if (lrc != 0 || saml_idp_id(sp) != COM_OK) {
		com_log_err("saml: cannot load GAR_IDP_METADATA %s: %s",
		    cfg->idp_metadata, lrc != 0 ? lasso_strerror(lrc) :
		    "not exactly one identity provider");
		rv = COM_EINVAL;
		goto out;
	}
	com_log_notice("saml: GAR service provider %s, identity provider %s",
	    sp->entity_id, sp->idp_id);
	*out = sp;
	sp = NULL;
out:
	orga_saml_close(sp);
	return rv;
}

void
orga_saml_close(orga_saml *sp)
{
	if (sp == NULL)
		return;
	if (sp->server != NULL)
		lasso_server_destroy(sp->server);
	g_free(sp->idp_id);
	free(sp->entity_id);
	free(sp->acs_url);
	free(sp->attr_ido);
	free(sp->attr_pre);
	free(sp->attr_nom);
	free(sp->metadata);
	pthread_mutex_destroy(&sp->lock);
	free(sp);
	saml_global_fini();
}

const char *
orga_saml_metadata(const orga_saml *sp, size_t *len)
{
	*len = sp->metadata_len;
	return sp->metadata;
}

com_err
orga_saml_authn_request(orga_saml *sp, const char *relay_state, char **url,
    char request_id[ORGA_SAML_ID_MAX])
{
	LassoSamlp2AuthnRequest *req;
	LassoProfile *profile;
	LassoLogin *login;
	char *u = NULL;
	com_err rv = COM_OK;
	int lrc;

	pthread_mutex_lock(&sp->lock);
	login = lasso_login_new(sp->server);
	if (login == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	profile = LASSO_PROFILE(login);
	lrc = lasso_login_init_authn_request(login, sp->idp_id,
	    LASSO_HTTP_METHOD_REDIRECT);
	if (lrc != 0 || !LASSO_IS_SAMLP2_AUTHN_REQUEST(profile->request)) {
		com_log_err("saml: AuthnRequest: %s", lasso_strerror(lrc));
		rv = COM_EIO;
		goto out;
	}
	req = LASSO_SAMLP2_AUTHN_REQUEST(profile->request);
	g_free(req->ProtocolBinding);
	req->ProtocolBinding = g_strdup(LASSO_SAML2_METADATA_BINDING_POST);
	g_free(req->AssertionConsumerServiceURL);
	req->AssertionConsumerServiceURL = g_strdup(sp->acs_url);
	if (req->NameIDPolicy != NULL)
		req->NameIDPolicy->AllowCreate = TRUE;
	g_free(profile->msg_relayState);
	profile->msg_relayState = g_strdup(relay_state);
	lrc = lasso_login_build_authn_request_msg(login);
	if (lrc != 0 || profile->msg_url == NULL) {
		com_log_err("saml: AuthnRequest message: %s",
		    lasso_strerror(lrc));
		rv = COM_EIO;
		goto out;
	}
	rv = com_str_copy(request_id, ORGA_SAML_ID_MAX,
	    LASSO_SAMLP2_REQUEST_ABSTRACT(req)->ID);
	if (rv != COM_OK)
		goto out;
	u = strdup(profile->msg_url);
	if (u == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	*url = u;
out:
	if (login != NULL)
		lasso_login_destroy(login);
	pthread_mutex_unlock(&sp->lock);
	return rv;
}

/* --- pure helpers ------------------------------------------------------ */

static int
saml_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

com_err
orga_saml_time_parse(const char *s, int64_t *out)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int y, mo, d, h, mi, sec, dim;
	const char *p;
	int64_t days;

	if (s == NULL || strlen(s) < 20)
		return COM_EINVAL;
	if (saml_digits(s, 4, &y) || s[4] != '-' ||
	    saml_digits(s + 5, 2, &mo) || s[7] != '-' ||
	    saml_digits(s + 8, 2, &d) || s[10] != 'T' ||
	    saml_digits(s + 11, 2, &h) || s[13] != ':' ||
	    saml_digits(s + 14, 2, &mi) || s[16] != ':' ||
	    saml_digits(s + 17, 2, &sec))
		return COM_EINVAL;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return COM_EINVAL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (strcmp(p, "Z") != 0 && strcmp(p, "+00:00") != 0 &&
	    strcmp(p, "-00:00") != 0)
		return COM_EINVAL;
	if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60)
		return COM_EINVAL;
	dim = mdays[mo - 1];
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d < 1 || d > dim)
		return COM_EINVAL;
	/* Days from the civil date (Howard Hinnant's algorithm). */
	{
		int yy = mo <= 2 ? y - 1 : y;
		int era = yy / 400;
		int yoe = yy - era * 400;
		int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (int64_t)era * 146097 + doe - 719468;
	}
	*out = days * 86400 + h * 3600 + mi * 60 + sec;
	return COM_OK;
}

com_err
orga_saml_name_clean(const char *in, char *out, size_t size)
{
	size_t len;

	if (in == NULL)
		return COM_EINVAL;
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t' ||
	                      in[len - 1] == '\n' || in[len - 1] == '\r'))
		len--;
	if (len == 0 || len >= size || !com_utf8_valid(in, len))
		return COM_EINVAL;
	memcpy(out, in, len);
	out[len] = '\0';
	if (!orga_account_name_ok(out)) {
		out[0] = '\0';
		return COM_EINVAL;
	}
	return COM_OK;
}

int
orga_saml_ido_ok(const char *ido)
{
	size_t len;

	if (ido == NULL)
		return 0;
	len = strlen(ido);
	if (len == 0 || len > ORGA_SAML_IDO_MAX - 1)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (ido[i] <= 0x20 || ido[i] >= 0x7f)
			return 0;
	return 1;
}

/* --- verification ------------------------------------------------------ */

/*
 * The one value of attribute name, read from the XML the assertion was
 * built from (what xmlsec verified), never from lasso's objects, which keep
 * each text node apart: see saml_values.h. NULL, with *why, when absent or
 * not a single text node.
 */
static const char *
saml_attribute(LassoSaml2Assertion *a, const char *name, const char **why)
{
	const xmlNode *xml = lasso_node_get_original_xmlnode(LASSO_NODE(a));
	const char *value = NULL;

	if (xml == NULL) {
		*why = "assertion without its signed XML";
		return NULL;
	}
	if (orga_saml_values_attribute(xml, name, &value, NULL, why) !=
	    COM_OK)
		return NULL;
	return value;
}

/* Our audience is named by an AudienceRestriction (required). */
static int
saml_audience_ok(LassoSaml2Assertion *a, const char *entity_id)
{
	LassoSaml2Conditions *c = a->Conditions;

	if (c == NULL || c->AudienceRestriction == NULL)
		return 0;
	return lasso_saml2_assertion_validate_audience(a, entity_id) ==
	    LASSO_SAML2_ASSERTION_VALID;
}

/* The checks lasso leaves to the service provider. */
static const char *
saml_check_assertion(orga_saml *sp, LassoSamlp2Response *resp,
    LassoSaml2Assertion *a, time_t now, orga_saml_identity *id)
{
	LassoSaml2SubjectConfirmationData *scd;
	LassoSaml2SubjectConfirmation *sc;
	int64_t until, t;
	const char *v, *why = NULL;

	if (a->Issuer == NULL || a->Issuer->content == NULL ||
	    strcmp(a->Issuer->content, sp->idp_id) != 0)
		return "assertion issuer is not the IdP";
	if (a->ID == NULL || com_str_copy(id->assertion_id,
	                         sizeof(id->assertion_id), a->ID) != COM_OK)
		return "assertion id missing or too long";
	if (a->Conditions == NULL || a->Conditions->NotOnOrAfter == NULL ||
	    orga_saml_time_parse(a->Conditions->NotOnOrAfter, &until) !=
	        COM_OK)
		return "assertion without a valid NotOnOrAfter";
	if (lasso_saml2_assertion_validate_time_checks(a,
	        (unsigned)sp->skew, now) != LASSO_SAML2_ASSERTION_VALID)
		return "assertion outside its validity window";
	if (!saml_audience_ok(a, sp->entity_id))
		return "assertion not for our audience";
	if (a->Subject == NULL || a->Subject->SubjectConfirmation == NULL)
		return "assertion without subject confirmation";
	sc = a->Subject->SubjectConfirmation;
	if (sc->Method == NULL ||
	    strcmp(sc->Method, LASSO_SAML2_CONFIRMATION_METHOD_BEARER) != 0)
		return "subject confirmation is not bearer";
	scd = sc->SubjectConfirmationData;
	if (scd == NULL || scd->Recipient == NULL ||
	    strcmp(scd->Recipient, sp->acs_url) != 0)
		return "bearer recipient is not our ACS";
	if (scd->NotOnOrAfter != NULL) {
		if (orga_saml_time_parse(scd->NotOnOrAfter, &t) != COM_OK)
			return "bad subject NotOnOrAfter";
		if ((int64_t)now >= t + sp->skew)
			return "subject confirmation expired";
		if (t > until)
			until = t;
	}
	if (scd->NotBefore != NULL) {
		if (orga_saml_time_parse(scd->NotBefore, &t) != COM_OK)
			return "bad subject NotBefore";
		if ((int64_t)now < t - sp->skew)
			return "subject confirmation not yet valid";
	}
	id->in_response_to[0] = '\0';
	v = scd->InResponseTo;
	if (v == NULL)
		v = LASSO_SAMLP2_STATUS_RESPONSE(resp)->InResponseTo;
	if (v != NULL && com_str_copy(id->in_response_to,
	                     sizeof(id->in_response_to), v) != COM_OK)
		return "InResponseTo too long";
	v = saml_attribute(a, sp->attr_ido, &why);
	if (v == NULL)
		return why;
	if (!orga_saml_ido_ok(v) ||
	    com_str_copy(id->ido, sizeof(id->ido), v) != COM_OK)
		return "IDO attribute malformed";
	v = saml_attribute(a, sp->attr_pre, &why);
	if (v == NULL)
		return why;
	if (orga_saml_name_clean(v, id->first_name,
	        sizeof(id->first_name)) != COM_OK)
		return "PRE attribute malformed";
	v = saml_attribute(a, sp->attr_nom, &why);
	if (v == NULL)
		return why;
	if (orga_saml_name_clean(v, id->last_name,
	        sizeof(id->last_name)) != COM_OK)
		return "NOM attribute malformed";
	id->keep_until = until + sp->skew;
	return NULL;
}

com_err
orga_saml_verify(orga_saml *sp, const char *saml_response, time_t now,
    orga_saml_identity *out, const char **why)
{
	LassoSamlp2StatusResponse *status;
	LassoSamlp2Response *resp;
	orga_saml_identity *id;
	LassoProfile *profile;
	LassoLogin *login;
	com_err rv = COM_EAUTH;
	const char *reason = NULL;
	int lrc;

	id = calloc(1, sizeof(*id));
	if (id == NULL)
		return COM_ENOMEM;
	pthread_mutex_lock(&sp->lock);
	login = lasso_login_new(sp->server);
	if (login == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	profile = LASSO_PROFILE(login);
	lasso_profile_set_signature_verify_hint(profile,
	    LASSO_PROFILE_SIGNATURE_VERIFY_HINT_MAYBE);
	/* Unsolicited responses pass: this LassoLogin sent no request, so
	 * lasso has no request id to match; InResponseTo is checked by the
	 * caller against the requests it keeps. */
	lrc = lasso_login_process_authn_response_msg(login,
	    (gchar *)saml_response);
	if (lrc != 0) {
		reason = lasso_strerror(lrc);
		goto out;
	}
	if (!LASSO_IS_SAMLP2_RESPONSE(profile->response)) {
		reason = "not a samlp:Response";
		goto out;
	}
	resp = LASSO_SAMLP2_RESPONSE(profile->response);
	status = LASSO_SAMLP2_STATUS_RESPONSE(resp);
	/* Every value read below (issuers, NameID, audience, attributes) is
	 * then one text node, whole, as the signature covered it. */
	if (!orga_saml_values_plain(
	        lasso_node_get_original_xmlnode(LASSO_NODE(resp)), &reason))
		goto out;
	if (profile->remote_providerID == NULL ||
	    strcmp(profile->remote_providerID, sp->idp_id) != 0) {
		reason = "response issuer is not the IdP";
		goto out;
	}
	if (status->Destination != NULL &&
	    strcmp(status->Destination, sp->acs_url) != 0) {
		reason = "response destination is not our ACS";
		goto out;
	}
	if (resp->EncryptedAssertion != NULL || resp->Assertion == NULL ||
	    resp->Assertion->next != NULL ||
	    !LASSO_IS_SAML2_ASSERTION(resp->Assertion->data)) {
		reason = "not exactly one clear assertion";
		goto out;
	}
	reason = saml_check_assertion(sp, resp, resp->Assertion->data, now,
	    id);
	if (reason != NULL)
		goto out;
	*out = *id;
	rv = COM_OK;
out:
	if (login != NULL)
		lasso_login_destroy(login);
	pthread_mutex_unlock(&sp->lock);
	free(id);
	if (rv == COM_EAUTH)
		*why = reason != NULL ? reason : "refused";
	return rv;
}
