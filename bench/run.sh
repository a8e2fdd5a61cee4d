#!/bin/bash
# bench/run.sh - `make bench`. Placeholder until the import benchmark.
set -euo pipefail
echo "no benchmarks yet (issue 3 adds the import benchmark)"
