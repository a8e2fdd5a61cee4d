# test-pg.sh - sourced by run-all.sh and node-suite.sh (from the repository
# root): unless TEST_PG_HOST names a running cluster, starts the test
# cluster in $PG_DIR on $TEST_PG_PORT with scripts/pg-local.sh, stops it on
# exit, and exports TEST_PG_HOST (its socket directory).
if [ -z "${TEST_PG_HOST:-}" ]; then
	trap './scripts/pg-local.sh stop "$PG_DIR"' EXIT
	trap 'exit 130' INT TERM
	./scripts/pg-local.sh start "$PG_DIR" "$TEST_PG_PORT" || exit 1
	TEST_PG_HOST=$(cd "$PG_DIR" && pwd -P)/run
	export TEST_PG_HOST
fi
