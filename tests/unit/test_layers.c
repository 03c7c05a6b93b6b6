/*
 * test_layers.c: the layer rule (layers.h) case by case, the reference's
 * three scenarios and the cases it implies on the fixtures in
 * tests/fixtures/layers/, the old USR's part, elements read as a whole, and
 * the mismatches that stop the analysis with the element named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "layers.h"
#include "tap.h"

#define HEAD "Exportfile for AOT version 1.0 or later\nFormatversion: 1\n\n"

static void
read_or_bail(const char *path, struct xpo_file *f)
{
	char		err[1024];

	if (xpo_read_file(path, f, err, sizeof err) != 0)
	{
		printf("Bail out! %s\n", err);
		exit(1);
	}
}

static void
read_text_or_bail(const char *name, const char *text, struct xpo_file *f)
{
	char		err[1024];

	if (xpo_read_text(name, text, strlen(text), f, err, sizeof err) != 0)
	{
		printf("Bail out! %s\n", err);
		exit(1);
	}
}

/* The unit of that element (and node, NULL for the whole element), or NULL. */
static const struct layers_unit *
unit(const struct layers_result *r, const char *element, const char *node)
{
	for (int i = 0; i < r->n; i++)
		if (strcasecmp(r->units[i].element, element) == 0 &&
			(node == NULL ? r->units[i].node == NULL : r->units[i].node && strcmp(r->units[i].node, node) == 0))
			return &r->units[i];
	return NULL;
}

static void
verdict_is(const struct layers_result *r, const char *element, const char *node,
		   enum layers_verdict v, enum layers_reason why, const char *name)
{
	const struct layers_unit *u = unit(r, element, node);

	if (!ok(u && u->verdict == v && u->reason == why, name))
	{
		if (u)
			printf("#   got %s (%s)\n", layers_verdict_name(u->verdict), layers_reason_text(u->reason));
		else
			printf("#   no unit %s %s\n", element, node ? node : "");
	}
}

/* The rule alone: one case. */
static void
rule_is(const char *u, const char *s0, const char *s1, int have_c, const char *c,
		enum layers_verdict v, enum layers_reason why, const char *name)
{
	enum layers_reason got;
	enum layers_verdict gv = layers_rule(u, s0, s1, have_c, c, &got);

	if (!ok(gv == v && got == why, name))
		printf("#   got %s (%s)\n", layers_verdict_name(gv), layers_reason_text(got));
}

static const char *const menu_old = HEAD "***Element: MNU\n  MENU #Cust\n    PROPERTIES\n      Name #Cust\n    ENDPROPERTIES\n    MENUITEM #CustTable\n  ENDMENU\n\n***Element: END\n";
static const char *const menu_new = HEAD "***Element: MNU\n  MENU #Cust\n    PROPERTIES\n      Name #Cust\n    ENDPROPERTIES\n    MENUITEM #CustTable\n    MENUITEM #CustGroup\n  ENDMENU\n\n***Element: END\n";
static const char *const menu_usr = HEAD "***Element: MNU\n  MENU #Cust\n    PROPERTIES\n      Name #Cust\n    ENDPROPERTIES\n    MENUITEM #CustTable\n    MENUITEM #CustRating\n  ENDMENU\n\n***Element: END\n";

