/*
 * siecle.c - the BEE_ELEVES walk over expat: checks the school, gathers
 * each ELEVE's fields into reused bounded buffers, hands each student to
 * the rules then the consumer, and each STRUCTURES_ELEVE's class.
 */
/* Declares expat's amplification-limit setters (Debian's expat has DTD). */
#define XML_DTD 1

#include "siecle/siecle.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <expat.h>

#include "buf.h"
#include "siecle/encoding.h"
#include "log.h"
#include "siecle/rules.h"
#include "siecle/segment.h"
#include "siecle/xmlmem.h"

/* Deeper than any real export; bounds expat's tag stack too. */
#define IMP_MAX_DEPTH 64
/* Element kinds are remembered this deep; below, everything is "other". */
#define IMP_KIND_DEPTH 8

typedef enum imp_kind {
	IMP_K_OTHER = 0,
	IMP_K_ROOT,
	IMP_K_PARAMS,
	IMP_K_UAJ,
	IMP_K_DONNEES,
	IMP_K_ELEVES,
	IMP_K_ELEVE,
	IMP_K_FIELD,
	IMP_K_STRUCTS,
	IMP_K_SE,
	IMP_K_STRUCT,
	IMP_K_CODE,
	IMP_K_TYPE,
} imp_kind;

typedef enum imp_fld {
	IMP_F_INE,
	IMP_F_NOM_DE_FAMILLE,
	IMP_F_NOM,
	IMP_F_NOM_USAGE,
	IMP_F_PRENOM,
	IMP_F_PRENOM2,
	IMP_F_PRENOM3,
	IMP_F_DATE_NAISS,
	IMP_F_SEXE,
	IMP_F_PAYS,
	IMP_F_DEPT,
	IMP_F_COMMUNE,
	IMP_F_VILLE,
	IMP_F_MEF,
	IMP_F_STATUT,
	IMP_F_DATE_ENTREE,
	IMP_F_DATE_SORTIE,
	IMP_F_COUNT
} imp_fld;

static const char *const imp_field_names[IMP_F_COUNT] = {
	[IMP_F_INE] = "ID_NATIONAL",
	[IMP_F_NOM_DE_FAMILLE] = "NOM_DE_FAMILLE",
	[IMP_F_NOM] = "NOM",
	[IMP_F_NOM_USAGE] = "NOM_USAGE",
	[IMP_F_PRENOM] = "PRENOM",
	[IMP_F_PRENOM2] = "PRENOM2",
	[IMP_F_PRENOM3] = "PRENOM3",
	[IMP_F_DATE_NAISS] = "DATE_NAISS",
	[IMP_F_SEXE] = "CODE_SEXE",
	[IMP_F_PAYS] = "CODE_PAYS",
	[IMP_F_DEPT] = "CODE_DEPARTEMENT_NAISS",
	[IMP_F_COMMUNE] = "CODE_COMMUNE_INSEE_NAISS",
	[IMP_F_VILLE] = "VILLE_NAISS",
	[IMP_F_MEF] = "CODE_MEF",
	[IMP_F_STATUT] = "CODE_STATUT",
	[IMP_F_DATE_ENTREE] = "DATE_ENTREE",
	[IMP_F_DATE_SORTIE] = "DATE_SORTIE",
};

struct imp_siecle {
	imp_options o;
	imp_report *r;
	XML_Parser xp;
	imp_xmlmem mem;              /* expat's allocations, capped */
	char enc_name[IMP_ENCODING_NAME_SIZE];
	int depth;
	unsigned char kind[IMP_KIND_DEPTH + 1];
	com_buf *cap;                /* where character data goes, or NULL */
	int cap_depth;
	const char *cap_name;        /* element name for the limit message */
	com_buf fields[IMP_F_COUNT];
	bool present[IMP_F_COUNT];
	com_buf eleve_id;
	com_buf elenoet;
	com_buf uaj;
	bool uaj_seen;
	bool uaj_checked;
	com_buf se_id;               /* STRUCTURES_ELEVE @ELEVE_ID */
	com_buf code;                /* CODE_STRUCTURE */
	com_buf type;                /* TYPE_STRUCTURE */
	com_buf klass;               /* the class retained so far */
	bool has_class;
	uint64_t bytes;
	uint64_t prefix_bytes;       /* fed by imp_siecle_resume */
	bool cut_armed;              /* a later part starts at cut_at */
	uint64_t cut_at;
	bool cut_reached;
	com_err fail;                /* first error stopping the parse */
	bool stopped;
	bool finished;
};

