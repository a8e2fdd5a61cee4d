/* saml_values_test.c - a GAR response's values are read whole, as signed:
 * one table of tricks (comment, CDATA, entity, processing instruction,
 * child element) put into each value Orga reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "gar/saml_values.h"

/* A response shaped as the GAR's, without its signatures; %s marks the
 * values: Issuer, NameID, Audience, IDO, PRE, NOM. */
static const char response_shape[] =
    "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
    " xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r\">"
    "<saml:Issuer>http://gar.example/metadata</saml:Issuer>\n"
    "<saml:Assertion ID=\"_a\" Version=\"2.0\">"
    "<saml:Issuer>%s</saml:Issuer>"
    "<saml:Subject><saml:NameID>%s</saml:NameID></saml:Subject>"
    "<saml:Conditions><saml:AudienceRestriction><saml:Audience>%s"
    "</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
    "<saml:AttributeStatement>"
    "<saml:Attribute Name=\"IDO\"><saml:AttributeValue>%s"
    "</saml:AttributeValue></saml:Attribute>\n"
    "<saml:Attribute Name=\"PRE\"><saml:AttributeValue>%s"
    "</saml:AttributeValue></saml:Attribute>"
    "<saml:Attribute Name=\"NOM\"><saml:AttributeValue>%s"
    "</saml:AttributeValue></saml:Attribute>"
    "</saml:AttributeStatement></saml:Assertion></samlp:Response>";

enum { V_ISSUER, V_NAMEID, V_AUDIENCE, V_IDO, V_PRE, V_NOM, V_COUNT };

static const char *const plain_values[V_COUNT] = {
	"http://gar.example/metadata", "_n1", "http://orga.example/metadata",
	"stud-a-1.evil", "Ana", "Dupont",
};

/* A trick: how it rewrites "stud-a-1.evil" style text, and whether the
 * document needs a DTD declaring entity e. */
typedef struct trick {
	const char *name;
	const char *format;  /* %.*s the first half, %s the second */
	int needs_dtd;
} trick;

static const trick tricks[] = {
	{"comment", "%.*s<!---->%s", 0},
	{"CDATA section", "%.*s<![CDATA[%s]]>", 0},
	{"entity", "%.*s&e;%s", 1},
	{"processing instruction", "%.*s<?pi x?>%s", 0},
	{"child element", "%.*s<x/>%s", 0},
	{"CDATA holding all", "%.*s<![CDATA[%s]]>", 0},
};

static xmlDoc *
parse(const char *xml)
{
	return xmlReadMemory(xml, (int)strlen(xml), "response.xml", NULL,
	    XML_PARSE_NONET);
}

static xmlDoc *
response_with(int which, const char *value, int dtd)
{
	static char xml[8192];
	const char *v[V_COUNT];
	int off = 0;

	for (int i = 0; i < V_COUNT; i++)
		v[i] = i == which ? value : plain_values[i];
	if (dtd)
		off = snprintf(xml, sizeof(xml), "<!DOCTYPE samlp:Response "
		    "[<!ENTITY e \"x\">]>");
	snprintf(xml + off, sizeof(xml) - (size_t)off, response_shape,
	    v[V_ISSUER], v[V_NAMEID], v[V_AUDIENCE], v[V_IDO], v[V_PRE],
	    v[V_NOM]);
	return parse(xml);
}

static const xmlNode *
assertion_of(const xmlDoc *doc)
{
	for (const xmlNode *n = xmlDocGetRootElement((xmlDoc *)doc)->children;
	     n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "Assertion") == 0)
			return n;
	return NULL;
}

