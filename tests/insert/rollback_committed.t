#!/usr/bin/env bash
# The generated insert procedure on committed AX tables (as in a real upgrade
# database, not created in the test's transaction): a failure on a late row
# leaves the target, SYSTEMSEQUENCES and NUMBERSEQUENCETABLE as they were,
# with and without the shared RECID cache; the next call succeeds from the
# same NEXTVAL and NEXTREC.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
. "$TOP/tests/reserve/lib.sh"
plan 16
db=upkit_insert_rollback
trap 'restore_cluster; psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
# q SQL: one value from the test database (replaces lib.sh's q DB SQL).
q() { psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "$1"; }
state() {
  q "SELECT (SELECT count(*) FROM salesquotationtable) || '/' ||
            (SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY recid)), '-') FROM salesquotationtable t) || '/' ||
            (SELECT nextval FROM systemsequences WHERE id = -1 AND tabid = 1967) || '/' ||
            (SELECT nextrec FROM numbersequencetable WHERE dataareaid = 'dat' AND numbersequence = 'SALESQUOT')"
}

for preload in "$PRELOAD_WITHOUT" "$PRELOAD_WITH"; do
  label="without preload"; [ "$preload" = "$PRELOAD_WITH" ] && label="with preload"
  restart_cluster "$preload" >/dev/null
  psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  q "CREATE EXTENSION upkit" >/dev/null
  PGOPTIONS="-c client_min_messages=warning" psql -qAtX -v ON_ERROR_STOP=1 -v rows=300 -d $db -f "$TOP/sql/demo/salesquotation-fixture.sql" >/dev/null
  PGDATABASE=$db "$UPKIT" install --dialect pg --no-runtime "$TOP/sql/demo/specs/salesquotation.json" >/dev/null
  q "ALTER TABLE salesquotationtable ADD CONSTRAINT no_bad CHECK (custaccount <> 'BAD')"
  q "UPDATE del_smmquotationtable SET custaccount = 'BAD' WHERE recid = (SELECT max(recid) FROM del_smmquotationtable WHERE dataareaid = 'dat' AND quotationstatus <> 4)"
  # A table without a SYSTEMSEQUENCES row: a failed run leaves it without
  # one (issue 8, item 5: the row used to be committed by a worker).
  q "DELETE FROM systemsequences WHERE tabid = 1967" >/dev/null
  run psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N')"
  is "$rc" 1 "$label: the call fails on a table without a SYSTEMSEQUENCES row too"
  is "$(q "SELECT count(*) FROM systemsequences WHERE tabid = 1967")" 0 \
     "$label: and leaves the table without a SYSTEMSEQUENCES row, exactly as it was"
  # Something else reserves RECIDs of the table first, so the shared cache
  # (when preloaded) holds a block of it while the procedure runs.
  q "SELECT upkit.reserve_recids(1967, 5)" >/dev/null
  before=$(state)

  run psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N')"
  is "$rc" 1 "$label: a check violation on the last row fails the call"
  like "$err" "no_bad" "$label: the error names the violated constraint"
  is "$(state)" "$before" "$label: target rows, SYSTEMSEQUENCES.NEXTVAL and NEXTREC are as they were"

  q "UPDATE del_smmquotationtable SET custaccount = 'C1' WHERE custaccount = 'BAD'"
  nextval=$(q "SELECT nextval FROM systemsequences WHERE id = -1 AND tabid = 1967")
  run psql -qAtX -v ON_ERROR_STOP=1 -d $db -c "CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N')"
  is "$rc" 0 "$label: the call succeeds once the data is fixed"
  is "$(q "SELECT min(recid) FROM salesquotationtable")" "$nextval" "$label: it numbers RECIDs from the NEXTVAL the failure left alone"
  # Nothing the cache handed out before overlaps the procedure's range.
  cached=$(q "SELECT upkit.reserve_recids(1967, 1)")
  is "$(q "SELECT count(*) FROM salesquotationtable WHERE recid = $cached")" "0" \
     "$label: a RECID reserve_recids hands out afterwards ($cached) is not in the target"
done
