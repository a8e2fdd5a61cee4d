#!/bin/sh
# run-unit.sh - runs every unit test binary (cmocka, built under ASan/UBSan
# by `make SANITIZE=1 units`) found under $UNIT_DIR (default
# ${BUILD:-build}/san/tests); fails when any fails. Prints
# "unit: N passed, M failed".
set -u
cd "$(dirname "$0")/.." || exit 2
UNIT_DIR=${UNIT_DIR:-${BUILD:-build}/san/tests}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
SUPP=$PWD/tests/lsan.supp
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SUPP:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ ! -d "$UNIT_DIR" ]; then
	echo "unit: no directory $UNIT_DIR (build with make SANITIZE=1 units)" >&2
	echo "unit: 0 passed, 1 failed"
	exit 1
fi
pass=0
fail=0
failed=""
list=$(find "$UNIT_DIR" -type f -perm -u+x | sort)
for t in $list; do
	echo "=== $t"
	if "$t"; then
		pass=$((pass + 1))
	else
		rc=$?
		echo "FAILED: $t (exit $rc)"
		fail=$((fail + 1))
		failed="$failed $t"
	fi
done
[ -n "$failed" ] && echo "unit: failed:$failed"
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