void
imp_limits_default(imp_limits *lim)
{
	lim->max_file_bytes = (uint64_t)4 << 30;
	lim->max_students = 5000000;
	lim->max_field_bytes = 1024;
	lim->max_messages = 1000;
	lim->max_zip_entries = 64;
	lim->max_parser_bytes = (size_t)32 << 20;
}

const imp_limits *
imp_siecle_limits(const imp_siecle *p)
{
	return &p->o.limits;
}

int
imp_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return 20000101;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
}

/* Stops expat from inside a handler; the first reason wins. */
static void
imp_stop(imp_siecle *p, com_err why)
{
	if (p->fail == COM_OK)
		p->fail = why;
	if (!p->stopped) {
		p->stopped = true;
		XML_StopParser(p->xp, XML_FALSE);
	}
}

static void
imp_vrefuse(imp_siecle *p, const char *fmt, va_list ap)
{
	com_err rv = imp_report_file_verror(p->r, fmt, ap);

	imp_stop(p, rv == COM_OK ? COM_EINVAL : rv);
}

static void __attribute__((format(printf, 2, 3)))
imp_refuse(imp_siecle *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	imp_vrefuse(p, fmt, ap);
	va_end(ap);
}

com_err
imp_siecle_refuse(imp_siecle *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	imp_vrefuse(p, fmt, ap);
	va_end(ap);
	return p->fail;
}

