/*
 * http_route.c - the pure parts of the HTTP edge: route patterns and ids,
 * the listen address, content types, query flags, sizes, and error bodies.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "edge/http/http_route.h"

com_err
orga_http_parse_id(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;

	if (len == 0 || len > 18 || s[0] == '0')
		return COM_EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return COM_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return COM_OK;
}

/* A {code} segment: 1 to 32 ASCII letters and digits, not all digits
 * (so that it never takes an {id}'s path). */
static bool
http_route_code_ok(const char *s, size_t len)
{
	bool letter = false;

	if (len == 0 || len > 32)
		return false;
	for (size_t i = 0; i < len; i++) {
		bool alpha = (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z');

		if (!alpha && (s[i] < '0' || s[i] > '9'))
			return false;
		letter = letter || alpha;
	}
	return letter;
}

bool
orga_http_route_match(const char *pattern, const char *path, int64_t *ids,
    int max, int *nids)
{
	const char *p = pattern;
	const char *s = path;
	int n = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t len = strcspn(s, "/");
			int64_t id;

			if (close == NULL)
				return false;
			if (strncmp(p, "{code}", 6) == 0) {
				if (!http_route_code_ok(s, len))
					return false;
			} else {
				if (n >= max ||
				    orga_http_parse_id(s, len, &id) != COM_OK)
					return false;
				ids[n++] = id;
			}
			p = close + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p != '\0' || *s != '\0')
		return false;
	*nids = n;
	return true;
}

com_err
orga_http_addr_split(const char *addr, char *host, size_t hsize, char *port,
    size_t psize)
{
	const char *colon;
	size_t hlen;

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');

		if (close == NULL || close[1] != ':')
			return COM_EINVAL;
		hlen = (size_t)(close - addr - 1);
		addr++;
		colon = close + 1;
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL)
			return COM_EINVAL;
		hlen = (size_t)(colon - addr);
		if (memchr(addr, ':', hlen) != NULL)
			return COM_EINVAL; /* a bare IPv6 needs brackets */
	}
	if (colon[1] == '\0' || strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return COM_EINVAL;
	if (hlen >= hsize || strlen(colon + 1) >= psize)
		return COM_EINVAL;
	memcpy(host, addr, hlen);
	host[hlen] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	return COM_OK;
}

bool
orga_http_content_type_json(const char *value)
{
	static const char json[] = "application/json";
	size_t n = sizeof(json) - 1;

	if (value == NULL || strncasecmp(value, json, n) != 0)
		return false;
	return value[n] == '\0' || value[n] == ';' || value[n] == ' ';
}

bool
orga_http_content_type_is(const char *value, const char *type)
{
	size_t n = strlen(type);

	if (value == NULL || strncasecmp(value, type, n) != 0)
		return false;
	return value[n] == '\0' || value[n] == ';' || value[n] == ' ' ||
	    value[n] == '\t';
}

void
orga_http_size_text(int64_t bytes, char *out, size_t size)
{
	static const struct {
		int64_t unit;
		const char *name;
	} units[] = {
		{1024LL * 1024 * 1024 * 1024, "Tio"},
		{1024LL * 1024 * 1024, "Gio"},
		{1024LL * 1024, "Mio"},
		{1024LL, "Kio"},
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (bytes >= units[i].unit && bytes % units[i].unit == 0) {
			snprintf(out, size, "%lld %s",
			    (long long)(bytes / units[i].unit), units[i].name);
			return;
		}
	}
	snprintf(out, size, "%lld octets", (long long)bytes);
}

com_err
orga_http_parse_bool(const char *s, bool *out)
{
	if (s == NULL)
		return COM_EINVAL;
	if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0) {
		*out = true;
		return COM_OK;
	}
	if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0) {
		*out = false;
		return COM_OK;
	}
	return COM_EINVAL;
}

json_t *
orga_http_error_item(const char *code, const char *field,
    const char *message)
{
	json_t *item = json_object();

	if (item == NULL)
		return NULL;
	if ((field != NULL &&
	        json_object_set_new(item, "field", json_string(field)) != 0) ||
	    json_object_set_new(item, "code", json_string(code)) != 0 ||
	    json_object_set_new(item, "message", json_string(message)) != 0) {
		json_decref(item);
		return NULL;
	}
	return item;
}

json_t *
orga_http_error_body(const char *code, const char *field,
    const char *message, json_t *errors)
{
	json_t *body = json_object();
	json_t *item = NULL;

	if (body == NULL)
		goto fail;
	if (errors != NULL && json_array_size(errors) > 0)
		item = json_deep_copy(json_array_get(errors, 0));
	else
		item = orga_http_error_item(code, field, message);
	if (item == NULL || json_object_set_new(body, "error", item) != 0) {
		item = NULL;
		goto fail;
	}
	if (errors != NULL) {
		if (json_object_set_new(body, "errors", errors) != 0) {
			errors = NULL;
			goto fail;
		}
	}
	return body;
fail:
	json_decref(errors);
	json_decref(body);
	return NULL;
}

const char *
orga_json_string(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool
orga_json_trimmed(const json_t *obj, const char *key, char *out, size_t size)
{
	const char *s = orga_json_string(obj, key);
	size_t len;

	if (s == NULL)
		s = "";
	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= size)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

bool
orga_http_errors_add(json_t *errors, const char *field, const char *code,
    const char *message)
{
	return json_array_append_new(errors,
	           orga_http_error_item(code, field, message)) == 0;
}
