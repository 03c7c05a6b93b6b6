/*
 * cli.h: the upkit command's subcommands and their shared conventions.
 *
 * Exit status: 0 success, 1 failure (the work could not be done), 2 usage
 * (the command line is wrong).  Messages go to stderr as "upkit: ...".
 * The helpers live in cli.c; the library never prints, it returns its
 * problems (diag.h) and the command writes them out.
 */
#ifndef UPKIT_CLI_H
#define UPKIT_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "diag.h"

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct upkit_command
{
	const char *name;
	const char *summary;
	int			(*run) (int argc, char **argv);	/* argv[0] is the name */
	void		(*help) (void);
};

int			cmd_generate(int argc, char **argv);
void		help_generate(void);
int			cmd_install(int argc, char **argv);
void		help_install(void);
int			cmd_plan(int argc, char **argv);
void		help_plan(void);
int			cmd_run(int argc, char **argv);
void		help_run(void);
int			cmd_status(int argc, char **argv);
void		help_status(void);
int			cmd_pause(int argc, char **argv);
int			cmd_resume(int argc, char **argv);
void		help_pause(void);
int			cmd_xpp(int argc, char **argv);
void		help_xpp(void);
int			cmd_layers(int argc, char **argv);
void		help_layers(void);
int			cmd_copy(int argc, char **argv);
void		help_copy(void);
int			cmd_report(int argc, char **argv);
void		help_report(void);
int			cmd_transfer(int argc, char **argv);
void		help_transfer(void);

/* Print "upkit: <message>" to stderr. */
void		upkit_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For a usage error: the message, then "Try 'upkit CMD --help'." */
int			upkit_usage_error(const char *cmd, const char *fmt, ...)
			__attribute__((format(printf, 2, 3)));

/*
 * getopt_long reads "-dialect" as "-d ialect".  Before parsing, refuse a
 * single-dash word that is one of opts' long names ("unknown option
 * -dialect; did you mean --dialect?").  Returns 0, or EXIT_USAGE after the
 * message.
 */
int			upkit_check_long_options(const char *cmd, int argc, char **argv,
									 const struct option *opts);

/*
 * Print every problem, then "N problems WHAT; nothing was OUTCOME" (WHAT
 * NULL: "in the spec file(s)").  Returns EXIT_FAIL.
 */
int			upkit_report_problems(const struct upkit_diags *d, int nspecs, const char *what,
								  const char *outcome);

struct upkit_conn_target;

/*
 * One connection option, as getopt_long returned it: 'd' --dialect, 'c'
 * --db, 'S' --server (kept as given in *server), 'D' --database, 'U' --user.
 * Returns 0, or EXIT_USAGE after the message (an unknown dialect).
 */
int			upkit_conn_option(const char *cmd, int opt, const char *arg,
							  struct upkit_conn_target *t, const char **server);

/*
 * After a command's connection options (--dialect, --db, --server,
 * --database, --user; server as given): refuse the options of the other
 * dialect and missing ones, parse HOST[:PORT] (*server_copy: the caller
 * frees it) and take the SQL Server password from UPKIT_MSSQL_PASSWORD.
 * Returns 0, EXIT_USAGE or EXIT_FAIL after the message.
 */
int			upkit_conn_target_finish(const char *cmd, struct upkit_conn_target *t,
									 const char *server, char **server_copy);

/* Write text to path, or to stdout when path is NULL or "-"; 0 on success. */
int			upkit_write_output(const char *path, const char *text, size_t len);

#endif
