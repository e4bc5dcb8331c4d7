/* test.h - assertion macros for fgsim's unit tests: each failure prints file, line and
 * both values, counts, and the test goes on; main returns test_report(). */
#ifndef FGSIM_TEST_H
#define FGSIM_TEST_H
#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_checks, test_failures;

#define TEST_FAIL_(fmt, ...)                                                           \
	(test_failures++, fprintf(stderr, "%s:%d: FAIL " fmt "\n", __FILE__, __LINE__, __VA_ARGS__))

#define CHECK(cond) (test_checks++, (cond) ? 0 : TEST_FAIL_("%s", #cond))
#define CHECK_INT(a, b)                                                                \
	do { long long a_ = (a), b_ = (b); test_checks++;                               \
	     if (a_ != b_) TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_); } while (0)
#define CHECK_STR(a, b)                                                                \
	do { const char *a_ = (a), *b_ = (b); test_checks++;                            \
	     if (!a_ || !b_ || strcmp(a_, b_))                                          \
		     TEST_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                          \
	do { double a_ = (a), b_ = (b), t_ = (tol); test_checks++;                       \
	     if (!(fabs(a_ - b_) <= t_))                                                \
		     TEST_FAIL_("%s ~ %s: %.10g vs %.10g (|diff| %.3g > %.3g)", #a, #b, a_, b_, fabs(a_ - b_), t_); } while (0)
/* value lies inside mean +- half_width (a confidence interval) */
#define CHECK_IN_CI(value, mean, hw)                                                   \
	do { double v_ = (value), m_ = (mean), h_ = (hw); test_checks++;                 \
	     if (!(fabs(v_ - m_) <= h_))                                                \
		     TEST_FAIL_("%s = %.6g outside %s = %.6g +- %.3g", #value, v_, #mean, m_, h_); \
	     else fprintf(stderr, "  ok %s = %.6g inside %.6g +- %.3g (%.2f%%)\n", #value, v_, m_, h_, 100 * h_ / fabs(m_)); } while (0)

static inline int test_report(const char *name)
{
	fprintf(stderr, "%s: %d checks, %d failed\n", name, test_checks, test_failures);
	return test_failures ? 1 : 0;
}
#endif
