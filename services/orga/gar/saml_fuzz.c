/*
 * saml_fuzz.c - libFuzzer target of the GAR response reader
 * (saml_values.c): any bytes parsed as libxml2 parses a response, the
 * plain-tree check, then the IDO, PRE and NOM attributes of the first
 * assertion. Whenever both accept, the value read must be the whole text
 * the signature covers (the AttributeValue's full text content).
 * `make fuzz-saml` builds and runs it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "gar/saml_values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The first saml:Assertion element, depth first. */
static const xmlNode *
fuzz_assertion(const xmlNode *n)
{
	for (; n != NULL; n = n->next) {
		const xmlNode *found;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns != NULL && n->ns->href != NULL &&
		    strcmp((const char *)n->ns->href,
		        ORGA_SAML_ASSERTION_NS) == 0 &&
		    strcmp((const char *)n->name, "Assertion") == 0)
			return n;
		found = fuzz_assertion(n->children);
		if (found != NULL)
			return found;
	}
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"IDO", "PRE", "NOM"};
	const xmlNode *assertion;
	const char *why = NULL;
	xmlDoc *doc;

	if (size > 1 << 20)
		return 0;
	xmlSetGenericErrorFunc(NULL, fuzz_silent);
	doc = xmlReadMemory((const char *)data, (int)size, "response.xml",
	    NULL, XML_PARSE_NONET);
	if (doc == NULL)
		return 0;
	if (orga_saml_values_plain(xmlDocGetRootElement(doc), &why)) {
		assertion = fuzz_assertion(xmlDocGetRootElement(doc));
		for (size_t i = 0; assertion != NULL && i < 3; i++) {
			const xmlNode *node = NULL;
			const char *value = NULL;
			xmlChar *whole;

			if (orga_saml_values_attribute(assertion, names[i],
			        &value, &node, &why) != COM_OK)
				continue;
			whole = xmlNodeGetContent(node);
			if (whole == NULL ||
			    strcmp((const char *)whole, value) != 0)
				abort(); /* read differs from what is signed */
			xmlFree(whole);
		}
	} else if (why == NULL) {
		abort(); /* a refusal always says why */
	}
	xmlFreeDoc(doc);
	return 0;
}
