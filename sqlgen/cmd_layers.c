/*
 * cmd_layers.c: "upkit layers": the upgrade project of a customization
 * layer, from XPO exports of the old and new lower layer and of the
 * customization layer (the rule: layers.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "layers.h"

void
help_layers(void)
{
	printf("Usage: upkit layers --old-sys FILE.xpo --new-sys FILE.xpo --usr FILE.xpo\n"
		   "                    [--old-usr FILE.xpo] [--all] [--json]\n\n"
		   "Decide, unit by unit, what a code upgrade needs from a person.  A unit is a\n"
		   "node of a table (field, index, method), of a class (method) or of a base\n"
		   "enum (value), and the whole element for forms, reports, macros, jobs and\n"
		   "other elements.  For each unit the customization layer holds:\n\n"
		   "  obsolete  it equals the new lower layer: delete it from the customization\n"
		   "  conflict  customized, and the lower layer changed (or deleted, or added)\n"
		   "            it: in the upgrade project, a person merges it\n"
		   "  none      not customized (equals the old lower layer), not changed below,\n"
		   "            or only the customization layer has it\n\n"
		   "Layers (each option may be given more than once, one XPO file each):\n"
		   "      --old-sys FILE   the lower layer (e.g. SYS) of the old version\n"
		   "      --new-sys FILE   the lower layer of the new version\n"
		   "      --usr FILE       the customization layer (e.g. USR) as carried into\n"
		   "                       the new version: the units it defines\n"
		   "      --old-usr FILE   optional: the customization layer of the old version;\n"
		   "                       then \"customized\" compares it with the old lower\n"
		   "                       layer, and a unit it lacks was added on the new one\n\n"
		   "Output: the upgrade project, one line a unit (FILE:LINE: VERDICT: ELEMENT[,\n"
		   "NODE]: reason), conflicts and obsolete units; a summary on stderr.\n"
		   "      --all            also the units that need no upgrade, with the reason\n"
		   "      --json           every unit as JSON, with the counts\n"
		   "  -h, --help           show this help\n\n"
		   "Exit status: 0 no conflicts (obsolete units allowed), 1 conflicts, 2 wrong\n"
		   "usage, an XPO file that cannot be read, or exports that do not match (an\n"
		   "element one layer exports as a class and another as a table).\n\n"
		   "Example:\n"
		   "  upkit layers --old-sys sql/demo/xpp/layers/sys-v3.xpo \\\n"
		   "      --new-sys sql/demo/xpp/layers/sys-v4.xpo --usr sql/demo/xpp/layers/usr.xpo\n");
}

struct layer_files
{
	const char *paths[16];
	int			n;
	struct xpo_file files[16];
	int			nread;
};

static void
layer_files_free(struct layer_files *l)
{
	for (int k = 0; k < l->nread; k++)
		xpo_file_free(&l->files[k]);
	l->nread = 0;
}

/* Read every file of the layers; 0, or -1 after the reader's message. */
static int
read_layers(struct layer_files *ls, int n)
{
	char		err[1024];

	for (int l = 0; l < n; l++)
		for (int k = 0; k < ls[l].n; k++)
		{
			if (xpo_read_file(ls[l].paths[k], &ls[l].files[k], err, sizeof err) != 0)
			{
				upkit_error("%s", err);
				return -1;
			}
			ls[l].nread++;
		}
	return 0;
}

int
cmd_layers(int argc, char **argv)
{
	static const struct option opts[] = {
		{"old-sys", required_argument, NULL, 'o'},
		{"new-sys", required_argument, NULL, 'n'},
		{"usr", required_argument, NULL, 'u'},
		{"old-usr", required_argument, NULL, 'U'},
		{"all", no_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	static const char *const names[4] = {"--old-sys", "--new-sys", "--usr", "--old-usr"};
	struct layer_files ls[4];
	struct layers_input in;
	struct layers_result r;
	struct upkit_diags d = UPKIT_DIAGS_INIT;
	int			all = 0,
				json = 0,
				c,
				rc;

	memset(ls, 0, sizeof ls);
	if ((rc = upkit_check_long_options("layers", argc, argv, opts)) != 0)
		return rc;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
	{
		int			l = c == 'o' ? 0 : c == 'n' ? 1 : c == 'u' ? 2 : c == 'U' ? 3 : -1;

		if (l >= 0)
		{
			if (ls[l].n == 16)
				return upkit_usage_error("layers", "at most 16 files for %s", names[l]);
			ls[l].paths[ls[l].n++] = optarg;
			continue;
		}
		switch (c)
		{
			case 'a':
				all = 1;
				break;
			case 'j':
				json = 1;
				break;
			case 'h':
				help_layers();
				return EXIT_OK;
			case ':':
				return upkit_usage_error("layers", "option '%s' needs a value", argv[optind - 1]);
			default:
				return upkit_usage_error("layers", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return upkit_usage_error("layers", "unexpected argument '%s' (name each file's layer: --old-sys, --new-sys, --usr, --old-usr)",
								 argv[optind]);
	for (int l = 0; l < 3; l++)
		if (ls[l].n == 0)
			return upkit_usage_error("layers", "%s is required (an XPO export of that layer)", names[l]);

	if (read_layers(ls, 4) != 0)
	{
		for (int l = 0; l < 4; l++)
			layer_files_free(&ls[l]);
		return EXIT_USAGE;
	}
	in.old_sys = (struct layers_layer) {ls[0].files, ls[0].n};
	in.new_sys = (struct layers_layer) {ls[1].files, ls[1].n};
	in.usr = (struct layers_layer) {ls[2].files, ls[2].n};
	in.old_usr = (struct layers_layer) {ls[3].files, ls[3].n};
	if (layers_decide(&in, &r, &d) != 0)
	{
		upkit_diags_print(&d, stderr);
		upkit_error("%d problem%s in the exports; nothing was decided", d.n, d.n == 1 ? "" : "s");
		rc = EXIT_USAGE;
	}
	else
	{
		if (json)
		{
			char	   *s = layers_json(&r);

			printf("%s\n", s);
			free(s);
		}
		else
		{
			int			none = r.n - r.conflicts - r.obsolete;

			layers_print_text(&r, all, stdout);
			fflush(stdout);
			upkit_error("upgrade project: %d conflict%s, %d obsolete; %d unit%s need%s no upgrade (%d unit%s in %d element%s of the customization layer)",
						r.conflicts, r.conflicts == 1 ? "" : "s", r.obsolete, none, none == 1 ? "" : "s",
						none == 1 ? "s" : "", r.n, r.n == 1 ? "" : "s", r.elements, r.elements == 1 ? "" : "s");
		}
		rc = r.conflicts ? EXIT_FAIL : EXIT_OK;
		layers_result_free(&r);
	}
	upkit_diags_free(&d);
	for (int l = 0; l < 4; l++)
		layer_files_free(&ls[l]);
	return rc;
}
