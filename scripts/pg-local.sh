#!/bin/bash
# pg-local.sh - a project-local PostgreSQL 15 cluster in a directory, with
# TCP turned off and its Unix socket in DIR/run (used by `make run` and the
# tests). initdb refuses root, so as root the cluster belongs to `postgres`.
#
#   scripts/pg-local.sh start DIR PORT     initdb if needed, start, create db orga
#   scripts/pg-local.sh stop DIR           fast shutdown (no error if stopped)
#   scripts/pg-local.sh conninfo DIR PORT  print the libpq conninfo
#
# Prints nothing but errors; exits non-zero with a message on failure.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_USER=postgres   # the database superuser (and the system user as root)
DB_NAME=orga

die() {
	echo "pg-local: $*" >&2
	exit 1
}

usage() {
	cat >&2 <<'EOF'
usage: scripts/pg-local.sh start DIR PORT
       scripts/pg-local.sh stop DIR
       scripts/pg-local.sh conninfo DIR PORT
EOF
	exit 2
}

# abspath DIR: DIR made absolute without requiring it to exist.
abspath() {
	case "$1" in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd -P)" "${1#./}" ;;
	esac
}

check_port() {
	if [[ ! "$1" =~ ^[0-9]{1,5}$ ]] || (( 10#$1 < 1 || 10#$1 > 65535 )); then
		die "invalid port '$1'"
	fi
}

# as_owner CMD...: run CMD as the cluster's system user (postgres when we
# are root, ourselves otherwise).
as_owner() {
	if (( EUID == 0 )); then
		runuser -u "$PG_USER" -- "$@"
	else
		"$@"
	fi
}

# make_traversable DIR: as root, give `postgres` search permission on
# every ancestor of DIR (initdb and the server must reach DIR).
make_traversable() {
	local p="$1"

	if runuser -u "$PG_USER" -- test -x "$p" 2>/dev/null; then
		return 0
	fi
	while [[ "$p" != "/" ]]; do
		p=$(dirname "$p")
		chmod o+x "$p" || die "cannot make $p traversable by $PG_USER"
	done
}

cmd_start() {
	local dir port sock log
	dir=$(abspath "$1")
	port="$2"
	check_port "$port"
	sock="$dir/run"
	log="$dir/server.log"
	# pg_ctl -o splits on spaces.
	[[ ! "$dir" =~ [[:space:]] ]] ||
		die "DIR must not contain white space: $dir"
	# A Unix socket path holds at most 107 bytes.
	(( ${#sock} + 18 <= 107 )) ||
		die "socket path too long: $sock (use a shorter DIR)"
	[[ -x "$PG_BIN/initdb" ]] ||
		die "PostgreSQL 15 not found in $PG_BIN (apt-get install postgresql-15)"

	mkdir -p "$dir/run" || die "cannot create $dir"
	if (( EUID == 0 )); then
		getent passwd "$PG_USER" >/dev/null ||
			die "system user $PG_USER missing (apt-get install postgresql-15)"
		chown "$PG_USER:" "$dir" "$dir/run" ||
			die "cannot chown $dir to $PG_USER"
		make_traversable "$dir"
	fi

	if [[ ! -f "$dir/data/PG_VERSION" ]]; then
		if [[ -e "$dir/data" ]]; then
			rm -rf "$dir/data" || die "cannot remove incomplete $dir/data"
		fi
		if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$PG_USER" \
		    -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
			cat "$dir/initdb.log" >&2
			die "initdb failed in $dir/data"
		fi
	fi

	if ! as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		if ! as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
		    -o "-c listen_addresses= -k $sock -p $port" start \
		    >/dev/null 2>&1; then
			tail -n 20 "$log" >&2 2>/dev/null || true
			die "PostgreSQL did not start (log: $log)"
		fi
	fi

	local i
	for i in $(seq 1 100); do
		if "$PG_BIN/pg_isready" -q -h "$sock" -p "$port" -U "$PG_USER"; then
			break
		fi
		(( i < 100 )) || die "PostgreSQL not ready on $sock port $port (log: $log)"
		sleep 0.1
	done

	local have
	have=$("$PG_BIN/psql" -X -q -t -A -h "$sock" -p "$port" -U "$PG_USER" \
	    -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ||
		die "cannot query the cluster on $sock port $port"
	if [[ "$have" != "1" ]]; then
		"$PG_BIN/createdb" -h "$sock" -p "$port" -U "$PG_USER" "$DB_NAME" ||
			die "cannot create database $DB_NAME"
	fi
}

cmd_stop() {
	local dir
	dir=$(abspath "$1")
	[[ -f "$dir/data/PG_VERSION" ]] || return 0
	if ! as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		return 0
	fi
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 stop -m fast \
	    >/dev/null || die "PostgreSQL in $dir/data did not stop"
}

cmd_conninfo() {
	local dir
	dir=$(abspath "$1")
	check_port "$2"
	printf 'host=%s/run port=%s user=%s dbname=%s\n' "$dir" "$2" \
	    "$PG_USER" "$DB_NAME"
}

case "${1:-}" in
start) (( $# == 3 )) || usage; cmd_start "$2" "$3" ;;
stop) (( $# == 2 )) || usage; cmd_stop "$2" ;;
conninfo) (( $# == 3 )) || usage; cmd_conninfo "$2" "$3" ;;
*) usage ;;
esac
