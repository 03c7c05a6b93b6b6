/*
 * layers_report.c: the upgrade project of a layer analysis (layers.h) as
 * text, one line a unit like a compiler's message, or as JSON.
 */
#include <stdlib.h>

#include <cJSON.h>

#include "layers.h"

void
layers_print_text(const struct layers_result *r, int all, FILE *out)
{
	for (int i = 0; i < r->n; i++)
	{
		const struct layers_unit *u = &r->units[i];

		if (u->verdict == LAYERS_NONE && !all)
			continue;
		fprintf(out, "%s:%d: %s: %s %s", u->file, u->line, layers_verdict_name(u->verdict),
				u->element_kind, u->element);
		if (u->node_kind)
			fprintf(out, ", %s %s", u->node_kind, u->node);
		fprintf(out, ": %s\n", layers_reason_text(u->reason));
	}
}

char *
layers_json(const struct layers_result *r)
{
	cJSON	   *root = cJSON_CreateObject();
	cJSON	   *arr;
	char	   *s;

	cJSON_AddNumberToObject(root, "conflicts", r->conflicts);
	cJSON_AddNumberToObject(root, "obsolete", r->obsolete);
	cJSON_AddNumberToObject(root, "none", r->n - r->conflicts - r->obsolete);
	arr = cJSON_AddArrayToObject(root, "units");
	for (int i = 0; i < r->n; i++)
	{
		const struct layers_unit *u = &r->units[i];
		cJSON	   *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "file", u->file);
		cJSON_AddNumberToObject(o, "line", u->line);
		cJSON_AddStringToObject(o, "verdict", layers_verdict_name(u->verdict));
		cJSON_AddStringToObject(o, "element_type", u->element_kind);
		cJSON_AddStringToObject(o, "element", u->element);
		if (u->node_kind)
		{
			cJSON_AddStringToObject(o, "node_type", u->node_kind);
			cJSON_AddStringToObject(o, "node", u->node);
		}
		else
		{
			cJSON_AddNullToObject(o, "node_type");
			cJSON_AddNullToObject(o, "node");
		}
		cJSON_AddStringToObject(o, "reason", layers_reason_text(u->reason));
		cJSON_AddItemToArray(arr, o);
	}
	s = cJSON_Print(root);
	cJSON_Delete(root);
	if (s == NULL)
		abort();
	return s;
}
