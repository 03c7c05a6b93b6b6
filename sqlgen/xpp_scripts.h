/*
 * xpp_scripts.h: upgrade scripts and their attributes, read from the class
 * methods of XPO exports.
 *
 * A method is an upgrade script when it carries one of the attributes the
 * reference names for that purpose (UpgradeScriptDescriptionAttribute,
 * UpgradeScriptTypeAttribute, UpgradeScriptStageAttribute,
 * UpgradeScriptTableAttribute).  Its other attributes give its
 * configuration keys and its dependencies (UpgradeDependsOnTask / Module /
 * Version, and the reverse UpgradeTaskDependsOnMe / UpgradeModuleDependsOnMe).
 * Attribute names are matched without case and with or without the
 * "Attribute" suffix, as the X++ compiler does.
 *
 * The names a script may use (tables, classes, methods, configuration keys)
 * are those the XPO files define plus those of list files (one name a line,
 * '#' starts a comment; methods as Class.method).
 */
#ifndef UPKIT_XPP_SCRIPTS_H
#define UPKIT_XPP_SCRIPTS_H

#include "xpo_read.h"
#include "xpp_lex.h"

enum xpp_stage
{
	XPP_STAGE_NONE,
	XPP_STAGE_PRESYNC,
	XPP_STAGE_POSTSYNC,
	XPP_STAGE_ADDITIONAL
};

enum xpp_type
{
	XPP_TYPE_NONE,
	XPP_TYPE_START,
	XPP_TYPE_SHARED,
	XPP_TYPE_STANDARD,
	XPP_TYPE_FINAL
};

/* Access flags, as in UpgradeScriptTableAttribute(table, create, read, update, delete). */
#define XPP_CREATE	1
#define XPP_READ	2
#define XPP_UPDATE	4
#define XPP_DELETE	8

struct xpp_table_attr
{
	char	   *table;
	int			line;
	int			access;			/* XPP_CREATE | ... */
};

struct xpp_name_ref
{
	char	   *name;
	int			line;
};

struct xpp_dep
{
	char	   *cls;			/* the other script's class */
	char	   *method;
	int			line;
	int			reverse;		/* ...DependsOnMe: the other script runs after this one */
	int			cross_class;	/* named by a Module/Version attribute (checks the class) */
};

/* One method's attributes, signature and body. */
struct xpp_method
{
	const struct xpo_element *cls;
	const struct xpo_source *src;
	int			is_script;
	int			line;			/* the method's name in its signature */
	int			is_static;
	int			has_params;
	int			has_desc;
	int			has_type;
	int			has_stage;
	enum xpp_stage stage;
	enum xpp_type type;
	struct xpp_table_attr *tables;
	int			ntables;
	struct xpp_name_ref *config_keys;
	int			nconfig_keys;
	struct xpp_dep *deps;
	int			ndeps;
	struct xtoks toks;			/* the whole method */
	int			body;			/* index of the body's '{' in toks (toks.n if none) */
};

struct xpp_names
{
	char	  **v;
	int			n;
};

struct xpp_world
{
	struct xpo_file *files;
	int			nfiles;
	struct xpp_names tables;
	struct xpp_names classes;
	struct xpp_names methods;	/* "Class.method" */
	struct xpp_names config_keys;
	struct xpp_method *methods_v;	/* every class method of every file */
	int			nmethods;
};

/* Read a method: attributes, signature, tokens. */
void		xpp_method_read(const struct xpo_element *cls, const struct xpo_source *src,
							struct xpp_method *out);
void		xpp_method_free(struct xpp_method *m);

/*
 * Build the world from files that were read (the world takes them over):
 * the names they define and every class method.
 */
void		xpp_world_init(struct xpp_world *w, struct xpo_file *files, int nfiles);
/* Add the names of a list file; -1 with a message in err when unreadable. */
int			xpp_names_load(struct xpp_names *names, const char *path, char *err, size_t errlen);
void		xpp_names_add(struct xpp_names *names, const char *name);
int			xpp_names_has(const struct xpp_names *names, const char *name);
void		xpp_world_free(struct xpp_world *w);

/* The file a method comes from. */
const char *xpp_method_file(const struct xpp_world *w, const struct xpp_method *m);
/* The upgrade script cls.method, or NULL. */
const struct xpp_method *xpp_find_script(const struct xpp_world *w, const char *cls, const char *method);

const char *xpp_stage_name(enum xpp_stage s);
const char *xpp_type_name(enum xpp_type t);

#endif
