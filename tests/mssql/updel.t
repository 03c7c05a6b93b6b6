#!/usr/bin/env bash
# updel.t: the generated T-SQL update and delete procedures on a real TDS
# engine (skipped without UPKIT_MSSQL; see lib.sh), the twin of
# tests/pg/updel.pg.  Self-contained: in the fresh scratch database lib.sh
# makes (and drops), it creates the fixture (tests/mssql/updel_fixture.sql:
# the tables with their unique indexes, virtual companies vp and vi, decoys
# under dat and ceu) and then installs the five specs of
# tests/fixtures/updel/, twice.  Then: exact rows, the RETURN value and the
# OUTPUT count of each procedure, a second call that is harmless; a NULL
# company parameter (THROW 50200), a target row matched twice by a join
# checked at run time (THROW 50201, nothing written), several statements
# outside a transaction (THROW 50202, nothing written); and all or nothing:
# a failing third statement rolls back the first two with the caller's
# transaction.
set -euo pipefail
. "$(dirname "$0")/../harness/tap.sh"
if [ -z "${UPKIT_MSSQL:-}" ]; then skip_all "UPKIT_MSSQL not set: no SQL Server configured"; fi
. "$(dirname "$0")/lib.sh"
cd "$TOP"

specs=(tests/fixtures/updel/projtransposting.json tests/fixtures/updel/shippingdate.json
       tests/fixtures/updel/deliveryaddress.json tests/fixtures/updel/inventsum.json
       tests/fixtures/updel/checked.json)
plan 28

q "$(cat tests/mssql/updel_fixture.sql)"
is "$rc" 0 "the fixture: tables, unique indexes and rows, committed"
[ "$rc" -eq 0 ] || diag "$err"

mssql_install "${specs[@]}"
is "$rc" 0 "upkit install --dialect mssql --runtime with the five specs succeeds"
[ "$rc" -eq 0 ] || diag "$err"
mssql_install "${specs[@]}"
is "$rc" 0 "installing them a second time is harmless"
[ "$rc" -eq 0 ] || diag "$err"

# call PROC OUTPUT ARGS: one call in a transaction of its own, committed;
# prints "returned RC N" (the RETURN value and the OUTPUT parameter).
call() {
  q "SET XACT_ABORT ON; BEGIN TRANSACTION;
DECLARE @N BIGINT, @RC INT;
EXEC @RC = [dbo].[$1] $3, $2 = @N OUTPUT;
SELECT N'returned', @RC, @N;
COMMIT TRANSACTION;"
}
returned() { printf '%s\n' "$out" | grep '^returned' || true; }

# 1. PROJTRANSPOSTING from PROJEMPLTRANS (dat) and PROJTABLE (virtual company vp).
call UPDATEPROJTRANSPOSTINGFROMEMPLTRANS @ROWS_UPDATED "@DATAAREAID = N'dat', @PROJTABLE_DATAAREAID = N'vp'"
is "$rc|$(returned)" "0|$(printf 'returned\t2\t2')" \
   "projtransposting: the two hour transactions of dat with an employee transaction (RETURN and @ROWS_UPDATED)"
[ "$rc" -eq 0 ] || diag "$err"
q "SELECT [RECID], N'[' + [EMPLITEMID] + N']', N'[' + [CATEGORYID] + N']', [PROJTYPE], CAST([QTY] AS INT)
  FROM [dbo].[PROJTRANSPOSTING] ORDER BY [RECID];"
is "$out" "$(printf '1\t[E1]\t[C1]\t3\t8\n2\t[E2]\t[C2]\t4\t4\n3\t[]\t[]\t0\t0\n4\t[]\t[]\t0\t0\n5\t[]\t[]\t0\t0')" \
   "... with the project type of the virtual company vp, never the dat decoys (9); ceu, type 1 and T9 untouched"
call UPDATEPROJTRANSPOSTINGFROMEMPLTRANS @ROWS_UPDATED "@DATAAREAID = N'dat', @PROJTABLE_DATAAREAID = N'vp'"
is "$(returned)" "$(printf 'returned\t2\t2')" "projtransposting: a second call writes the same values again (harmless)"

