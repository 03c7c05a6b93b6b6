/*
 * cmd_generate.c: "upkit generate": print the SQL for a dialect.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "render.h"
#include "script.h"

void
help_generate(void)
{
	printf("Usage: upkit generate --dialect pg|mssql [OPTION]... [SPEC]...\n\n"
		   "Print the SQL script for a dialect: the runtime (scalar functions and\n"
		   "reservation procedures) and one procedure per SPEC file.\n\n"
		   "Options:\n"
		   "  -d, --dialect DIALECT  pg (PostgreSQL 15 + the upkit extension) or\n"
		   "                         mssql (SQL Server 2012 or later, T-SQL, no CLR)\n"
		   "      --runtime          include the runtime (the default when SPECs are given)\n"
		   "      --no-runtime       leave the runtime out (it is installed already)\n"
		   "  -o, --output FILE      write the script to FILE instead of standard output\n"
		   "                         (mssql: with a UTF-8 byte-order mark when the script\n"
		   "                         holds non-ASCII text, so SSMS and sqlcmd read it as UTF-8)\n"
		   "      --no-bom           never write the byte-order mark\n"
		   "  -h, --help             show this help\n\n"
		   "The mssql script is ready for SSMS: batches separated by GO, each object\n"
		   "dropped if it exists and created again, so running it twice is harmless.\n\n"
		   "Examples:\n"
		   "  upkit generate --dialect mssql --runtime -o upkit-runtime.sql\n"
		   "  upkit generate --dialect pg sql/demo/specs/salesquotation.json\n");
}

static int
has_non_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char) s[i] >= 0x80)
			return 1;
	return 0;
}

int
cmd_generate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dialect", required_argument, NULL, 'd'},
		{"runtime", no_argument, NULL, 'r'},
		{"no-runtime", no_argument, NULL, 'R'},
		{"output", required_argument, NULL, 'o'},
		{"no-bom", no_argument, NULL, 'B'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	enum upkit_dialect dialect = UPKIT_DIALECT_NONE;
	int			runtime = -1;
	const char *output = NULL;
	int			bom = 1;
	struct strbuf sql = STRBUF_INIT;
	struct upkit_diags diags = UPKIT_DIAGS_INIT;
	struct upkit_units units = UPKIT_UNITS_INIT;
	struct upkit_spec **specs;
	int			nspecs;
	int			c;
	int			rc;

	if ((rc = upkit_check_long_options("generate", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:o:h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				dialect = upkit_dialect_parse(optarg);
				if (dialect == UPKIT_DIALECT_NONE)
					return upkit_usage_error("generate", "unknown dialect '%s' (use pg or mssql)", optarg);
				break;
			case 'r':
				runtime = 1;
				break;
			case 'R':
				runtime = 0;
				break;
			case 'o':
				output = optarg;
				break;
			case 'B':
				bom = 0;
				break;
			case 'h':
				help_generate();
				return EXIT_OK;
			case ':':
				return upkit_usage_error("generate", "option '%s' needs a value", argv[optind - 1]);
			default:
				return upkit_usage_error("generate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (dialect == UPKIT_DIALECT_NONE)
		return upkit_usage_error("generate", "--dialect is required (pg or mssql)");
	if (runtime == -1)
		runtime = 1;
	if (!runtime && optind >= argc)
		return upkit_usage_error("generate", "nothing to generate: give SPEC files, or leave out --no-runtime");

	nspecs = argc - optind;
	specs = upkit_specs_read(argv + optind, nspecs, &diags);
	if (upkit_render_units(&units, dialect, runtime, specs, nspecs, &diags) == 0 && diags.n == 0)
	{
		struct strbuf file = STRBUF_INIT;

		/* The mark only in a file: standard output may feed another tool. */
		if (output && bom && upkit_dialect_words(dialect)->file_bom)
		{
			upkit_script_print(&sql, dialect, nspecs, &units);
			if (has_non_ascii(sb_str(&sql), sql.len))
				sb_append(&file, "\xEF\xBB\xBF");
			sb_append_len(&file, sb_str(&sql), sql.len);
		}
		else
			upkit_script_print(&file, dialect, nspecs, &units);
		rc = upkit_write_output(output, sb_str(&file), file.len) == 0 ? EXIT_OK : EXIT_FAIL;
		sb_free(&file);
	}
	else
		rc = upkit_report_problems(&diags, nspecs, NULL, "generated");
	upkit_units_free(&units);
	upkit_specs_free(specs, nspecs);
	upkit_diags_free(&diags);
	sb_free(&sql);
	return rc;
}
