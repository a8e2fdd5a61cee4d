/*
 * address_list.c - splits a pasted list of addresses into parts: first
 * into segments at top-level commas, semicolons and line ends, then each
 * segment into tokens (words, "quoted names", <addresses>, (comments)).
 */
#include "school/address_list.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum addr_kind {
	ADDR_WORD,
	ADDR_QUOTED,
	ADDR_ANGLE,
	ADDR_COMMENT,
} addr_kind;

/* One token of a segment: [start, end) as pasted, [in, in_end) inside. */
typedef struct addr_token {
	addr_kind kind;
	const char *start;
	const char *end;
	const char *in;
	const char *in_end;
} addr_token;

/* The parts found so far. */
typedef struct addr_list {
	orga_address *parts;
	int count;
	int max;
	com_err rv;       /* COM_ETOOLARGE once max is passed */
} addr_list;

/* The words before an address or a separator: a name, or a refused part. */
typedef struct addr_run {
	const char *start;
	const char *end;
	int tokens;
	bool quoted_at;   /* one "quoted" token holding an "@" */
	const char *q_in;
	const char *q_end;
	bool label;       /* its last word ends with ":" (a group's name) */
} addr_run;

/*
 * addr_space_len: the byte length of the white space at p (ASCII blanks,
 * no-break, narrow, zero-width and ideographic spaces, BOM), else 0.
 */