# 2. SALESLINE from the MAX of INVENTTRANS (virtual company vi).
dates="SELECT [RECID], CONVERT(NVARCHAR(10), [SHIPPINGDATEREQUESTED], 23) FROM [dbo].[SALESLINE] ORDER BY [RECID];"
call UPDATESALESLINESHIPPINGDATE @ROWS_UPDATED "@DATAAREAID = N'dat', @INVENTTRANS_DATAAREAID = N'vi'"
is "$rc|$(returned)" "0|$(printf 'returned\t1\t1')" "shippingdate: one line has an expected date under vi"
[ "$rc" -eq 0 ] || diag "$err"
q "$dates"
is "$out" "$(printf '41\t2024-04-15\n42\t1900-01-01\n43\t2020-05-05\n44\t1900-01-01\n45\t1900-01-01')" \
   "... the latest vi date (not the dat decoy 2030), null dates ignored, lines without vi rows and ceu untouched"
call UPDATESALESLINESHIPPINGDATE @ROWS_UPDATED "@DATAAREAID = N'dat', @INVENTTRANS_DATAAREAID = N'vi'"
is "$(returned)" "$(printf 'returned\t0\t0')" "shippingdate: a second call finds nothing left to update"

# 3. SALESLINE, CUSTINVOICETRANS and CUSTPACKINGSLIPTRANS from SALESTABLE, three statements.
address="SELECT [RECID], N'[' + [DELIVERYADDRESS] + N'|' + [DELIVERYCITY] + N'|' + [DELIVERYCOUNTRYREGIONID] + N']'
  FROM [dbo].[SALESLINE] ORDER BY [RECID];"
trans="SELECT N'inv' + CAST([RECID] AS NVARCHAR(20)), N'[' + [DLVCOUNTRYREGIONID] + N'|' + [DLVCOUNTY] + N']' FROM [dbo].[CUSTINVOICETRANS]
UNION ALL SELECT N'pack' + CAST([RECID] AS NVARCHAR(20)), N'[' + [DLVCOUNTRYREGIONID] + N'|' + [DLVCOUNTY] + N']' FROM [dbo].[CUSTPACKINGSLIPTRANS]
ORDER BY 1;"
before=$(q "$address$trans"; printf '%s' "$out")
# Outside a transaction the procedure refuses (its statements would commit one by one).
q "EXEC [dbo].[UPDATESALESANDTRANSLINEDLVADDRESS] @DATAAREAID = N'dat';"
like "$err" "Msg 50202.*upkit \[dbo\]\.\[UPDATESALESANDTRANSLINEDLVADDRESS\]: call it inside a transaction" \
     "several statements outside a transaction: THROW 50202"
is "$(q "$address$trans"; printf '%s' "$out")" "$before" "... and nothing was written"
call UPDATESALESANDTRANSLINEDLVADDRESS @ROWS_UPDATED "@DATAAREAID = N'dat'"
is "$rc|$(returned)" "0|$(printf 'returned\t5\t5')" "deliveryaddress: 2 + 1 + 2 rows in three statements, in a transaction"
[ "$rc" -eq 0 ] || diag "$err"
q "$address"
is "$out" "$(printf '41\t[Main St 1, Oslo|Oslo|NO]\n42\t[Main St 1, Oslo|Oslo|NO]\n43\t[Kept address||]\n44\t[||]\n45\t[||]')" \
   "... sales lines without an address take their order's; others, S3 and ceu stay"
q "$trans"
is "$out" "$(printf 'inv51\t[NO|OS]\ninv52\t[SE|]\ninv53\t[|]\npack61\t[NO|OS]\npack62\t[NO|VL]\npack63\t[|]')" \
   "... invoice and packing slip lines likewise"
call UPDATESALESANDTRANSLINEDLVADDRESS @ROWS_UPDATED "@DATAAREAID = N'dat'"
is "$(returned)" "$(printf 'returned\t0\t0')" "deliveryaddress: a second call updates nothing"

# 4. DELETE with exists and not-exists conditions over INVENTTABLE (vi).
call DELETEINVENTSUMOFSERVICEITEMS @ROWS_DELETED "@DATAAREAID = N'dat', @INVENTTABLE_DATAAREAID = N'vi'"
is "$rc|$(returned)" "0|$(printf 'returned\t3\t3')" \
   "inventsum: two rows of the vi service item and one of an item vi does not have"
[ "$rc" -eq 0 ] || diag "$err"
q "SELECT [RECID] FROM [dbo].[INVENTSUM] ORDER BY [RECID];"
is "$out" "$(printf '91\n95')" "... ITEM and the ceu row stay (the dat decoys of INVENTTABLE are not consulted)"
call DELETEINVENTSUMOFSERVICEITEMS @ROWS_DELETED "@DATAAREAID = N'dat', @INVENTTABLE_DATAAREAID = N'vi'"
is "$(returned)" "$(printf 'returned\t0\t0')" "inventsum: a second call finds nothing left to delete"