int
main(void)
{
	struct xpo_file old_sys,
				new_sys,
				usr,
				old_usr,
				extra;
	struct layers_input in;
	struct layers_result r;
	struct upkit_diags d = UPKIT_DIAGS_INIT;

	plan(42);

	/* The rule, case by case. */
	rule_is("a", NULL, NULL, 0, NULL, LAYERS_NONE, LAYERS_USR_ONLY, "only USR has it: no upgrade");
	rule_is("b", "a", "b", 0, NULL, LAYERS_OBSOLETE, LAYERS_EQUALS_NEW_SYS, "USR equals the new SYS: obsolete");
	rule_is("b", NULL, "b", 0, NULL, LAYERS_OBSOLETE, LAYERS_EQUALS_NEW_SYS, "... also when the old SYS lacked it");
	rule_is("a", "a", "b", 0, NULL, LAYERS_NONE, LAYERS_NOT_CUSTOMIZED, "USR equals the old SYS: not customized");
	rule_is("u", "a", "a", 0, NULL, LAYERS_NONE, LAYERS_SYS_UNCHANGED, "SYS unchanged: no upgrade");
	rule_is("u", "a", "b", 0, NULL, LAYERS_CONFLICT, LAYERS_BOTH_CHANGED, "customized and changed below: conflict");
	rule_is("u", "a", NULL, 0, NULL, LAYERS_CONFLICT, LAYERS_SYS_DELETED, "customized and deleted below: conflict");
	rule_is("a", "a", NULL, 0, NULL, LAYERS_NONE, LAYERS_NOT_CUSTOMIZED, "an unchanged copy of a node SYS deleted: not customized");
	rule_is("u", NULL, "b", 0, NULL, LAYERS_CONFLICT, LAYERS_SYS_ADDED, "SYS adds a node USR already has: conflict");
	rule_is("u", "a", "b", 1, NULL, LAYERS_NONE, LAYERS_ADDED_AFTER, "the old USR lacks it: added on the new SYS");
	rule_is("u", "a", "b", 1, "a", LAYERS_NONE, LAYERS_NOT_CUSTOMIZED_BEFORE, "the old USR equals the old SYS: not customized then");
	rule_is("u", "a", "b", 1, "c", LAYERS_CONFLICT, LAYERS_BOTH_CHANGED, "the old USR customized it: conflict");
	rule_is("a", "a", "b", 1, "a", LAYERS_NONE, LAYERS_NOT_CUSTOMIZED, "both USRs equal the old SYS: not customized");
	rule_is("b", "a", "b", 1, NULL, LAYERS_OBSOLETE, LAYERS_EQUALS_NEW_SYS, "obsolete comes first, old USR or not");

	/* The fixtures: the reference's scenarios and the implied cases. */
	read_or_bail("tests/fixtures/layers/sys-old.xpo", &old_sys);
	read_or_bail("tests/fixtures/layers/sys-new.xpo", &new_sys);
	read_or_bail("tests/fixtures/layers/usr.xpo", &usr);
	read_or_bail("tests/fixtures/layers/usr-old.xpo", &old_usr);
	memset(&in, 0, sizeof in);
	in.old_sys = (struct layers_layer) {&old_sys, 1};
	in.new_sys = (struct layers_layer) {&new_sys, 1};
	in.usr = (struct layers_layer) {&usr, 1};
	is_int(layers_decide(&in, &r, &d), 0, "the fixtures are decided");
	is_int(r.n, 11, "... eleven units");
	is_int(r.elements, 7, "... in seven USR elements");
	verdict_is(&r, "CustTable", "CompanyLogo", LAYERS_NONE, LAYERS_USR_ONLY,
			   "CustTable: the USR field CompanyLogo needs no upgrade");
	ok(unit(&r, "CustTable", "A") == NULL && unit(&r, "CustTable", "C") == NULL,
	   "... SYS's fields A to D are no units of USR");
	verdict_is(&r, "VendTable", NULL, LAYERS_CONFLICT, LAYERS_BOTH_CHANGED,
			   "the VendTable form (button Y in SYS, X in USR) is a conflict");
	verdict_is(&r, "FormA", NULL, LAYERS_OBSOLETE, LAYERS_EQUALS_NEW_SYS,
			   "the hot-fix form, identical to the new SYS, is obsolete");
	verdict_is(&r, "SalesCalc", "calcTax", LAYERS_CONFLICT, LAYERS_BOTH_CHANGED,
			   "a method changed in both layers is a conflict");
	verdict_is(&r, "SalesCalc", "calcDiscount", LAYERS_NONE, LAYERS_SYS_UNCHANGED,
			   "a method only USR changed needs no upgrade");
	verdict_is(&r, "SalesCalc", "roundAmount", LAYERS_NONE, LAYERS_NOT_CUSTOMIZED,
			   "a method USR copied unchanged is not customized");
	verdict_is(&r, "SalesCalc", "printTotals", LAYERS_OBSOLETE, LAYERS_EQUALS_NEW_SYS,
			   "a method USR fixed as the new SYS did is obsolete");
	verdict_is(&r, "InventTable", "OldField", LAYERS_CONFLICT, LAYERS_SYS_DELETED,
			   "a field deleted in the new SYS that USR modified is a conflict");
	verdict_is(&r, "InventTable", "ItemIdx", LAYERS_NONE, LAYERS_SYS_UNCHANGED,
			   "an index only USR changed needs no upgrade");
	verdict_is(&r, "SalesTable", "DeliveryNote", LAYERS_CONFLICT, LAYERS_SYS_ADDED,
			   "a field the new SYS adds under USR's name is a conflict");
	verdict_is(&r, "SalesStatus", "Approved", LAYERS_NONE, LAYERS_USR_ONLY,
			   "a USR enum value needs no upgrade");
	ok(r.conflicts == 4 && r.obsolete == 2, "4 conflicts, 2 obsolete");
	layers_result_free(&r);

	/* The old USR: calcTax was not customized then, DeliveryNote did not exist. */
	in.old_usr = (struct layers_layer) {&old_usr, 1};
	is_int(layers_decide(&in, &r, &d), 0, "with the old USR");
	verdict_is(&r, "SalesCalc", "calcTax", LAYERS_NONE, LAYERS_NOT_CUSTOMIZED_BEFORE,
			   "... a method customized only after the upgrade needs none");
	verdict_is(&r, "SalesTable", "DeliveryNote", LAYERS_NONE, LAYERS_ADDED_AFTER,
			   "... a field added to USR after the upgrade needs none");
	verdict_is(&r, "VendTable", NULL, LAYERS_CONFLICT, LAYERS_BOTH_CHANGED, "... VendTable stays a conflict");
	layers_result_free(&r);
	in.old_usr.nfiles = 0;

	/* An element the reader keeps as a whole (a menu): compared whole. */
	{
		struct xpo_file m0,
					m1,
					mu;
		struct layers_input mi;

		read_text_or_bail("m0.xpo", menu_old, &m0);
		read_text_or_bail("m1.xpo", menu_new, &m1);
		read_text_or_bail("mu.xpo", menu_usr, &mu);
		memset(&mi, 0, sizeof mi);
		mi.old_sys = (struct layers_layer) {&m0, 1};
		mi.new_sys = (struct layers_layer) {&m1, 1};
		mi.usr = (struct layers_layer) {&mu, 1};
		layers_decide(&mi, &r, &d);
		verdict_is(&r, "Cust", NULL, LAYERS_CONFLICT, LAYERS_BOTH_CHANGED, "a menu changed in both layers: a conflict, as a whole");
		ok(strcmp(r.units[0].element_kind, "element") == 0 && r.units[0].line == 5, "... at its MENU line");
		layers_result_free(&r);
		mi.usr = (struct layers_layer) {&m1, 1};
		layers_decide(&mi, &r, &d);
		verdict_is(&r, "Cust", NULL, LAYERS_OBSOLETE, LAYERS_EQUALS_NEW_SYS, "a menu equal to the new SYS: obsolete");
		layers_result_free(&r);
		xpo_file_free(&m0);
		xpo_file_free(&m1);
		xpo_file_free(&mu);
	}

	/* Mismatches: named, nothing decided. */
	read_text_or_bail("bad.xpo", HEAD "***Element: CLS\n  CLASS #custtable\n  ENDCLASS\n\n***Element: END\n", &extra);
	in.usr = (struct layers_layer) {&extra, 1};
	is_int(layers_decide(&in, &r, &d), -1, "a USR class whose name SYS uses for a table is refused");
	if (!ok(d.n == 2 && strstr(d.items[0].reason, "bad.xpo:5: class custtable is a table in the old SYS layer (tests/fixtures/layers/sys-old.xpo:10)") != NULL,
			"... naming the element, the file and line, and what the other layer holds") && d.n)
		printf("#   %s\n", d.items[0].reason);
	ok(r.n == 0 && r.units == NULL, "... and no verdicts");
	upkit_diags_free(&d);
	{
		struct xpo_file two[2] = {usr, extra};

		in.usr = (struct layers_layer) {two, 1};
		in.old_sys = (struct layers_layer) {(struct xpo_file[]) {old_sys, old_sys}, 2};
		is_int(layers_decide(&in, &r, &d), -1, "an element in two files of one layer is refused");
		ok(d.n > 0 && strstr(d.items[0].reason, "table CustTable is exported twice in the old SYS layer") != NULL,
		   "... naming it and the layer");
		upkit_diags_free(&d);
	}

	xpo_file_free(&extra);
	xpo_file_free(&old_sys);
	xpo_file_free(&new_sys);
	xpo_file_free(&usr);
	xpo_file_free(&old_usr);
	return done();
}
