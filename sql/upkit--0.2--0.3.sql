-- upkit 0.2 -> 0.3.  Several topics, one section each (`-- == topic ==`).
\echo Use "CREATE EXTENSION upkit" or "ALTER EXTENSION upkit UPDATE" to load this file. \quit

-- == reservation core ==
-- Issue 8: the behaviour of the C functions changed (no new objects); their
-- comments say what they promise now.
COMMENT ON FUNCTION upkit.fn_fmt_numbersequence(text, bigint, bigint, int) IS
'AX FN_FMT_NUMBERSEQUENCE: formats value + nextrec into format, each # a digit slot filled from the right, other characters copied; rjustify_length > 0 pads on the left with spaces to that many characters. Never truncates: 22003 when the number is negative or has more digits than slots, 22001 when the result is longer than rjustify_length, 22023 for a format without # or a negative rjustify_length, 54000 when the result would be longer than the 1 GB limit of a value. NULL in, NULL out.';

COMMENT ON FUNCTION upkit.reserve_recids_transactional(int, bigint) IS
'Reserves n contiguous RECIDs of table tabid like reserve_recids, but advances NEXTVAL in the caller''s transaction: the SYSTEMSEQUENCES row stays locked until commit and a rollback gives the range back. A table without a row gets one in the same transaction (starting at 5637144576), so a rollback leaves SYSTEMSEQUENCES exactly as it was. Only for RECIDs that are used solely in rows the same transaction inserts (the generated set-based insert procedures); such ranges are not accepted by recid_guard. Same errors as reserve_recids.';

COMMENT ON FUNCTION upkit.reserve_numbers(text, text, bigint) IS
'Reserves n numbers of the number sequence (dataareaid, numbersequence) in the caller''s transaction: returns the first number and the FORMAT, and advances NEXTREC by n. NUMBERSEQUENCETABLE is found through search_path (42P01 if none). P0002 when the sequence does not exist, 22003 past HIGHEST (when HIGHEST > 0) or past bigint, 22023 for n < 1, 22004 for a NULL argument, NEXTREC or FORMAT.';
