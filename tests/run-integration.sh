#!/bin/sh
# run-integration.sh - the integration tests (tests/integration/): the real
# daemons (ORGA_BIN_DIR, default build/san/bin) on a real PostgreSQL.
exec "$(dirname "$0")/lib/node-suite.sh" integration
