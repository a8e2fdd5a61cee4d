/*
 * saml_values.h - the values Orga reads from a GAR response, taken from the
 * XML tree exactly as it was signed. The signature covers the canonical
 * form, which drops comments and turns CDATA into text: a value split by a
 * comment, a CDATA section, a processing instruction, an entity reference
 * or a child element still verifies, so a reader of its first text node
 * would see only part of what was signed. Such a response is refused here.
 * Pure functions over libxml2 trees (no lasso), so the fuzzer builds them.
 */
#ifndef ORGA_SAML_VALUES_H
#define ORGA_SAML_VALUES_H

#include <libxml/tree.h>

#include "err.h"

#define ORGA_SAML_ASSERTION_NS "urn:oasis:names:tc:SAML:2.0:assertion"

/*
 * orga_saml_values_plain returns 1 when the tree at root (root included)
 * holds only elements, attributes and text, every element holds either
 * child elements (with white space between them) or at most one text node,
 * and its document has no document type declaration. Otherwise 0, with
 * *why a static English phrase for the log. Pure; root may be NULL (0).
 */
int orga_saml_values_plain(const xmlNode *root, const char **why);

/*
 * orga_saml_values_attribute finds, under the saml:Assertion element
 * assertion, the one saml:Attribute whose Name is name (in any of its
 * saml:AttributeStatement children) and returns the text of its one
 * saml:AttributeValue in *value ("" when it is empty). *value points into
 * the tree and lives as long as it; value_node, when not NULL, receives the
 * AttributeValue element. COM_ENOTFOUND when there is no such attribute;
 * COM_EINVAL when there are several such attributes or values, or the value
 * holds anything but one text node; *why says which (static English).
 * Pure; does not check the rest of the tree (orga_saml_values_plain does).
 */
com_err orga_saml_values_attribute(const xmlNode *assertion,
    const char *name, const char **value, const xmlNode **value_node,
    const char **why) COM_MUSTCHECK;

#endif
