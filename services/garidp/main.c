/*
 * main.c - bin/gar-idp, the local GAR for development and tests: a small
 * web server ("GAR de démonstration") where one picks a demo student and
 * whose signed Response is posted to Orga's ACS; or, with `sign`, one
 * Response printed in base64 for tests to post (with faults on demand).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "buf.h"
#include "config.h"
#include "form.h"
#include "idp.h"
#include "log.h"

#define GIDP_BODY_MAX (64 * 1024)

typedef struct gidp_demo {
	const char *ido, *pre, *nom, *label;
} gidp_demo;

static const gidp_demo gidp_demos[] = {
	{"demo-ido-alan-turing", "Alan", "Turing", "Alan Turing"},
	{"demo-ido-ada-lovelace", "Ada", "Lovelace", "Ada Lovelace"},
	{"demo-ido-camille-abba", "Camille", "Abba", "Camille Abba"},
};

/* One connection's request: its raw URI and the body read so far. */
typedef struct gidp_req {
	char *uri;
	com_buf body;
	bool headers_seen;   /* the first call (headers only) went by */
} gidp_req;

static void
gidp_usage(void)
{
	fprintf(stderr,
	    "usage: gar-idp                 serve the demo GAR on "
	    "$GAR_IDP_ADDR (127.0.0.1:8081)\n"
	    "       gar-idp sign --ido X --pre P --nom N [--audience A]\n"
	    "               [--not-on-or-after ISO | --expired] "
	    "[--recipient URL]\n"
	    "               [--relay-state PATH] [--unsigned] [--tamper]\n"
	    "       prints an unsolicited SAMLResponse (base64)\n");
}

/* A file setting: the variable, or $ORGA_VAR/gar/name. */
static com_err
gidp_path(const com_config *cfg, const char *var, const char *name,
    char *out, size_t size)
{
	const char *v = com_env_str(var, NULL);
	int n;

	if (v != NULL)
		n = snprintf(out, size, "%s", v);
	else
		n = snprintf(out, size, "%s/gar/%s", cfg->var_dir, name);
	return n < 0 || (size_t)n >= size ? COM_ETOOLARGE : COM_OK;
}

static com_err
gidp_setup(gidp **out)
{
	char md[1024], key[1024], cert[1024], sp[1024];
	gidp_config gc;
	com_config cfg;
	com_err rv;

	rv = com_config_load(&cfg);
	if (rv == COM_OK)
		rv = gidp_path(&cfg, "GAR_IDP_METADATA", "idp-metadata.xml", md,
		    sizeof(md));
	if (rv == COM_OK)
		rv = gidp_path(&cfg, "GAR_IDP_KEY", "idp-key.pem", key,
		    sizeof(key));
	if (rv == COM_OK)
		rv = gidp_path(&cfg, "GAR_IDP_CERT", "idp-cert.pem", cert,
		    sizeof(cert));
	if (rv == COM_OK)
		rv = gidp_path(&cfg, "GAR_SP_METADATA", "sp-metadata.xml", sp,
		    sizeof(sp));
	if (rv != COM_OK)
		return rv;
	gc.idp_metadata = md;
	gc.idp_key = key;
	gc.idp_cert = cert;
	gc.sp_metadata = sp;
	gc.attr_ido = com_env_str("GAR_ATTR_IDO", "IDO");
	gc.attr_pre = com_env_str("GAR_ATTR_PRE", "PRE");
	gc.attr_nom = com_env_str("GAR_ATTR_NOM", "NOM");
	return gidp_open(&gc, out);
}

/* --- sign (tests) ------------------------------------------------------ */

