#!/usr/bin/env bash
# Step 50: the code side.  upkit xpp lint reads the X++ upgrade scripts of an
# AOT export (sql/demo/xpp/) and reports, like a compiler, the mistakes that
# otherwise show only during the upgrade weekend: a table used without its
# UpgradeScriptTableAttribute (the script may run before the table is
# copied), two scripts racing on one table, Direct SQL comparing two tables'
# DATAAREAIDs.  Three mistakes are planted on purpose; then the graph.
set -euo pipefail

echo "1. Lint the demo's scripts (three intended errors; exit status 1)."
echo "-- Expected errors: planted in sql/demo/xpp/ReleaseUpdateDB60_Demo.xpo"
echo "\$ upkit xpp lint sql/demo/xpp/*.xpo"
set +e
"$UPKIT" xpp lint sql/demo/xpp/*.xpo 2>&1
rc=$?
set -e
echo "(exit status $rc)"

echo
echo "2. The scripts' dependency graph by stage and type (--dot draws it with Graphviz)."
echo "\$ upkit xpp graph sql/demo/xpp/*.xpo"
"$UPKIT" xpp graph sql/demo/xpp/*.xpo
