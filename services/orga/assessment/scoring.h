/*
 * scoring.h - a student's outcomes as the results the school and the
 * student read: mastery of the parcours and, per competence it covers,
 * validated / total target skills and the level; per topic, validated /
 * total; the 16-competence profile; the level in words. Pure (builds
 * JSON with the rules of results.h).
 */
#ifndef ORGA_SCORING_H
#define ORGA_SCORING_H

#include <jansson.h>

#include "assessment/content.h"

/*
 * orga_scoring_parcours builds {"mastery","validated","targets",
 * "competences":[{"code","name","validated","total","level"}],
 * "topics":[{"id","name","competence","validated","total"}]} for parcours
 * p of c from outcomes (c->nskills entries). Competences and topics are
 * those p covers, in the referentiel's order. NULL on ENOMEM; the caller
 * owns the result.
 */
json_t *orga_scoring_parcours(const orga_content *c,
    const orga_content_parcours *p, const orga_outcome *outcomes);

/*
 * orga_scoring_profile builds the 16-competence profile of outcomes over
 * c: {"competences":[{"code","name","area","level","points"}],
 * "validated","pixScore"} (pixScore: the points, rounded down). NULL on
 * ENOMEM.
 */
json_t *orga_scoring_profile(const orga_content *c,
    const orga_outcome *outcomes);

/* orga_scoring_level_words: "Niveau 3 : indépendant" and the like, for
 * levels 0 to 8 (static). */
const char *orga_scoring_level_words(unsigned level);

#endif
