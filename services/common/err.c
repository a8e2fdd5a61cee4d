/* err.c - descriptions of com_err values. */
#include "err.h"

static const struct {
	const char *name;
	const char *text;
} com_err_table[COM_ERR_COUNT] = {
	[COM_OK] = {"OK", "success"},
	[COM_ENOMEM] = {"ENOMEM", "out of memory"},
	[COM_EINVAL] = {"EINVAL", "invalid argument or input"},
	[COM_ETOOLARGE] = {"ETOOLARGE", "size limit exceeded"},
	[COM_ENOTFOUND] = {"ENOTFOUND", "not found"},
	[COM_EEXIST] = {"EEXIST", "already exists"},
	[COM_EPERM] = {"EPERM", "permission denied"},
	[COM_EAUTH] = {"EAUTH", "authentication failed"},
	[COM_ECONFLICT] = {"ECONFLICT", "state conflict"},
	[COM_EDB] = {"EDB", "database error"},
	[COM_EIO] = {"EIO", "input/output error"},
	[COM_ETIMEDOUT] = {"ETIMEDOUT", "timed out"},
	[COM_EPROTO] = {"EPROTO", "protocol error"},
	[COM_EPEER] = {"EPEER", "peer failure"},
	[COM_EBUSY] = {"EBUSY", "busy, try again later"},
};

const char *
com_strerror(com_err err)
{
	if ((unsigned)err >= COM_ERR_COUNT)
		return "unknown error";
	return com_err_table[err].text;
}

const char *
com_err_name(com_err err)
{
	if ((unsigned)err >= COM_ERR_COUNT)
		return "EUNKNOWN";
	return com_err_table[err].name;
}
