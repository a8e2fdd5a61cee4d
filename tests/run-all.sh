#!/bin/sh
# run-all.sh - unit, integration and browser tests, in that order, all run
# even when one fails; one PostgreSQL cluster serves the last two.
# Exits non-zero when any suite failed.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
PG_DIR=${TEST_PG_DIR:-$BUILD/test-pg}
export TEST_PG_PORT=${TEST_PG_PORT:-5599}

# shellcheck source=tests/lib/test-pg.sh
. ./tests/lib/test-pg.sh

status=0
results=""
for suite in unit integration browser; do
	echo "##### $suite tests"
	if ./tests/run-$suite.sh; then
		results="$results $suite=ok"
	else
		results="$results $suite=FAILED"
		status=1
	fi
done
echo "tests:$results"
exit $status
