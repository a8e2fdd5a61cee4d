/*
 * learner_list_routes.h - HTTP route of a school's learner
 * list (search, filters, sort, pages).
 */
#ifndef ORGA_LEARNER_LIST_ROUTES_H
#define ORGA_LEARNER_LIST_ROUTES_H

#include <stdint.h>

#include "err.h"
#include "learners/learner_list.h"
#include "edge/http/http_route.h"

/* The routes, ended by ORGA_ROUTE_END; main.c hands them to the edge. */
extern const orga_route orga_learner_list_routes[];

/*
 * Pure part: the query string of GET .../learners, raw (NULL when
 * absent), read into q (search and class_code point into in), the
 * 1-based page and its size. search and class must be UTF-8 of at most
 * 100 characters. COM_EINVAL with *field naming the bad parameter (a
 * static string).
 */
typedef struct orga_learner_args {
	const char *search, *class_code, *status, *sort, *order, *page,
	    *page_size, *login_method;
} orga_learner_args;

#define ORGA_LEARNERS_PAGE_SIZE 50
#define ORGA_LEARNERS_PAGE_SIZE_MAX 200
#define ORGA_LEARNERS_SEARCH_MAX 100   /* characters */
#define ORGA_LEARNERS_CLASS_MAX 100    /* characters */
#define ORGA_LEARNERS_PAGE_MAX_NUMBER 1000000

com_err orga_learner_args_parse(const orga_learner_args *in,
    orga_learner_query *q, int64_t *page, int *page_size,
    const char **field) COM_MUSTCHECK;

#endif
