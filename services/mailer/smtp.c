/*
 * smtp.c - delivers one rendered message: SMTP through libcurl (one easy
 * handle per message), or an .eml file written atomically.
 */
#include "smtp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "log.h"

#define MAIL_SMTP_CONNECT_S 10L
#define MAIL_SMTP_TIMEOUT_S 30L

/* The upload cursor handed to curl's read callback. */
typedef struct mail_upload {
	const char *data;
	size_t len;
	size_t off;
} mail_upload;

static com_err
mail_copy_setting(char *dst, size_t size, const char *name)
{
	const char *v = com_env_str(name, "");
	size_t n = strlen(v);

	if (n >= size) {
		com_log_err("config: %s is too long", name);
		return COM_EINVAL;
	}
	memcpy(dst, v, n + 1);
	return COM_OK;
}

com_err
mail_transport_init(mail_transport *t, const char *var_dir,
    volatile sig_atomic_t *stop)
{
	char name[MAIL_NAME_SIZE];
	const char *tls = com_env_str("SMTP_STARTTLS", "0");
	int n;

	memset(t, 0, sizeof(*t));
	t->stop = stop;
	if (mail_copy_setting(t->smtp_url, sizeof(t->smtp_url), "SMTP_URL") !=
	        COM_OK ||
	    mail_copy_setting(t->user, sizeof(t->user), "SMTP_USER") !=
	        COM_OK ||
	    mail_copy_setting(t->password, sizeof(t->password),
	        "SMTP_PASSWORD") != COM_OK)
		return COM_EINVAL;
	if (t->smtp_url[0] != '\0' &&
	    strncmp(t->smtp_url, "smtp://", 7) != 0 &&
	    strncmp(t->smtp_url, "smtps://", 8) != 0) {
		com_log_err("config: SMTP_URL must start with smtp:// or "
		            "smtps://");
		return COM_EINVAL;
	}
	if (strcmp(tls, "0") != 0 && strcmp(tls, "1") != 0) {
		com_log_err("config: SMTP_STARTTLS must be 0 or 1");
		return COM_EINVAL;
	}
	t->starttls = tls[0] == '1';
	if (mail_mime_from_parse(com_env_str("MAIL_FROM",
	                             "Orga <ne-pas-repondre@orga.invalid>"),
	        name, t->from_addr) != COM_OK) {
		com_log_err("config: MAIL_FROM must be an address or "
		            "\"Name <address>\"");
		return COM_EINVAL;
	}
	n = snprintf(t->mail_dir, sizeof(t->mail_dir), "%s/mail", var_dir);
	if (n < 0 || (size_t)n >= sizeof(t->mail_dir)) {
		com_log_err("config: ORGA_VAR is too long");
		return COM_EINVAL;
	}
	return COM_OK;
}

com_err
mail_dir_create(const char *path)
{
	char tmp[1024];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(tmp))
		return COM_EIO;
	memcpy(tmp, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST) {
			com_log_err("mail: cannot create directory %s: %s", tmp,
			    strerror(errno));
			return COM_EIO;
		}
		tmp[i] = path[i];
	}
	return COM_OK;
}

static com_err
mail_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return COM_EIO;
		data += w;
		len -= (size_t)w;
	}
	return COM_OK;
}

/*
 * mail_eml_write writes <dir>/.<id>.eml.tmp, syncs it, then renames it
 * to <dir>/<id>.eml: a reader never sees half a message.
 */
static com_err
mail_eml_write(const mail_transport *t, const char *id, const char *msg,
    size_t len, char why[MAIL_ERROR_SIZE])
{
	char tmp[700];
	char path[700];
	com_err rv = COM_OK;
	int fd = -1;
	int n1;
	int n2;

	n1 = snprintf(tmp, sizeof(tmp), "%s/.%s.eml.tmp", t->mail_dir, id);
	n2 = snprintf(path, sizeof(path), "%s/%s.eml", t->mail_dir, id);
	if (n1 < 0 || (size_t)n1 >= sizeof(tmp) || n2 < 0 ||
	    (size_t)n2 >= sizeof(path)) {
		snprintf(why, MAIL_ERROR_SIZE, "eml: path too long");
		return COM_EIO;
	}
	rv = mail_dir_create(t->mail_dir);
	if (rv != COM_OK) {
		snprintf(why, MAIL_ERROR_SIZE, "eml: cannot create directory");
		return rv;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(why, MAIL_ERROR_SIZE, "eml: open: %s",
		    strerror(errno));
		rv = COM_EIO;
		goto out;
	}
	rv = mail_write_all(fd, msg, len);
	if (rv == COM_OK && fsync(fd) != 0)
		rv = COM_EIO;
	if (close(fd) != 0 && rv == COM_OK)
		rv = COM_EIO;
	fd = -1;
	if (rv != COM_OK) {
		snprintf(why, MAIL_ERROR_SIZE, "eml: write: %s",
		    strerror(errno));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		snprintf(why, MAIL_ERROR_SIZE, "eml: rename: %s",
		    strerror(errno));
		rv = COM_EIO;
		goto out;
	}
out:
	if (rv != COM_OK) {
		com_log_warn("mail: %s", why);
		unlink(tmp);
	}
	return rv;
}

