/*
 * results.h - what a student's outcomes are worth: mastery of a parcours
 * and points and levels by competence (a profile), as the rules of
 * shared/design/assessment.md say. Pure.
 */
#ifndef ORGA_RESULTS_H
#define ORGA_RESULTS_H

#include <stddef.h>

#include "assessment/content.h"

/* Points a difficulty level of a competence is worth, shared by its
 * skills; the default cap of a competence's level. */
#define ORGA_RESULTS_LEVEL_POINTS 8
#define ORGA_RESULTS_LEVEL_CAP 5

/* One competence of a profile. */
typedef struct orga_results_competence {
	size_t competence;    /* index into c->competences */
	double points;        /* sum over the validated skills */
	unsigned level;       /* floor(points / 8), at most the cap */
} orga_results_competence;

/*
 * orga_results_mastery is validated * 100 / targets rounded to the
 * nearest integer (halves up); 0 when targets is 0. Pure.
 */
unsigned orga_results_mastery(size_t validated, size_t targets);

/*
 * orga_results_parcours_mastery: the mastery of parcours p of c from
 * outcomes (one a skill of c, borrowed). Pure.
 */
unsigned orga_results_parcours_mastery(const orga_content *c,
    const orga_content_parcours *p, const orga_outcome *outcomes);

/*
 * orga_results_skill_points: what validating skill is worth, 8 divided by
 * the number of skills of its difficulty in its competence. Pure.
 */
double orga_results_skill_points(const orga_content *c, size_t skill);

/*
 * orga_results_profile writes into out (c->ncompetences entries, in the
 * referentiel's order) the points and level of each competence from
 * outcomes (one a skill of c: every outcome known for the student,
 * whatever the campaign), levels capped at level_cap. Pure.
 */
void orga_results_profile(const orga_content *c,
    const orga_outcome *outcomes, unsigned level_cap,
    orga_results_competence *out);

#endif
