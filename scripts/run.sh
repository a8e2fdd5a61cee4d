#!/bin/bash
# run.sh - `make run`: the whole Orga stack on this machine. Starts a
# project-local PostgreSQL (unless DATABASE_URL is set), the three daemons,
# a demo school with a pending invitation, prints its link, then waits;
# Ctrl-C or SIGTERM stops everything cleanly.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd -P)

ORGA_VAR=${ORGA_VAR:-var}
case "$ORGA_VAR" in /*) ;; *) ORGA_VAR="$ROOT/${ORGA_VAR#./}" ;; esac
ORGA_HTTP_ADDR=${ORGA_HTTP_ADDR:-127.0.0.1:8080}
export ORGA_VAR ORGA_HTTP_ADDR

PG_PORT=5499
HEALTH_TIMEOUT=30
DEMO_UAI=0123456A
DEMO_NAME="Lycée Pix (démo)"
DEMO_EMAIL=ce.0123456A@ac-exemple.fr
DAEMONS=(orga mailer importer)
# The local GAR (bin/gar-idp) stands in for the real one unless
# GAR_IDP_METADATA points at real metadata: its keys and both metadata
# files are made in $ORGA_VAR/gar by scripts/gar-dev-keys.sh.
LOCAL_GAR=0
if [[ -z "${GAR_IDP_METADATA:-}" ]]; then
	LOCAL_GAR=1
	GAR_IDP_ADDR=${GAR_IDP_ADDR:-127.0.0.1:8081}
	GAR_IDP_METADATA="$ORGA_VAR/gar/idp-metadata.xml"
	export GAR_IDP_ADDR GAR_IDP_METADATA
	DAEMONS+=(gar-idp)
fi
LOG_DIR="$ORGA_VAR/log"
URL="http://$ORGA_HTTP_ADDR"
ORGACTL="$ROOT/bin/orgactl"

declare -A PIDS=()
PG_STARTED=0
STOP=0

# Output never stops the script: a closed terminal or pipe must not keep
# it from stopping the daemons and PostgreSQL.
say() { printf '%s\n' "$*" 2>/dev/null || true; }
warn() { printf 'run: %s\n' "$*" >&2 2>/dev/null || true; }

# stop_all: SIGTERM every daemon we started, wait for each (SIGKILL after
# 15 s), then stop the embedded PostgreSQL.
stop_all() {
	local name pid
	set +e
	trap - INT TERM HUP EXIT
	for name in "${DAEMONS[@]}"; do
		pid=${PIDS[$name]:-}
		if [[ -n "$pid" ]]; then
			kill -TERM "$pid" 2>/dev/null
		fi
	done
	for name in "${DAEMONS[@]}"; do
		pid=${PIDS[$name]:-}
		[[ -n "$pid" ]] || continue
		for _ in $(seq 1 150); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			warn "$name (pid $pid) ne s'arrête pas : SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
		unset "PIDS[$name]"
	done
	if (( PG_STARTED )); then
		"$ROOT/scripts/pg-local.sh" stop "$ORGA_VAR/pg" ||
			warn "PostgreSQL ($ORGA_VAR/pg) ne s'est pas arrêté proprement"
		PG_STARTED=0
	fi
}

on_exit() {
	local rc=$?
	stop_all
	exit "$rc"
}
trap on_exit EXIT
trap 'STOP=1' INT TERM HUP
trap '' PIPE

# show_log NAME: the end of a daemon's log, to explain a failure.
show_log() {
	say "--- fin de $LOG_DIR/$1.log ---" >&2
	tail -n 15 "$LOG_DIR/$1.log" >&2 2>/dev/null || true
	say "---" >&2
}

# check_alive: fail when a daemon we started has exited.
check_alive() {
	local name
	for name in "${DAEMONS[@]}"; do
		[[ -n "${PIDS[$name]:-}" ]] || continue
		if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
			warn "$name s'est arrêté de façon inattendue"
			show_log "$name"
			unset "PIDS[$name]"
			return 1
		fi
	done
	return 0
}

# start_daemon NAME: in its own session, so Ctrl-C reaches only this
# script, which then stops the daemons in order.
start_daemon() {
	local name=$1
	printf '\n=== %s %s ===\n' "$(date '+%F %T')" "$name" >>"$LOG_DIR/$name.log"
	(trap - PIPE; exec setsid "$ROOT/bin/$name" >>"$LOG_DIR/$name.log" 2>&1 </dev/null) &
	PIDS[$name]=$!
}

for name in "${DAEMONS[@]}"; do
	if [[ ! -x "$ROOT/bin/$name" ]]; then
		warn "bin/$name manque : lancez \`make run\` (qui compile) plutôt que ce script seul"
		exit 1
	fi
done
[[ -x "$ORGACTL" ]] || { warn "bin/orgactl manque : lancez \`make\`"; exit 1; }
command -v curl >/dev/null || { warn "curl manque (apt-get install curl)"; exit 1; }

mkdir -p "$ORGA_VAR/run" "$ORGA_VAR/mail" "$LOG_DIR"

if [[ -z "${DATABASE_URL:-}" ]]; then
	say "PostgreSQL embarqué : $ORGA_VAR/pg (port $PG_PORT, socket seulement)"
	PG_STARTED=1
	"$ROOT/scripts/pg-local.sh" start "$ORGA_VAR/pg" "$PG_PORT"
	DATABASE_URL=$("$ROOT/scripts/pg-local.sh" conninfo "$ORGA_VAR/pg" "$PG_PORT")
	export DATABASE_URL
else
	say "PostgreSQL : DATABASE_URL donné, pas de cluster embarqué"
fi

if (( LOCAL_GAR )); then
	"$ROOT/scripts/gar-dev-keys.sh" "$ORGA_VAR/gar"
fi

# orga first: it applies the migrations the others rely on.
start_daemon orga
deadline=$(( SECONDS + HEALTH_TIMEOUT ))
until "$ORGACTL" health >/dev/null 2>&1; do
	check_alive || exit 1
	(( STOP )) && exit 130
	if (( SECONDS >= deadline )); then
		warn "orga ne répond pas à ses RPC après ${HEALTH_TIMEOUT} s"
		show_log orga
		exit 1
	fi
	sleep 0.2
done
start_daemon mailer
start_daemon importer
if (( LOCAL_GAR )); then
	start_daemon gar-idp
fi

say "Attente de $URL/healthz (au plus ${HEALTH_TIMEOUT} s)…"
body=""
code=""
deadline=$(( SECONDS + HEALTH_TIMEOUT ))
while :; do
	check_alive || exit 1
	(( STOP )) && exit 130
	code=$(curl -s -m 3 -o "$ORGA_VAR/run/healthz.json" -w '%{http_code}' \
	    "$URL/healthz" 2>/dev/null || true)
	[[ "$code" == "200" ]] && break
	if (( SECONDS >= deadline )); then
		body=$(cat "$ORGA_VAR/run/healthz.json" 2>/dev/null || true)
		warn "$URL/healthz ne répond pas 200 après ${HEALTH_TIMEOUT} s (code : ${code:-aucun})"
		if [[ -n "$body" ]]; then
			failing=$(grep -o '"[a-z_]*" *: *false' <<<"$body" |
			    cut -d'"' -f2 | tr '\n' ' ' || true)
			warn "réponse : $body"
			[[ -n "$failing" ]] && warn "ne répondent pas : $failing"
		fi
		for name in "${DAEMONS[@]}"; do show_log "$name"; done
		exit 1
	fi
	sleep 0.5
done
rm -f "$ORGA_VAR/run/healthz.json"

# The demo school: created once, re-invited while nobody has joined.
# The assessment content: the repository's bundle, once (later versions
# are an operator's `orgactl content publish`).
if [[ -d content ]] && "$ORGACTL" content show 2>/dev/null |
    grep -q '^Aucun contenu publié'; then
	out=$("$ORGACTL" content publish content 2>&1) ||
		warn "le contenu des évaluations n'a pas pu être publié : $out"
fi

demo_out=""
demo_note=""
if show=$("$ORGACTL" org show --uai "$DEMO_UAI" 2>/dev/null); then
	if grep -q '^Membres : aucun' <<<"$show"; then
		demo_out=$("$ORGACTL" org invite --uai "$DEMO_UAI" \
		    --email "$DEMO_EMAIL" 2>&1) ||
			warn "l'invitation de démo n'a pas pu être renvoyée : $demo_out"
	else
		demo_note="L'établissement de démo a déjà un membre : connectez-vous sur $URL"
	fi
else
	demo_out=$("$ORGACTL" org create --uai "$DEMO_UAI" --name "$DEMO_NAME" \
	    --email "$DEMO_EMAIL" 2>&1) ||
		warn "l'établissement de démo n'a pas pu être créé : $demo_out"
fi
link=$(grep -Eo 'https?://[^[:space:]]+' <<<"$demo_out" | head -n 1 || true)

if [[ -n "${SMTP_URL:-}" ]]; then
	mail_where="envoyés par ${SMTP_URL%%\?*}"
else
	mail_where="écrits dans $ORGA_VAR/mail/ (fichiers .eml ; SMTP_URL non défini)"
fi

say ""
say "=================================================================="
say " Orga tourne : ${ORGA_PUBLIC_URL:-$URL}"
say " Établissement de démo : $DEMO_NAME, UAI $DEMO_UAI"
if [[ -n "$link" ]]; then
	say " Pour l'activer, ouvrez ce lien d'invitation (envoyé à $DEMO_EMAIL) :"
	say ""
	say "   $link"
	say ""
elif [[ -n "$demo_note" ]]; then
	say " $demo_note"
else
	say " Pas de lien d'invitation à afficher (voir le message plus haut) ;"
	say " le dernier e-mail d'invitation le contient."
fi
say " E-mails : $mail_where"
if (( LOCAL_GAR )); then
	say " GAR de démonstration (connexion des élèves) : http://$GAR_IDP_ADDR"
fi
say " Journaux : $LOG_DIR/{orga,mailer,importer,gar-idp}.log"
say " Outil d'exploitation : ORGA_VAR=$ORGA_VAR bin/orgactl --help"
say " Ctrl-C pour tout arrêter."
say "=================================================================="

while (( ! STOP )); do
	check_alive || exit 1
	sleep 1 &
	wait $! || true
done
say ""
say "Arrêt d'Orga…"
stop_all
say "Orga est arrêté."