static size_t
addr_space_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t left = (size_t)(end - p);

	if (left == 0)
		return 0;
	if (u[0] == ' ' || u[0] == '\t' || u[0] == '\v' || u[0] == '\f')
		return 1;
	if (left >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;                                /* U+00A0 */
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	    (u[2] <= 0x8B || u[2] == 0xAF))
		return 3;                     /* U+2000-U+200B, U+202F */
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0x9F)
		return 3;                                /* U+205F */
	if (left >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;                                /* U+3000 */
	if (left >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3;                                /* U+FEFF */
	return 0;
}

static bool
addr_line_end(char c)
{
	return c == '\n' || c == '\r' || c == '\0';
}

/*
 * addr_closing finds close after p on the same line (before end), or
 * returns NULL: an opener left open is read as a plain character.
 */
static const char *
addr_closing(const char *p, const char *end, char close)
{
	for (const char *q = p + 1; q < end && !addr_line_end(*q); q++) {
		if (*q == close)
			return q;
	}
	return NULL;
}

/* addr_trim narrows [*s, *e) to its content without white space. */
static void
addr_trim(const char **s, const char **e)
{
	size_t n;

	while (*s < *e && (n = addr_space_len(*s, *e)) > 0)
		*s += n;
	for (;;) {
		const char *p = *e;
		bool found = false;

		/* White space is at most 3 bytes: look back that far. */
		for (size_t back = 1; back <= 3 && p - back >= *s; back++) {
			if (addr_space_len(p - back, p) == back) {
				*e = p - back;
				found = true;
				break;
			}
		}
		if (!found)
			return;
	}
}

/* addr_copy_part writes [s, e) into out, cut on a UTF-8 boundary. */
static void
addr_copy_part(const char *s, const char *e, char *out)
{
	size_t len = (size_t)(e - s);
	size_t n = len;

	if (n > ORGA_ADDRESS_PART_MAX) {
		n = ORGA_ADDRESS_PART_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	if (n < len)
		memcpy(out + n, "\xe2\x80\xa6", 3);   /* … */
	out[n < len ? n + 3 : n] = '\0';
}

/* addr_add appends part unless a part with its text is there already. */
static void
addr_add(addr_list *l, const orga_address *part)
{
	for (int i = 0; i < l->count; i++) {
		if (strcasecmp(l->parts[i].text, part->text) == 0)
			return;
	}
	if (l->count == l->max) {
		l->rv = COM_ETOOLARGE;
		return;
	}
	l->parts[l->count++] = *part;
}

static void
addr_refuse(addr_list *l, const char *s, const char *e)
{
	orga_address part = {0};

	addr_trim(&s, &e);
	if (s == e)
		return;
	addr_copy_part(s, e, part.text);
	addr_add(l, &part);
}

/*
 * addr_candidate adds the address [in, in_end) (mailto: and single
 * quotes taken off), or, when it is none, the part [s, e) as refused.
 */
static void
addr_candidate(addr_list *l, const char *in, const char *in_end,
    const char *s, const char *e)
{
	char buf[COM_EMAIL_MAX + 2];
	orga_address part = {0};
	size_t len;

	addr_trim(&in, &in_end);
	if (in_end - in >= 7 && strncasecmp(in, "mailto:", 7) == 0)
		in += 7;
	if (in_end - in >= 2 && in[0] == '\'' && in_end[-1] == '\'') {
		in++;
		in_end--;
	}
	len = (size_t)(in_end - in);
	if (len > 0 && len <= COM_EMAIL_MAX) {
		memcpy(buf, in, len);
		buf[len] = '\0';
		if (com_email_normalize(buf, part.text, sizeof(part.text)) ==
		    COM_OK) {
			part.valid = true;
			addr_add(l, &part);
			return;
		}
	}
	addr_refuse(l, s, e);
}

static bool
addr_has_at(const char *s, const char *e)
{
	return memchr(s, '@', (size_t)(e - s)) != NULL;
}

/* addr_run_flush: the words before a separator are refused (or read). */
static void
addr_run_flush(addr_list *l, addr_run *run)
{
	if (run->tokens == 1 && run->quoted_at)
		addr_candidate(l, run->q_in, run->q_end, run->start, run->end);
	else if (run->tokens > 0 && !run->label)
		addr_refuse(l, run->start, run->end);
	memset(run, 0, sizeof(*run));
}

static void
addr_run_extend(addr_run *run, const addr_token *t)
{
	if (run->tokens == 0)
		run->start = t->start;
	run->end = t->end;
	run->tokens++;
	run->quoted_at = t->kind == ADDR_QUOTED && addr_has_at(t->in, t->in_end);
	run->q_in = t->in;
	run->q_end = t->in_end;
	run->label = t->kind == ADDR_WORD && t->end[-1] == ':';
}

/* addr_next reads the token at p (white space skipped); false at end. */
static bool
addr_next(const char **p, const char *end, addr_token *t)
{
	const char *s = *p;
	const char *close;
	size_t n;

	while (s < end && (n = addr_space_len(s, end)) > 0)
		s += n;
	if (s == end)
		return false;
	t->start = s;
	close = NULL;
	if (*s == '"' || *s == '(')
		close = addr_closing(s, end, *s == '"' ? '"' : ')');
	if (*s == '<') {
		/* An address left open runs to the end of its part. */
		close = addr_closing(s, end, '>');
		t->kind = ADDR_ANGLE;
		t->in = s + 1;
		t->in_end = close != NULL ? close : end;
		t->end = close != NULL ? close + 1 : end;
	} else if (close != NULL) {
		t->kind = *s == '"' ? ADDR_QUOTED : ADDR_COMMENT;
		t->in = s + 1;
		t->in_end = close;
		t->end = close + 1;
	} else {
		const char *q = s + 1;

		while (q < end && addr_space_len(q, end) == 0 && *q != '<' &&
		    *q != '(' && *q != '"')
			q++;
		t->kind = ADDR_WORD;
		t->in = s;
		t->in_end = q;
		t->end = q;
	}
	*p = t->end;
	return true;
}

/* addr_segment reads the parts of one segment [s, e). */
static void
addr_segment(addr_list *l, const char *s, const char *e)
{
	addr_run run = {0};
	addr_token t;

	while (l->rv == COM_OK && addr_next(&s, e, &t)) {
		switch (t.kind) {
		case ADDR_COMMENT:
			break;
		case ADDR_ANGLE:
			/* The run before it is its name. */
			addr_candidate(l, t.in, t.in_end,
			    run.tokens > 0 ? run.start : t.start, t.end);
			memset(&run, 0, sizeof(run));
			break;
		case ADDR_WORD:
			if (addr_has_at(t.start, t.end)) {
				addr_run_flush(l, &run);
				addr_candidate(l, t.in, t.in_end, t.start, t.end);
				break;
			}
			addr_run_extend(&run, &t);
			break;
		case ADDR_QUOTED:
			addr_run_extend(&run, &t);
			break;
		}
	}
	if (l->rv == COM_OK)
		addr_run_flush(l, &run);
}

/*
 * addr_segment_end finds the separator that ends the segment at p:
 * quoted names, brackets and comments closed on their line hide theirs.
 */
static const char *
addr_segment_end(const char *p, const char *end)
{
	for (; p < end; p++) {
		const char *close = NULL;

		if (*p == ',' || *p == ';' || *p == '\n' || *p == '\r')
			return p;
		if (*p == '"')
			close = addr_closing(p, end, '"');
		else if (*p == '<')
			close = addr_closing(p, end, '>');
		else if (*p == '(')
			close = addr_closing(p, end, ')');
		if (close != NULL)
			p = close;
	}
	return p;
}

com_err
orga_address_list_parse(const char *text, int max, orga_address **out,
    int *count)
{
	const char *end = text + strlen(text);
	addr_list l = {0};
	const char *p = text;

	l.max = max;
	l.parts = calloc(max > 0 ? (size_t)max : 1, sizeof(*l.parts));
	if (l.parts == NULL)
		return COM_ENOMEM;
	while (l.rv == COM_OK) {
		const char *stop = addr_segment_end(p, end);

		addr_segment(&l, p, stop);
		if (stop == end)
			break;
		p = stop + 1;
	}
	if (l.rv != COM_OK) {
		free(l.parts);
		return l.rv;
	}
	*out = l.parts;
	*count = l.count;
	return COM_OK;
}
