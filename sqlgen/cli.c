/*
 * cli.c: what the command's subcommands share (see cli.h): messages to
 * stderr, usage errors, writing output, and the option check getopt_long
 * does not make.  Only the command prints; the library returns its
 * problems (diag.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void
upkit_error(const char *fmt, ...)
{
	va_list		ap;

	fputs("upkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
upkit_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list		ap;

	fputs("upkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'upkit %s --help'.\n", cmd);
	else
		fputs("\nTry 'upkit --help'.\n", stderr);
	return EXIT_USAGE;
}

int
upkit_check_long_options(const char *cmd, int argc, char **argv, const struct option *opts)
{
	for (int i = 1; i < argc; i++)
	{
		const char *a = argv[i];
		size_t		len;

		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '-' || a[1] == '\0' || a[2] == '\0')
			continue;
		len = strcspn(a + 1, "=");
		for (const struct option *o = opts; o->name; o++)
			if (strlen(o->name) == len && strncmp(a + 1, o->name, len) == 0)
				return upkit_usage_error(cmd, "unknown option %s; did you mean -%s?", a, a);
	}
	return 0;
}

int
upkit_write_output(const char *path, const char *text, size_t len)
{
	FILE	   *f = stdout;

	if (path && strcmp(path, "-") != 0)
	{
		f = fopen(path, "w");
		if (f == NULL)
		{
			upkit_error("cannot write %s: %m", path);
			return -1;
		}
	}
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0)
	{
		upkit_error("cannot write %s: %m", path ? path : "standard output");
		if (f != stdout)
			fclose(f);
		return -1;
	}
	if (f != stdout && fclose(f) != 0)
	{
		upkit_error("cannot write %s: %m", path);
		return -1;
	}
	return 0;
}

int
upkit_report_problems(const struct upkit_diags *d, int nspecs, const char *what, const char *outcome)
{
	upkit_diags_print(d, stderr);
	upkit_error("%d problem%s %s; nothing was %s", d->n, d->n == 1 ? "" : "s",
				what ? what : (nspecs == 1 ? "in the spec file" : "in the spec files"), outcome);
	return EXIT_FAIL;
}
