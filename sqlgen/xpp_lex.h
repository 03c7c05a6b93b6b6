/*
 * xpp_lex.h: split X++ source into tokens, each with its line in the XPO
 * file, so that every finding can point at a line.
 *
 * Comments are dropped; string literals ('...', "...", @"...") become one
 * token holding their content; "#name" (a macro use or a directive such as
 * #define.version) is one token; a few two-character operators (::, +=, ==,
 * !=, <=, >=, &&, ||) are one token.  The lexer never fails: an unclosed
 * string or comment ends at the end of the source.
 */
#ifndef UPKIT_XPP_LEX_H
#define UPKIT_XPP_LEX_H

enum xtok_kind
{
	XT_IDENT,
	XT_NUMBER,
	XT_STRING,
	XT_MACRO,
	XT_PUNCT
};

struct xtok
{
	enum xtok_kind kind;
	char	   *text;
	int			line;
};

struct xtoks
{
	struct xtok *t;
	int			n;
};

/* Tokens of src, whose first line is file line first_line. */
void		xpp_lex(const char *src, int first_line, struct xtoks *out);
void		xpp_toks_free(struct xtoks *toks);

/* Is token k an identifier equal to word (case-insensitive, like X++)? */
int			xtok_is(const struct xtoks *toks, int k, const char *word);
/* Is token k the punctuation p? */
int			xtok_punct(const struct xtoks *toks, int k, const char *p);

#endif