static size_t
mail_upload_read(char *buf, size_t size, size_t nitems, void *arg)
{
	mail_upload *u = arg;
	size_t room = size * nitems;
	size_t n = u->len - u->off;

	if (n > room)
		n = room;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

/* Abandons the transfer when the daemon is asked to stop. */
static int
mail_upload_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	const mail_transport *t = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return t->stop != NULL && *t->stop ? 1 : 0;
}

static bool
mail_rcpt_valid(const char *rcpt)
{
	if (rcpt[0] == '\0' || strlen(rcpt) >= MAIL_ADDR_SIZE)
		return false;
	for (const unsigned char *p = (const unsigned char *)rcpt; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>')
			return false;
	}
	return true;
}

static com_err
mail_smtp_send(const mail_transport *t, const char *rcpt, const char *msg,
    size_t len, char why[MAIL_ERROR_SIZE])
{
	char from[MAIL_ADDR_SIZE + 2];
	char to[MAIL_ADDR_SIZE + 2];
	char errbuf[CURL_ERROR_SIZE];
	mail_upload up = {msg, len, 0};
	struct curl_slist *rcpts = NULL;
	struct curl_slist *tmp;
	com_err rv = COM_OK;
	long code = 0;
	CURLcode cc;
	CURL *curl;

	curl = curl_easy_init();
	if (curl == NULL) {
		snprintf(why, MAIL_ERROR_SIZE, "smtp: out of memory");
		return COM_ENOMEM;
	}
	snprintf(from, sizeof(from), "<%s>", t->from_addr);
	snprintf(to, sizeof(to), "<%s>", rcpt);
	tmp = curl_slist_append(rcpts, to);
	if (tmp == NULL) {
		snprintf(why, MAIL_ERROR_SIZE, "smtp: out of memory");
		rv = COM_ENOMEM;
		goto out;
	}
	rcpts = tmp;
	errbuf[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, t->smtp_url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_upload_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, MAIL_SMTP_CONNECT_S);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, MAIL_SMTP_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mail_upload_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)t);
	if (t->starttls)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (t->user[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_USERNAME, t->user);
	if (t->password[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_PASSWORD, t->password);

	cc = curl_easy_perform(curl);
	if (cc == CURLE_OK)
		goto out;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	snprintf(why, MAIL_ERROR_SIZE, "smtp: %s (curl %d, reply %ld)",
	    curl_easy_strerror(cc), (int)cc, code);
	/* The caller logs why; curl's detail (host, port) is for debugging. */
	com_log_debug("mail: %s: %s", why, errbuf[0] ? errbuf : "-");
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		rv = COM_EBUSY;
	else if (cc == CURLE_OPERATION_TIMEDOUT)
		rv = COM_ETIMEDOUT;
	else
		rv = COM_EPEER;
out:
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(curl);
	return rv;
}

com_err
mail_transport_send(const mail_transport *t, const char *id,
    const char *rcpt, const char *msg, size_t len,
    char why[MAIL_ERROR_SIZE])
{
	why[0] = '\0';
	if (!mail_rcpt_valid(rcpt)) {
		snprintf(why, MAIL_ERROR_SIZE, "invalid recipient");
		return COM_EINVAL;
	}
	if (t->smtp_url[0] == '\0') {
		if (id[0] == '\0' || id[strspn(id, "0123456789")] != '\0') {
			snprintf(why, MAIL_ERROR_SIZE, "invalid outbox id");
			return COM_EINVAL;
		}
		return mail_eml_write(t, id, msg, len, why);
	}
	return mail_smtp_send(t, rcpt, msg, len, why);
}
