#!/usr/bin/env node
// parse-check.js FILE...: check that T-SQL scripts parse and stay within
// SQL Server 2012.
//
// Each file is parsed with the grammars-v4 T-SQL grammar (npm antlr4ts-sql).
// The grammar knows GO, but a script is still split at lines that hold only
// GO, as SSMS and sqlcmd do, and each batch is parsed alone: an error in one
// batch cannot swallow the next, and CREATE FUNCTION / CREATE PROCEDURE are
// parsed as the first statement of their batch, as the server demands.
//
// ANTLR recovers from syntax errors silently unless an error listener is
// attached, so both the lexer and the parser get one that records every
// error.  Then the default-channel tokens (comments are on a hidden channel
// and string literals are single STRING tokens, so neither can match) are
// scanned for syntax newer than SQL Server 2012, which the grammar accepts.
//
// Output: one "file:line:col: message" line per problem (col is 1-based),
// exit status 1 when there is any, 2 for a usage error.
'use strict';

const fs = require('fs');
const { ANTLRInputStream, BailErrorStrategy, CommonTokenStream, DefaultErrorStrategy, Token } = require('antlr4ts');
const { PredictionMode } = require('antlr4ts/atn');
const { TSqlLexer, TSQLGrammar } = require('antlr4ts-sql');

const { TSqlParser } = TSQLGrammar;

// Functions that SQL Server 2012 does not have, flagged as words.
const NEWER_WORDS = {
  STRING_AGG: 'STRING_AGG (SQL Server 2017)',
  CONCAT_WS: 'CONCAT_WS (SQL Server 2017)',
  STRING_SPLIT: 'STRING_SPLIT (SQL Server 2016)',
  STRING_ESCAPE: 'STRING_ESCAPE (SQL Server 2016)',
  DATEDIFF_BIG: 'DATEDIFF_BIG (SQL Server 2016)',
  OPENJSON: 'OPENJSON (SQL Server 2016)',
  JSON_VALUE: 'JSON_VALUE (SQL Server 2016)',
  JSON_QUERY: 'JSON_QUERY (SQL Server 2016)',
  JSON_MODIFY: 'JSON_MODIFY (SQL Server 2016)',
  ISJSON: 'ISJSON (SQL Server 2016)',
  APPROX_COUNT_DISTINCT: 'APPROX_COUNT_DISTINCT (SQL Server 2019)',
  GENERATE_SERIES: 'GENERATE_SERIES (SQL Server 2022)',
  DATETRUNC: 'DATETRUNC (SQL Server 2022)',
  DATE_BUCKET: 'DATE_BUCKET (SQL Server 2022)',
  SESSION_CONTEXT: 'SESSION_CONTEXT (SQL Server 2016)',
};
// Names that are only a problem as a function call (they are fine as words).
const NEWER_CALLS = {
  TRIM: 'TRIM() (SQL Server 2017)',
  TRANSLATE: 'TRANSLATE() (SQL Server 2017)',
  GREATEST: 'GREATEST() (SQL Server 2022)',
  LEAST: 'LEAST() (SQL Server 2022)',
  COMPRESS: 'COMPRESS() (SQL Server 2016)',
  DECOMPRESS: 'DECOMPRESS() (SQL Server 2016)',
};

// The lexer matches keywords in upper case only, so it reads the characters
// upper-cased; token texts still come from the original input.  (The
// CaseChangingStream that antlr4ts-sql ships passes getText() a pair of
// numbers instead of an Interval, which empties every token text.)
class UpperCaseStream {
  constructor(stream) { this.s = stream; }
  get index() { return this.s.index; }
  get size() { return this.s.size; }
  get sourceName() { return this.s.sourceName; }
  LA(i) {
    const c = this.s.LA(i);
    return c <= 0 ? c : String.fromCodePoint(c).toUpperCase().codePointAt(0);
  }
  consume() { this.s.consume(); }
  mark() { return this.s.mark(); }
  release(m) { this.s.release(m); }
  seek(i) { this.s.seek(i); }
  getText(interval) { return this.s.getText(interval); }
  toString() { return this.s.toString(); }
}

function collector(problems, file, lineOffset) {
  return {
    syntaxError(recognizer, offendingSymbol, line, col, msg) {
      problems.push({ file, line: line + lineOffset, col: col + 1, msg: `syntax error: ${msg}` });
    },
  };
}

// Tokens on the default channel (no comments, no blanks), EOF left out.
function visibleTokens(stream) {
  stream.fill();
  return stream.getTokens().filter((t) => t.channel === Token.DEFAULT_CHANNEL && t.type !== Token.EOF);
}

