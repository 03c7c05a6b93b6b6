/*
 * cmd_endpoint.c
 *	  The exit status of a command (upkit copy, upkit transfer) for a side
 *	  copy_endpoint_parse refused: the command line's part of the sides, kept
 *	  out of copy_endpoint.c so that the spec fuzzer links without cli.c.
 */
#include "cli.h"
#include "copy_endpoint.h"

int
copy_endpoint_exit(const char *cmd, int rc, const struct strbuf *err)
{
	if (rc == COPY_ENDPOINT_BAD)
		return upkit_usage_error(cmd, "%s", sb_str(err));
	if (rc == COPY_ENDPOINT_NO_PASSWORD)
	{
		upkit_error("%s", sb_str(err));
		return EXIT_FAIL;
	}
	return rc;
}
