/*
 * kind.c: the registry of spec kinds (see kind.h).  The one place a kind
 * is registered: its entry here.
 */
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "render_delta.h"
#include "render_insert.h"
#include "render_updel.h"
#include "spec_delta.h"
#include "spec_insert.h"
#include "spec_updel.h"

static const struct upkit_kind kinds[] = {
	{
		.name = "insert",
		.read = upkit_insert_spec_read,
		.free_body = upkit_insert_spec_free,
		.needs = upkit_insert_spec_needs,
		.call = upkit_insert_spec_call,
		.render = {[UPKIT_DIALECT_PG] = upkit_render_insert_pg,
		[UPKIT_DIALECT_MSSQL] = upkit_render_insert_mssql},
	},
	{
		.name = "delta",
		.read = upkit_delta_spec_read,
		.free_body = upkit_delta_spec_free,
		.needs = upkit_delta_spec_needs,
		.call = upkit_delta_spec_call,
		.render = {[UPKIT_DIALECT_PG] = upkit_render_delta_pg,
		[UPKIT_DIALECT_MSSQL] = upkit_render_delta_mssql},
	},
	{
		.name = "update",
		.read = upkit_update_spec_read,
		.free_body = upkit_updel_spec_free,
		.needs = upkit_updel_spec_needs,
		.call = upkit_updel_spec_call,
		.render = {[UPKIT_DIALECT_PG] = upkit_render_updel_pg,
		[UPKIT_DIALECT_MSSQL] = upkit_render_updel_mssql},
	},
	{
		.name = "delete",
		.read = upkit_delete_spec_read,
		.free_body = upkit_updel_spec_free,
		.needs = upkit_updel_spec_needs,
		.call = upkit_updel_spec_call,
		.render = {[UPKIT_DIALECT_PG] = upkit_render_updel_pg,
		[UPKIT_DIALECT_MSSQL] = upkit_render_updel_mssql},
	},
};

#define N_KINDS ((int) (sizeof kinds / sizeof kinds[0]))

const struct upkit_kind *
upkit_kind_find(const char *name)
{
	for (int i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

void
upkit_kind_names(struct strbuf *sb)
{
	for (int i = 0; i < N_KINDS; i++)
		sb_appendf(sb, "%s\"%s\"", i ? ", " : "", kinds[i].name);
}

void
upkit_call_add(struct upkit_call *c, struct upkit_call_param p)
{
	if (c->n_params >= UPKIT_CALL_MAX_PARAMS)
		abort();
	c->params[c->n_params++] = p;
}

int
upkit_call_per_company(const struct upkit_call *c)
{
	for (int i = 0; i < c->n_params; i++)
		if (c->params[i].source == UPKIT_CALL_COMPANY)
			return 1;
	return 0;
}

const struct upkit_call_param *
upkit_call_param_find(const struct upkit_call *c, const char *key)
{
	for (int i = 0; i < c->n_params; i++)
		if (c->params[i].source == UPKIT_CALL_PARAM && strcmp(c->params[i].key, key) == 0)
			return &c->params[i];
	return NULL;
}
