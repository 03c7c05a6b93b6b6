/*
 * test_ident.c: name checks and quoting per dialect (quote_ident and
 * QUOTENAME rules), literals, comment lines, alias rules.
 */
#include <stdlib.h>
#include <string.h>

#include "comment.h"
#include "ident.h"
#include "tap.h"

static char *
q(const char *name, enum upkit_dialect d)
{
	static struct strbuf sb = STRBUF_INIT;

	sb_free(&sb);
	upkit_quote_ident(&sb, name, d);
	return sb.data;
}

static char *
lit(const char *s, enum upkit_dialect d)
{
	static struct strbuf sb = STRBUF_INIT;

	sb_free(&sb);
	upkit_quote_literal(&sb, s, d);
	return sb.data;
}

int
main(void)
{
	char		why[512];
	struct strbuf sb = STRBUF_INIT;

	plan(26);
	is_str(q("SALESQUOTATIONTABLE", UPKIT_DIALECT_PG), "salesquotationtable", "pg: an AX name folds to lower case, unquoted");
	is_str(q("order", UPKIT_DIALECT_PG), "\"order\"", "pg: a reserved word is quoted");
	is_str(q("ORDER", UPKIT_DIALECT_PG), "\"order\"", "pg: a reserved word in upper case folds, then is quoted");
	is_str(q("name", UPKIT_DIALECT_PG), "name", "pg: an unreserved keyword stays plain");
	is_str(q("a\"b", UPKIT_DIALECT_PG), "\"a\"\"b\"", "pg: a double quote is doubled");
	is_str(q("x; DROP TABLE y", UPKIT_DIALECT_PG), "\"x; drop table y\"", "pg: semicolons and blanks are quoted (ASCII folded)");
	is_str(q("Größe", UPKIT_DIALECT_PG), "\"größe\"", "pg: non-ASCII is quoted, only ASCII folds");
	is_str(q("1abc", UPKIT_DIALECT_PG), "\"1abc\"", "pg: a leading digit is quoted");
	is_str(q("SALESQUOTATIONTABLE", UPKIT_DIALECT_MSSQL), "[SALESQUOTATIONTABLE]", "mssql: QUOTENAME brackets, case kept");
	is_str(q("a]b[c", UPKIT_DIALECT_MSSQL), "[a]]b[c]", "mssql: ] is doubled, [ kept");
	is_str(q("x]; DROP TABLE y; --", UPKIT_DIALECT_MSSQL), "[x]]; DROP TABLE y; --]", "mssql: a hostile name stays one name");
	upkit_quote_qualified(&sb, "dbo", "T", UPKIT_DIALECT_MSSQL);
	is_str(sb_str(&sb), "[dbo].[T]", "mssql: two-part names");
	sb_free(&sb);

	is_str(lit("it's", UPKIT_DIALECT_PG), "'it''s'", "pg literal: quote doubled");
	is_str(lit("a\\b'", UPKIT_DIALECT_PG), "E'a\\\\b'''", "pg literal: a backslash makes an E'' literal with both escaped");
	is_str(lit("it's", UPKIT_DIALECT_MSSQL), "N'it''s'", "mssql literal: N'' with quote doubled");

	ok(upkit_ident_check("ÄÖÜ日本", UPKIT_DIALECT_MSSQL, why, sizeof why) == 0, "non-ASCII names are allowed");
	ok(upkit_ident_check("\xff\xfe", UPKIT_DIALECT_PG, why, sizeof why) != 0 && strstr(why, "UTF-8"), "invalid UTF-8 is refused");
	{
		char		name[200];

		memset(name, 'x', 128);
		name[128] = '\0';
		ok(upkit_ident_check(name, UPKIT_DIALECT_MSSQL, why, sizeof why) == 0, "128 characters are fine on SQL Server");
		strcat(name, "x");
		ok(upkit_ident_check(name, UPKIT_DIALECT_MSSQL, why, sizeof why) != 0 && strstr(why, "129 UTF-16 code units"), "129 are not");
		/* 21 three-byte characters: 63 bytes; 22: 66 bytes */
		strcpy(name, "");
		for (int i = 0; i < 21; i++)
			strcat(name, "日");
		ok(upkit_ident_check(name, UPKIT_DIALECT_PG, why, sizeof why) == 0, "pg: 63 bytes of multibyte characters are fine");
		strcat(name, "日");
		ok(upkit_ident_check(name, UPKIT_DIALECT_PG, why, sizeof why) != 0 && strstr(why, "66 bytes"), "pg: the limit counts bytes");
	}
	ok(upkit_alias_check("select", why, sizeof why) != 0 && strstr(why, "keyword"), "an alias cannot be a keyword");
	ok(upkit_alias_check("S\"", why, sizeof why) != 0, "an alias cannot need quotes");
	ok(upkit_alias_check("smm_1", why, sizeof why) == 0, "a plain alias is fine");

	upkit_comment_lines(&sb, "    ", "GO\n-- From x\r\n");
	is_str(sb_str(&sb), "    -- | GO\n    -- | -- From x\n", "comment lines can act neither as GO nor as a batch marker");
	sb_free(&sb);
	ok(upkit_text_check("a\x1b", 1, why, sizeof why) != 0, "comment text with an escape character is refused");
	return done();
}
