#!/usr/bin/env bash
# delta_state.t: upkit copy and an affected table whose readiness comes from
# upkit.delta_state (no "ready" function in the mapping file): refused,
# naming why, while the source has no row for its shadow and while a row
# says not ready_to_copy; copied, joined with its shadow, once every row
# says ready.  (tests/runner/copy.t does the same through upkit run, with the
# rows a real delta procedure writes.)
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
SRC=upkit_copy_ds_src DST=upkit_copy_ds_dst
export PGOPTIONS="-c client_min_messages=warning"
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
cleanup() { for d in $SRC $DST; do psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true; done; rm -rf "$tmp"; }
tmp=$(mktemp -d)
trap cleanup EXIT
plan 8

for d in $SRC $DST; do
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" -c "CREATE DATABASE $d" >/dev/null
done
q $SRC "CREATE EXTENSION upkit; SET search_path = public;
        CREATE TABLE custtable (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, name varchar(60));
        CREATE TABLE upg_custtable (refrecid bigint NOT NULL, refdataareaid varchar(4) NOT NULL, recversionid integer, name varchar(60));
        INSERT INTO custtable VALUES (1, 'dat', 'old 1'), (2, 'dat', 'old 2'), (3, 'ceu', 'old 3');
        INSERT INTO upg_custtable VALUES (1, 'dat', 1, 'NEW 1'), (3, 'ceu', 1, 'NEW 3')"
q $DST "CREATE EXTENSION upkit; CREATE TABLE public.custtable (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, name varchar(60))"
cat > "$tmp/map.json" <<'JSON'
{"tables": [{"table": "CUSTTABLE", "shadow": {"table": "UPG_CUSTTABLE", "join": "left"}}]}
JSON
copy() { "$UPKIT" copy --source "dbname=$SRC" --target "dbname=$DST" -m "$tmp/map.json" "$@"; }
state() {
  q $SRC "INSERT INTO upkit.delta_state (shadow_table, dataareaid, source_table, new_rows, updated_rows, deleted_rows,
                                         changed_at, ready_to_copy, last_run_at)
          VALUES ('public.upg_custtable', '$1', 'public.custtable', 0, 0, 0, now(), $2, now())
          ON CONFLICT (shadow_table, dataareaid) DO UPDATE SET ready_to_copy = EXCLUDED.ready_to_copy"
}

run copy
like "$rc $err" "^1 .*custtable: not copied: not ready for copy: upkit.delta_state has no row for public.upg_custtable: no delta run has completed" \
     "no delta state row: refused, saying why"
state dat true
state ceu false
run copy
like "$rc $err" "^1 .*custtable: not copied: not ready for copy: upkit.delta_state: the latest delta run of public.upg_custtable changed something \(company ceu\)" \
     "a company not ready_to_copy: refused, naming it"
is "$(q $DST "SELECT count(*) FROM custtable") $(q $DST "SELECT count(*) FROM upkit.copy_ledger")" "0 0" "nothing copied, no ledger row"
run copy --explain
like "$out" "error: not ready for copy: upkit.delta_state: the latest delta run of public.upg_custtable changed something \(company ceu\)" "--explain shows the same"
state ceu true
run copy --explain
like "$out" "affected: shadow upg_custtable, LEFT JOIN; upkit.delta_state: every company of public.upg_custtable ready_to_copy" "every company ready: --explain says how it was decided"
run copy
is "$rc" 0 "copied once the delta state says ready"
is "$(q $DST "SELECT string_agg(recid || ':' || name, ' ' ORDER BY recid) FROM custtable")" "1:NEW 1 2:old 2 3:NEW 3" \
   "joined with its shadow (LEFT JOIN: the shadow's NAME where there is a row)"
run copy
is "$rc:$(q $DST "SELECT count(*) FROM custtable")" "0:3" "a second copy copies nothing twice"