# 5. Company parameters must not be NULL.
call UPDATESALESLINESHIPPINGDATE @ROWS_UPDATED "@DATAAREAID = N'dat', @INVENTTRANS_DATAAREAID = NULL"
like "$err" "Msg 50200.*upkit \[dbo\]\.\[UPDATESALESLINESHIPPINGDATE\]: the company parameter @INVENTTRANS_DATAAREAID must not be NULL" \
     "a NULL company parameter is refused (THROW 50200)"
call DELETEINVENTSUMOFSERVICEITEMS @ROWS_DELETED "@DATAAREAID = NULL, @INVENTTABLE_DATAAREAID = N'vi'"
like "$err" "Msg 50200.*upkit \[dbo\]\.\[DELETEINVENTSUMOFSERVICEITEMS\]: the company parameter @DATAAREAID must not be NULL" \
     "... the first one too, in a delete"

# 6. A join checked at run time: line 41 matches two vi transactions.
call UPDATESALESLINEFROMANYTRANS @ROWS_UPDATED "@DATAAREAID = N'dat', @INVENTTRANS_DATAAREAID = N'vi'"
like "$err" "Msg 50201.*upkit \[dbo\]\.\[UPDATESALESLINEFROMANYTRANS\]: statement 1: the row RECID 41 of \[dbo\]\.\[SALESLINE\] matches more than one row of the join INVENTTRANS AS B; nothing was updated" \
     "a target row that matches two vi transactions stops the update (THROW 50201), naming the row and the join"
q "$dates"
is "$out" "$(printf '41\t2024-04-15\n42\t1900-01-01\n43\t2020-05-05\n44\t1900-01-01\n45\t1900-01-01')" "... and nothing was written"
call UPDATESALESLINEFROMANYTRANS @ROWS_UPDATED "@DATAAREAID = N'dat', @INVENTTRANS_DATAAREAID = N'dat'"
is "$rc|$(returned)" "0|$(printf 'returned\t4\t4')" "with one row per line under dat the left join updates every dat line"
[ "$rc" -eq 0 ] || diag "$err"
q "$dates"
is "$out" "$(printf '41\t2030-01-01\n42\t1900-01-02\n43\t1900-01-02\n44\t2030-01-01\n45\t1900-01-01')" \
   "... lines without a match take the COALESCE default, ceu untouched"

# 7. All or nothing: a failing third statement undoes the first two
# (PostgreSQL's test adds its constraint NOT VALID; here the rows it would
# reject are emptied first, as the T-SQL grammar of tests/tsql has no WITH NOCHECK).
q "UPDATE [dbo].[SALESLINE] SET [DELIVERYADDRESS] = N'' WHERE [RECID] = 41;
UPDATE [dbo].[CUSTINVOICETRANS] SET [DLVCOUNTRYREGIONID] = N'' WHERE [RECID] = 51;
UPDATE [dbo].[CUSTPACKINGSLIPTRANS] SET [DLVCOUNTRYREGIONID] = N'' WHERE [RECID] IN (61, 62);
ALTER TABLE [dbo].[CUSTPACKINGSLIPTRANS] ADD CONSTRAINT [NO_NO] CHECK ([DLVCOUNTRYREGIONID] <> N'NO');"
is "$rc" 0 "a constraint the third statement will violate (packing slip lines of S1 and S2 without a region again)"
[ "$rc" -eq 0 ] || diag "$err"
call UPDATESALESANDTRANSLINEDLVADDRESS @ROWS_UPDATED "@DATAAREAID = N'dat'"
like "$err" "Msg 547," "the third statement violates the constraint (Msg 547) and the call fails"
q "SELECT N'[' + (SELECT [DELIVERYADDRESS] FROM [dbo].[SALESLINE] WHERE [RECID] = 41) + N'|'
            + (SELECT [DLVCOUNTRYREGIONID] FROM [dbo].[CUSTINVOICETRANS] WHERE [RECID] = 51) + N']';"
is "$out" "[|]" "... and the first two statements are undone with the caller's transaction (XACT_ABORT)"
q "ALTER TABLE [dbo].[CUSTPACKINGSLIPTRANS] DROP CONSTRAINT [NO_NO];"
call UPDATESALESANDTRANSLINEDLVADDRESS @ROWS_UPDATED "@DATAAREAID = N'dat'"
is "$(returned)" "$(printf 'returned\t4\t4')" "called again after the fix it does all three (1 + 1 + 2 rows)"
done_testing
