/*
 * mime.h - the encodings an Internet message needs: base64, quoted-
 * printable bodies (RFC 2045), encoded words for headers (RFC 2047) and
 * the parsing of a "Name <address>" sender setting.
 * Every function appends to a caller-owned com_buf and is thread-safe.
 */
#ifndef MAIL_MIME_H
#define MAIL_MIME_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Longest encoded line we write in a body (RFC 2045 says 76). */
#define MAIL_MIME_LINE_MAX 76

/* Room for an address (RFC 5321 path) and a display name, with NUL. */
#define MAIL_ADDR_SIZE 320
#define MAIL_NAME_SIZE 256

/*
 * mail_mime_base64 appends the base64 form of len bytes of data to out,
 * on one line (callers keep it short). COM_ETOOLARGE past out's maximum.
 */
com_err mail_mime_base64(com_buf *out, const void *data, size_t len)
    COM_MUSTCHECK;

/*
 * mail_mime_qp appends text (UTF-8, lines separated by "\n" or "\r\n")
 * encoded as quoted-printable with CRLF line ends and lines of at most
 * MAIL_MIME_LINE_MAX characters (soft breaks never split an =XX escape).
 * A "." starting a line is escaped too, so SMTP never sees a lone dot.
 */
com_err mail_mime_qp(com_buf *out, const char *text, size_t len)
    COM_MUSTCHECK;

/*
 * mail_mime_header_words appends text as RFC 2047 "B" encoded words in
 * UTF-8 when it holds anything but printable ASCII, else as is. Words
 * are cut on character boundaries, each at most 75 characters, separated
 * by CRLF + space (folding); prefix_len is the length of the "Name: "
 * already on the first line, so that line stays within 78 characters.
 * COM_EINVAL when text holds a control character or invalid UTF-8.
 */
com_err mail_mime_header_words(com_buf *out, const char *text,
    size_t prefix_len) COM_MUSTCHECK;

/*
 * mail_mime_from_parse splits a sender setting such as
 * `Orga <ne-pas-repondre@orga.invalid>` or `x@y.z` into its display name
 * (possibly empty; surrounding quotes removed) and address. COM_EINVAL
 * when the address is missing, holds spaces, controls, "<>" or no "@",
 * or when either part does not fit.
 */
com_err mail_mime_from_parse(const char *setting,
    char name[MAIL_NAME_SIZE], char addr[MAIL_ADDR_SIZE]) COM_MUSTCHECK;

#endif
