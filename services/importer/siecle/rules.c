/*
 * rules.c - validation of one student: skips (left, not yet arrived),
 * then every error at once, each sentence naming the student and field.
 */
#include "siecle/rules.h"

#include <string.h>


bool
imp_date_exists(int y, int m, int d)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int max;

	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static int
imp_digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
imp_date_parse(const char *s, int *out)
{
	int d, m, y;

	if (s == NULL || strlen(s) != 10 || s[2] != '/' || s[5] != '/')
		return false;
	d = imp_digits(s, 2);
	m = imp_digits(s + 3, 2);
	y = imp_digits(s + 6, 4);
	if (d < 0 || m < 0 || y < 0 || !imp_date_exists(y, m, d))
		return false;
	*out = y * 10000 + m * 100 + d;
	return true;
}

bool
imp_text_double_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	/* Ã is C3 83, Â is C3 82; U+0080..U+00BF is C2 80..C2 BF. */
	for (; p[0] != '\0'; p++)
		if (p[0] == 0xC3 && (p[1] == 0x83 || p[1] == 0x82) &&
		    p[2] == 0xC2 && p[3] >= 0x80 && p[3] <= 0xBF)
			return true;
	return false;
}

static bool
imp_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* The names checked for double UTF-8, with how a sentence calls them. */
static com_err
imp_rules_names(imp_report *r, const imp_who *who, const imp_student *s,
    unsigned *nerrors)
{
	const struct {
		const char *value;
		const char *label;
	} names[] = {
		{s->last_name, "le nom de famille"},
		{s->usage_name, "le nom d'usage"},
		{s->first_name, "le prénom"},
		{s->first_name2, "le deuxième prénom"},
		{s->first_name3, "le troisième prénom"},
	};
	com_err rv;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].value == NULL ||
		    !imp_text_double_utf8(names[i].value))
			continue;
		(*nerrors)++;
		rv = imp_report_student_error(r, who,
		    "%s « %s » est mal encodé (texte UTF-8 lu deux fois) : "
		    "refaites l'export depuis SIECLE sans rouvrir le fichier",
		    names[i].label, names[i].value);
		if (rv != COM_OK)
			return rv;
	}
	return COM_OK;
}

static com_err
imp_rules_birth(imp_report *r, const imp_who *who, int today,
    imp_student *s, unsigned *nerrors)
{
	int date;

	if (imp_empty(s->birth_date)) {
		(*nerrors)++;
		return imp_report_student_error(r, who,
		    "date de naissance (DATE_NAISS) manquante");
	}
	if (!imp_date_parse(s->birth_date, &date)) {
		int d = imp_digits(s->birth_date, 2);
		int m = strlen(s->birth_date) == 10 ? imp_digits(
		    s->birth_date + 3, 2) : -1;
		int y = strlen(s->birth_date) == 10 ? imp_digits(
		    s->birth_date + 6, 4) : -1;
		bool shaped = strlen(s->birth_date) == 10 &&
		    s->birth_date[2] == '/' && s->birth_date[5] == '/' &&
		    d >= 0 && m >= 0 && y >= 0;

		(*nerrors)++;
		return imp_report_student_error(r, who,
		    "date de naissance invalide « %s » (%s)", s->birth_date,
		    shaped ? "cette date n'existe pas"
		           : "attendu JJ/MM/AAAA");
	}
	if (date > today) {
		(*nerrors)++;
		return imp_report_student_error(r, who,
		    "date de naissance invalide « %s » (date future)",
		    s->birth_date);
	}
	/* AAAA-MM-JJ from JJ/MM/AAAA. */
	memcpy(s->birth_iso, s->birth_date + 6, 4);
	s->birth_iso[4] = '-';
	memcpy(s->birth_iso + 5, s->birth_date + 3, 2);
	s->birth_iso[7] = '-';
	memcpy(s->birth_iso + 8, s->birth_date, 2);
	s->birth_iso[10] = '\0';
	return COM_OK;
}

/*
 * An absent CODE_SEXE is accepted (sex unknown): the samples import such
 * a file (siecle-with-bom.xml); present but empty or not 1/2 is an error.
 */
static com_err
imp_rules_sex(imp_report *r, const imp_who *who, imp_student *s,
    unsigned *nerrors)
{
	s->sex = 0;
	if (s->sex_code == NULL)
		return COM_OK;
	if (strcmp(s->sex_code, "1") == 0) {
		s->sex = 'M';
		return COM_OK;
	}
	if (strcmp(s->sex_code, "2") == 0) {
		s->sex = 'F';
		return COM_OK;
	}
	(*nerrors)++;
	if (s->sex_code[0] == '\0')
		return imp_report_student_error(r, who,
		    "code sexe (CODE_SEXE) manquant");
	return imp_report_student_error(r, who,
	    "code sexe invalide « %s » (attendu 1 ou 2)", s->sex_code);
}

com_err
imp_rules_duplicate(imp_report *r, const imp_who *second,
    const char *first_name, const char *first_eleve_id)
{
	return imp_report_student_error(r, second,
	    "INE %s en double, déjà attribué à l'élève %s (ELEVE_ID %s)",
	    second->ine,
	    first_name != NULL && first_name[0] != '\0' ? first_name :
	    "sans nom",
	    first_eleve_id != NULL && first_eleve_id[0] != '\0' ?
	    first_eleve_id : "absent");
}

com_err
imp_rules_check(imp_report *r, int today, imp_student *s,
    imp_skip *skip, unsigned *nerrors)
{
	imp_who who = {s->ine, s->last_name, s->first_name, s->eleve_id};
	unsigned n = 0;
	com_err rv = COM_OK;
	int date;

	s->birth_iso[0] = '\0';
	*skip = IMP_SKIP_NONE;
	*nerrors = 0;
	if (s->ine == NULL) {
		*skip = IMP_SKIP_NOT_ARRIVED;
		return imp_report_skip(r, *skip, &who, NULL);
	}
	if (!imp_empty(s->exit_date)) {
		if (!imp_date_parse(s->exit_date, &date)) {
			*nerrors = 1;
			return imp_report_student_error(r, &who,
			    "date de sortie invalide « %s » (attendu "
			    "JJ/MM/AAAA)", s->exit_date);
		}
		if (date <= today) {
			*skip = IMP_SKIP_LEFT;
			return imp_report_skip(r, *skip, &who, s->exit_date);
		}
	}
	if (s->ine[0] == '\0') {
		n++;
		rv = imp_report_student_error(r, &who,
		    "INE (ID_NATIONAL) vide");
	}
	if (rv == COM_OK && imp_empty(s->last_name)) {
		n++;
		rv = imp_report_student_error(r, &who,
		    "nom de famille (NOM_DE_FAMILLE) manquant");
	}
	if (rv == COM_OK && imp_empty(s->first_name)) {
		n++;
		rv = imp_report_student_error(r, &who,
		    "prénom (PRENOM) manquant");
	}
	if (rv == COM_OK)
		rv = imp_rules_names(r, &who, s, &n);
	if (rv == COM_OK)
		rv = imp_rules_birth(r, &who, today, s, &n);
	if (rv == COM_OK)
		rv = imp_rules_sex(r, &who, s, &n);
	if (rv == COM_OK && s->country_code != NULL &&
	    strcmp(s->country_code, "100") == 0 &&
	    imp_empty(s->commune_code)) {
		n++;
		rv = imp_report_student_error(r, &who,
		    "code de la commune de naissance "
		    "(CODE_COMMUNE_INSEE_NAISS) manquant pour un élève né en "
		    "France");
	}
	*nerrors = n;
	return rv;
}
