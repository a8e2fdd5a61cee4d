/* collect.c - in-memory join of students and classes (tests, fuzzer). */
#include "siecle/collect.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "siecle/rules.h"

void
imp_collect_init(imp_collect *c)
{
	memset(c, 0, sizeof(*c));
}

static void
imp_learner_fini(imp_learner *l)
{
	free(l->eleve_id);
	free(l->ine);
	free(l->last_name);
	free(l->usage_name);
	free(l->first_name);
	free(l->first_name2);
	free(l->first_name3);
	free(l->country_code);
	free(l->dept_code);
	free(l->commune_code);
	free(l->birth_town);
	free(l->mef_code);
	free(l->status_code);
	free(l->class_code);
}

void
imp_collect_fini(imp_collect *c)
{
	for (size_t i = 0; i < c->nlearners; i++)
		imp_learner_fini(&c->learners[i]);
	for (size_t i = 0; i < c->nclasses; i++) {
		free(c->classes[i].eleve_id);
		free(c->classes[i].class_code);
	}
	free(c->learners);
	free(c->classes);
	memset(c, 0, sizeof(*c));
}

/* Copies s (NULL stays NULL); false on ENOMEM. */
static bool
imp_dup(char **dst, const char *s)
{
	*dst = NULL;
	if (s == NULL)
		return true;
	*dst = strdup(s);
	return *dst != NULL;
}

static com_err
imp_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return COM_OK;
	ncap = *cap ? *cap * 2 : 16;
	nv = realloc(*v, ncap * size);
	if (nv == NULL)
		return COM_ENOMEM;
	*v = nv;
	*cap = ncap;
	return COM_OK;
}

com_err
imp_collect_student(void *arg, const imp_student *s)
{
	imp_collect *c = arg;
	imp_learner *l;
	bool ok;

	if (imp_grow((void **)&c->learners, &c->learners_cap, c->nlearners,
	    sizeof(*c->learners)) != COM_OK)
		return COM_ENOMEM;
	l = &c->learners[c->nlearners];
	memset(l, 0, sizeof(*l));
	ok = imp_dup(&l->eleve_id, s->eleve_id) &&
	    imp_dup(&l->ine, s->ine) &&
	    imp_dup(&l->last_name, s->last_name) &&
	    imp_dup(&l->usage_name, s->usage_name) &&
	    imp_dup(&l->first_name, s->first_name) &&
	    imp_dup(&l->first_name2, s->first_name2) &&
	    imp_dup(&l->first_name3, s->first_name3) &&
	    imp_dup(&l->country_code, s->country_code) &&
	    imp_dup(&l->dept_code, s->dept_code) &&
	    imp_dup(&l->commune_code, s->commune_code) &&
	    imp_dup(&l->birth_town, s->birth_town) &&
	    imp_dup(&l->mef_code, s->mef_code) &&
	    imp_dup(&l->status_code, s->status_code);
	if (!ok) {
		imp_learner_fini(l);
		return COM_ENOMEM;
	}
	memcpy(l->birth_date, s->birth_iso, sizeof(l->birth_date));
	l->sex = s->sex;
	l->refused = s->refused;
	c->nlearners++;
	return COM_OK;
}

com_err
imp_collect_class(void *arg, const char *eleve_id, const char *class_code)
{
	imp_collect *c = arg;
	imp_class_pair *k;

	if (imp_grow((void **)&c->classes, &c->classes_cap, c->nclasses,
	    sizeof(*c->classes)) != COM_OK)
		return COM_ENOMEM;
	k = &c->classes[c->nclasses];
	k->eleve_id = strdup(eleve_id);
	k->class_code = strdup(class_code);
	k->seq = c->nclasses;
	if (k->eleve_id == NULL || k->class_code == NULL) {
		free(k->eleve_id);
		free(k->class_code);
		return COM_ENOMEM;
	}
	c->nclasses++;
	return COM_OK;
}

static int
imp_class_cmp(const void *a, const void *b)
{
	const imp_class_pair *x = a;
	const imp_class_pair *y = b;
	int d = strcmp(x->eleve_id, y->eleve_id);

	if (d != 0)
		return d;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The last class given to eleve_id, or NULL (classes sorted). */
static const char *
imp_class_of(const imp_collect *c, const char *eleve_id)
{
	size_t lo = 0;
	size_t hi = c->nclasses;
	const char *found = NULL;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c->classes[mid].eleve_id, eleve_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < c->nclasses &&
	    strcmp(c->classes[lo].eleve_id, eleve_id) == 0)
		found = c->classes[lo++].class_code;
	return found;
}

/* One learner's INE and place in the file, to sort by INE. */
typedef struct imp_ine_at {
	const char *ine;
	size_t at;
} imp_ine_at;

