/*
 * main.c - the mailer daemon: reads its settings, serves MailerRequest,
 * registers with orga, and runs the outbox delivery loop until SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "log.h"
#include "mailer.pb-c.h"
#include "outbox.h"
#include "register.h"
#include "service.h"
#include "smtp.h"
#include "template.h"

#define MAIL_VERSION "0.1.0"
#define MAIL_RPC_WORKERS 2
/* Registration with orga: about half a minute in all. */
#define MAIL_REGISTER_TRIES 6
#define MAIL_REGISTER_FIRST_PAUSE_MS 1000L
#define MAIL_REGISTER_MAX_PAUSE_MS 16000L
#define MAIL_REGISTER_CALL_MS 2000

static volatile sig_atomic_t mail_stop;

static void
mail_on_signal(int sig)
{
	(void)sig;
	mail_stop = 1;
}

static com_err
mail_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mail_on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0)
		return COM_EIO;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		return COM_EIO;
	return COM_OK;
}

/* mail_opts_load reads the MAILER_* settings into o. */
static com_err
mail_opts_load(mail_outbox_opts *o)
{
	com_err rv;

	rv = com_env_long("MAILER_POLL_MS", 5000, 10, 3600000L, &o->poll_ms);
	if (rv == COM_OK)
		rv = com_env_long("MAILER_RETRY_BASE_MS", 2000, 1, 86400000L,
		    &o->retry_base_ms);
	if (rv == COM_OK)
		rv = com_env_long("MAILER_RETRY_MAX_MS", 600000, 1,
		    7L * 86400000L, &o->retry_max_ms);
	o->from = com_env_str("MAIL_FROM",
	    "Orga <ne-pas-repondre@orga.invalid>");
	return rv;
}

/* mail_ipc_dirs creates $ORGA_VAR/run and the ipc socket's directory. */
static com_err
mail_ipc_dirs(const com_config *cfg)
{
	char dir[700];
	char *slash;
	int n;

	n = snprintf(dir, sizeof(dir), "%s/run", cfg->var_dir);
	if (n < 0 || (size_t)n >= sizeof(dir) || mail_dir_create(dir) !=
	    COM_OK)
		return COM_EIO;
	if (strncmp(cfg->mailer_rpc_url, "ipc://", 6) != 0)
		return COM_OK;
	n = snprintf(dir, sizeof(dir), "%s", cfg->mailer_rpc_url + 6);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return COM_EIO;
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return COM_OK;
	*slash = '\0';
	return mail_dir_create(dir);
}

/* mail_wake: a wake request ends the delivery loop's wait. */
static void
mail_wake(void *arg)
{
	mail_outbox_wake(arg);
}

int
main(void)
{
	static com_config cfg;
	static mail_transport transport;
	mail_outbox_opts opts;
	mail_templates *templates = NULL;
	mail_outbox *outbox = NULL;
	com_service_config scfg = {
		.name = "mailer",
		.version = MAIL_VERSION,
		.workers = MAIL_RPC_WORKERS,
		.request = &orga__mailer_request__descriptor,
		.reply = &orga__mailer_reply__descriptor,
		.undecodable_message =
		    "Requête illisible pour le service d'envoi de mails.",
		.unknown_message =
		    "Requête inconnue du service d'envoi de mails.",
		.wake = mail_wake,
	};
	com_register_config rcfg = {
		.service = "mailer",
		.tries = MAIL_REGISTER_TRIES,
		.first_pause_ms = MAIL_REGISTER_FIRST_PAUSE_MS,
		.max_pause_ms = MAIL_REGISTER_MAX_PAUSE_MS,
		.call_ms = MAIL_REGISTER_CALL_MS,
	};
	com_service *service = NULL;
	com_register *reg = NULL;
	int status = 1;
	com_err rv;

	com_log_init("mailer");
	rv = com_config_load(&cfg);
	if (rv != COM_OK) {
		com_log_err("config: %s", com_strerror(rv));
		return 2;
	}
	memset(&opts, 0, sizeof(opts));
	if (mail_opts_load(&opts) != COM_OK ||
	    mail_transport_init(&transport, cfg.var_dir, &mail_stop) !=
	        COM_OK)
		return 2;
	opts.conninfo = cfg.database_url;
	opts.help = cfg.help_email;
	opts.transport = &transport;
	opts.stop = &mail_stop;
	if (mail_signals_install() != COM_OK) {
		com_log_err("main: cannot install signal handlers");
		return 1;
	}
	if (mail_ipc_dirs(&cfg) != COM_OK) {
		com_log_err("main: cannot create the run directory");
		return 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		com_log_err("main: cannot initialise libcurl");
		return 1;
	}
	/* A missing or malformed template is logged by the loader. */
	rv = mail_templates_load(com_env_str("MAILER_TEMPLATES_DIR",
	    MAIL_TEMPLATES_DIR_DEFAULT), &templates);
	if (rv != COM_OK)
		goto out;
	opts.templates = templates;
	rv = mail_outbox_new(&opts, &outbox);
	if (rv != COM_OK) {
		com_log_err("main: %s", com_strerror(rv));
		goto out;
	}
	scfg.url = cfg.mailer_rpc_url;
	scfg.conninfo = cfg.database_url;
	scfg.arg = outbox;
	rv = com_service_new(&scfg, &service);
	if (rv == COM_OK)
		rv = com_service_start(service);
	if (rv != COM_OK) {
		com_log_err("main: cannot serve %s: %s", cfg.mailer_rpc_url,
		    com_strerror(rv));
		goto out;
	}
	rcfg.orga_url = cfg.orga_rpc_url;
	rcfg.my_url = cfg.mailer_rpc_url;
	rv = com_register_start(&rcfg, &reg);
	if (rv != COM_OK)
		com_log_warn("main: not registering with orga: %s",
		    com_strerror(rv));
	/* The SMTP URL may carry credentials: name the mode only. */
	com_log_info("mailer %s started (pid %d), rpc %s, delivery by %s",
	    MAIL_VERSION, (int)getpid(), cfg.mailer_rpc_url,
	    transport.smtp_url[0] == '\0' ? "eml files"
	    : strncmp(transport.smtp_url, "smtps", 5) == 0 ? "smtps"
	                                                  : "smtp");
	mail_outbox_run(outbox);
	com_log_info("mailer stopping");
	status = 0;
out:
	com_register_stop(reg);
	com_service_free(service);
	mail_outbox_free(outbox);
	mail_templates_free(templates);
	curl_global_cleanup();
	return status;
}
