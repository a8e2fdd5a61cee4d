/*
 * idp.c - the local GAR's identity provider on lasso: one LassoServer per
 * response (so a test may point the SP's ACS elsewhere), the assertion
 * with the GAR's attributes, and the faulty variants.
 */
#include "idp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <lasso/lasso.h>
#include <lasso/saml-2.0/saml2_helper.h>
#include <lasso/xml/misc_text_node.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_audience_restriction.h>
#include <lasso/xml/saml-2.0/samlp2_response.h>

#include "buf.h"
#include "log.h"

#define GIDP_FILE_MAX (1024 * 1024)

struct gidp {
	char *idp_metadata_path, *idp_key, *idp_cert;
	char *idp_metadata;   /* text */
	char *sp_metadata;    /* text */
	char *attr_ido, *attr_pre, *attr_nom;
};

static com_err
gidp_read(const char *path, char **out)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return COM_ENOTFOUND;
	buf = malloc(GIDP_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		return COM_ENOMEM;
	}
	n = fread(buf, 1, GIDP_FILE_MAX + 1, f);
	if (ferror(f) || n > GIDP_FILE_MAX) {
		fclose(f);
		free(buf);
		return COM_EIO;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	return COM_OK;
}

com_err
gidp_open(const gidp_config *cfg, gidp **out)
{
	gidp *g;
	com_err rv;

	if (lasso_init() != 0)
		return COM_EIO;
	g = calloc(1, sizeof(*g));
	if (g == NULL) {
		lasso_shutdown();
		return COM_ENOMEM;
	}
	g->idp_metadata_path = strdup(cfg->idp_metadata);
	g->idp_key = strdup(cfg->idp_key);
	g->idp_cert = strdup(cfg->idp_cert);
	g->attr_ido = strdup(cfg->attr_ido);
	g->attr_pre = strdup(cfg->attr_pre);
	g->attr_nom = strdup(cfg->attr_nom);
	if (g->idp_metadata_path == NULL || g->idp_key == NULL ||
	    g->idp_cert == NULL || g->attr_ido == NULL ||
	    g->attr_pre == NULL || g->attr_nom == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	rv = gidp_read(cfg->idp_metadata, &g->idp_metadata);
	if (rv != COM_OK) {
		com_log_err("gar-idp: cannot read %s (run "
		    "scripts/gar-dev-keys.sh)", cfg->idp_metadata);
		goto out;
	}
	rv = gidp_read(cfg->sp_metadata, &g->sp_metadata);
	if (rv != COM_OK) {
		com_log_err("gar-idp: cannot read %s (run "
		    "scripts/gar-dev-keys.sh)", cfg->sp_metadata);
		goto out;
	}
	*out = g;
	g = NULL;
out:
	gidp_close(g);
	return rv == COM_OK ? COM_OK : COM_EINVAL;
}

void
gidp_close(gidp *g)
{
	if (g == NULL)
		return;
	free(g->idp_metadata_path);
	free(g->idp_key);
	free(g->idp_cert);
	free(g->idp_metadata);
	free(g->sp_metadata);
	free(g->attr_ido);
	free(g->attr_pre);
	free(g->attr_nom);
	free(g);
	lasso_shutdown();
}

const char *
gidp_metadata(const gidp *g)
{
	return g->idp_metadata;
}

void
gidp_message_fini(gidp_message *m)
{
	free(m->acs_url);
	free(m->saml_response);
	free(m->relay_state);
	memset(m, 0, sizeof(*m));
}

/* The SP metadata with its (first) ACS Location replaced by acs. */
static char *
gidp_sp_metadata_with_acs(const char *md, const char *acs)
{
	const char *svc, *loc, *end;
	com_buf b;
	char *s = NULL;

	svc = strstr(md, "AssertionConsumerService");
	loc = svc != NULL ? strstr(svc, "Location=\"") : NULL;
	end = loc != NULL ? strchr(loc + 10, '"') : NULL;
	if (end == NULL || strchr(acs, '"') != NULL ||
	    strchr(acs, '<') != NULL || strchr(acs, '&') != NULL)
		return NULL;
	com_buf_init(&b, GIDP_FILE_MAX * 2);
	if (com_buf_append(&b, md, (size_t)(loc + 10 - md)) == COM_OK &&
	    com_buf_append_str(&b, acs) == COM_OK &&
	    com_buf_append_str(&b, end) == COM_OK)
		s = com_buf_steal(&b);
	com_buf_fini(&b);
	return s;
}

static LassoServer *
gidp_server(gidp *g, const char *acs)
{
	LassoServer *server;
	char *sp = NULL;
	int lrc;

	server = lasso_server_new(g->idp_metadata_path, g->idp_key, NULL,
	    g->idp_cert);
	if (server == NULL) {
		com_log_err("gar-idp: cannot load our metadata, key or "
		    "certificate");
		return NULL;
	}
	server->signature_method = LASSO_SIGNATURE_METHOD_RSA_SHA256;
	if (acs != NULL) {
		sp = gidp_sp_metadata_with_acs(g->sp_metadata, acs);
		if (sp == NULL) {
			lasso_server_destroy(server);
			return NULL;
		}
	}
	lrc = lasso_server_add_provider_from_buffer(server,
	    LASSO_PROVIDER_ROLE_SP, sp != NULL ? sp : g->sp_metadata, NULL,
	    NULL);
	free(sp);
	if (lrc != 0) {
		com_log_err("gar-idp: cannot load the SP metadata: %s",
		    lasso_strerror(lrc));
		lasso_server_destroy(server);
		return NULL;
	}
	return server;
}

static void
gidp_iso(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
gidp_set(char **field, const char *value)
{
	g_free(*field);
	*field = g_strdup(value);
}

static void
gidp_attribute(LassoSaml2Assertion *a, const char *name, const char *value)
{
	LassoMiscTextNode *text = lasso_misc_text_node_new_with_string(value);

	/* Without text_child the value would arrive empty. */
	text->text_child = TRUE;
	(void)lasso_saml2_assertion_add_attribute_with_node(a, name,
	    LASSO_SAML2_ATTRIBUTE_NAME_FORMAT_BASIC, LASSO_NODE(text));
	g_object_unref(text);
}

/* The only SP the server knows. */
static const char *
gidp_sp_id(LassoServer *server)
{
	GHashTableIter it;
	gpointer key, value;

	g_hash_table_iter_init(&it, server->providers);
	if (!g_hash_table_iter_next(&it, &key, &value))
		return NULL;
	return key;
}

/* Edits the signed XML of msg (base64) after the fact: drop every
 * signature (unsigned) or change the IDO's text (tamper). */
static char *
gidp_alter(const char *b64, const char *ido, bool strip, bool tamper)
{
	gsize len = 0;
	guchar *xml = g_base64_decode(b64, &len);
	char *s, *p, *q, *out = NULL;
	com_buf b;

	if (xml == NULL)
		return NULL;
	s = g_strndup((const char *)xml, len);
	g_free(xml);
	com_buf_init(&b, len + 16);
	p = s;
	/* lasso writes <Signature xmlns="...xmldsig#">, others ds:. */
	while (strip && ((q = strstr(p, "<Signature ")) != NULL ||
	                    (q = strstr(p, "<ds:Signature")) != NULL)) {
		const char *close = q[1] == 'd' ? "</ds:Signature>" :
		    "</Signature>";
		char *e = strstr(q, close);

		if (e == NULL)
			break;
		if (com_buf_append(&b, p, (size_t)(q - p)) != COM_OK)
			goto out;
		p = e + strlen(close);
	}
	if (com_buf_append_str(&b, p) != COM_OK)
		goto out;
	if (tamper) {
		char *needle = g_strdup_printf(">%s<", ido);
		char *hit = strstr(b.data, needle);

		if (hit != NULL) /* flips the IDO's last character */
			hit[strlen(needle) - 2] ^= 1;
		g_free(needle);
	}
	out = g_base64_encode((const guchar *)b.data, b.len);
out:
	com_buf_fini(&b);
	g_free(s);
	return out;
}

/* The query without its SigAlg and Signature parameters. */
static char *
gidp_query_unsigned(const char *query)
{
	const char *p = query, *amp;
	com_buf b;
	char *s = NULL;
	size_t len;

	com_buf_init(&b, strlen(query) + 1);
	while (*p != '\0') {
		amp = strchr(p, '&');
		len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		if (strncmp(p, "SigAlg=", 7) != 0 &&
		    strncmp(p, "Signature=", 10) != 0) {
			if ((b.len > 0 &&
			        com_buf_append(&b, "&", 1) != COM_OK) ||
			    com_buf_append(&b, p, len) != COM_OK)
				goto out;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	s = com_buf_steal(&b);
out:
	com_buf_fini(&b);
	return s;
}

static char *
gidp_dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

com_err
gidp_response(gidp *g, const char *query, const char *relay_state,
    const gidp_student *st, const gidp_options *opts, gidp_message *out)
{
	char now_s[32], before_s[32], after_s[32];
	LassoServer *server = NULL;
	LassoLogin *login = NULL;
	LassoProfile *profile;
	LassoSaml2Assertion *a;
	LassoSamlp2Response *resp;
	char *b64 = NULL, *unsigned_query = NULL;
	time_t now = time(NULL), after;
	com_err rv = COM_EAUTH;
	int lrc;

	memset(out, 0, sizeof(*out));
	server = gidp_server(g, opts->recipient);
	if (server == NULL)
		return COM_EINVAL;
	login = lasso_login_new(server);
	profile = LASSO_PROFILE(login);
	if (query != NULL) {
		/* The demo GAR trusts any request: lasso 2.8.1 leaks the
		 * decoded signature on each HTTP-Redirect signature check,
		 * so the signature is dropped instead of checked here (a
		 * real GAR checks it; orga signs its requests). */
		unsigned_query = gidp_query_unsigned(query);
		if (unsigned_query == NULL) {
			rv = COM_ENOMEM;
			goto out;
		}
		lasso_profile_set_signature_verify_hint(profile,
		    LASSO_PROFILE_SIGNATURE_VERIFY_HINT_IGNORE);
		lrc = lasso_login_process_authn_request_msg(login,
		    unsigned_query);
	} else {
		lrc = lasso_login_init_idp_initiated_authn_request(login,
		    gidp_sp_id(server));
		if (lrc == 0)
			lrc = lasso_login_process_authn_request_msg(login,
			    NULL);
	}
	if (lrc == 0)
		lrc = lasso_login_validate_request_msg(login, TRUE, TRUE);
	if (lrc != 0) {
		com_log_warn("gar-idp: request refused: %s",
		    lasso_strerror(lrc));
		goto out;
	}
	after = opts->not_on_or_after != 0 ? (time_t)opts->not_on_or_after :
	    now + 300;
	gidp_iso(now, now_s, sizeof(now_s));
	gidp_iso(after < now ? after - 300 : now - 60, before_s,
	    sizeof(before_s));
	gidp_iso(after, after_s, sizeof(after_s));
	lrc = lasso_login_build_assertion(login,
	    LASSO_SAML2_AUTHN_CONTEXT_PASSWORD, now_s, NULL, before_s, after_s);
	if (lrc != 0 || !LASSO_IS_SAMLP2_RESPONSE(profile->response)) {
		com_log_err("gar-idp: assertion: %s", lasso_strerror(lrc));
		rv = COM_EIO;
		goto out;
	}
	resp = LASSO_SAMLP2_RESPONSE(profile->response);
	a = LASSO_SAML2_ASSERTION(resp->Assertion->data);
	gidp_set(&a->Conditions->NotBefore, before_s);
	if (opts->audience != NULL) {
		for (GList *l = a->Conditions->AudienceRestriction; l != NULL;
		     l = l->next)
			gidp_set(&LASSO_SAML2_AUDIENCE_RESTRICTION(l->data)
			              ->Audience, opts->audience);
	}
	gidp_attribute(a, g->attr_ido, st->ido);
	gidp_attribute(a, g->attr_pre, st->pre);
	gidp_attribute(a, g->attr_nom, st->nom);
	if (query == NULL && relay_state != NULL)
		gidp_set(&profile->msg_relayState, relay_state);
	lasso_profile_set_signature_hint(profile,
	    LASSO_PROFILE_SIGNATURE_HINT_FORCE);
	lrc = lasso_login_build_authn_response_msg(login);
	if (lrc != 0 || profile->msg_body == NULL || profile->msg_url == NULL) {
		com_log_err("gar-idp: response: %s", lasso_strerror(lrc));
		rv = COM_EIO;
		goto out;
	}
	if (opts->unsigned_ || opts->tamper) {
		b64 = gidp_alter(profile->msg_body, st->ido, opts->unsigned_,
		    opts->tamper);
		if (b64 == NULL) {
			rv = COM_ENOMEM;
			goto out;
		}
	}
	out->acs_url = gidp_dup(profile->msg_url);
	out->saml_response = gidp_dup(b64 != NULL ? b64 : profile->msg_body);
	out->relay_state = gidp_dup(profile->msg_relayState);
	if (out->acs_url == NULL || out->saml_response == NULL ||
	    (profile->msg_relayState != NULL && out->relay_state == NULL)) {
		gidp_message_fini(out);
		rv = COM_ENOMEM;
		goto out;
	}
	rv = COM_OK;
out:
	g_free(b64);
	free(unsigned_query);
	if (login != NULL)
		lasso_login_destroy(login);
	lasso_server_destroy(server);
	return rv;
}
