/*
 * content_dir.c - reading a bundle directory into in-memory files for
 * orga_content_load (a thin layer: orgactl sends the same files over RPC).
 */
#include "assessment/content.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CD_PATH_MAX 4096
/* How deep images/ may nest. */
#define CD_DEPTH_MAX 8

typedef struct cd_list {
	orga_content_file *v;
	size_t n, cap;
	char first_error[CD_PATH_MAX + 128];
} cd_list;

static void
cd_fail(cd_list *l, const char *rel, const char *what)
{
	if (l->first_error[0] == '\0')
		snprintf(l->first_error, sizeof(l->first_error),
		    "%s: %s impossible : %s", rel, what, strerror(errno));
}

/* Reads file path (shown as rel) into a new entry. */
static com_err
cd_read(cd_list *l, const char *path, const char *rel)
{
	struct stat st;
	char *data = NULL, *name = NULL;
	size_t got = 0;
	com_err rv = COM_OK;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		cd_fail(l, rel, "lecture");
		rv = COM_EIO;
		goto out;
	}
	if ((size_t)st.st_size > ORGA_CONTENT_FILE_MAX) {
		errno = EFBIG;
		cd_fail(l, rel, "lecture");
		rv = COM_ETOOLARGE;
		goto out;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap == 0 ? 64 : l->cap * 2;
		orga_content_file *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			rv = COM_ENOMEM;
			goto out;
		}
		l->v = v;
		l->cap = cap;
	}
	data = malloc((size_t)st.st_size + 1);
	name = strdup(rel);
	if (data == NULL || name == NULL) {
		rv = COM_ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, data + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			cd_fail(l, rel, "lecture");
			rv = COM_EIO;
			goto out;
		}
		got += (size_t)r;
	}
	l->v[l->n].name = name;
	l->v[l->n].data = data;
	l->v[l->n].len = got;
	l->n++;
	name = NULL;
	data = NULL;
out:
	free(name);
	free(data);
	if (fd >= 0)
		close(fd);
	return rv;
}

/* Adds every regular file below dir/rel (rel "" for the bundle itself,
 * where only the content's files and folders are taken). */
static com_err
cd_walk(cd_list *l, const char *dir, const char *rel, int depth)
{
	char path[CD_PATH_MAX], sub[CD_PATH_MAX];
	struct dirent *de;
	com_err rv = COM_OK;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "", rel);
	d = opendir(path);
	if (d == NULL) {
		cd_fail(l, rel[0] ? rel : dir, "ouverture du dossier");
		return COM_EIO;
	}
	while (rv == COM_OK && (errno = 0, de = readdir(d)) != NULL) {
		struct stat st;
		char full[CD_PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		if (rel[0] == '\0' && strcmp(de->d_name, "referentiel.json") &&
		    strcmp(de->d_name, "competences") &&
		    strcmp(de->d_name, "parcours") &&
		    strcmp(de->d_name, "images"))
			continue;
		if (snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
		        de->d_name) >= (int)sizeof(sub) ||
		    snprintf(full, sizeof(full), "%s/%s", dir, sub) >=
		        (int)sizeof(full)) {
			rv = COM_ETOOLARGE;
			break;
		}
		if (stat(full, &st) != 0) {
			cd_fail(l, sub, "lecture");
			rv = COM_EIO;
		} else if (S_ISDIR(st.st_mode) && depth < CD_DEPTH_MAX) {
			rv = cd_walk(l, dir, sub, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rv = l->n >= ORGA_CONTENT_FILES_MAX ? COM_ETOOLARGE :
			    cd_read(l, full, sub);
		}
	}
	closedir(d);
	return rv;
}

/* Reports a read failure as the load's one error line. */
static com_err
cd_report(orga_content_report *report, const char *line)
{
	char **lines;

	if (report == NULL)
		return COM_OK;
	lines = realloc(report->lines, (report->n + 1) * sizeof(*lines));
	if (lines == NULL)
		return COM_ENOMEM;
	report->lines = lines;
	report->lines[report->n] = strdup(line);
	if (report->lines[report->n] == NULL)
		return COM_ENOMEM;
	report->n++;
	return COM_OK;
}

com_err
orga_content_load_dir(const char *dir, orga_content **out,
    orga_content_report *report)
{
	cd_list l;
	com_err rv;

	memset(&l, 0, sizeof(l));
	rv = cd_walk(&l, dir, "", 0);
	if (rv == COM_ETOOLARGE && l.first_error[0] == '\0')
		snprintf(l.first_error, sizeof(l.first_error),
		    "%s: trop de fichiers ou chemin trop long", dir);
	if (rv != COM_OK && rv != COM_ENOMEM) {
		if (cd_report(report, l.first_error) != COM_OK)
			rv = COM_ENOMEM;
	} else if (rv == COM_OK) {
		rv = orga_content_load(l.v, l.n, out, report);
	}
	for (size_t i = 0; i < l.n; i++) {
		free((char *)l.v[i].name);
		free((void *)l.v[i].data);
	}
	free(l.v);
	return rv;
}
