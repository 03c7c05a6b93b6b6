/*
 * copy_mapfile.h: the copy mapping file (--mapping FILE): special table and
 * field mappings, field options, table exceptions and the affected tables
 * with their shadow, join type and readiness check.  The format is in
 * docs/copy.md "The mapping file".
 */
#ifndef UPKIT_COPY_MAPFILE_H
#define UPKIT_COPY_MAPFILE_H

#include "copy_map.h"
#include "diag.h"

/*
 * Read and validate; 0, or -1 after adding every problem (file, JSON path,
 * reason) to diags.  *m is filled as far as it could be read either way;
 * free it with copy_mapping_free.
 */
int			copy_mapping_read_file(const char *path, struct copy_mapping *m,
								   struct upkit_diags *diags);
int			copy_mapping_read_text(const char *file, const char *text, struct copy_mapping *m,
								   struct upkit_diags *diags);

#endif
