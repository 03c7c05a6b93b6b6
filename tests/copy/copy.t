#!/usr/bin/env bash
# copy.t: upkit copy between two databases of the throwaway cluster
# (tests/fixtures/copy: every mapping rule, option, exception, join type, a
# type mismatch, a non-empty target, a table not ready for copy): the
# explain report and its exit status, --json, the copy itself and what it
# wrote, a harmless re-run, a changed mapping refused, the mapping file's
# problems, usage errors; then a copier killed in the middle of a table and
# the resume (no row twice, none lost: counts and a hash).
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
: "${PGHOST:?run through tests/harness/with-cluster.sh}"
FIX="$TOP/tests/fixtures/copy"
SRC=upkit_copy_src DST=upkit_copy_dst
q() { psql -qAtX -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
fresh() {
  for d in $SRC $DST; do
    psql -qAtX -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d" >/dev/null
  done
  psql -qX -v ON_ERROR_STOP=1 -d $SRC -f "$FIX/source.sql" >/dev/null
  psql -qX -v ON_ERROR_STOP=1 -d $DST -c "CREATE EXTENSION upkit" -f "$FIX/target.sql" >/dev/null
}
# wait_until DB SQL VALUE: poll a state (never a time) until SQL gives VALUE; give up after 60 s.
wait_until() {
  for _ in $(seq 600); do [ "$(q "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
  diag "gave up waiting for: $2 = $3"; return 1
}
copy() { "$UPKIT" copy --source "dbname=$SRC" --target "dbname=$DST" "$@"; }
plan 48

fresh
# ---- explain ----
run copy -m "$FIX/mapping.json" --explain
is "$rc" 1 "--explain exits 1 when a table cannot be copied"
like "$out" "public.custtable -> public.custtable  \[same name\]  to copy" "same name"
like "$out" "public.oldtable -> public.newtable  \[special mapping\]" "special table mapping"
like "$out" "public.inventtrans -> public.del_inventtrans  \[DEL_ prefix\]" "DEL_ prefix"
like "$out" "public.renamedtab -> public.movedtab  \[table id\]" "table id through SQLDICTIONARY"
like "$out" "public.orphan  \[mapping error\]  refused" "no target: mapping error"
like "$out" "error: source field amount is numeric\(12,2\), target field amount is numeric\(10,2\)" "type mismatch names both types"
like "$out" "error: target table prefilled is not empty" "non-empty target without TRUNCATEONCOPY"
like "$out" "exception TRUNCATEONCOPY" "table exception TRUNCATEONCOPY shown"
like "$out" "public.tmpdata  \[not copied \(DONOTCOPY\)\]" "table exception DONOTCOPY"
like "$out" "accountnum +-> accountnum +same name, LTRIM" "field option LTRIM"
like "$out" "memo +not copied: field option DONOTCOPY" "field option DONOTCOPY"
like "$out" "oldgroup +-> newgroup +field mapping" "special field mapping"
like "$out" "name +-> name +shadow upg_custtable.name \(replaces source field name\)" "shadow field replaces the source field"
like "$out" "affected: shadow shd_inner, JOIN;" "join type JOIN (default)"
like "$out" "affected: shadow upg_custtable, LEFT JOIN; public.upg_delta_custtable_ready is true for every company" "LEFT JOIN, ready by NAME_ready per company"
like "$out" "error: not ready for copy: public.notready_ready is false for 'ceu'" "not ready for copy: refused, naming the company"
like "$out" "14 tables: 4 cannot be copied" "the count of tables that cannot be copied"
run copy -m "$FIX/mapping.json" --explain --json
is "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["cannot_copy"], [t["rule"] for t in d["tables"] if t["source"]=="renamedtab"][0], [f["error"] for t in d["tables"] if t["source"]=="badtype" for f in t["fields"] if f["error"]][0])' <<<"$out")" \
   "4 table id source field amount is numeric(12,2), target field amount is numeric(10,2)" "--json: the same report for tools"
is "$(q $DST "SELECT count(*) FROM custtable") $(q $DST "SELECT count(*) FROM upkit.copy_ledger")" "1 0" "--explain copies nothing and writes no ledger row"

# ---- the copy ----
run copy -m "$FIX/mapping.json" --jobs 3
is "$rc" 1 "the copy exits 1 when a table was refused"
like "$err" "upkit: notready: not copied: not ready for copy" "a refused table is named on stderr"
like "$out" "custtable +custtable +10 .* copied" "summary: custtable copied"
is "$(q $DST "SELECT string_agg(accountnum || '/' || name || '/' || coalesce(custgroup, '-') || '/' || newgroup, ' ' ORDER BY recid) FROM custtable WHERE recid IN (5637144577, 5637144586)")" \
   "C-1/NAME 1/NEW/G1 C-10/Name 10/-/G1" "custtable: LTRIM, shadow fields (LEFT JOIN keeps the source's without a shadow row), field mapping"
is "$(q $DST "SELECT count(*) FROM custtable WHERE recid = 1")" 0 "TRUNCATEONCOPY emptied the target first"
is "$(q $DST "SELECT string_agg(recid || val, ',' ORDER BY recid) FROM jn_inner")" "2B,3C" "JOIN: only rows with a shadow row"
is "$(q $DST "SELECT string_agg(recid || val, ',' ORDER BY recid) FROM jn_right")" "2B,3C,9Z" "RIGHT JOIN: every shadow row, RECID from REFRECID"
is "$(q $DST "SELECT string_agg(recid || val, ',' ORDER BY recid) FROM jn_full")" "1a,2B,3C,4d,9Z" "FULL JOIN: both sides"
is "$(q $DST "SELECT (SELECT count(*) FROM newtable)::text || (SELECT count(*) FROM del_inventtrans) || (SELECT count(*) FROM movedtab) || (SELECT count(*) FROM salesline)")" "25330" "special, DEL_, table id and same-name tables copied"
is "$(q $DST "SELECT (SELECT count(*) FROM badtype)::text || (SELECT string_agg(val::text, '') FROM prefilled) || (SELECT count(*) FROM notready) || (SELECT count(*) FROM tmpdata)")" "0700" "refused and DONOTCOPY tables untouched"
is "$(q $SRC "SELECT md5(string_agg(s::text, ',' ORDER BY recid)) FROM salesline s")" "$(q $DST "SELECT md5(string_agg(s::text, ',' ORDER BY recid)) FROM salesline s")" "salesline arrives value for value (binary COPY)"

is "$(q $DST "SELECT string_agg(tabid || '=' || nextval, ' ' ORDER BY tabid) FROM public.systemsequences")" \
   "77=5637144587 78=5637160000" "RECID safety: custtable's NEXTVAL raised above its largest RECID, salesline's left"
like "$out" "RECID: raised NEXTVAL of table id 77 from 5637144580 to 5637144587" "the summary says so"

# ---- run twice ----
run copy -m "$FIX/mapping.json" --table salesline
is "$rc" 0 "a re-run of copied tables succeeds"
like "$out" "salesline +salesline +0 .*copied before; verified" "and copies nothing again"
is "$(q $DST "SELECT count(*) FROM salesline")" 30 "no row twice"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/"OLDGROUP", "target": "NEWGROUP"/"OLDGROUP", "option": "do_not_copy"/' "$FIX/mapping.json" > "$tmp/changed.json"
run copy -m "$tmp/changed.json" --table custtable
like "$err" "custtable: not copied: the mapping changed since its copy began" "a changed mapping is refused, not mixed in"

# ---- the mapping file's problems, usage ----
printf '{"tables": [{"table": "NOSUCH"}, {"table": "CUSTTABLE", "exception": "truncate"}]}' > "$tmp/bad.json"
run copy -m "$tmp/bad.json" --explain
is "$rc" 1 "a bad mapping file: exit 1"
like "$err" "$tmp/bad.json: \\$.tables\[1\].exception: unknown value \"truncate\"" "file, JSON path and reason"
run "$UPKIT" copy --target "dbname=$DST"
is "$rc:$err" "2:upkit: --source and --target are both required
Try 'upkit copy --help'." "usage: both databases required"
run copy --jobs 0
like "$rc:$err" "^2:upkit: --jobs needs a whole number of at least 1" "usage: --jobs"

# ---- kill mid-table, then resume ----
q $SRC "CREATE TABLE public.big (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, txt text, amount numeric(32,16));
        INSERT INTO public.big SELECT g, 'dat', md5(g::text), g / 7.0 FROM generate_series(1, 200000) g; ANALYZE public.big"
q $DST "CREATE TABLE public.big (recid bigint NOT NULL, dataareaid varchar(4) NOT NULL, txt text, amount numeric(32,16));
        CREATE FUNCTION public.stall() RETURNS trigger LANGUAGE plpgsql AS \$\$
        BEGIN PERFORM pg_advisory_lock(4242); PERFORM pg_advisory_unlock(4242); RETURN NEW; END \$\$;
        CREATE TRIGGER stall BEFORE INSERT ON public.big FOR EACH ROW WHEN (NEW.recid = 120000) EXECUTE FUNCTION public.stall()"
# A session holds the lock the trigger waits for, in range 3 of 4.
psql -qAtX -d $DST -c "SELECT pg_advisory_lock(4242)" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
holder=$!
wait_until $DST "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted" 1
"$UPKIT" copy --source "dbname=$SRC" --target "dbname=$DST" --table big --split-rows 50000 --jobs 1 >"$tmp/kill.out" 2>&1 &
copier=$!
ok "the copier reaches the row in range 3 and waits" wait_until $DST "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted" 1
kill -9 $copier; wait $copier 2>/dev/null || true
# End the holder's session (its backend sleeps on; killing psql alone would not free the lock).
q $DST "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted" >/dev/null
wait $holder 2>/dev/null || true
wait_until $DST "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DST' AND query LIKE 'COPY%'" 0
is "$(q $DST "SELECT string_agg(range_no || ':' || done, ' ' ORDER BY range_no) FROM upkit.copy_ledger WHERE target_table = 'big'")" \
   "0:true 1:true 2:false 3:false" "killed in range 3: ranges 1 and 2 done, 3 and 4 not"
is "$(q $DST "SELECT count(*) FROM public.big")" 100000 "the killed range left no row"
q $DST "DROP TRIGGER stall ON public.big"
run copy --table big --split-rows 50000 --jobs 2
is "$rc" 0 "the re-run resumes and succeeds"
like "$out" "big +big +100000 .*copied, verified" "it copied only the two ranges not done"
is "$(q $DST "SELECT count(*) || ' ' || count(DISTINCT recid) FROM big")" "200000 200000" "every row once: none lost, none twice"
is "$(q $DST "SELECT md5(string_agg(b::text, ',' ORDER BY recid)) FROM public.big b")" \
   "$(q $SRC "SELECT md5(string_agg(b::text, ',' ORDER BY recid)) FROM public.big b")" "the same rows as the source (hash)"