static int
imp_ine_cmp(const void *a, const void *b)
{
	const imp_ine_at *x = a;
	const imp_ine_at *y = b;
	int d = strcmp(x->ine, y->ine);

	if (d != 0)
		return d;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * imp_collect_duplicates names, in file order, each student carrying the
 * INE of an earlier one, and refuses it.
 */
static com_err
imp_collect_duplicates(imp_collect *c, imp_report *r)
{
	imp_ine_at *order;
	size_t *first;
	com_err rv = COM_OK;

	if (c->nlearners < 2)
		return COM_OK;
	order = malloc(c->nlearners * sizeof(*order));
	first = malloc(c->nlearners * sizeof(*first));
	if (order == NULL || first == NULL) {
		free(order);
		free(first);
		return COM_ENOMEM;
	}
	for (size_t i = 0; i < c->nlearners; i++) {
		order[i] = (imp_ine_at){c->learners[i].ine, i};
		first[i] = SIZE_MAX;
	}
	qsort(order, c->nlearners, sizeof(*order), imp_ine_cmp);
	for (size_t i = 1, head = 0; i < c->nlearners; i++) {
		if (strcmp(order[i].ine, order[head].ine) == 0)
			first[order[i].at] = order[head].at;
		else
			head = i;
	}
	for (size_t i = 0; i < c->nlearners && rv == COM_OK; i++) {
		imp_learner *l = &c->learners[i];
		const imp_learner *f;
		imp_who who = {l->ine, l->last_name, l->first_name,
		    l->eleve_id};
		char name[256];

		if (first[i] == SIZE_MAX)
			continue;
		f = &c->learners[first[i]];
		snprintf(name, sizeof(name), "%s %s",
		    f->last_name ? f->last_name : "",
		    f->first_name ? f->first_name : "");
		rv = imp_rules_duplicate(r, &who,
		    strcmp(name, " ") == 0 ? NULL : name, f->eleve_id);
		l->refused = true;
	}
	free(order);
	free(first);
	return rv;
}

com_err
imp_collect_finish(imp_collect *c, imp_report *r)
{
	size_t kept = 0;
	com_err rv;

	rv = imp_collect_duplicates(c, r);
	if (rv != COM_OK)
		return rv;
	/* Refused students were kept only to be named as duplicates. */
	for (size_t i = 0; i < c->nlearners; i++) {
		if (c->learners[i].refused)
			imp_learner_fini(&c->learners[i]);
		else
			c->learners[kept++] = c->learners[i];
	}
	c->nlearners = kept;
	kept = 0;
	if (r->file_error)
		return COM_EINVAL;
	if (c->nclasses > 1)
		qsort(c->classes, c->nclasses, sizeof(*c->classes),
		    imp_class_cmp);
	for (size_t i = 0; i < c->nlearners; i++) {
		imp_learner *l = &c->learners[i];
		const char *k = imp_class_of(c, l->eleve_id);

		if (k == NULL || l->class_code != NULL)
			continue;
		l->class_code = strdup(k);
		if (l->class_code == NULL)
			return COM_ENOMEM;
	}
	for (size_t i = 0; i < c->nlearners; i++) {
		imp_learner *l = &c->learners[i];

		if (l->class_code != NULL) {
			c->learners[kept++] = *l;
			continue;
		}
		if (rv == COM_OK) {
			imp_who who = {l->ine, l->last_name, l->first_name,
			    l->eleve_id};

			rv = imp_report_skip(r, IMP_SKIP_NO_CLASS, &who, NULL);
		}
		imp_learner_fini(l);
	}
	c->nlearners = kept;
	if (rv != COM_OK)
		return rv;
	if (kept == 0 && imp_report_ok(r)) {
		rv = imp_report_no_learner(r);
		if (rv != COM_OK)
			return rv;
	}
	return imp_report_ok(r) ? COM_OK : COM_EINVAL;
}

/* imp_collect_options: o for a parse of c and r. */
static com_err
imp_collect_options(imp_options *o, imp_collect *c, imp_report *r,
    const char *uai, int today, const imp_limits *lim)
{
	memset(o, 0, sizeof(*o));
	if (com_uai_normalize(uai, o->uai) != COM_OK)
		return COM_EINVAL;
	o->today = today;
	o->limits = *lim;
	o->report = r;
	o->on_student = imp_collect_student;
	o->on_class = imp_collect_class;
	o->arg = c;
	return COM_OK;
}

com_err
imp_collect_run(imp_collect *c, imp_report *r, const char *uai, int today,
    const imp_limits *lim, const void *data, size_t len, size_t chunk)
{
	imp_options o;
	imp_siecle *p;
	const char *s = data;
	com_err rv;

	rv = imp_collect_options(&o, c, r, uai, today, lim);
	if (rv == COM_OK)
		rv = imp_siecle_new(&o, &p);
	if (rv != COM_OK)
		return rv;
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	for (size_t off = 0; off < len && rv == COM_OK; off += chunk)
		rv = imp_siecle_feed(p, s + off,
		    len - off < chunk ? len - off : chunk);
	if (rv == COM_OK)
		rv = imp_siecle_finish(p);
	imp_siecle_free(p);
	/* Refused files still get the duplicates, and student errors the
	 * join, to list skips. */
	if (rv != COM_OK && rv != COM_EINVAL)
		return rv;
	return imp_collect_finish(c, r);
}

/* imp_collect_next_cut: the start of the first part after part k (the
 * first cut in chunk j * part_chunks, j > k); false when none. */
static bool
imp_collect_next_cut(const char *s, size_t len, size_t chunk,
    size_t part_chunks, size_t k, size_t *at, size_t *part,
    imp_cut_parent *parent)
{
	for (size_t j = k + 1; j * part_chunks * chunk < len; j++) {
		size_t from = j * part_chunks * chunk;
		size_t n = len - from < chunk ? len - from : chunk;

		if (imp_cut_find(s + from, n, at, parent)) {
			*at += from;
			*part = j;
			return true;
		}
	}
	return false;
}

/*
 * imp_collect_part parses part k of s, from start (after the prologue
 * and the elements of parent when k > 0) up to the cut at end (none when
 * last), into its own report rk. COM_ECONFLICT when the part cannot
 * decide alone.
 */
static com_err
imp_collect_part(imp_options *o, imp_report *rk, const char *s, size_t len,
    size_t feed, size_t k, size_t start, imp_cut_parent parent,
    size_t prologue, size_t end, bool last)
{
	imp_siecle *p;
	com_err rv;

	o->report = rk;
	o->seq_base = (uint64_t)k << 32;
	rv = imp_siecle_new(o, &p);
	if (rv != COM_OK)
		return rv;
	if (k > 0)
		rv = imp_siecle_resume(p, s, prologue, parent);
	if (!last)
		imp_siecle_cut_at(p, end - start);
	for (size_t off = start; off < len && rv == COM_OK &&
	     !imp_siecle_cut_reached(p); off += feed)
		rv = imp_siecle_feed(p, s + off,
		    len - off < feed ? len - off : feed);
	if (rv == COM_OK && last)
		rv = imp_siecle_finish(p);
	else if (rv == COM_OK && !imp_siecle_cut_reached(p))
		rv = COM_ECONFLICT; /* the cut never came */
	imp_siecle_free(p);
	if (rv == COM_EINVAL)
		rv = rk->file_error ? COM_ECONFLICT : COM_OK;
	return rv;
}

com_err
imp_collect_run_parts(imp_collect *c, imp_report *r, const char *uai,
    int today, const imp_limits *lim, const void *data, size_t len,
    size_t chunk, size_t part_chunks, size_t feed, size_t *parts)
{
	const char *s = data;
	imp_cut_parent parent = IMP_CUT_ELEVES, next_parent;
	size_t k = 0, start = 0, prologue, end = 0, next_k = 0;
	imp_options o;
	imp_report rk;
	com_err rv;
	bool last;

	*parts = 0;
	if (chunk == 0 || part_chunks == 0 || feed == 0 || len == 0 ||
	    len > lim->max_file_bytes ||
	    !imp_cut_prologue(s, len < chunk ? len : chunk, &prologue))
		return COM_ECONFLICT;
	rv = imp_collect_options(&o, c, r, uai, today, lim);
	while (rv == COM_OK) {
		last = !imp_collect_next_cut(s, len, chunk, part_chunks, k, &end,
		    &next_k, &next_parent);
		imp_report_init(&rk, lim->max_messages);
		rv = imp_collect_part(&o, &rk, s, len, feed, k, start, parent,
		    prologue, end, last);
		if (rv == COM_OK)
			rv = imp_report_merge(r, &rk);
		imp_report_fini(&rk);
		(*parts)++;
		if (rv == COM_OK && r->students > lim->max_students)
			rv = COM_ECONFLICT;
		if (rv != COM_OK || last)
			break;
		k = next_k;
		start = end;
		parent = next_parent;
	}
	if (rv != COM_OK)
		return rv;
	return imp_collect_finish(c, r);
}

const imp_learner *
imp_collect_find(const imp_collect *c, const char *ine)
{
	for (size_t i = 0; i < c->nlearners; i++)
		if (strcmp(c->learners[i].ine, ine) == 0)
			return &c->learners[i];
	return NULL;
}
