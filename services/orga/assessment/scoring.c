/* scoring.c - outcomes as results (mastery, competences, topics). */
#include "assessment/scoring.h"

#include <math.h>
#include <stdlib.h>

#include "assessment/results.h"

const char *
orga_scoring_level_words(unsigned level)
{
	static const char *const words[] = {
	    "Niveau 0 : pas encore acquis", "Niveau 1 : novice",
	    "Niveau 2 : novice", "Niveau 3 : indépendant",
	    "Niveau 4 : indépendant", "Niveau 5 : avancé", "Niveau 6 : avancé",
	    "Niveau 7 : expert", "Niveau 8 : expert"};

	return level < sizeof(words) / sizeof(words[0]) ? words[level]
	                                                : words[8];
}

/* Per competence (or topic) counts of one parcours. */
typedef struct scoring_count {
	unsigned validated, total;
} scoring_count;

json_t *
orga_scoring_parcours(const orga_content *c, const orga_content_parcours *p,
    const orga_outcome *outcomes)
{
	scoring_count *comp = calloc(c->ncompetences + 1, sizeof(*comp));
	scoring_count *topic = calloc(c->ntopics + 1, sizeof(*topic));
	orga_results_competence *prof =
	    calloc(c->ncompetences + 1, sizeof(*prof));
	orga_outcome *only = calloc(c->nskills + 1, sizeof(*only));
	json_t *comps = json_array(), *topics = json_array(), *out = NULL;
	unsigned validated = 0;

	if (comp == NULL || topic == NULL || prof == NULL || only == NULL ||
	    comps == NULL || topics == NULL)
		goto out;
	for (size_t i = 0; i < p->nskills; i++) {
		const orga_content_skill *s = &c->skills[p->skills[i]];
		size_t t = s->topic, k = c->topics[t].competence;
		bool ok = outcomes[p->skills[i]] == ORGA_OUTCOME_VALIDATED;

		comp[k].total++;
		topic[t].total++;
		if (ok) {
			comp[k].validated++;
			topic[t].validated++;
			validated++;
			only[p->skills[i]] = ORGA_OUTCOME_VALIDATED;
		}
	}
	/* Levels count the parcours' validated skills only. */
	orga_results_profile(c, only, ORGA_RESULTS_LEVEL_CAP, prof);
	for (size_t k = 0; k < c->ncompetences; k++) {
		if (comp[k].total == 0)
			continue;
		if (json_array_append_new(comps,
		        json_pack("{s:s,s:s,s:i,s:i,s:i}", "code",
		            c->competences[k].code, "name", c->competences[k].name,
		            "validated", (int)comp[k].validated, "total",
		            (int)comp[k].total, "level", (int)prof[k].level)) != 0)
			goto out;
		for (size_t t = c->competences[k].topic;
		     t < c->competences[k].topic + c->competences[k].ntopics; t++) {
			if (topic[t].total == 0)
				continue;
			if (json_array_append_new(topics,
			        json_pack("{s:s,s:s,s:s,s:i,s:i}", "id",
			            c->topics[t].id, "name", c->topics[t].name,
			            "competence", c->competences[k].code, "validated",
			            (int)topic[t].validated, "total",
			            (int)topic[t].total)) != 0)
				goto out;
		}
	}
	out = json_pack("{s:i,s:i,s:i,s:O,s:O}", "mastery",
	    (int)orga_results_mastery(validated, p->nskills), "validated",
	    (int)validated, "targets", (int)p->nskills, "competences", comps,
	    "topics", topics);
out:
	json_decref(comps);
	json_decref(topics);
	free(comp);
	free(topic);
	free(prof);
	free(only);
	return out;
}

json_t *
orga_scoring_profile(const orga_content *c, const orga_outcome *outcomes)
{
	orga_results_competence *prof =
	    calloc(c->ncompetences + 1, sizeof(*prof));
	json_t *list = json_array(), *out = NULL;
	double total = 0;
	int validated = 0;

	if (prof == NULL || list == NULL)
		goto out;
	orga_results_profile(c, outcomes, ORGA_RESULTS_LEVEL_CAP, prof);
	for (size_t s = 0; s < c->nskills; s++)
		if (outcomes[s] == ORGA_OUTCOME_VALIDATED)
			validated++;
	for (size_t k = 0; k < c->ncompetences; k++) {
		const orga_content_competence *cp = &c->competences[prof[k].competence];

		total += prof[k].points;
		if (json_array_append_new(list,
		        json_pack("{s:s,s:s,s:s,s:i,s:i}", "code", cp->code, "name",
		            cp->name, "area", c->areas[cp->area].name, "level",
		            (int)prof[k].level, "pixScore",
		            (int)floor(prof[k].points + 1e-9))) != 0)
			goto out;
	}
	out = json_pack("{s:O,s:i,s:i}", "competences", list, "evaluated",
	    validated, "pixScore", (int)floor(total + 1e-9));
out:
	json_decref(list);
	free(prof);
	return out;
}
