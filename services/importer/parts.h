/*
 * parts.h - a bare XML upload parsed in parts at once, one expat parser
 * per lane of the worker (segment.h says where a part starts). Internal
 * to the importer.
 */
#ifndef IMP_PARTS_H
#define IMP_PARTS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "siecle/report.h"
#include "worker.h"

/*
 * imp_parts_parse parses job's upload in parts on w's lanes into staging
 * and report. *again when it must be parsed in one piece instead: a
 * wrong cut, a refused file, a limit (nothing of this attempt is then
 * staged; reset report).
 */
com_err imp_parts_parse(imp_worker *w, imp_job *job, imp_report *report,
    bool *again) COM_MUSTCHECK;

#endif