static void
a_plain_response_gives_each_attribute_whole(void **state)
{
	xmlDoc *doc = response_with(-1, NULL, 0);
	const char *why = NULL, *value = NULL;
	const xmlNode *node = NULL;

	(void)state;
	assert_non_null(doc);
	assert_int_equal(orga_saml_values_plain(xmlDocGetRootElement(doc),
	    &why), 1);
	assert_int_equal(orga_saml_values_attribute(assertion_of(doc), "IDO",
	    &value, &node, &why), COM_OK);
	assert_string_equal(value, "stud-a-1.evil");
	assert_string_equal((const char *)node->name, "AttributeValue");
	assert_int_equal(orga_saml_values_attribute(assertion_of(doc), "NOM",
	    &value, NULL, &why), COM_OK);
	assert_string_equal(value, "Dupont");
	assert_int_equal(orga_saml_values_attribute(assertion_of(doc), "X",
	    &value, NULL, &why), COM_ENOTFOUND);
	xmlFreeDoc(doc);
}

static void
every_trick_in_every_value_read_is_refused(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(tricks) / sizeof(tricks[0]); t++) {
		for (int which = 0; which < V_COUNT; which++) {
			const char *plain = plain_values[which];
			int half = (int)strlen(plain) / 2;
			char value[512];
			const char *why = NULL;
			xmlDoc *doc;

			if (t == sizeof(tricks) / sizeof(tricks[0]) - 1)
				half = 0;
			snprintf(value, sizeof(value), tricks[t].format, half,
			    plain, plain + half);
			doc = response_with(which, value, tricks[t].needs_dtd);
			if (doc == NULL)
				fail_msg("%s in value %d: not parsed",
				    tricks[t].name, which);
			if (orga_saml_values_plain(xmlDocGetRootElement(doc),
			        &why) != 0)
				fail_msg("%s in value %d: accepted",
				    tricks[t].name, which);
			assert_non_null(why);
			xmlFreeDoc(doc);
		}
	}
}

static void
character_references_are_read_as_the_text_they_stand_for(void **state)
{
	xmlDoc *doc = response_with(V_IDO, "stud-a-1&#46;evil&amp;", 0);
	const char *why = NULL, *value = NULL;

	(void)state;
	assert_non_null(doc);
	assert_int_equal(orga_saml_values_plain(xmlDocGetRootElement(doc),
	    &why), 1);
	assert_int_equal(orga_saml_values_attribute(assertion_of(doc), "IDO",
	    &value, NULL, &why), COM_OK);
	assert_string_equal(value, "stud-a-1.evil&");
	xmlFreeDoc(doc);
}

static void
an_attribute_given_twice_or_with_two_values_is_refused(void **state)
{
	static const char *const cases[] = {
		/* two IDO attributes */
		"</saml:AttributeValue></saml:Attribute><saml:Attribute "
		"Name=\"IDO\"><saml:AttributeValue>stud-b-2",
		/* two values in one IDO attribute */
		"</saml:AttributeValue><saml:AttributeValue>stud-b-2",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char value[512];
		const char *why = NULL, *v = NULL;
		xmlDoc *doc;

		snprintf(value, sizeof(value), "stud-a-1%s", cases[i]);
		doc = response_with(V_IDO, value, 0);
		assert_non_null(doc);
		assert_int_equal(orga_saml_values_plain(
		    xmlDocGetRootElement(doc), &why), 1);
		assert_int_equal(orga_saml_values_attribute(assertion_of(doc),
		    "IDO", &v, NULL, &why), COM_EINVAL);
		assert_non_null(why);
		xmlFreeDoc(doc);
	}
}

static void
text_beside_elements_is_refused(void **state)
{
	xmlDoc *doc = parse("<a xmlns=\"urn:x\"><b>1</b>loose<c/></a>");
	const char *why = NULL;

	(void)state;
	assert_non_null(doc);
	assert_int_equal(orga_saml_values_plain(xmlDocGetRootElement(doc),
	    &why), 0);
	assert_string_equal(why, "element holding both text and elements");
	xmlFreeDoc(doc);
	assert_int_equal(orga_saml_values_plain(NULL, &why), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_plain_response_gives_each_attribute_whole),
		cmocka_unit_test(every_trick_in_every_value_read_is_refused),
		cmocka_unit_test(
		    character_references_are_read_as_the_text_they_stand_for),
		cmocka_unit_test(
		    an_attribute_given_twice_or_with_two_values_is_refused),
		cmocka_unit_test(text_beside_elements_is_refused),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