/* Cuts surrounding blanks in place; "" for a buffer never written. */
static const char *
imp_trim(com_buf *b)
{
	char *s;
	size_t n;

	if (b->data == NULL)
		return "";
	s = b->data;
	n = b->len;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	s[n] = '\0';
	b->len = n;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

static void XMLCALL imp_on_text(void *arg, const XML_Char *s, int len);

/* The text handler is set only while a field is captured: expat then
 * neither converts nor reports the rest of the text (a tenth of its
 * work on an export). */
static void
imp_capture(imp_siecle *p, com_buf *b, const char *name)
{
	com_buf_reset(b);
	p->cap = b;
	p->cap_depth = p->depth;
	p->cap_name = name;
	XML_SetCharacterDataHandler(p->xp, imp_on_text);
}

static void
imp_capture_stop(imp_siecle *p)
{
	if (p->cap == NULL)
		return;
	p->cap = NULL;
	XML_SetCharacterDataHandler(p->xp, NULL);
}

/* Copies attribute name of atts into b ("" when absent). */
static void
imp_attr(imp_siecle *p, const XML_Char **atts, const char *name, com_buf *b)
{
	com_buf_reset(b);
	for (int i = 0; atts[i] != NULL; i += 2) {
		if (strcmp(atts[i], name) != 0)
			continue;
		if (com_buf_append_str(b, atts[i + 1]) != COM_OK)
			imp_refuse(p, "L'attribut %s (ligne %lu) dépasse %zu "
			    "octets : ce n'est pas un export SIECLE valide.",
			    name,
			    (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    p->o.limits.max_field_bytes);
		return;
	}
}

static void
imp_uaj_check(imp_siecle *p)
{
	char norm[COM_UAI_SIZE];
	const char *uaj;

	p->uaj_checked = true;
	uaj = p->uaj_seen ? imp_trim(&p->uaj) : "";
	if (uaj[0] == '\0') {
		imp_refuse(p, "Ce fichier n'indique pas son établissement "
		    "(PARAMETRES/UAJ absent) : il doit être celui de %s.",
		    p->o.uai);
		return;
	}
	if (com_uai_normalize(uaj, norm) == COM_OK &&
	    strcmp(norm, p->o.uai) == 0)
		return;
	imp_refuse(p, "Ce fichier est celui de l'établissement %s, pas de %s.",
	    uaj, p->o.uai);
}

static imp_fld
imp_field_lookup(const char *name)
{
	for (int i = 0; i < IMP_F_COUNT; i++)
		if (name[0] == imp_field_names[i][0] &&
		    strcmp(name, imp_field_names[i]) == 0)
			return (imp_fld)i;
	return IMP_F_COUNT;
}

static void
imp_eleve_start(imp_siecle *p, const XML_Char **atts)
{
	for (int i = 0; i < IMP_F_COUNT; i++) {
		if (p->present[i])
			com_buf_reset(&p->fields[i]);
		p->present[i] = false;
	}
	p->r->students++;
	if (p->r->students > p->o.limits.max_students) {
		imp_refuse(p, "Le fichier contient plus de %llu élèves, la "
		    "limite de cet import.",
		    (unsigned long long)p->o.limits.max_students);
		return;
	}
	imp_attr(p, atts, "ELEVE_ID", &p->eleve_id);
	imp_attr(p, atts, "ELENOET", &p->elenoet);
}

static const char *
imp_field(imp_siecle *p, imp_fld f)
{
	return p->present[f] ? imp_trim(&p->fields[f]) : NULL;
}

static void
imp_eleve_end(imp_siecle *p)
{
	imp_student s;
	imp_skip skip;
	unsigned nerrors;
	com_err rv;

	memset(&s, 0, sizeof(s));
	s.eleve_id = imp_trim(&p->eleve_id);
	s.elenoet = imp_trim(&p->elenoet);
	if (p->present[IMP_F_INE]) {
		char *ine = (char *)imp_field(p, IMP_F_INE);

		for (char *c = ine; *c != '\0'; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		s.ine = ine;
	}
	s.last_name = imp_field(p, IMP_F_NOM_DE_FAMILLE);
	if (s.last_name == NULL)
		s.last_name = imp_field(p, IMP_F_NOM);
	s.usage_name = imp_field(p, IMP_F_NOM_USAGE);
	s.first_name = imp_field(p, IMP_F_PRENOM);
	s.first_name2 = imp_field(p, IMP_F_PRENOM2);
	s.first_name3 = imp_field(p, IMP_F_PRENOM3);
	s.birth_date = imp_field(p, IMP_F_DATE_NAISS);
	s.sex_code = imp_field(p, IMP_F_SEXE);
	s.country_code = imp_field(p, IMP_F_PAYS);
	s.dept_code = imp_field(p, IMP_F_DEPT);
	s.commune_code = imp_field(p, IMP_F_COMMUNE);
	s.birth_town = imp_field(p, IMP_F_VILLE);
	s.mef_code = imp_field(p, IMP_F_MEF);
	s.status_code = imp_field(p, IMP_F_STATUT);
	s.entry_date = imp_field(p, IMP_F_DATE_ENTREE);
	s.exit_date = imp_field(p, IMP_F_DATE_SORTIE);
	s.seq = p->o.seq_base + p->r->students;
	rv = imp_rules_check(p->r, p->o.today, &s, &skip, &nerrors);
	if (rv != COM_OK) {
		imp_stop(p, rv);
		return;
	}
	/* A refused student with an INE still goes to the consumer, who
	 * looks for duplicate INEs among all of them. */
	if (skip != IMP_SKIP_NONE || s.ine[0] == '\0')
		return;
	s.refused = nerrors > 0;
	if (!s.refused)
		p->r->accepted++;
	if (p->o.on_student != NULL) {
		rv = p->o.on_student(p->o.arg, &s);
		if (rv != COM_OK)
			imp_stop(p, rv);
	}
}

static void
imp_structure_end(imp_siecle *p)
{
	const char *type = imp_trim(&p->type);
	const char *code = imp_trim(&p->code);

	if (strcmp(type, "D") != 0 || code[0] == '\0' ||
	    strcasecmp(code, "Inactifs") == 0)
		return;
	com_buf_reset(&p->klass);
	/* code fits: both buffers share the field limit. */
	if (com_buf_append_str(&p->klass, code) == COM_OK)
		p->has_class = true;
}

static void
imp_se_end(imp_siecle *p)
{
	const char *id = imp_trim(&p->se_id);
	com_err rv;

	if (!p->has_class || id[0] == '\0')
		return;
	p->r->classes++;
	if (p->o.on_class == NULL)
		return;
	rv = p->o.on_class(p->o.arg, id, com_buf_str(&p->klass));
	if (rv != COM_OK)
		imp_stop(p, rv);
}

/* The kind of a new element from its parent's kind and its name. */
static imp_kind
imp_kind_of(imp_siecle *p, imp_kind parent, const char *name,
    const XML_Char **atts)
{
	imp_fld f;

	switch (parent) {
	case IMP_K_ROOT:
		if (strcmp(name, "PARAMETRES") == 0)
			return IMP_K_PARAMS;
		if (strcmp(name, "DONNEES") == 0) {
			if (!p->uaj_checked)
				imp_uaj_check(p);
			return IMP_K_DONNEES;
		}
		return IMP_K_OTHER;
	case IMP_K_PARAMS:
		if (strcmp(name, "UAJ") != 0)
			return IMP_K_OTHER;
		p->uaj_seen = true;
		imp_capture(p, &p->uaj, "UAJ");
		return IMP_K_UAJ;
	case IMP_K_DONNEES:
		if (strcmp(name, "ELEVES") == 0)
			return IMP_K_ELEVES;
		if (strcmp(name, "STRUCTURES") == 0)
			return IMP_K_STRUCTS;
		return IMP_K_OTHER;
	case IMP_K_ELEVES:
		if (strcmp(name, "ELEVE") != 0)
			return IMP_K_OTHER;
		imp_eleve_start(p, atts);
		return IMP_K_ELEVE;
	case IMP_K_ELEVE:
		f = imp_field_lookup(name);
		if (f == IMP_F_COUNT)
			return IMP_K_OTHER;
		p->present[f] = true;
		imp_capture(p, &p->fields[f], imp_field_names[f]);
		return IMP_K_FIELD;
	case IMP_K_STRUCTS:
		if (strcmp(name, "STRUCTURES_ELEVE") != 0)
			return IMP_K_OTHER;
		p->has_class = false;
		imp_attr(p, atts, "ELEVE_ID", &p->se_id);
		return IMP_K_SE;
	case IMP_K_SE:
		if (strcmp(name, "STRUCTURE") != 0)
			return IMP_K_OTHER;
		com_buf_reset(&p->code);
		com_buf_reset(&p->type);
		return IMP_K_STRUCT;
	case IMP_K_STRUCT:
		if (strcmp(name, "CODE_STRUCTURE") == 0) {
			imp_capture(p, &p->code, "CODE_STRUCTURE");
			return IMP_K_CODE;
		}
		if (strcmp(name, "TYPE_STRUCTURE") == 0) {
			imp_capture(p, &p->type, "TYPE_STRUCTURE");
			return IMP_K_TYPE;
		}
		return IMP_K_OTHER;
	default:
		return IMP_K_OTHER;
	}
}

/*
 * imp_cut_met: whether the parse got to the cut where a later part takes
 * over (then it stops there, before that part's first element). Any event
 * past the cut but this element means the cut was not between two
 * elements (a comment, CDATA...): COM_ECONFLICT, the file is parsed again
 * in one piece.
 */
static bool
imp_cut_met(imp_siecle *p, const char *start_name)
{
	uint64_t at = (uint64_t)XML_GetCurrentByteIndex(p->xp) -
	    p->prefix_bytes;
	imp_kind parent = p->depth <= IMP_KIND_DEPTH
	                      ? (imp_kind)p->kind[p->depth]
	                      : IMP_K_OTHER;

	if (at < p->cut_at)
		return false;
	if (at == p->cut_at && start_name != NULL &&
	    ((parent == IMP_K_ELEVES && strcmp(start_name, "ELEVE") == 0) ||
	    (parent == IMP_K_STRUCTS &&
	    strcmp(start_name, "STRUCTURES_ELEVE") == 0))) {
		p->cut_reached = true;
		p->stopped = true;
		XML_StopParser(p->xp, XML_FALSE);
		return true;
	}
	imp_stop(p, COM_ECONFLICT);
	return true;
}

static void XMLCALL
imp_on_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	imp_siecle *p = arg;
	imp_kind parent;
	imp_kind k;

	if (p->stopped || (p->cut_armed && imp_cut_met(p, name)))
		return;
	p->depth++;
	if (p->depth > IMP_MAX_DEPTH) {
		imp_refuse(p, "Le fichier imbrique plus de %d éléments (ligne "
		    "%lu) : ce n'est pas un export SIECLE.", IMP_MAX_DEPTH,
		    (unsigned long)XML_GetCurrentLineNumber(p->xp));
		return;
	}
	/* Text of a field holding elements is not the field's. */
	imp_capture_stop(p);
	if (p->depth == 1) {
		if (strcmp(name, "BEE_ELEVES") != 0) {
			imp_refuse(p, "Ce fichier n'est pas un export SIECLE "
			    "des élèves : il commence par « %.64s » au lieu "
			    "de BEE_ELEVES.", name);
			return;
		}
		k = IMP_K_ROOT;
	} else {
		parent = p->depth - 1 <= IMP_KIND_DEPTH
		             ? (imp_kind)p->kind[p->depth - 1]
		             : IMP_K_OTHER;
		k = imp_kind_of(p, parent, name, atts);
	}
	if (p->depth <= IMP_KIND_DEPTH)
		p->kind[p->depth] = (unsigned char)k;
}

static void XMLCALL
imp_on_end(void *arg, const XML_Char *name)
{
	imp_siecle *p = arg;
	imp_kind k;

	(void)name;
	if (p->stopped || (p->cut_armed && imp_cut_met(p, NULL)))
		return;
	k = p->depth <= IMP_KIND_DEPTH ? (imp_kind)p->kind[p->depth]
	                                : IMP_K_OTHER;
	imp_capture_stop(p);
	switch (k) {
	case IMP_K_PARAMS:
		if (!p->uaj_checked)
			imp_uaj_check(p);
		break;
	case IMP_K_ELEVE:
		imp_eleve_end(p);
		break;
	case IMP_K_STRUCT:
		imp_structure_end(p);
		break;
	case IMP_K_SE:
		imp_se_end(p);
		break;
	default:
		break;
	}
	p->depth--;
}

static void XMLCALL
imp_on_text(void *arg, const XML_Char *s, int len)
{
	imp_siecle *p = arg;

	if (p->stopped || p->cap == NULL || p->depth != p->cap_depth)
		return;
	if (com_buf_append(p->cap, s, (size_t)len) != COM_OK)
		imp_refuse(p, "L'élément %s (ligne %lu) dépasse %zu octets : "
		    "ce n'est pas un export SIECLE valide.", p->cap_name,
		    (unsigned long)XML_GetCurrentLineNumber(p->xp),
		    p->o.limits.max_field_bytes);
}

static void XMLCALL
imp_on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	imp_siecle *p = arg;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	if (!p->stopped)
		imp_refuse(p, "Ce fichier contient une déclaration DOCTYPE, "
		    "refusée par sécurité : un export SIECLE n'en a pas.");
}

static void XMLCALL
imp_on_entity(void *arg, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	imp_siecle *p = arg;

	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	if (!p->stopped)
		imp_refuse(p, "Ce fichier déclare des entités XML, refusées "
		    "par sécurité.");
}

static int XMLCALL
imp_on_external(XML_Parser xp, const XML_Char *context, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid)
{
	(void)xp;
	(void)context;
	(void)base;
	(void)sysid;
	(void)pubid;
	return XML_STATUS_ERROR;
}

com_err
imp_siecle_new(const imp_options *o, imp_siecle **out)
{
	imp_siecle *p;

	if (o->report == NULL)
		return COM_EINVAL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return COM_ENOMEM;
	p->o = *o;
	p->r = o->report;
	/* The school's UAI as com_uai_normalize writes it, or nothing. */
	if (com_uai_normalize(o->uai, p->o.uai) != COM_OK) {
		free(p);
		return COM_EINVAL;
	}
	for (int i = 0; i < IMP_F_COUNT; i++)
		com_buf_init(&p->fields[i], o->limits.max_field_bytes);
	com_buf_init(&p->eleve_id, o->limits.max_field_bytes);
	com_buf_init(&p->elenoet, o->limits.max_field_bytes);
	com_buf_init(&p->uaj, o->limits.max_field_bytes);
	com_buf_init(&p->se_id, o->limits.max_field_bytes);
	com_buf_init(&p->code, o->limits.max_field_bytes);
	com_buf_init(&p->type, o->limits.max_field_bytes);
	com_buf_init(&p->klass, o->limits.max_field_bytes);
	imp_xmlmem_init(&p->mem, o->limits.max_parser_bytes);
	p->xp = imp_xmlmem_parser_create(&p->mem);
	if (p->xp == NULL) {
		imp_siecle_free(p);
		return COM_ENOMEM;
	}
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, imp_on_start, imp_on_end);
	XML_SetStartDoctypeDeclHandler(p->xp, imp_on_doctype);
	XML_SetEntityDeclHandler(p->xp, imp_on_entity);
	XML_SetExternalEntityRefHandler(p->xp, imp_on_external);
	XML_SetParamEntityParsing(p->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetUnknownEncodingHandler(p->xp, imp_encoding_handler,
	    p->enc_name);
	/* Expat's defaults, said out loud: no billion laughs. */
	XML_SetBillionLaughsAttackProtectionMaximumAmplification(p->xp,
	    100.0f);
	XML_SetBillionLaughsAttackProtectionActivationThreshold(p->xp,
	    8u << 20);
	*out = p;
	return COM_OK;
}

void
imp_siecle_free(imp_siecle *p)
{
	if (p == NULL)
		return;
	if (p->xp != NULL)
		imp_xmlmem_parser_free(&p->mem, p->xp);
	for (int i = 0; i < IMP_F_COUNT; i++)
		com_buf_fini(&p->fields[i]);
	com_buf_fini(&p->eleve_id);
	com_buf_fini(&p->elenoet);
	com_buf_fini(&p->uaj);
	com_buf_fini(&p->se_id);
	com_buf_fini(&p->code);
	com_buf_fini(&p->type);
	com_buf_fini(&p->klass);
	free(p);
}

/* French words for expat's most common complaints. */
static const char *
imp_xml_error_fr(enum XML_Error code)
{
	switch (code) {
	case XML_ERROR_SYNTAX:
		return "erreur de syntaxe";
	case XML_ERROR_NO_ELEMENTS:
		return "le fichier se termine avant la fin du document "
		       "(fichier vide ou tronqué ?)";
	case XML_ERROR_INVALID_TOKEN:
		return "caractère ou balise invalide";
	case XML_ERROR_UNCLOSED_TOKEN:
		return "balise non terminée (fichier tronqué ?)";
	case XML_ERROR_PARTIAL_CHAR:
		return "caractère incomplet";
	case XML_ERROR_TAG_MISMATCH:
		return "balise fermante qui ne correspond pas à la balise "
		       "ouverte";
	case XML_ERROR_DUPLICATE_ATTRIBUTE:
		return "attribut répété";
	case XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
		return "contenu après la fin du document";
	case XML_ERROR_UNDEFINED_ENTITY:
		return "entité non définie";
	case XML_ERROR_BAD_CHAR_REF:
		return "référence à un caractère invalide";
	case XML_ERROR_INCORRECT_ENCODING:
		return "le contenu ne correspond pas à l'encodage déclaré";
	case XML_ERROR_UNCLOSED_CDATA_SECTION:
		return "section CDATA non terminée";
	case XML_ERROR_XML_DECL:
		return "déclaration XML mal formée";
	case XML_ERROR_MISPLACED_XML_PI:
		return "déclaration XML mal placée";
	case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
		return "expansion d'entités excessive";
	default:
		return "erreur XML (voir le journal de l'importeur)";
	}
}

/* Turns a failed XML_Parse into the report and a return code. */
static com_err
imp_parse_failed(imp_siecle *p)
{
	enum XML_Error code = XML_GetErrorCode(p->xp);
	com_err rv;

	if (p->cut_reached)
		return COM_OK; /* stopped there on purpose */
	if (p->fail != COM_OK)
		return p->fail;
	p->stopped = true;
	com_log_info("import: expat error %d: %s", (int)code,
	    XML_ErrorString(code));
	if (code == XML_ERROR_NO_MEMORY && !p->mem.over_cap) {
		p->fail = COM_ENOMEM;
		return p->fail;
	}
	if (code == XML_ERROR_NO_MEMORY) {
		char size[32];

		imp_size_text(size, p->o.limits.max_parser_bytes);
		rv = imp_report_file_error(p->r, "Le fichier contient un "
		    "élément de plus de %s (ligne %lu) : ce n'est pas un "
		    "export SIECLE valide.", size,
		    (unsigned long)XML_GetCurrentLineNumber(p->xp));
	}
	else if (code == XML_ERROR_UNKNOWN_ENCODING && p->enc_name[0] != '\0')
		rv = imp_report_file_error(p->r, "L'encodage %s n'est pas "
		    "pris en charge : le fichier doit être en ISO-8859-15 "
		    "(celui des exports SIECLE), ISO-8859-1, windows-1252 ou "
		    "UTF-8.", p->enc_name);
	else
		rv = imp_report_file_error(p->r, "Le fichier XML est mal "
		    "formé, ligne %lu, colonne %lu : %s.",
		    (unsigned long)XML_GetCurrentLineNumber(p->xp),
		    (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1,
		    imp_xml_error_fr(code));
	p->fail = rv == COM_OK ? COM_EINVAL : rv;
	return p->fail;
}

/* imp_feed_check: whether len more bytes may be parsed (counted then). */
static com_err
imp_feed_check(imp_siecle *p, size_t len)
{
	if (p->fail != COM_OK)
		return p->fail;
	if (p->finished)
		return COM_EINVAL;
	if (len > p->o.limits.max_file_bytes - p->bytes) {
		char size[32];

		imp_size_text(size, p->o.limits.max_file_bytes);
		imp_refuse(p, "Le fichier dépasse la taille maximale de %s.",
		    size);
		return p->fail;
	}
	p->bytes += len;
	return COM_OK;
}

com_err
imp_siecle_buffer(imp_siecle *p, size_t len, void **out)
{
	*out = NULL;
	if (p->fail != COM_OK)
		return p->fail;
	if (p->finished || p->cut_reached || len == 0 || len > INT_MAX / 2)
		return COM_EINVAL;
	imp_xmlmem_enter(&p->mem);
	*out = XML_GetBuffer(p->xp, (int)len);
	imp_xmlmem_leave();
	/* Room for a token over expat's budget is refused with the same
	 * message as when XML_Parse asks for it. */
	return *out != NULL ? COM_OK : imp_parse_failed(p);
}

com_err
imp_siecle_feed_buffer(imp_siecle *p, size_t len)
{
	enum XML_Status st;
	com_err rv;

	if (p->cut_reached)
		return COM_OK;
	rv = imp_feed_check(p, len);
	if (rv != COM_OK)
		return rv;
	imp_xmlmem_enter(&p->mem);
	st = XML_ParseBuffer(p->xp, (int)len, XML_FALSE);
	imp_xmlmem_leave();
	return st == XML_STATUS_OK ? COM_OK : imp_parse_failed(p);
}

com_err
imp_siecle_feed(imp_siecle *p, const void *buf, size_t len)
{
	const char *s = buf;
	com_err rv;

	if (p->cut_reached)
		return COM_OK;
	rv = imp_feed_check(p, len);
	if (rv != COM_OK)
		return rv;
	while (len > 0) {
		int n = len > INT_MAX / 2 ? INT_MAX / 2 : (int)len;

		enum XML_Status st;

		imp_xmlmem_enter(&p->mem);
		st = XML_Parse(p->xp, s, n, XML_FALSE);
		imp_xmlmem_leave();
		if (st != XML_STATUS_OK)
			return imp_parse_failed(p);
		s += n;
		len -= (size_t)n;
	}
	return COM_OK;
}

com_err
imp_siecle_finish(imp_siecle *p)
{
	enum XML_Status st;

	if (p->fail != COM_OK)
		return p->fail;
	if (p->finished)
		return COM_EINVAL;
	p->finished = true;
	imp_xmlmem_enter(&p->mem);
	st = XML_Parse(p->xp, NULL, 0, XML_TRUE);
	imp_xmlmem_leave();
	if (st != XML_STATUS_OK)
		return imp_parse_failed(p);
	if (p->fail == COM_OK && !p->uaj_checked) {
		imp_uaj_check(p);
		if (p->fail != COM_OK)
			return p->fail;
	}
	return imp_report_ok(p->r) ? COM_OK : COM_EINVAL;
}

com_err
imp_siecle_resume(imp_siecle *p, const char *prologue, size_t len,
    imp_cut_parent parent)
{
	static const char root[] = "\n<BEE_ELEVES><DONNEES>";
	const char *inside = parent == IMP_CUT_STRUCTURES ? "<STRUCTURES>"
	                                                  : "<ELEVES>";
	enum XML_Status st = XML_STATUS_OK;

	if (p->bytes != 0 || p->prefix_bytes != 0 || p->fail != COM_OK ||
	    len > INT_MAX / 2)
		return COM_EINVAL;
	/* The first part checked the school. */
	p->uaj_checked = true;
	imp_xmlmem_enter(&p->mem);
	if (len > 0)
		st = XML_Parse(p->xp, prologue, (int)len, XML_FALSE);
	if (st == XML_STATUS_OK)
		st = XML_Parse(p->xp, root, (int)strlen(root), XML_FALSE);
	if (st == XML_STATUS_OK)
		st = XML_Parse(p->xp, inside, (int)strlen(inside), XML_FALSE);
	imp_xmlmem_leave();
	p->prefix_bytes = len + strlen(root) + strlen(inside);
	return st == XML_STATUS_OK ? COM_OK : imp_parse_failed(p);
}

void
imp_siecle_cut_at(imp_siecle *p, uint64_t offset)
{
	p->cut_armed = true;
	p->cut_at = offset;
}

bool
imp_siecle_cut_reached(const imp_siecle *p)
{
	return p->cut_reached;
}

com_err
imp_siecle_parse_fd(imp_siecle *p, int fd)
{
	char buf[64 * 1024];
	ssize_t n;
	com_err rv;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			com_log_err("import: read failed: %s", strerror(errno));
			return COM_EIO;
		}
		if (n == 0)
			break;
		rv = imp_siecle_feed(p, buf, (size_t)n);
		if (rv != COM_OK)
			return rv;
	}
	return imp_siecle_finish(p);
}
