#!/bin/sh
# node-suite.sh SUITE - runs tests/SUITE/*.test.mjs with Node's test runner
# (TAP: CI reads its "# pass N" / "# fail N" lines) against one PostgreSQL
# cluster for the whole run. The cluster is started here with
# scripts/pg-local.sh unless TEST_PG_HOST names a running one (run-all.sh
# starts one for every suite); it is stopped on exit.
set -u
cd "$(dirname "$0")/../.." || exit 2
suite=$1
BUILD=${BUILD:-build}
export ORGA_BIN_DIR=${ORGA_BIN_DIR:-$BUILD/san/bin}
export TEST_PG_PORT=${TEST_PG_PORT:-5599}
PG_DIR=${TEST_PG_DIR:-$BUILD/test-pg}

files=$(find "tests/$suite" -name '*.test.mjs' 2>/dev/null | sort)
if [ -z "$files" ]; then
	echo "$suite: no tests in tests/$suite"
	exit 0
fi
if [ ! -d node_modules/pg ] || [ ! -d node_modules/@axe-core/playwright ]; then
	echo "$suite: installing the test dependencies (npm ci)"
	npm ci --no-audit --no-fund >/dev/null || exit 1
fi

# shellcheck source=tests/lib/test-pg.sh
. ./tests/lib/test-pg.sh

# shellcheck disable=SC2086
node --test --test-reporter=tap --test-concurrency=1 $files
rc=$?
echo "$suite: node --test exit $rc"
exit $rc
