/*
 * test_xpo_read.c: the XPO reader on real-looking exports (the fixtures in
 * tests/fixtures/xpp/), its clear errors on malformed ones, and its
 * robustness: every prefix of a fixture and random byte flips (a fixed
 * seed) give either a tree or an error naming a line, never a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"
#include "xpo_read.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char		buf[4096];
	size_t		k;

	if (f == NULL)
	{
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append_len(&sb, buf, k);
	fclose(f);
	*len = sb.len;
	return sb.data;
}

/* Read text; returns 0 or -1, err filled. */
static int
read_str(const char *text, struct xpo_file *f, char *err, size_t n)
{
	return xpo_read_text("t.xpo", text, strlen(text), f, err, n);
}

static void
expect_error(const char *text, const char *want, const char *name)
{
	struct xpo_file f;
	char		err[512];
	int			rc = read_str(text, &f, err, sizeof err);

	if (!ok(rc == -1 && strstr(err, want) != NULL, name))
		printf("#   rc %d, error: %s\n#   want: ...%s...\n", rc, err, want);
	if (rc == 0)
		xpo_file_free(&f);
}

#define HEAD "Exportfile for AOT version 1.0 or later\nFormatversion: 1\n\n"

int
main(void)
{
	struct xpo_file f;
	char		err[512];
	size_t		len;
	char	   *text;
	const struct xpo_element *e;
	int			crashes = 0,
				unclear = 0,
				prefixes = 0,
				flips = 0;

	plan(35);

	/* The table fixture: tables, fields, indexes, methods, an enum, a macro. */
	text = slurp("tests/fixtures/xpp/tables.xpo", &len);
	is_int(xpo_read_text("tables.xpo", text, len, &f, err, sizeof err), 0, "tables.xpo reads");
	is_int(f.nelements, 8, "... eight elements (six tables, a base enum, a macro)");
	e = xpo_find(&f, XPO_TABLE, "custtable");
	ok(e != NULL, "CustTable is found without regard to case");
	is_int(e ? e->line : 0, 10, "... at its TABLE line");
	is_int(e ? e->nfields : 0, 2, "... two fields");
	is_str(e && e->nfields ? e->fields[1].name : NULL, "CustGroup", "... the second is CustGroup");
	is_int(e && e->nfields ? e->fields[1].line : 0, 29, "... at line 29");
	ok(e && e->nfields && strstr(e->fields[0].text, "StringSize #20") == NULL &&
	   strstr(e->fields[0].text, "StringSize          #20") != NULL, "a field's text keeps its properties, trimmed");
	is_int(e ? e->nindexes : 0, 1, "one index");
	ok(e && e->nindexes && strcmp(e->indexes[0].name, "AccountIdx") == 0 &&
	   strstr(e->indexes[0].text, "#AccountNum") != NULL, "AccountIdx with its index fields");
	is_int(e ? e->nmethods : 0, 1, "one method");
	is_int(e && e->nmethods ? e->methods[0].first_line : 0, 63, "find's source starts at line 63");
	ok(e && e->nmethods && strncmp(e->methods[0].text, "static CustTable find(", 22) == 0,
	   "... without its '#' prefix");
	e = xpo_find(&f, XPO_ENUM, "NoYes");
	is_int(e ? e->nvalues : 0, 2, "the base enum NoYes has two values");
	e = xpo_find(&f, XPO_MACRO, "ReleaseUpdateVersions");
	ok(e && e->nmethods == 1 && strcmp(e->methods[0].text, "#define.current(sysReleasedVersion::v60)") == 0,
	   "the macro's source keeps its own '#'");
	xpo_file_free(&f);

	/* Clear errors. */
	expect_error("", "t.xpo:1: empty file", "an empty file");
	expect_error("hello\n", "t.xpo:1: not an XPO export", "a file without the header");
	expect_error(HEAD "***Element: CLS\n  CLASS #A\n  ENDCLASS\n", "truncated export", "no ***Element: END");
	expect_error(HEAD "***Element: CLS\n  CLASS #A\n  METHODS\n  SOURCE #m\n  #x\n***Element: END\n",
				 "t.xpo:9: in SOURCE #m (opened at line 7): expected a '#' source line or ENDSOURCE",
				 "an element line inside a source");
	expect_error(HEAD "***Element: CLS\n  CLASS #A\n  METHODS\n  SOURCE #m\n  #x\n",
				 "SOURCE #m opened at line 7 is not closed", "a source cut short");
	expect_error(HEAD "***Element: DBT\n  TABLE #T\n  FIELDS\n    FIELD #F\n***Element: END\n",
				 "t.xpo:8: FIELDS opened at line 6 is not closed: expected ENDFIELDS, found the next ***Element",
				 "a field list cut short");
	expect_error(HEAD "***Element: CLS\n  CLASS #A\n  ENDTABLE\n  ENDCLASS\n***Element: END\n",
				 "t.xpo:6: unexpected 'ENDTABLE' in CLASS #A", "a stray END keyword");
	expect_error(HEAD "***Element: CLS\n  TABLE #A\n", "t.xpo:5: expected 'CLASS #name' for ***Element: CLS",
				 "an element whose type differs from its code");
	expect_error(HEAD "***Element: CLS\n  CLASS #A\n  ENDCLASS\n***Element: CLS\n  CLASS #a\n  ENDCLASS\n***Element: END\n",
				 "t.xpo:8: class a is exported twice (also at line 5)", "an element exported twice");
	expect_error(HEAD "***Element: CLS\n  CLASS #A\n  METHODS\n  junk\n", "expected SOURCE #name or ENDMETHODS",
				 "junk among the methods");
	{
		static const char nul[] = HEAD "***Element: CLS\n  CLASS #A\0\n";

		if (!ok(xpo_read_text("t.xpo", nul, sizeof nul - 1, &f, err, sizeof err) == -1 &&
				strstr(err, "t.xpo:5: a NUL byte") != NULL, "a NUL byte"))
			printf("#   %s\n", err);
	}
	ok(read_str(HEAD "***Element: XYZ\n  SOMETHING #Else\n  whatever\n***Element: END\n", &f, err, sizeof err) == 0 &&
	   f.nelements == 1 && f.elements[0].kind == XPO_OTHER && strcmp(f.elements[0].name, "Else") == 0,
	   "an element of another type is kept by name");
	ok(f.nelements == 1 && f.elements[0].text && strcmp(f.elements[0].text, "SOMETHING #Else\nwhatever\n") == 0,
	   "... and its text as a whole, for the layer comparison");
	xpo_file_free(&f);
	expect_error(HEAD "***Element: DBT\n  TABLE #T\n  FIELDS\n    FIELD #F\n    FIELD #f\n  ENDFIELDS\n  ENDTABLE\n***Element: END\n",
				 "t.xpo:8: field f of table T is exported twice (also at line 7)", "a field exported twice in one table");
	ok(read_str("\xEF\xBB\xBF" "Exportfile for AOT version 1.0 or later\r\n***Element: END\r\n", &f, err, sizeof err) == 0,
	   "a byte-order mark and CRLF line ends are read");
	xpo_file_free(&f);
	is_int(xpo_read_file("tests/fixtures/xpp/no-such.xpo", &f, err, sizeof err), -1, "a missing file is an error");
	ok(strstr(err, "no-such.xpo: cannot read") != NULL, "... naming the file");

	/* Robustness: every prefix of errors.xpo, then random byte flips. */
	free(text);
	text = slurp("tests/fixtures/xpp/errors.xpo", &len);
	for (size_t n = 0; n < len; n++)
	{
		int			rc = xpo_read_text("p.xpo", text, n, &f, err, sizeof err);

		prefixes++;
		if (rc == 0)
			xpo_file_free(&f);
		else if (strncmp(err, "p.xpo:", 6) != 0)
			unclear++;
		/* only the whole file ends with ***Element: END */
		if (rc == 0 && n + 1 < len - 1)
			crashes++;
	}
	is_int(unclear + crashes, 0, "every proper prefix of errors.xpo is an error naming a line");
	srand(20240611);
	for (int round = 0; round < 3000; round++)
	{
		char	   *copy = malloc(len);
		int			rc;

		memcpy(copy, text, len);
		for (int k = 0; k < 1 + round % 4; k++)
			copy[(size_t) rand() % len] = (char) (rand() % 256);
		rc = xpo_read_text("f.xpo", copy, len, &f, err, sizeof err);
		if (rc == 0)
			xpo_file_free(&f);
		else if (strncmp(err, "f.xpo:", 6) != 0)
			unclear++;
		flips++;
		free(copy);
	}
	is_int(unclear, 0, "3000 files with flipped bytes: each one read or an error naming a line");
	ok(prefixes == (int) len && flips == 3000, "... all of them were tried");
	free(text);
	return done();
}
