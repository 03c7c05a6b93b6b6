/*
 * xpp_body.h: what a method body does to tables.
 *
 * A table is used where a buffer of its type (declared in the method or in
 * the class declaration, or named by the table itself) appears in
 *   select / while select  ... (read; forupdate: update), joins (read)
 *   update_recordset b     (update)      delete_from b        (delete)
 *   insert_recordset b ... (create; the select after it: read)
 *   b.insert() / doInsert (create), b.update() / doUpdate (update),
 *   b.delete() / doDelete (delete)
 *   tableNum(T), tableStr(T) (a reference: needs the attribute, any access)
 * A buffer's type counts as a table when the statement shows it is one
 * (select, delete_from, ...) or when it is a known table name.
 */
#ifndef UPKIT_XPP_BODY_H
#define UPKIT_XPP_BODY_H

#include "xpp_scripts.h"

#define XPP_REF		16			/* tableNum()/tableStr(): named, no data access */

struct xpp_use
{
	char	   *table;
	int			line;			/* the first use with this access */
	int			access;			/* one XPP_* flag */
};

struct xpp_uses
{
	struct xpp_use *v;
	int			n;
};

/*
 * The tables m's body uses, one entry per table and access; decl is the
 * class declaration (its buffers count too), or NULL.
 */
void		xpp_body_uses(const struct xpp_method *m, const struct xpp_method *decl,
						  const struct xpp_names *tables, struct xpp_uses *out);
void		xpp_uses_free(struct xpp_uses *u);

#endif