static int
gidp_sign(int argc, char **argv)
{
	gidp_student st = {NULL, NULL, NULL};
	gidp_options opts;
	gidp_message msg;
	const char *relay = NULL;
	gidp *g = NULL;
	struct tm tm;
	char *end;
	int rc = 1;

	memset(&opts, 0, sizeof(opts));
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--unsigned") == 0) {
			opts.unsigned_ = true;
			continue;
		}
		if (strcmp(a, "--tamper") == 0) {
			opts.tamper = true;
			continue;
		}
		if (strcmp(a, "--expired") == 0) {
			opts.not_on_or_after = (int64_t)time(NULL) - 3600;
			continue;
		}
		if (v == NULL) {
			gidp_usage();
			return 2;
		}
		i++;
		if (strcmp(a, "--ido") == 0) {
			st.ido = v;
		} else if (strcmp(a, "--pre") == 0) {
			st.pre = v;
		} else if (strcmp(a, "--nom") == 0) {
			st.nom = v;
		} else if (strcmp(a, "--audience") == 0) {
			opts.audience = v;
		} else if (strcmp(a, "--recipient") == 0) {
			opts.recipient = v;
		} else if (strcmp(a, "--relay-state") == 0) {
			relay = v;
		} else if (strcmp(a, "--not-on-or-after") == 0) {
			memset(&tm, 0, sizeof(tm));
			end = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
			if (end == NULL ||
			    (*end != '\0' && strcmp(end, "Z") != 0)) {
				fprintf(stderr, "gar-idp: --not-on-or-after "
				    "wants 2024-05-01T12:00:00Z\n");
				return 2;
			}
			opts.not_on_or_after = (int64_t)timegm(&tm);
		} else {
			gidp_usage();
			return 2;
		}
	}
	if (st.ido == NULL || st.pre == NULL || st.nom == NULL) {
		gidp_usage();
		return 2;
	}
	if (gidp_setup(&g) != COM_OK)
		return 1;
	if (gidp_response(g, NULL, relay, &st, &opts, &msg) == COM_OK) {
		printf("%s\n", msg.saml_response);
		gidp_message_fini(&msg);
		rc = 0;
	}
	gidp_close(g);
	return rc;
}

/* --- web pages --------------------------------------------------------- */

static const char gidp_head[] =
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, "
    "initial-scale=1\">\n<title>GAR de démonstration</title>\n"
    "<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;"
    "padding:0 1rem}form{margin:.5rem 0}label{display:block;margin:.4rem 0}"
    "button{padding:.4rem 1rem}</style>\n</head>\n<body>\n<main>\n"
    "<h1>GAR de démonstration</h1>\n";

static com_err
gidp_hidden(com_buf *b, const char *name, const char *value)
{
	com_err rv = com_buf_printf(b, "<input type=\"hidden\" name=\"%s\" "
	    "value=\"", name);

	if (rv == COM_OK)
		rv = com_html_escape(b, value != NULL ? value : "");
	if (rv == COM_OK)
		rv = com_buf_append_str(b, "\">\n");
	return rv;
}

/* The chooser: one button per demo student and a free form. */
static com_err
gidp_page_choose(com_buf *b, const char *query)
{
	com_err rv;

	rv = com_buf_append_str(b, gidp_head);
	if (rv == COM_OK)
		rv = com_buf_append_str(b, query != NULL ?
		    "<p>Orga demande une connexion. Choisissez l'élève "
		    "qui se connecte :</p>\n" :
		    "<p>Ce GAR local remplace le vrai GAR (Gestionnaire "
		    "d'accès aux ressources) pendant le développement. "
		    "Choisissez l'élève qui se connecte à Orga :</p>\n");
	for (size_t i = 0; rv == COM_OK &&
	     i < sizeof(gidp_demos) / sizeof(gidp_demos[0]); i++) {
		rv = com_buf_append_str(b,
		    "<form method=\"post\" action=\"/login\">\n");
		if (rv == COM_OK)
			rv = gidp_hidden(b, "ido", gidp_demos[i].ido);
		if (rv == COM_OK)
			rv = gidp_hidden(b, "pre", gidp_demos[i].pre);
		if (rv == COM_OK)
			rv = gidp_hidden(b, "nom", gidp_demos[i].nom);
		if (rv == COM_OK && query != NULL)
			rv = gidp_hidden(b, "query", query);
		if (rv == COM_OK)
			rv = com_buf_printf(b, "<button type=\"submit\">Se "
			    "connecter en tant que %s</button>\n</form>\n",
			    gidp_demos[i].label);
	}
	if (rv == COM_OK)
		rv = com_buf_append_str(b, "<h2>Un autre élève</h2>\n"
		    "<form method=\"post\" action=\"/login\">\n"
		    "<label>Identifiant GAR (IDO) <input name=\"ido\" "
		    "required></label>\n"
		    "<label>Prénom <input name=\"pre\" required></label>\n"
		    "<label>Nom <input name=\"nom\" required></label>\n");
	if (rv == COM_OK && query != NULL)
		rv = gidp_hidden(b, "query", query);
	if (rv == COM_OK)
		rv = com_buf_append_str(b, "<button type=\"submit\">Se "
		    "connecter</button>\n</form>\n</main>\n</body>\n</html>\n");
	return rv;
}

