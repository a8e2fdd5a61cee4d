/*
 * http_static.c - serves the web UI's files from ORGA_WEB_DIR (no way out
 * of it), and index.html for every other page path.
 */
#include "edge/http/http_static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edge/http/http_reply.h"
#include "log.h"

static const struct {
	const char *ext;
	const char *type;
} static_types[] = {
	{".html", "text/html; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".mjs", "text/javascript; charset=utf-8"},
	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".woff2", "font/woff2"},
	{".ico", "image/x-icon"},
	{".txt", "text/plain; charset=utf-8"},
	{".webmanifest", "application/manifest+json"},
};

const char *
orga_static_content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');

	if (dot == NULL || (slash != NULL && dot < slash))
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof(static_types) / sizeof(static_types[0]);
	     i++) {
		if (strcasecmp(dot, static_types[i].ext) == 0)
			return static_types[i].type;
	}
	return "application/octet-stream";
}

bool
orga_static_path_ok(const char *url)
{
	const char *seg;
	size_t len;

	if (url == NULL || url[0] != '/' || strchr(url, '\\') != NULL)
		return false;
	seg = url + 1;
	for (;;) {
		len = strcspn(seg, "/");
		if (seg[len] == '\0')
			/* The last segment may be empty ("/", "/docs/"). */
			return len == 0 || seg[0] != '.';
		if (len == 0 || seg[0] == '.')
			return false; /* "//", "..", ".git", ".env" */
		seg += len + 1;
	}
}

/*
 * Opens root + rel when it resolves to a regular file inside root. Writes
 * the open fd and its size. COM_ENOTFOUND otherwise.
 */
static com_err
static_open(const char *root, const char *rel, int *fd, off_t *size,
    char *resolved)
{
	char path[PATH_MAX];
	size_t rlen = strlen(root);
	struct stat st;
	int n, f;

	n = snprintf(path, sizeof(path), "%s%s", root, rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		return COM_ENOTFOUND;
	if (realpath(path, resolved) == NULL)
		return COM_ENOTFOUND;
	/* Symbolic links may not lead out of the web directory either. */
	if (strncmp(resolved, root, rlen) != 0 || resolved[rlen] != '/')
		return COM_ENOTFOUND;
	f = open(resolved, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return COM_ENOTFOUND;
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return COM_ENOTFOUND;
	}
	*fd = f;
	*size = st.st_size;
	return COM_OK;
}

void
orga_static_serve(orga_req *req)
{
	char rel[PATH_MAX];
	char resolved[PATH_MAX];
	struct MHD_Response *resp;
	const char *base;
	off_t size = 0;
	int fd = -1;
	size_t len;
	com_err rv = COM_ENOTFOUND;

	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		orga_http_reply_error(req, 405, "METHOD_NOT_ALLOWED", NULL,
		    "Cette méthode n'est pas permise ici.");
		return;
	}
	if (req->web_root[0] == '\0') {
		orga_http_reply_error(req, 404, "NOT_FOUND", NULL,
		    "Cette adresse n'existe pas.");
		return;
	}
	len = strlen(req->url);
	if (orga_static_path_ok(req->url) && len + 12 < sizeof(rel)) {
		snprintf(rel, sizeof(rel), "%s%s", req->url,
		    req->url[len - 1] == '/' ? "index.html" : "");
		rv = static_open(req->web_root, rel, &fd, &size, resolved);
	}
	if (rv != COM_OK) /* a page of the web UI: it routes itself */
		rv = static_open(req->web_root, "/index.html", &fd, &size,
		    resolved);
	if (rv != COM_OK) {
		orga_http_reply_error(req, 404, "NOT_FOUND", NULL,
		    "Cette adresse n'existe pas.");
		return;
	}
	resp = MHD_create_response_from_fd((uint64_t)size, fd);
	if (resp == NULL) {
		close(fd);
		orga_http_reply_internal(req, COM_ENOMEM, "static response");
		return;
	}
	base = strrchr(resolved, '/');
	base = base != NULL ? base + 1 : resolved;
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    orga_static_content_type(base));
	(void)MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	    strcmp(base, "index.html") == 0 ? "no-store" : "no-cache");
	orga_http_reply_response(req, 200, resp);
}
