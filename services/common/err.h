/*
 * err.h - the one error type shared by every Orga daemon and tool.
 * Functions return com_err by value (0 = COM_OK) and write results through
 * out-parameters only on success.
 */
#ifndef COM_ERR_H
#define COM_ERR_H

typedef enum com_err {
	COM_OK = 0,
	COM_ENOMEM,     /* allocation failed */
	COM_EINVAL,     /* bad argument or malformed input */
	COM_ETOOLARGE,  /* a bounded buffer or configured limit was exceeded */
	COM_ENOTFOUND,  /* no such row, file or route */
	COM_EEXIST,     /* already exists (unique constraint) */
	COM_EPERM,      /* caller may not do this */
	COM_EAUTH,      /* authentication failed */
	COM_ECONFLICT,  /* state does not allow it (already accepted...) */
	COM_EDB,        /* PostgreSQL error or connection lost */
	COM_EIO,        /* system call or file error */
	COM_ETIMEDOUT,  /* a peer did not answer in time */
	COM_EPROTO,     /* a peer sent something we cannot decode */
	COM_EPEER,      /* a peer (nng daemon, SMTP server) failed */
	COM_EBUSY,      /* try again later (throttled, locked) */
	COM_ERR_COUNT
} com_err;

#define COM_MUSTCHECK __attribute__((warn_unused_result))

/*
 * com_strerror returns a static English description of err; never NULL.
 */
const char *com_strerror(com_err err);

/*
 * com_err_name returns the stable machine name of err ("EINVAL"...).
 */
const char *com_err_name(com_err err);

#endif
