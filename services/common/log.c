/* log.c - line-oriented logging with a fixed prefix. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *com_log_daemon = "orga";
static com_log_level com_log_max = COM_LOG_INFO;
static _Thread_local char com_log_ctx[48];

static const char *const com_log_names[] = {
	"ERROR", "WARN", "NOTICE", "INFO", "DEBUG",
};

void
com_log_init(const char *daemon)
{
	const char *env = getenv("ORGA_LOG_LEVEL");

	com_log_daemon = daemon;
	if (env == NULL)
		return;
	for (int i = 0; i <= COM_LOG_DEBUG; i++) {
		if (strcasecmp(env, com_log_names[i]) == 0 ||
		    (i == COM_LOG_ERR && strcasecmp(env, "err") == 0))
			com_log_max = (com_log_level)i;
	}
}

void
com_log_set_level(com_log_level level)
{
	com_log_max = level;
}

void
com_log_set_context(const char *ctx)
{
	if (ctx == NULL)
		com_log_ctx[0] = '\0';
	else
		snprintf(com_log_ctx, sizeof(com_log_ctx), "%s", ctx);
}

void
com_log(com_log_level level, const char *fmt, ...)
{
	char line[1024];
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	size_t len;
	int n;

	if (level > com_log_max)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = snprintf(line, sizeof(line), "%s.%03ldZ %s %s%s%s ", stamp,
	    ts.tv_nsec / 1000000, com_log_daemon, com_log_names[level],
	    com_log_ctx[0] ? " " : "", com_log_ctx);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One event, one line: libpq messages end with, or hold, newlines. */
	len = strlen(line);
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' '))
		line[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20)
			line[i] = ' ';
	/* One fputs per line keeps lines whole across threads. */
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len] = '\n';
	line[len + 1] = '\0';
	fputs(line, stderr);
}
