/* parcours.c - the parcours staff choose from, and their JSON. */
#include "assessment/parcours.h"

#include <stdlib.h>

com_err
orga_parcours_latest(orga_content_cache *cache, PGconn *db, int64_t *version,
    const orga_content **c)
{
	com_err rv = orga_content_latest(db, version);

	if (rv != COM_OK)
		return rv;
	return orga_content_version_get(cache, db, *version, c);
}

com_err
orga_parcours_resolve(orga_content_cache *cache, PGconn *db, const char *id,
    int64_t *version)
{
	const orga_content *c;
	size_t i;
	int64_t v;
	com_err rv;

	rv = orga_parcours_latest(cache, db, &v, &c);
	if (rv == COM_OK)
		rv = orga_content_parcours_find(c, id, &i);
	if (rv == COM_OK)
		*version = v;
	return rv;
}

com_err
orga_parcours_of(orga_content_cache *cache, PGconn *db, int64_t version,
    const char *id, const orga_content **c, const orga_content_parcours **p)
{
	const orga_content *model;
	size_t i;
	com_err rv;

	rv = orga_content_version_get(cache, db, version, &model);
	if (rv == COM_OK)
		rv = orga_content_parcours_find(model, id, &i);
	if (rv != COM_OK)
		return rv;
	*c = model;
	*p = &model->parcours[i];
	return COM_OK;
}

json_t *
orga_parcours_json(const orga_content *c, const orga_content_parcours *p)
{
	bool *covered = calloc(c->ncompetences + 1, sizeof(*covered));
	json_t *list = json_array(), *out = NULL;

	if (covered == NULL || list == NULL)
		goto out;
	for (size_t i = 0; i < p->nskills; i++)
		covered[c->topics[c->skills[p->skills[i]].topic].competence] = true;
	for (size_t k = 0; k < c->ncompetences; k++)
		if (covered[k] &&
		    json_array_append_new(list, json_pack("{s:s,s:s}", "code",
		        c->competences[k].code, "name", c->competences[k].name)) !=
		        0)
			goto out;
	out = json_pack("{s:s,s:s,s:s,s:i,s:O}", "id", p->id, "name", p->name,
	    "description", p->description, "skills", (int)p->nskills,
	    "competences", list);
out:
	json_decref(list);
	free(covered);
	return out;
}
