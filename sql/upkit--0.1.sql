-- upkit 0.1: FN_FMT_NUMBERSEQUENCE.
-- Installed by CREATE EXTENSION upkit; the objects live in schema upkit.
\echo Use "CREATE EXTENSION upkit" to load this file. \quit

CREATE FUNCTION upkit.fn_fmt_numbersequence(
    format text,
    value bigint,
    nextrec bigint DEFAULT 0,
    rjustify_length int DEFAULT 0)
RETURNS text
AS 'MODULE_PATHNAME', 'upkit_fn_fmt_numbersequence'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION upkit.fn_fmt_numbersequence(text, bigint, bigint, int) IS
'AX FN_FMT_NUMBERSEQUENCE: formats value + nextrec into format, each # a digit slot filled from the right, other characters copied; rjustify_length > 0 pads on the left with spaces to that many characters. Never truncates: 22003 when the number is negative or has more digits than slots, 22001 when the result is longer than rjustify_length, 22023 for a format without # or a negative rjustify_length. NULL in, NULL out.';
