#!/bin/bash
# bench/run.sh - `make bench`: end-to-end SIECLE import benchmark on the real
# release daemons and a throwaway PostgreSQL, beside this machine's two
# limits for the same file (expat alone, PostgreSQL COPY of the same rows).
#
# Settings (environment):
#   BENCH_SIZES    students per file (default "1000 100000 1000000")
#   BENCH_HTTP     1 (default): also time the HTTP upload (curl + token); 0: skip
#   BENCH_HTTP_MAX largest size also timed over HTTP (100000: keeps the
#                  default run under ten minutes)
#   BENCH_DIR      work dir: generated files (kept), cluster, logs (build/bench)
#   BENCH_PG_PORT  port of the throwaway cluster (5598)
#   BENCH_GEN      the file generator (tests/tools/gen-siecle.py)
#   BENCH_TIMEOUT  seconds one import may take before the run stops (600)
#   BENCH_PG_BUFFERS, BENCH_PG_WAL
#                  the cluster's shared_buffers (1GB) and max_wal_size (4GB)
#   BIN            the release binaries (bin; `make BIN=…` passes it on)
# Generated files are cached in BENCH_DIR (regenerated when the generator
# changes); the cluster and the daemons are stopped at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd -P)

BENCH_SIZES=${BENCH_SIZES:-"1000 100000 1000000"}
BENCH_HTTP=${BENCH_HTTP:-1}
BENCH_HTTP_MAX=${BENCH_HTTP_MAX:-100000}
BENCH_DIR=${BENCH_DIR:-build/bench}
BENCH_PG_PORT=${BENCH_PG_PORT:-5598}
BENCH_GEN=${BENCH_GEN:-tests/tools/gen-siecle.py}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-600}
BENCH_PG_BUFFERS=${BENCH_PG_BUFFERS:-1GB}
BENCH_PG_WAL=${BENCH_PG_WAL:-4GB}
BIN=${BIN:-bin}
PY=/usr/bin/python3
TICKS=$(getconf CLK_TCK)
CORES=$(nproc)
PG_BIN=/usr/lib/postgresql/15/bin
POLL_S=0.05

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd -P)
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
case "$BENCH_GEN" in /*) ;; *) BENCH_GEN="$ROOT/$BENCH_GEN" ;; esac
VAR="$BENCH_DIR/var"
LOGS="$BENCH_DIR/logs"
RES="$BENCH_DIR/results"
PGDIR="$BENCH_DIR/pg"
ORGACTL="$BIN/orgactl"
EMAIL=bench.http@ac-exemple.fr
PASSWORD=Bench2024pass

die() {
	echo "bench: $*" >&2
	exit 1
}

for b in orga mailer importer orgactl; do
	[[ -x "$BIN/$b" ]] || die "$BIN/$b missing (make all first)"
done
[[ -f "$BENCH_GEN" ]] ||
	die "$BENCH_GEN is missing: the benchmark needs the SIECLE file generator"
for n in $BENCH_SIZES; do
	[[ "$n" =~ ^[1-9][0-9]{0,6}$ ]] || die "BENCH_SIZES: '$n' is not 1..9999999"
done

# ---------------------------------------------------------------- helpers
declare -A PID=()
POLLER=

now() { echo "$EPOCHREALTIME"; }
# sub A B: B - A in seconds, 3 decimals.
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# calc EXPR: awk arithmetic.
calc() { awk "BEGIN { printf $1 }"; }

cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	[[ -n "$POLLER" ]] && kill "$POLLER" 2>/dev/null
	for p in importer mailer orga; do
		[[ -n "${PID[$p]:-}" ]] && kill -TERM "${PID[$p]}" 2>/dev/null
	done
	for p in importer mailer orga; do
		[[ -n "${PID[$p]:-}" ]] || continue
		for _ in $(seq 1 100); do
			kill -0 "${PID[$p]}" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "${PID[$p]}" 2>/dev/null || true
		wait "${PID[$p]}" 2>/dev/null || true
	done
	scripts/pg-local.sh stop "$PGDIR" || rc=1
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sql() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$DBURL" -c "$1"; }

# free_port: a TCP port nobody listens on now.
free_port() {
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_daemon() {
	local name=$1
	"$BIN/$name" >>"$LOGS/$name.log" 2>&1 &
	PID[$name]=$!
}

# hwm_reset: the daemons' peak RSS starts again from their current RSS.
hwm_reset() {
	local p
	for p in orga importer mailer; do
		echo 5 >"/proc/${PID[$p]}/clear_refs" ||
			die "cannot reset the peak RSS of $p (/proc/PID/clear_refs)"
	done
}

# busy_ticks: CPU time spent so far by every process of the machine, in
# clock ticks (/proc/stat: user, nice, system, irq, softirq, steal).
busy_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# hwm NAME: the daemon's peak RSS in MB.
hwm() {
	awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/${PID[$1]}/status"
}

# poll_job ORG AFTER OUT: record each status change of ORG's newest import
# job after job AFTER ("time status progress_bytes" lines) until it ends.
# One psql session.
poll_job() {
	local org=$1 after=$2 out=$3 last="" line st
	: >"$out"
	coproc PQ { "$PG_BIN/psql" -X -q -At "$DBURL" 2>/dev/null; }
	while :; do
		printf "SELECT coalesce((SELECT status || ' ' || progress_bytes FROM import_jobs WHERE organization_id = %s AND id > %s ORDER BY id DESC LIMIT 1), 'none 0');\n" \
		    "$org" "$after" >&"${PQ[1]}"
		IFS= read -r line <&"${PQ[0]}" || break
		st=${line%% *}
		if [[ "$st" != "$last" ]]; then
			echo "$(now) $line" >>"$out"
			last=$st
		fi
		case "$st" in done | failed | cancelled) break ;; esac
		sleep "$POLL_S"
	done
	kill "$PQ_PID" 2>/dev/null || true
}

# phases T0 T1 POLLFILE: "upload queue validate apply" seconds from the
# recorded status changes (start T0, client saw the end at T1).
phases() {
	awk -v t0="$1" -v t1="$2" '
	{ t[$2] = $1 }
	END {
		up = ("queued" in t) ? t["queued"] : (("validating" in t) ? t["validating"] : t0)
		va = ("validating" in t) ? t["validating"] : up
		ap = ("applying" in t) ? t["applying"] : va
		dn = ("done" in t) ? t["done"] : t1
		printf "%.2f %.2f %.2f %.2f", up - t0, va - up, ap - va, dn - ap
	}' "$3"
}

# gen N UAI FILE: generate (or reuse) the file of N students of UAI.
gen() {
	local n=$1 uai=$2 f=$3 stamp
	stamp="$(sha256sum "$BENCH_GEN" | cut -c1-16) $n $uai g1"
	if [[ -f "$f" && -f "$f.stamp" && "$(cat "$f.stamp")" == "$stamp" ]]; then
		return 0
	fi
	echo "  generating $n students -> $f"
	rm -f "$f" "$f.stamp"
	$PY "$BENCH_GEN" --students "$n" --uai "$uai" --seed 42 \
	    --encoding iso-8859-15 --groups --left 1 --not-arrived 1 \
	    --no-class 1 -o "$f.tmp" || die "the generator failed"
	mv "$f.tmp" "$f"
	echo "$stamp" >"$f.stamp"
}

# retarget SRC DST OLD NEW: DST is SRC with its UAJ OLD → NEW (same length).
retarget() {
	[[ -f "$2" && "$2" -nt "$1" ]] && return 0
	$PY - "$1" "$2.tmp" "$3" "$4" <<'EOF' || die "cannot copy $1"
import shutil, sys
src, dst, old, new = sys.argv[1:5]
shutil.copyfile(src, dst)
with open(dst, 'r+b') as f:
    head = f.read(65536)
    i = head.find(b'<UAJ>')
    j = head.find(old.encode(), i)
    if i < 0 or j < 0 or j - i > 64:
        sys.exit('no <UAJ>' + old + ' near the top')
    f.seek(j)
    f.write(new.encode())
EOF
	mv "$2.tmp" "$2"
}

# ---------------------------------------------------------------- setup
echo "== make bench: SIECLE import, sizes: $BENCH_SIZES (HTTP: $BENCH_HTTP, up to $BENCH_HTTP_MAX)"
echo "   machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   PostgreSQL 15: shared_buffers $BENCH_PG_BUFFERS, max_wal_size $BENCH_PG_WAL"
mkdir -p "$LOGS" "$RES"
rm -f "$LOGS"/*.log "$RES"/*

cc -O2 -std=gnu17 -Wall -Wextra -Werror -Iservices/importer \
    -o "$BENCH_DIR/expat_limit" bench/expat_limit.c \
    services/importer/siecle/encoding.c -lexpat ||
    die "cannot build expat_limit"

# http_size N: size N is also timed over HTTP.
http_size() { [[ "$BENCH_HTTP" == 1 ]] && (( $1 <= BENCH_HTTP_MAX )); }

declare -A FILE=() HFILE=() UAI=() HUAI=()
for n in $BENCH_SIZES; do
	UAI[$n]=$(printf '%07dB' "$n")
	HUAI[$n]=$(printf '%07dH' "$n")
	FILE[$n]="$BENCH_DIR/siecle-$n.xml"
	gen "$n" "${UAI[$n]}" "${FILE[$n]}"
	if http_size "$n"; then
		HFILE[$n]="$BENCH_DIR/siecle-$n-http.xml"
		retarget "${FILE[$n]}" "${HFILE[$n]}" "${UAI[$n]}" "${HUAI[$n]}"
	fi
done

scripts/pg-local.sh start "$PGDIR" "$BENCH_PG_PORT"
DBURL=$(scripts/pg-local.sh conninfo "$PGDIR" "$BENCH_PG_PORT")
# A server's settings, not initdb's laptop defaults (128 MB of buffers,
# a checkpoint every GB of WAL): a million learners' indexes then fit in
# memory. Applied by a restart when they changed.
if [[ "$(sql "SHOW shared_buffers")" != "$BENCH_PG_BUFFERS" ]]; then
	sql "ALTER SYSTEM SET shared_buffers = '$BENCH_PG_BUFFERS'"
	sql "ALTER SYSTEM SET max_wal_size = '$BENCH_PG_WAL'"
	scripts/pg-local.sh stop "$PGDIR"
	scripts/pg-local.sh start "$PGDIR" "$BENCH_PG_PORT"
fi
"$PG_BIN/dropdb" -h "$PGDIR/run" -p "$BENCH_PG_PORT" -U postgres --if-exists orga
"$PG_BIN/createdb" -h "$PGDIR/run" -p "$BENCH_PG_PORT" -U postgres orga

HTTP_ADDR="127.0.0.1:$(free_port)"
URL="http://$HTTP_ADDR"
rm -rf "$VAR"
mkdir -p "$VAR"
export ORGA_VAR="$VAR" DATABASE_URL="$DBURL" ORGA_HTTP_ADDR="$HTTP_ADDR"
export ORGA_LOG_LEVEL=info MAILER_POLL_MS=500
unset ORGA_RPC_URL MAILER_RPC_URL IMPORTER_RPC_URL SMTP_URL ORGA_PUBLIC_URL

start_daemon orga
for i in $(seq 1 100); do
	"$ORGACTL" health >/dev/null 2>&1 && break
	kill -0 "${PID[orga]}" 2>/dev/null || die "orga exited (log: $LOGS/orga.log)"
	(( i < 100 )) || die "orga not answering (log: $LOGS/orga.log)"
	sleep 0.1
done
start_daemon mailer
start_daemon importer
for i in $(seq 1 100); do
	curl -sf "$URL/healthz" >/dev/null && break
	(( i < 100 )) || die "stack not healthy: $(curl -s "$URL/healthz")"
	sleep 0.1
done

for n in $BENCH_SIZES; do
	"$ORGACTL" org create --uai "${UAI[$n]}" --name "Banc $n" \
	    --email "bench.$n@ac-exemple.fr" >/dev/null
done
if [[ "$BENCH_HTTP" == 1 ]]; then
	k=0
	for n in $BENCH_SIZES; do
		http_size "$n" || continue
		"$ORGACTL" org create --uai "${HUAI[$n]}" --name "Banc HTTP $n" \
		    --email "$EMAIL" >/dev/null
		k=$((k + 1))
	done
	if (( k > 0 )); then
		$PY bench/http_account.py --url "$URL" --mail-dir "$VAR/mail" \
		    --email "$EMAIL" --password "$PASSWORD" --expect "$k" ||
			die "cannot set up the HTTP account"
		TOKEN=$("$ORGACTL" token create --email "$EMAIL" --name bench \
		    2>/dev/null) || die "orgactl token create failed"
	fi
fi

org_id() { sql "SELECT id FROM organizations WHERE uai = '$1'"; }

# One untimed import of another school first: every size is then measured
# on daemons and database sessions that have already served an import.
WARM_UAI=0000001W
gen 100 "$WARM_UAI" "$BENCH_DIR/siecle-warmup.xml"
"$ORGACTL" org create --uai "$WARM_UAI" --name "Banc échauffement" \
    --email bench.warmup@ac-exemple.fr >/dev/null
"$ORGACTL" import --uai "$WARM_UAI" "$BENCH_DIR/siecle-warmup.xml" \
    >"$RES/out-warmup" 2>&1 || die "warm-up import failed: $(head -c 300 "$RES/out-warmup")"

# ---------------------------------------------------------------- runs
# run_import PATH N: one import, timed; appends a line to $RES/PATH. PATH:
# ctl (orgactl, a school's first import), again (the same file once more
# through orgactl: every learner compared, none changed), http.
# Returns 1 (after writing $RES/failed) when the import fails or times out.
run_import() {
	local path=$1 n=$2 uai file org t0 t1 c0 c1 job st bytes ph srv prev fail=""
	if [[ "$path" != http ]]; then
		uai=${UAI[$n]} file=${FILE[$n]}
	else
		uai=${HUAI[$n]} file=${HFILE[$n]}
	fi
	org=$(org_id "$uai")
	bytes=$(stat -c %s "$file")
	cat "$file" >/dev/null # from the page cache, like the limits
	prev=$(sql "SELECT coalesce(max(id), 0) FROM import_jobs WHERE organization_id = $org")
	hwm_reset
	poll_job "$org" "$prev" "$RES/poll-$path-$n" &
	POLLER=$!
	# The poller's psql starts before the clock does: its start-up would
	# otherwise take CPU from a small import.
	for _ in $(seq 1 100); do
		[[ -s "$RES/poll-$path-$n" ]] && break
		sleep 0.01
	done
	c0=$(busy_ticks)
	t0=$(now)
	if [[ "$path" != http ]]; then
		timeout "$BENCH_TIMEOUT" "$ORGACTL" import --uai "$uai" "$file" \
		    >"$RES/out-$path-$n" 2>&1 ||
			fail="orgactl import: $(head -c 300 "$RES/out-$path-$n")"
	elif ! curl -sS -X POST -T "$file" -H "Authorization: Bearer $TOKEN" \
	    -H "Content-Type: application/xml" --max-time "$BENCH_TIMEOUT" \
	    "$URL/api/organizations/$org/imports?confirm=true" \
	    >"$RES/out-$path-$n"; then
		fail="HTTP upload failed"
	elif ! job=$($PY -c 'import json,sys; print(json.load(sys.stdin)["id"])' \
	    <"$RES/out-$path-$n" 2>/dev/null); then
		fail="HTTP upload: $(head -c 300 "$RES/out-$path-$n")"
	else
		while :; do
			st=$(curl -sS -H "Authorization: Bearer $TOKEN" \
			    "$URL/api/organizations/$org/imports/$job" |
			    $PY -c 'import json,sys; print(json.load(sys.stdin)["status"])')
			case "$st" in
			done) break ;;
			failed | cancelled) fail="job $st"; break ;;
			esac
			if (( $(calc "\"%d\", ($(now) - $t0 > $BENCH_TIMEOUT)") )); then
				fail="still $st after ${BENCH_TIMEOUT}s"
				break
			fi
			sleep "$POLL_S"
		done
	fi
	t1=$(now)
	c1=$(busy_ticks)
	if [[ -n "$fail" ]]; then
		kill "$POLLER" 2>/dev/null || true
	fi
	wait "$POLLER" 2>/dev/null || true
	POLLER=
	ph=$(phases "$t0" "$t1" "$RES/poll-$path-$n")
	srv=$(sql "SELECT coalesce(round(extract(epoch FROM finished_at - created_at)::numeric, 2)::text, '-') FROM import_jobs WHERE organization_id = $org ORDER BY id DESC LIMIT 1")
	echo "$n $bytes $(sub "$t0" "$t1") $(calc "\"%.3f\", ($c1 - $c0) / $TICKS") $srv $ph $(hwm orga) $(hwm importer) $(hwm mailer) ${fail:+FAILED}" \
	    >>"$RES/$path"
	if [[ -n "$fail" ]]; then
		{
			echo "$path import of $n students FAILED after $(sub "$t0" "$t1") s: $fail"
			echo "   status changes (epoch status progress_bytes):"
			sed 's/^/     /' "$RES/poll-$path-$n"
		} >"$RES/failed"
		return 1
	fi
}

# least A B: the smaller of two seconds ("" counts as none).
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }

# limits N: expat alone on the file, then COPY of the imported rows; each
# the best of three runs (what the machine can do: the runs vary by a
# fifth on this kind of virtual machine).
limits() {
	local n=$1 org tsv t0 t1 ex rows exs="" cps="" i
	for i in 1 2 3; do
		ex=$("$BENCH_DIR/expat_limit" "${FILE[$n]}") ||
			die "expat_limit failed"
		exs=$(least "$exs" "$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$ex")")
	done
	org=$(org_id "${UAI[$n]}")
	tsv="$BENCH_DIR/rows-$n.tsv"
	sql "\\copy (SELECT 0::bigint, row_number() OVER (), eleve_id, elenoet, ine, last_name, usage_name, first_name, first_name2, first_name3, birth_date, sex, birth_country_code, birth_dept_code, birth_commune_code, birth_town, mef_code, status_code FROM learners WHERE organization_id = $org) TO '$tsv'"
	rows=$(wc -l <"$tsv")
	for i in 1 2 3; do
		sql "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_rows; CREATE UNLOGGED TABLE bench_rows (LIKE import_rows INCLUDING ALL)"
		t0=$(now)
		sql "\\copy bench_rows FROM '$tsv'"
		t1=$(now)
		cps=$(least "$cps" "$(sub "$t0" "$t1")")
	done
	sql "DROP TABLE bench_rows"
	rm -f "$tsv"
	# n expat_seconds copy_rows copy_seconds
	echo "$n $exs $rows $cps" >>"$RES/limits"
}

for n in $BENCH_SIZES; do
	echo "  importing $n students (orgactl)"
	run_import ctl "$n" || break
	echo "  importing the same $n students again (orgactl)"
	run_import again "$n" || break
	if http_size "$n"; then
		echo "  importing $n students (HTTP)"
		run_import http "$n" || break
	fi
	limits "$n"
done
: >>"$RES/ctl"
: >>"$RES/again"
: >>"$RES/http"
: >>"$RES/limits"

# ---------------------------------------------------------------- report
report() {
	local path=$1 title=$2
	echo
	echo "== $title"
	printf '%9s %8s %8s %9s %7s %6s | %6s %6s %6s %6s | %8s %8s %7s\n' \
	    students MB time_s students/s MB/s cpu_s upload queue valid apply \
	    orga_MB imp_MB mail_MB
	while read -r n bytes secs cpu srv up qu va ap ho hi hm failed; do
		printf '%9d %8.1f %8.2f %9.0f %7.1f %6.2f | %6.2f %6.2f %6.2f %6.2f | %8s %8s %7s %s\n' \
		    "$n" "$(calc "\"%f\", $bytes / 1e6")" "$secs" \
		    "$(calc "\"%f\", $n / $secs")" \
		    "$(calc "\"%f\", $bytes / 1e6 / $secs")" "$cpu" \
		    "$up" "$qu" "$va" "$ap" "$ho" "$hi" "$hm" "${failed:-}"
	done <"$RES/$path"
}

report ctl "end to end: orgactl import (upload over nng + validate + apply)"
[[ -s "$RES/again" ]] &&
	report again "the same file again: orgactl (every learner compared, none changed)"
[[ -s "$RES/http" ]] &&
	report http "end to end: HTTP upload (curl -T, bearer token, ?confirm=true) + validate + apply"
echo "   time_s: client wall time; cpu_s: CPU time of every process meanwhile"
echo "   (orgactl, daemons, PostgreSQL, this script's poller; /proc/stat), of"
echo "   $CORES cores; upload/queue/valid/apply: seconds in each job"
echo "   status (polled every ${POLL_S}s); *_MB: peak RSS (VmHWM) of each daemon"
echo "   during the import (reset before it through /proc/PID/clear_refs)."

echo
echo "== limits of this machine for the same file"
printf '%9s %8s | %10s %7s %12s | %10s %10s %12s\n' students MB \
    expat_s MB/s students/s copy_rows copy_s rows/s
while read -r n exs rows cps; do
	bytes=$(stat -c %s "${FILE[$n]}")
	printf '%9d %8.1f | %10.3f %7.1f %12.0f | %10d %10.3f %12.0f\n' \
	    "$n" "$(calc "\"%f\", $bytes / 1e6")" "$exs" \
	    "$(calc "\"%f\", $bytes / 1e6 / $exs")" "$(calc "\"%f\", $n / $exs")" \
	    "$rows" "$cps" "$(calc "\"%f\", $rows / $cps")"
done <"$RES/limits"
echo "   each the best of three runs. expat: empty handlers, ISO-8859-15"
echo "   through services/importer/siecle/encoding.c, 64 KiB reads; COPY: psql \\copy"
echo "   of the imported rows into an unlogged table LIKE import_rows (as the"
echo "   importer stages them)."

echo
echo "== goal: end-to-end throughput >= half of the slower limit"
while read -r n exs rows cps; do
	read -r _ _ secs cpu _ <<<"$(grep "^$n " "$RES/ctl")"
	slow=$(calc "\"%f\", (($exs > $cps) ? $exs : $cps)")
	ok=$(calc "\"%s\", ($secs <= 2 * $slow) ? \"yes\" : \"no\"")
	printf '%9d students: end to end %.2f s, slower limit %.2f s (%s) -> %s (%.0f%% of that limit, goal >= 50%%)\n' \
	    "$n" "$secs" "$slow" "$(calc "\"%s\", (($exs > $cps) ? \"expat\" : \"COPY\")")" \
	    "$ok" "$(calc "\"%f\", 100 * $slow / $secs")"
	# The CPU the import used bounds its wall time from below.
	printf '%9s           its processes used %.2f s of CPU: %.2f s at best on %d cores, %.0f%% of the limit at most\n' \
	    "" "$cpu" "$(calc "\"%f\", $cpu / $CORES")" "$CORES" \
	    "$(calc "\"%f\", ($cpu > 0) ? 100 * $slow * $CORES / $cpu : 0")"
done <"$RES/limits"

first=$(grep -v FAILED "$RES/ctl" | head -1 || true)
last=$(grep -v FAILED "$RES/ctl" | tail -1 || true)
read -r n1 _ _ _ _ _ _ _ _ _ i1 _ <<<"$first"
read -r n2 _ _ _ _ _ _ _ _ _ i2 _ <<<"$last"
echo
echo "== goal: importer memory flat (peak RSS, orgactl path)"
if [[ -z "$first" ]]; then
	echo "   no import completed"
elif [[ "$n1" == "$n2" ]]; then
	echo "   only one size ($n1): importer $i1 MB; needs two sizes"
else
	flat=$(calc "\"%s\", ($i2 <= $i1 + 8 || $i2 <= 1.5 * $i1) ? \"yes\" : \"no\"")
	printf '   %d students: %s MB, %d students: %s MB -> %s (flat: at most +8 MB or x1.5; %+.0f bytes/student)\n' \
	    "$n1" "$i1" "$n2" "$i2" "$flat" \
	    "$(calc "\"%f\", ($i2 - $i1) * 1048576 / ($n2 - $n1)")"
fi
echo
echo "   raw results and daemon logs: $RES, $LOGS"
if [[ -f "$RES/failed" ]]; then
	echo
	echo "== FAILED"
	cat "$RES/failed"
	exit 1
fi
