#!/usr/bin/env node
// vector-cases.js FILE: turn the FN_FMT_NUMBERSEQUENCE vectors (tests/vectors/; one
// JSON object a line) into T-SQL calls for tests/mssql/vectors.t.
//
// Output, one line per vector, fields separated by \x1f:
//   line number, "expect" or "error", the expected output of
//   tests/tools/mssql_query (\N for NULL; backslash, tab, newline, CR
//   escaped as it escapes them), the SELECT that calls the scalar function,
//   the SELECT that reads the inline form [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF]
//   with the same arguments (FORMATTED, PROBLEM_NUMBER, PROBLEM).
// Strings become N'...' literals with quotes doubled; numbers must be
// integers and are passed as typed literals.  A malformed vector is an
// error (exit 1), never skipped.
'use strict';
const fs = require('fs');

function sqlString(s) {
  return s === null ? 'CAST(NULL AS NVARCHAR(MAX))' : `N'${s.replace(/'/g, "''")}'`;
}
function sqlNumber(s, type, where) {
  if (s === null) return `CAST(NULL AS ${type})`;
  if (typeof s !== 'string' || !/^-?[0-9]+$/.test(s)) throw new Error(`${where}: not an integer string: ${JSON.stringify(s)}`);
  return `CAST(${s} AS ${type})`;
}
function escaped(s) {
  return s === null ? '\\N' : s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: vector-cases.js FILE\n');
  process.exit(2);
}
try {
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    const v = JSON.parse(line);
    const args = `${sqlString(v.format)}, `
      + `${sqlNumber(v.value, 'BIGINT', where)}, ${sqlNumber(v.nextrec, 'BIGINT', where)}, `
      + `${sqlNumber(v.rjustify_length, 'INT', where)}`;
    const call = `SELECT [dbo].[FN_FMT_NUMBERSEQUENCE](${args});`;
    const inline = `SELECT T.[FORMATTED], T.[PROBLEM_NUMBER], T.[PROBLEM] `
      + `FROM [dbo].[UPKIT_FMT_NUMBERSEQUENCE_TVF](${args}) AS T;`;
    let kind;
    let want = '';
    if ('expect' in v) {
      kind = 'expect';
      want = escaped(v.expect);
    } else if ('error' in v) {
      kind = 'error';
    } else {
      throw new Error(`${where}: neither expect nor error`);
    }
    if (/[\x1f\n]/.test(call + want)) throw new Error(`${where}: a field holds \\x1f or a newline`);
    process.stdout.write([i + 1, kind, want, call, inline].join('\x1f') + '\n');
  });
} catch (e) {
  process.stderr.write(`vector-cases.js: ${e.message}\n`);
  process.exit(1);
}
