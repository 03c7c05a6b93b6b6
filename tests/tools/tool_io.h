/*
 * tool_io.h: what the test tools in tests/tools share.  Header-only: each
 * tool is built from its one .c file.
 */
#ifndef TOOL_IO_H
#define TOOL_IO_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Write a whole line with write(2), so that lines from several processes
 * sharing stdout never mix.
 */
static inline void
put_line(const char *line)
{
	size_t		len = strlen(line);
	size_t		done = 0;

	while (done < len)
	{
		ssize_t		w = write(STDOUT_FILENO, line + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			exit(1);
		done += (size_t) w;
	}
}

#endif							/* TOOL_IO_H */
