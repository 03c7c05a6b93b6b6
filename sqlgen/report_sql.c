/*
 * report_sql.c: the validation log's SQL per dialect (see report.h): the
 * tables of the extension (PostgreSQL, upkit.validation_*) and of the
 * runtime (SQL Server, [dbo].[UPKIT_VALIDATION_*]).  Times are UTC.
 */
#include "report.h"

const struct upkit_report_sql upkit_report_sql[UPKIT_DIALECT_COUNT] = {
	[UPKIT_DIALECT_PG] = {
		.runs =
		"SELECT r.script, r.dataareaid, r.run_id::text,"
		" to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', r.started_by"
		" FROM upkit.validation_run AS r ORDER BY r.script, r.dataareaid",
		.entries =
		"SELECT l.script, l.dataareaid, l.message_id, l.level, l.message, l.resolution,"
		" l.detail_count::text,"
		" (SELECT count(*) FROM upkit.validation_detail AS d WHERE d.script = l.script"
		" AND d.dataareaid = l.dataareaid AND d.message_id = l.message_id)::text"
		" FROM upkit.validation_log AS l"
		" ORDER BY CASE l.level WHEN 'error' THEN 0 ELSE 1 END, l.message_id, l.message, l.script, l.dataareaid",
		.details =
		"SELECT d.script, d.dataareaid, d.message_id, d.seq::text, d.row_recid::text, d.row_dataareaid,"
		" d.row_key, d.detail FROM upkit.validation_detail AS d WHERE d.seq <= $1::bigint"
		" ORDER BY d.script, d.dataareaid, d.message_id, d.seq",
	},
	[UPKIT_DIALECT_MSSQL] = {
		.runs =
		"SELECT R.[SCRIPT], R.[DATAAREAID], CAST(R.[RUN_ID] AS NVARCHAR(20)),"
		" CONVERT(NVARCHAR(19), R.[STARTED_AT], 120) + N' UTC', R.[STARTED_BY]"
		" FROM [dbo].[UPKIT_VALIDATION_RUN] AS R ORDER BY R.[SCRIPT], R.[DATAAREAID]",
		.entries =
		"SELECT L.[SCRIPT], L.[DATAAREAID], L.[MESSAGE_ID], L.[LEVEL], L.[MESSAGE], L.[RESOLUTION],"
		" CAST(L.[DETAIL_COUNT] AS NVARCHAR(20)),"
		" CAST((SELECT COUNT_BIG(*) FROM [dbo].[UPKIT_VALIDATION_DETAIL] AS D WHERE D.[SCRIPT] = L.[SCRIPT]"
		" AND D.[DATAAREAID] = L.[DATAAREAID] AND D.[MESSAGE_ID] = L.[MESSAGE_ID]) AS NVARCHAR(20))"
		" FROM [dbo].[UPKIT_VALIDATION_LOG] AS L"
		" ORDER BY CASE L.[LEVEL] WHEN N'error' THEN 0 ELSE 1 END, L.[MESSAGE_ID], CAST(L.[MESSAGE] AS NVARCHAR(4000)),"
		" L.[SCRIPT], L.[DATAAREAID]",
		.details =
		"SELECT D.[SCRIPT], D.[DATAAREAID], D.[MESSAGE_ID], CAST(D.[SEQ] AS NVARCHAR(20)),"
		" CAST(D.[ROW_RECID] AS NVARCHAR(20)), D.[ROW_DATAAREAID], D.[ROW_KEY], D.[DETAIL]"
		" FROM [dbo].[UPKIT_VALIDATION_DETAIL] AS D WHERE D.[SEQ] <= CAST(@P1 AS BIGINT)"
		" ORDER BY D.[SCRIPT], D.[DATAAREAID], D.[MESSAGE_ID], D.[SEQ]",
	},
};
