/* help.h - every word of fgsim's help in one table (help.c): the general help, each
 * command's help (`fgsim help CMD`, `fgsim CMD --help`), the usage printed after bad
 * usage, and the man page fgsim.1 are all written from it, so they cannot disagree. */
#ifndef FGSIM_CLI_HELP_H
#define FGSIM_CLI_HELP_H
#include <stdio.h>

/* The general help: what fgsim is, each command's synopsis and summary, exit status. */
void help_general(FILE *f);
/* Command cmd's help: summary, synopsis, description, options with their defaults and
 * an example. Returns 0, or -1 (nothing printed) when help knows no command cmd. */
int help_command(FILE *f, const char *cmd);
/* The usage after bad usage of cmd: "usage: " and its synopsis, then where the options
 * are described. cmd must be a command help knows. */
void help_usage(FILE *f, const char *cmd);
/* The man page fgsim(1), in roff with the man macros, for fgsim `version`. */
void help_man(FILE *f, const char *version);
/* Writes text word-wrapped to `width` columns, every line indented by `indent` spaces but
 * the first, which starts at column `col` (what the caller has printed). A single
 * newline in text starts a new line, a blank line a new paragraph. */
void help_wrap(FILE *f, const char *text, int col, int indent, int width);
/* The names of the commands help describes, NULL-terminated, in the order shown. */
const char *const *help_names(void);
#endif
