/*
 * log.h - one line per event on stderr: time, daemon, level, context, text.
 * Never log secrets (passwords, codes, tokens) or personal data in full.
 * Not async-signal-safe: signal handlers set flags and never log.
 */
#ifndef COM_LOG_H
#define COM_LOG_H

typedef enum com_log_level {
	COM_LOG_ERR = 0,
	COM_LOG_WARN,
	COM_LOG_NOTICE,
	COM_LOG_INFO,
	COM_LOG_DEBUG,
} com_log_level;

/*
 * com_log_init sets the daemon name printed on every line (a static string
 * the caller keeps alive) and the level read from ORGA_LOG_LEVEL
 * (err|warn|notice|info|debug, default info). Call once, before threads.
 */
void com_log_init(const char *daemon);

/* com_log_set_level overrides the level (tests). */
void com_log_set_level(com_log_level level);

/*
 * com_log_set_context sets this thread's context id ("req=12", "mail=3"),
 * copied into thread-local storage; NULL clears it.
 */
void com_log_set_context(const char *ctx);

void com_log(com_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define com_log_err(...) com_log(COM_LOG_ERR, __VA_ARGS__)
#define com_log_warn(...) com_log(COM_LOG_WARN, __VA_ARGS__)
#define com_log_notice(...) com_log(COM_LOG_NOTICE, __VA_ARGS__)
#define com_log_info(...) com_log(COM_LOG_INFO, __VA_ARGS__)
#define com_log_debug(...) com_log(COM_LOG_DEBUG, __VA_ARGS__)

#endif
