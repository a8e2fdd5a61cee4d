#!/bin/bash
# checksrc.sh - source checks of `make checksrc` and .ci/run: no banned C
# function in services/, and every environment variable the C code reads
# is documented in README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
fail=0

[[ -f README.md ]] || { echo "checksrc: README.md missing" >&2; exit 1; }

mapfile -t files < <(find services -type f \( -name '*.c' -o -name '*.h' \) | sort)
if (( ${#files[@]} == 0 )); then
	echo "checksrc: no C source under services/" >&2
	exit 1
fi

# 1. Unbounded or unchecked libc calls (snprintf, strtol, fgets are fine).
BANNED='\b(sprintf|strcpy|strcat|strtok|atoi|gets)\s*\('
if grep -nP "$BANNED" "${files[@]}"; then
	echo "checksrc: banned function above (use snprintf, com_buf, strtol," \
	    "strtok_r, fgets)" >&2
	fail=1
fi

# 2. Settings read from the environment must be in README.md: the first
# string literal given to a reader (calls may span lines, hence -z), plus
# any literal named like a setting (ORGA_*, SMTP_*, MAIL_*, MAILER_*,
# IMPORTER_*), which catches names handed to a daemon's own helper.
READS='\b(com_env_str|com_env_long|getenv|secure_getenv|com_config_pick)\s*\([^;"]*"\K[A-Z][A-Z0-9_]*(?=")'
NAMED='"\K(ORGA|SMTP|MAIL|MAILER|IMPORTER)_[A-Z0-9_]+(?=")'
mapfile -t vars < <(for f in "${files[@]}"; do
	case "$f" in *_test.c|*_fuzz.c) continue ;; esac
	grep -ozP "$READS" "$f" | tr '\0' '\n' || true
	grep -oP "$NAMED" "$f" || true
done | sort -u)
for v in "${vars[@]}"; do
	[[ -n "$v" ]] || continue
	if ! grep -qw -- "$v" README.md; then
		echo "checksrc: environment variable $v is read in services/ but" \
		    "missing from README.md" >&2
		fail=1
	fi
done

if (( fail )); then
	exit 1
fi
echo "checksrc: ${#files[@]} files, ${#vars[@]} environment variables documented"
