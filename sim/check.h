/* check.h - invariants checked at run time. FG_ASSERT(cond) stops the program with the
 * source file, line and condition when cond is false, in debug and sanitizer builds
 * (FGSIM_DEBUG defined: `make debug`, `make sanitize`); in a release build it compiles to
 * nothing, the condition still type-checked so it cannot rot. An assertion names an
 * internal invariant, never a property of the user's input: input errors are reported as
 * FILE:LINE with exit 2 (STYLE.md), whatever the build.
 *
 * The structure walks (cal_check, cluster_check, pf_check) are compiled in every build
 * and return the first broken invariant as text (NULL when all hold), so a test can
 * corrupt a structure and see its walk catch it. */
#ifndef FGSIM_CHECK_H
#define FGSIM_CHECK_H

#ifdef FGSIM_DEBUG
#define FG_DEBUG 1
#define FG_ASSERT(cond) ((cond) ? (void)0 : fg_assert_fail(#cond, __FILE__, __LINE__))
#else
#define FG_DEBUG 0
#define FG_ASSERT(cond) ((void)sizeof(!(cond)))
#endif

/* Writes "FILE:LINE: internal error: WHAT" to stderr and aborts (SIGABRT: never exit 0). */
_Noreturn void fg_assert_fail(const char *what, const char *file, int line);
/* The same for a broken invariant a structure walk found: "FILE:LINE: internal error:
 * WHO: WHY". For the periodic checks of debug builds. */
_Noreturn void fg_check_fail(const char *who, const char *why, const char *file, int line);
#endif
