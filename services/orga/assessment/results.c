/* results.c - mastery percentages, competence points and levels. */
#include "assessment/results.h"

#include <math.h>

unsigned
orga_results_mastery(size_t validated, size_t targets)
{
	if (targets == 0)
		return 0;
	if (validated > targets)
		validated = targets;
	return (unsigned)((validated * 200 + targets) / (targets * 2));
}

unsigned
orga_results_parcours_mastery(const orga_content *c,
    const orga_content_parcours *p, const orga_outcome *outcomes)
{
	size_t validated = 0;

	(void)c;
	for (size_t i = 0; i < p->nskills; i++)
		if (outcomes[p->skills[i]] == ORGA_OUTCOME_VALIDATED)
			validated++;
	return orga_results_mastery(validated, p->nskills);
}

/* How many skills of each difficulty competence k holds. */
static void
results_counts(const orga_content *c, size_t k,
    size_t counts[ORGA_CONTENT_DIFFICULTY_MAX + 1])
{
	const orga_content_competence *comp = &c->competences[k];

	for (size_t d = 0; d <= ORGA_CONTENT_DIFFICULTY_MAX; d++)
		counts[d] = 0;
	for (size_t t = comp->topic; t < comp->topic + comp->ntopics; t++) {
		const orga_content_topic *topic = &c->topics[t];

		for (size_t s = topic->skill; s < topic->skill + topic->nskills;
		     s++)
			counts[c->skills[s].difficulty]++;
	}
}

double
orga_results_skill_points(const orga_content *c, size_t skill)
{
	size_t counts[ORGA_CONTENT_DIFFICULTY_MAX + 1];
	const orga_content_skill *s = &c->skills[skill];

	results_counts(c, c->topics[s->topic].competence, counts);
	return (double)ORGA_RESULTS_LEVEL_POINTS / (double)counts[s->difficulty];
}

void
orga_results_profile(const orga_content *c, const orga_outcome *outcomes,
    unsigned level_cap, orga_results_competence *out)
{
	for (size_t k = 0; k < c->ncompetences; k++) {
		const orga_content_competence *comp = &c->competences[k];
		size_t counts[ORGA_CONTENT_DIFFICULTY_MAX + 1];
		size_t valid[ORGA_CONTENT_DIFFICULTY_MAX + 1] = {0};
		double points = 0, level;

		results_counts(c, k, counts);
		for (size_t t = comp->topic; t < comp->topic + comp->ntopics;
		     t++) {
			const orga_content_topic *topic = &c->topics[t];

			for (size_t s = topic->skill;
			     s < topic->skill + topic->nskills; s++)
				if (outcomes[s] == ORGA_OUTCOME_VALIDATED)
					valid[c->skills[s].difficulty]++;
		}
		/* Level by level, so that a whole level is exactly 8 points. */
		for (size_t d = 1; d <= ORGA_CONTENT_DIFFICULTY_MAX; d++)
			if (counts[d] > 0)
				points += (double)ORGA_RESULTS_LEVEL_POINTS *
				    (double)valid[d] / (double)counts[d];
		/* 3 x 8/3 may add up to 7.999...: a hair of tolerance. */
		level = floor(points / ORGA_RESULTS_LEVEL_POINTS + 1e-9);
		out[k].competence = k;
		out[k].points = points;
		out[k].level = level > level_cap ? level_cap : (unsigned)level;
	}
}
