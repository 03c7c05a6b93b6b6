/*
 * specread.h: helpers for spec readers of every kind: typed access to JSON
 * fields that reports wrong types, missing or unknown keys, bad names and
 * bad expressions with the field's JSON path, and carries on.
 *
 * Paths are JSONPath-like: "$", "$.source.table", "$.mapping[2].expr".
 * Every returned string is malloc'd and owned by the caller; NULL means
 * absent or invalid (a required field that is absent or invalid has been
 * reported).
 */
#ifndef UPKIT_SPECREAD_H
#define UPKIT_SPECREAD_H

#include <cjson/cJSON.h>

#include "diag.h"
#include "dialect.h"

struct upkit_spec_reader
{
	const char *file;
	enum upkit_dialect dialect;
	struct upkit_diags *diags;
	int			problems;		/* how many this reader reported */
};

/* One entry of "mapping": a column filled from an SQL expression. */
struct upkit_column_map
{
	char	   *column;			/* target (insert) or shadow (delta) column */
	char	   *expr;			/* SQL expression over the source (and lookup) aliases */
};

/*
 * Why a column may not be mapped (filled by the procedure itself), or NULL.
 * spec is the kind's own spec struct.
 */
typedef const char *(*sr_reserved_column_fn) (const void *spec, const char *column,
											  enum upkit_dialect d);

/* A schema-qualified name, resolved for the reader's dialect. */
struct upkit_qname
{
	char	   *schema;
	char	   *name;
};

void		sr_problem(struct upkit_spec_reader *r, const char *path, const char *fmt, ...)
			__attribute__((format(printf, 3, 4)));

/* "$.a" + "b" -> "$.a.b"; "$.a" + 2 -> "$.a[2]" (malloc'd). */
char	   *sr_path_key(const char *parent, const char *key);
char	   *sr_path_index(const char *parent, int i);

/*
 * Report keys of obj that are not in allowed (NULL-terminated) and keys that
 * appear twice.
 */
void		sr_check_keys(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
						  const char *const *allowed);

/* Typed fields of obj; absent and not required gives NULL silently. */
const cJSON *sr_object(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					   const char *key, int required);
const cJSON *sr_array(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					  const char *key, int required);
char	   *sr_string(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					  const char *key, int required);
/* A name (ident.h rules for the dialect). */
char	   *sr_name(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					const char *key, int required);
/*
 * A schema name: a string, or an object {"pg": "...", "mssql": "..."} with
 * one per dialect.  Absent: "public" for PostgreSQL, "dbo" for SQL Server.
 */
char	   *sr_schema(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					  const char *key);
/* An SQL expression (ident.h rules). */
char	   *sr_expr(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					const char *key, int required);
/* An alias (ident.h rules); absent gives dflt. */
char	   *sr_alias(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					 const char *key, const char *dflt);
/*
 * Text for a comment: a string, or an array of strings (lines).  No control
 * characters or line ends besides tab, LF and CR LF (upkit_text_check).
 */
char	   *sr_text(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					const char *key, int required);
/* A boolean; absent gives dflt, a wrong type is reported and gives dflt. */
int			sr_bool(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					const char *key, int dflt);
/*
 * An integer in [min, max]; returns 1 and sets *out, 0 when absent (reported
 * when required), -1 when invalid (reported).
 */
int			sr_int(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
				   const char *key, int required, long long min, long long max, long long *out);

/*
 * A JSON number as the user reads it: an integral value with all its digits
 * (2147483648, not 2.14748e+09), else the shortest text that reads back as
 * the same double.
 */
void		upkit_format_number(char *buf, size_t n, double d);

/* {schema, table} from obj's keys "schema" and "table" (table required). */
/* "procedure": {"schema", "name"} (required): the generated object's name. */
void		sr_procedure(struct upkit_spec_reader *r, const cJSON *root, struct upkit_qname *out);
void		sr_qname(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
					 const char *name_key, struct upkit_qname *out);
void		upkit_qname_free(struct upkit_qname *q);

/*
 * $.mapping of root: an array of {"column": ..., "expr": ...}, at least one
 * entry, each column once and none that reserved() refuses.  what names the
 * columns in messages ("target", "shadow").  Fills *out (calloc'd) and *n.
 */
void		sr_mapping(struct upkit_spec_reader *r, const cJSON *root, const char *what,
					   sr_reserved_column_fn reserved, const void *spec,
					   struct upkit_column_map **out, int *n);
/*
 * The same for obj's array key at path (reserved may be NULL); absent is
 * reported only when required.
 */
void		sr_mapping_at(struct upkit_spec_reader *r, const cJSON *obj, const char *path,
						  const char *key, int required, const char *what,
						  sr_reserved_column_fn reserved, const void *spec,
						  struct upkit_column_map **out, int *n);

#endif
