/*
 * comment.c: the one place that decides which characters may go into
 * comments of generated SQL, and writes comment text (see comment.h).
 *
 * The decoder is strict UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF), so a byte sequence that one reader might take for a line
 * end and another for something else never gets through as "plain".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comment.h"

enum char_kind
{
	CH_PLAIN,
	CH_TAB,
	CH_LF,
	CH_CRLF,					/* CR LF, one line end */
	CH_CR,						/* CR alone: a line end to PostgreSQL, psql and T-SQL */
	CH_LINE_END,				/* U+0085, U+2028, U+2029: line ends to editors */
	CH_CONTROL,					/* other C0, DEL, C1 */
	CH_BAD						/* not UTF-8 */
};

/* The character at p (not at the terminating NUL): its kind, length and code point. */
static enum char_kind
next_char(const unsigned char *p, size_t *len, unsigned *cp)
{
	unsigned	c = p[0];
	size_t		need;
	unsigned	min;

	*len = 1;
	*cp = c;
	if (c < 0x80)
	{
		if (c == '\t')
			return CH_TAB;
		if (c == '\n')
			return CH_LF;
		if (c == '\r')
		{
			if (p[1] == '\n')
			{
				*len = 2;
				return CH_CRLF;
			}
			return CH_CR;
		}
		return (c < 0x20 || c == 0x7F) ? CH_CONTROL : CH_PLAIN;
	}
	if (c >= 0xC2 && c <= 0xDF)
		need = 1, min = 0x80, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2, min = 0x800, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3, min = 0x10000, c &= 0x07;
	else
		return CH_BAD;
	for (size_t i = 1; i <= need; i++)
	{
		if ((p[i] & 0xC0) != 0x80)	/* also stops at the NUL */
			return CH_BAD;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return CH_BAD;
	*len = need + 1;
	*cp = c;
	if (c == 0x85 || c == 0x2028 || c == 0x2029)
		return CH_LINE_END;
	if (c >= 0x80 && c <= 0x9F)
		return CH_CONTROL;
	return CH_PLAIN;
}

static void
char_name(unsigned cp, char *what, size_t n)
{
	const char *name;

	switch (cp)
	{
		case 0x09: name = "tab"; break;
		case 0x0A: name = "line feed"; break;
		case 0x0D: name = "carriage return"; break;
		case 0x7F: name = "delete"; break;
		case 0x85: name = "next line"; break;
		case 0x2028: name = "line separator"; break;
		case 0x2029: name = "paragraph separator"; break;
		default: name = "control character"; break;
	}
	snprintf(what, n, "U+%04X, %s", cp, name);
}

int
upkit_text_find_bad(const char *text, int lines, size_t *off, char *what, size_t whatn)
{
	const unsigned char *s = (const unsigned char *) text;

	for (size_t i = 0; s[i];)
	{
		size_t		len;
		unsigned	cp;
		enum char_kind k = next_char(s + i, &len, &cp);

		*off = i;
		switch (k)
		{
			case CH_PLAIN:
				break;
			case CH_TAB:
			case CH_LF:
			case CH_CRLF:
				if (lines)
					break;
				char_name(cp, what, whatn);
				return 1;
			case CH_BAD:
				snprintf(what, whatn, "byte 0x%02X", s[i]);
				return -1;
			default:
				char_name(cp, what, whatn);
				return 1;
		}
		i += len;
	}
	return 0;
}

int
upkit_text_check(const char *text, int lines, char *why, size_t n)
{
	char		what[64];
	size_t		off = 0;
	int			rc = upkit_text_find_bad(text, lines, &off, what, sizeof what);

	if (rc < 0)
		snprintf(why, n, "text is not valid UTF-8 (%s at offset %zu)", what, off);
	else if (rc > 0 && lines)
		snprintf(why, n, "text has a control character (%s) at offset %zu; "
				 "comment text may hold tabs and line breaks (LF or CR LF), no other control characters or line ends",
				 what, off);
	else if (rc > 0)
		snprintf(why, n, "text has a control character (%s) at offset %zu; it must be one line without control characters",
				 what, off);
	return rc == 0 ? 0 : -1;
}

/* Append the escape of one character that must not appear as it is. */
static void
escape_char(struct strbuf *sb, enum char_kind k, const unsigned char *p, unsigned cp)
{
	switch (k)
	{
		case CH_TAB:
			sb_append(sb, "\\t");
			break;
		case CH_LF:
			sb_append(sb, "\\n");
			break;
		case CH_CRLF:
			sb_append(sb, "\\r\\n");
			break;
		case CH_CR:
			sb_append(sb, "\\r");
			break;
		case CH_BAD:
			sb_appendf(sb, "\\x%02X", p[0]);
			break;
		default:
			if (cp < 0x80)
				sb_appendf(sb, "\\x%02X", cp);
			else
				sb_appendf(sb, "\\u%04X", cp);
			break;
	}
}

void
upkit_comment_escape(struct strbuf *sb, const char *text)
{
	const unsigned char *s = (const unsigned char *) text;

	for (size_t i = 0; s[i];)
	{
		size_t		len;
		unsigned	cp;
		enum char_kind k = next_char(s + i, &len, &cp);

		if (k == CH_PLAIN)
			sb_append_len(sb, text + i, len);
		else
			escape_char(sb, k, s + i, cp);
		i += len;
	}
}

char *
upkit_comment_escaped(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	upkit_comment_escape(&sb, text);
	return sb.data != NULL ? sb.data : xstrdup("");
}

static void
end_line(struct strbuf *sb, const char *indent, struct strbuf *line)
{
	size_t		len = line->len;

	while (len > 0 && (line->data[len - 1] == ' ' || line->data[len - 1] == '\t'))
		len--;
	sb_append(sb, indent);
	sb_append(sb, len > 0 ? "-- | " : "-- |");
	sb_append_len(sb, sb_str(line), len);
	sb_append(sb, "\n");
	sb_free(line);
}

void
upkit_comment_lines(struct strbuf *sb, const char *indent, const char *text)
{
	const unsigned char *s = (const unsigned char *) text;
	struct strbuf line = STRBUF_INIT;
	int			open = 0;		/* a line has begun and not ended */

	for (size_t i = 0; s[i];)
	{
		size_t		len;
		unsigned	cp;
		enum char_kind k = next_char(s + i, &len, &cp);

		if (k == CH_LF || k == CH_CRLF || k == CH_CR || k == CH_LINE_END)
		{
			end_line(sb, indent, &line);
			open = 0;
		}
		else
		{
			if (k == CH_PLAIN || k == CH_TAB)
				sb_append_len(&line, text + i, len);
			else
				escape_char(&line, k, s + i, cp);
			open = 1;
		}
		i += len;
	}
	if (open)
		end_line(sb, indent, &line);
}
