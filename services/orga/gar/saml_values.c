/*
 * saml_values.c - read a GAR response's values as they were signed:
 * refuse any tree in which a value is more than one plain text node
 * (see saml_values.h), and find an attribute's one value.
 */
#include "gar/saml_values.h"

#include <string.h>

/* Why a child of an element is not plain, or NULL when it is. */
static const char *
samlv_kind(const xmlNode *n)
{
	switch (n->type) {
	case XML_ELEMENT_NODE:
	case XML_TEXT_NODE:
		return NULL;
	case XML_COMMENT_NODE:
		return "comment in the response";
	case XML_CDATA_SECTION_NODE:
		return "CDATA section in the response";
	case XML_PI_NODE:
		return "processing instruction in the response";
	case XML_ENTITY_REF_NODE:
	case XML_ENTITY_NODE:
	case XML_ENTITY_DECL:
		return "entity reference in the response";
	default:
		return "unexpected node in the response";
	}
}

/* The children of one element: elements with blanks between them, or at
 * most one text node; its attributes hold text only. */
static const char *
samlv_element(const xmlNode *e)
{
	int elements = 0, texts = 0, blanks = 0;
	const char *why;

	for (const xmlAttr *a = e->properties; a != NULL; a = a->next)
		for (const xmlNode *c = a->children; c != NULL; c = c->next)
			if (c->type != XML_TEXT_NODE)
				return "attribute value that is not plain text";
	for (const xmlNode *c = e->children; c != NULL; c = c->next) {
		why = samlv_kind(c);
		if (why != NULL)
			return why;
		if (c->type == XML_ELEMENT_NODE)
			elements++;
		else if (xmlIsBlankNode((xmlNode *)c))
			blanks++;
		else
			texts++;
	}
	if (elements > 0 && texts > 0)
		return "element holding both text and elements";
	if (elements == 0 && texts + blanks > 1)
		return "value split into several text nodes";
	return NULL;
}

int
orga_saml_values_plain(const xmlNode *root, const char **why)
{
	const xmlNode *n = root;
	const char *reason = NULL;

	if (root == NULL || root->type != XML_ELEMENT_NODE) {
		*why = "no response element";
		return 0;
	}
	if (root->doc != NULL &&
	    (root->doc->intSubset != NULL || root->doc->extSubset != NULL)) {
		*why = "document type declaration in the response";
		return 0;
	}
	/* Depth first without recursion: down to the first child element,
	 * else to the next sibling element, else up until one has a next. */
	while (n != NULL) {
		const xmlNode *next = NULL;

		reason = samlv_element(n);
		if (reason != NULL)
			break;
		for (const xmlNode *c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE) {
				next = c;
				break;
			}
		while (next == NULL && n != root) {
			for (const xmlNode *s = n->next; s != NULL; s = s->next)
				if (s->type == XML_ELEMENT_NODE) {
					next = s;
					break;
				}
			if (next == NULL)
				n = n->parent;
		}
		n = next;
	}
	if (reason != NULL) {
		*why = reason;
		return 0;
	}
	return 1;
}

static int
samlv_is(const xmlNode *n, const char *local)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, ORGA_SAML_ASSERTION_NS) == 0 &&
	    strcmp((const char *)n->name, local) == 0;
}

/* The text of the one AttributeValue of attribute attr. */
static com_err
samlv_value(const xmlNode *attr, const char **value,
    const xmlNode **value_node, const char **why)
{
	const xmlNode *found = NULL;
	const xmlNode *c;

	for (c = attr->children; c != NULL; c = c->next) {
		if (!samlv_is(c, "AttributeValue"))
			continue;
		if (found != NULL) {
			*why = "attribute with several values";
			return COM_EINVAL;
		}
		found = c;
	}
	if (found == NULL) {
		*why = "attribute without a value";
		return COM_EINVAL;
	}
	c = found->children;
	if (c != NULL && (c->type != XML_TEXT_NODE || c->next != NULL)) {
		*why = "attribute value that is not one text node";
		return COM_EINVAL;
	}
	*value = c != NULL && c->content != NULL ?
	    (const char *)c->content : "";
	if (value_node != NULL)
		*value_node = found;
	return COM_OK;
}

com_err
orga_saml_values_attribute(const xmlNode *assertion, const char *name,
    const char **value, const xmlNode **value_node, const char **why)
{
	const xmlNode *found = NULL;

	if (assertion == NULL || !samlv_is(assertion, "Assertion")) {
		*why = "no assertion element";
		return COM_EINVAL;
	}
	for (const xmlNode *st = assertion->children; st != NULL;
	     st = st->next) {
		if (!samlv_is(st, "AttributeStatement"))
			continue;
		for (const xmlNode *a = st->children; a != NULL; a = a->next) {
			xmlChar *n;
			int same;

			if (!samlv_is(a, "Attribute"))
				continue;
			n = xmlGetNoNsProp(a, (const xmlChar *)"Name");
			same = n != NULL && strcmp((const char *)n, name) == 0;
			xmlFree(n);
			if (!same)
				continue;
			if (found != NULL) {
				*why = "attribute given twice";
				return COM_EINVAL;
			}
			found = a;
		}
	}
	if (found == NULL) {
		*why = "attribute missing";
		return COM_ENOTFOUND;
	}
	return samlv_value(found, value, value_node, why);
}
