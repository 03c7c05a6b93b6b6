#!/usr/bin/env bash
# rerun.t: an insert procedure run twice on committed tables, from the
# command line, as a DBA would (DESIGN.md "Idempotency"; docs/specs.md
# "rerun"): the worked example ("insert_missing" by ORIGSMMQUOTATIONRECID)
# run twice gives the same row count, and a concurrent second call waits for
# the first and then inserts nothing; a spec without a key refuses a second
# call (also a concurrent one) unless p_force => true; a mistyped company or
# number sequence is an error.  Needs the throwaway cluster (PG* set).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
cd "$TOP"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"

db=upkit_insert_rerun
tmp=$(mktemp -d)
bpid=
cleanup() {
  [ -n "$bpid" ] && kill "$bpid" 2>/dev/null || true
  rm -rf "$tmp"
  psql -qAtX -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
export PGDATABASE=$db PGOPTIONS="-c client_min_messages=warning"
psql -qAtX -v ON_ERROR_STOP=1 -v rows=300 -c "CREATE EXTENSION upkit" -f sql/demo/salesquotation-fixture.sql >/dev/null
sed -e '/"rerun"/d' -e 's/"INITFROMSMMQUOTATIONTABLE"/"INIT_RECORD"/' sql/demo/specs/salesquotation.json > "$tmp/record.json"
"$UPKIT" install --dialect pg sql/demo/specs/salesquotation.json "$tmp/record.json" >/dev/null
q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
rows() { q "SELECT count(*) || '/' || count(DISTINCT origsmmquotationrecid) FROM salesquotationtable WHERE dataareaid = '$1'"; }

plan 16

# waits_on_lock SQL-PREFIX: 1 once a session running it waits on a lock.
waits_on_lock() {
  local n like=${1//\'/\'\'}
  for _ in $(seq 1 300); do
    n=$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
             AND wait_event_type = 'Lock' AND query LIKE '$like%'")
    [ "$n" = 1 ] && { echo 1; return; }
    sleep 0.1
  done
  echo 0
}

# insert_missing, one call after the other
run psql -qAtX -c "CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N')"
is "$out" 90 "insert_missing: the first call inserts dat's 90 rows"
run psql -qAtX -c "CALL public.initfromsmmquotationtable('dat', 'SALESQUOT', 'N')"
is "$out" 0 "... a second call inserts 0"
is "$(rows dat)" "90/90" "... so there are 90 rows, each source row once"

# insert_missing, two calls at once: the second waits, then finds nothing to do
coproc A { psql -qAtX -v ON_ERROR_STOP=1; }
echo "BEGIN; CALL public.initfromsmmquotationtable('usmf', 'SALESQUOT', 'N');" >&"${A[1]}"
read -r -t 60 a_rows <&"${A[0]}" || a_rows="(no answer)"
is "$a_rows" 90 "session A inserts usmf's 90 rows and keeps its transaction open"
psql -qAtX -c "CALL public.initfromsmmquotationtable('usmf', 'SALESQUOT', 'N')" > "$tmp/b.out" 2> "$tmp/b.err" &
bpid=$!
is "$(waits_on_lock "CALL public.initfromsmmquotationtable('usmf'")" 1 "session B's call for usmf waits for A"
echo "COMMIT;" >&"${A[1]}"
exec {A[1]}>&-
wait "$bpid" || true
bpid=
is "$(cat "$tmp/b.out")|$(cat "$tmp/b.err")" "0|" "after A commits, B inserts 0 rows, without an error"
is "$(rows usmf)" "90/90" "... and usmf has each source row once"

# no key: recorded calls
run psql -qAtX -c "CALL public.init_record('dat', 'SALESQUOT', 'N')"
is "$out" 90 "record: the first call inserts 90 rows"
nextrec=$(q "SELECT nextrec FROM numbersequencetable WHERE dataareaid = 'dat'")
run psql -qAtX -v ON_ERROR_STOP=1 -c "CALL public.init_record('dat', 'SALESQUOT', 'N')"
like "$err" "ERROR:  public.init_record: already called for company \"dat\" \(1 successful call\(s\), the last at .* by .*, inserting 90 rows\); nothing was inserted" \
     "record: a second call is refused with a clear error"
like "$err" "HINT:  .*call it with p_force => true" "... whose hint names p_force"
is "$(rows dat)|$(q "SELECT nextrec FROM numbersequencetable WHERE dataareaid = 'dat'")" "180/90|$nextrec" \
   "... and nothing was inserted or reserved"
run psql -qAtX -c "CALL public.init_record('dat', 'SALESQUOT', 'N', p_force => true)"
is "$out|$(rows dat)" "90|270/90" "p_force => true inserts the rows again, on purpose"

# no key, two calls at once: the second waits, then is refused
coproc C { psql -qAtX -v ON_ERROR_STOP=1; }
echo "BEGIN; CALL public.init_record('demf', 'SALESQUOT', 'N');" >&"${C[1]}"
read -r -t 60 c_rows <&"${C[0]}" || c_rows="(no answer)"
psql -qAtX -c "CALL public.init_record('demf', 'SALESQUOT', 'N')" > "$tmp/d.out" 2> "$tmp/d.err" &
bpid=$!
is "$c_rows|$(waits_on_lock "CALL public.init_record('demf'")" "90|1" "record: a concurrent second call for demf waits for the first"
echo "COMMIT;" >&"${C[1]}"
exec {C[1]}>&-
wait "$bpid" || true
bpid=
like "$(cat "$tmp/d.err")" "already called for company \"demf\"" "... and is refused once the first commits"

# a company or number sequence that does not exist
run psql -qAtX -v ON_ERROR_STOP=1 -c "CALL public.initfromsmmquotationtable('DAT', 'SALESQUOT', 'N')"
like "$err" "company \"DAT\" does not exist in public.dataarea" "a mistyped company is an error, not 0 rows"
run psql -qAtX -v ON_ERROR_STOP=1 -c "CALL public.initfromsmmquotationtable('dat', 'SALESQUOTE', 'N')"
like "$err" "number sequence \"SALESQUOTE\" of company \"dat\" does not exist" "a mistyped number sequence is an error, also when no row is left to insert"
done_testing