function newerSyntax(tokens, problems, file, lineOffset) {
  const up = (i) => (i < tokens.length ? (tokens[i].text || '').toUpperCase() : '');
  const report = (t, what) => problems.push({
    file, line: t.line + lineOffset, col: t.charPositionInLine + 1,
    msg: `not SQL Server 2012 syntax: ${what}`,
  });
  for (let i = 0; i < tokens.length; i++) {
    const w = up(i);
    if (w === 'CREATE' && up(i + 1) === 'OR' && up(i + 2) === 'ALTER') {
      report(tokens[i], 'CREATE OR ALTER (SQL Server 2016 SP1); drop the object if it exists, then CREATE');
    } else if (w === 'DROP' && ((up(i + 2) === 'IF' && up(i + 3) === 'EXISTS') || (up(i + 3) === 'IF' && up(i + 4) === 'EXISTS' && up(i + 2) === 'INDEX'))) {
      report(tokens[i], 'DROP ... IF EXISTS (SQL Server 2016); test OBJECT_ID(...) IS NOT NULL instead');
    } else if (w === 'AT' && up(i + 1) === 'TIME' && up(i + 2) === 'ZONE') {
      report(tokens[i], 'AT TIME ZONE (SQL Server 2016)');
    } else if (w === 'FOR' && up(i + 1) === 'JSON') {
      report(tokens[i], 'FOR JSON (SQL Server 2016)');
    } else if (Object.prototype.hasOwnProperty.call(NEWER_WORDS, w)) {
      report(tokens[i], NEWER_WORDS[w]);
    } else if (Object.prototype.hasOwnProperty.call(NEWER_CALLS, w) && up(i + 1) === '(') {
      report(tokens[i], NEWER_CALLS[w]);
    }
  }
}

// A GO line as upkit's batch splitter reads it (upkit_is_go_line in
// sqlgen/batches.c): GO in any case, an optional count and an optional
// comment, any white space around (U+0085 too, which \s leaves out).
const GO_LINE = /^[\s\u0085]*go(?:[\s\u0085]+\d+)?[\s\u0085]*(?:(?:--|\/\*).*)?$/i;

// Split at GO lines; each batch remembers the line it starts on.
function batches(text) {
  const lines = text.split('\n');
  const out = [];
  let cur = [];
  let first = 1;
  lines.forEach((line, i) => {
    if (GO_LINE.test(line)) {
      out.push({ text: cur.join('\n'), first });
      cur = [];
      first = i + 2;
    } else {
      cur.push(line);
    }
  });
  out.push({ text: cur.join('\n'), first });
  return out;
}

function checkBatch(batch, file, problems) {
  const lineOffset = batch.first - 1;
  const listener = collector(problems, file, lineOffset);
  const lexer = new TSqlLexer(new UpperCaseStream(new ANTLRInputStream(batch.text)));
  lexer.removeErrorListeners();
  lexer.addErrorListener(listener);
  const tokens = new CommonTokenStream(lexer);
  const parser = new TSqlParser(tokens);
  parser.removeErrorListeners();
  // Two stages, the usual ANTLR speed-up: the fast SLL prediction with an
  // error strategy that gives up at the first problem; only when it gives
  // up is the batch parsed again with full LL prediction and the error
  // listener, which then reports the real errors.
  parser.interpreter.setPredictionMode(PredictionMode.SLL);
  parser.errorHandler = new BailErrorStrategy();
  try {
    parser.tsql_file();
  } catch (e) {
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(listener);
    parser.errorHandler = new DefaultErrorStrategy();
    parser.interpreter.setPredictionMode(PredictionMode.LL);
    parser.tsql_file();
  }
  newerSyntax(visibleTokens(tokens), problems, file, lineOffset);
}

function main(argv) {
  if (argv.length === 0) {
    process.stderr.write('usage: parse-check.js FILE...\n');
    return 2;
  }
  const problems = [];
  for (const file of argv) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, line: 0, col: 0, msg: `cannot read: ${e.message}` });
      continue;
    }
    // Windows line ends: drop the CR, so columns and GO lines read the same.
    text = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    for (const b of batches(text)) {
      if (b.text.trim() !== '') checkBatch(b, file, problems);
    }
  }
  for (const p of problems) {
    process.stdout.write(`${p.file}:${p.line}:${p.col}: ${p.msg}\n`);
  }
  return problems.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
module.exports = { main, batches, GO_LINE };