/* The page that posts the Response to Orga's ACS. */
static com_err
gidp_page_post(com_buf *b, const gidp_message *m)
{
	com_err rv;

	rv = com_buf_append_str(b, gidp_head);
	if (rv == COM_OK)
		rv = com_buf_append_str(b, "<form id=\"saml\" method=\"post\" "
		    "action=\"");
	if (rv == COM_OK)
		rv = com_html_escape(b, m->acs_url);
	if (rv == COM_OK)
		rv = com_buf_append_str(b, "\">\n");
	if (rv == COM_OK)
		rv = gidp_hidden(b, "SAMLResponse", m->saml_response);
	if (rv == COM_OK && m->relay_state != NULL)
		rv = gidp_hidden(b, "RelayState", m->relay_state);
	if (rv == COM_OK)
		rv = com_buf_append_str(b, "<p>Connexion à Orga…</p>\n"
		    "<button type=\"submit\">Continuer vers Orga</button>\n"
		    "</form>\n<script>document.getElementById('saml')"
		    ".submit();</script>\n</main>\n</body>\n</html>\n");
	return rv;
}

/* --- web server ---------------------------------------------------------- */

static enum MHD_Result
gidp_reply(struct MHD_Connection *conn, unsigned status, const char *type,
    com_buf *b)
{
	struct MHD_Response *resp;
	enum MHD_Result r;
	char *text = com_buf_steal(b);

	if (text == NULL)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    type);
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "no-store");
	(void)MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'; form-action http: https:; "
	    "frame-ancestors 'none'");
	(void)MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	r = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result
gidp_text(struct MHD_Connection *conn, unsigned status, const char *msg)
{
	com_buf b;
	enum MHD_Result r;

	com_buf_init(&b, 4096);
	if (com_buf_append_str(&b, gidp_head) != COM_OK ||
	    com_buf_append_str(&b, "<p>") != COM_OK ||
	    com_html_escape(&b, msg) != COM_OK ||
	    com_buf_append_str(&b, "</p>\n</main>\n</body>\n</html>\n") !=
	        COM_OK) {
		com_buf_fini(&b);
		return MHD_NO;
	}
	r = gidp_reply(conn, status, "text/html; charset=utf-8", &b);
	com_buf_fini(&b);
	return r;
}

/* A form field of the body into a fresh buffer; NULL when absent/bad. */
static char *
gidp_field(const gidp_req *r, const char *name)
{
	com_buf v;
	char *s = NULL;

	com_buf_init(&v, GIDP_BODY_MAX);
	if (com_form_value(r->body.data != NULL ? r->body.data : "",
	        r->body.len, name, &v) == COM_OK)
		s = com_buf_steal(&v);
	com_buf_fini(&v);
	return s;
}

static enum MHD_Result
gidp_login(gidp *g, struct MHD_Connection *conn, const gidp_req *r)
{
	char *ido = gidp_field(r, "ido"), *pre = gidp_field(r, "pre");
	char *nom = gidp_field(r, "nom"), *query = gidp_field(r, "query");
	gidp_options opts;
	gidp_message msg;
	gidp_student st;
	enum MHD_Result res;
	com_buf b;
	com_err rv;

	memset(&opts, 0, sizeof(opts));
	if (ido == NULL || pre == NULL || nom == NULL || ido[0] == '\0' ||
	    pre[0] == '\0' || nom[0] == '\0') {
		res = gidp_text(conn, 400, "Indiquez l'identifiant, le prénom "
		    "et le nom de l'élève.");
		goto out;
	}
	st.ido = ido;
	st.pre = pre;
	st.nom = nom;
	rv = gidp_response(g, query != NULL && query[0] != '\0' ? query : NULL,
	    "/", &st, &opts, &msg);
	if (rv != COM_OK) {
		res = gidp_text(conn, rv == COM_EAUTH ? 403 : 500,
		    "La demande de connexion d'Orga est refusée (voir le "
		    "journal de gar-idp).");
		goto out;
	}
	com_log_info("gar-idp: response for a demo student posted to %s%s",
	    msg.acs_url, query != NULL ? "" : " (unsolicited)");
	com_buf_init(&b, 1024 * 1024);
	rv = gidp_page_post(&b, &msg);
	res = rv == COM_OK ? gidp_reply(conn, 200, "text/html; charset=utf-8",
	                         &b) : MHD_NO;
	com_buf_fini(&b);
	gidp_message_fini(&msg);
out:
	free(ido);
	free(pre);
	free(nom);
	free(query);
	return res;
}

static enum MHD_Result
gidp_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	gidp *g = cls;
	gidp_req *r = *con_cls;
	enum MHD_Result res;
	const char *q;
	com_buf b;

	(void)version;
	if (r == NULL)
		return MHD_NO;
	if (!r->headers_seen) {
		r->headers_seen = true;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (com_buf_append(&r->body, upload_data, *upload_data_size) !=
		    COM_OK)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "POST") == 0 && strcmp(url, "/login") == 0)
		return gidp_login(g, conn, r);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return gidp_text(conn, 405, "Méthode non permise.");
	com_buf_init(&b, 1024 * 1024);
	if (strcmp(url, "/metadata") == 0) {
		if (com_buf_append_str(&b, gidp_metadata(g)) != COM_OK) {
			com_buf_fini(&b);
			return MHD_NO;
		}
		res = gidp_reply(conn, 200, "application/samlmetadata+xml", &b);
	} else if (strcmp(url, "/") == 0 || strcmp(url, "/sso") == 0) {
		q = strcmp(url, "/sso") == 0 && r->uri != NULL ?
		    strchr(r->uri, '?') : NULL;
		if (strcmp(url, "/sso") == 0 && q == NULL) {
			com_buf_fini(&b);
			return gidp_text(conn, 400, "Demande de connexion "
			    "absente.");
		}
		res = gidp_page_choose(&b, q != NULL ? q + 1 : NULL) == COM_OK ?
		    gidp_reply(conn, 200, "text/html; charset=utf-8", &b) :
		    MHD_NO;
	} else {
		com_buf_fini(&b);
		return gidp_text(conn, 404, "Page introuvable.");
	}
	com_buf_fini(&b);
	return res;
}

/* Keeps the raw URI: the AuthnRequest's signature covers the query as
 * sent, which libmicrohttpd would otherwise only hand over decoded. */
static void *
gidp_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	gidp_req *r = calloc(1, sizeof(*r));

	(void)cls;
	(void)conn;
	if (r == NULL)
		return NULL;
	r->uri = strdup(uri);
	com_buf_init(&r->body, GIDP_BODY_MAX);
	return r;
}

static void
gidp_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	gidp_req *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	free(r->uri);
	com_buf_fini(&r->body);
	free(r);
	*con_cls = NULL;
}

static int
gidp_serve(void)
{
	const char *addr = com_env_str("GAR_IDP_ADDR", "127.0.0.1:8081");
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	sigset_t stop;
	char host[64];
	const char *colon = strrchr(addr, ':');
	gidp *g = NULL;
	long port;
	int sig;

	if (colon == NULL || (size_t)(colon - addr) >= sizeof(host)) {
		com_log_err("gar-idp: GAR_IDP_ADDR %s is not host:port", addr);
		return 1;
	}
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	port = strtol(colon + 1, NULL, 10);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (port <= 0 || port > 65535 ||
	    inet_pton(AF_INET, host[0] != '\0' ? host : "0.0.0.0",
	        &sin.sin_addr) != 1) {
		com_log_err("gar-idp: GAR_IDP_ADDR %s is not IPv4 host:port",
		    addr);
		return 1;
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	if (gidp_setup(&g) != COM_OK)
		return 1;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, gidp_access, g,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_URI_LOG_CALLBACK, gidp_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, gidp_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_END);
	if (d == NULL) {
		com_log_err("gar-idp: cannot listen on %s", addr);
		gidp_close(g);
		return 1;
	}
	com_log_notice("gar-idp: GAR de démonstration on http://%s", addr);
	if (sigwait(&stop, &sig) != 0)
		sig = 0;
	com_log_notice("gar-idp: stopping (signal %d)", sig);
	MHD_stop_daemon(d);
	gidp_close(g);
	return 0;
}

int
main(int argc, char **argv)
{
	com_log_init("gar-idp");
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && strcmp(argv[1], "sign") == 0)
		return gidp_sign(argc, argv);
	if (argc != 1) {
		gidp_usage();
		return 2;
	}
	return gidp_serve();
}
