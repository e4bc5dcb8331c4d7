/* test_numfmt.c - the one number style (models/report/numfmt.h): four significant
 * digits, commas between thousands, no exponent, time units chosen from the data. */
#include <math.h>

#include "numfmt.h"
#include "test.h"

int main(void)
{
	char b[64];
	CHECK_INT(numfmt_decimals(1.234), 3);
	CHECK_INT(numfmt_decimals(0.0031), 6);
	CHECK_INT(numfmt_decimals(87.4), 2);
	CHECK_INT(numfmt_decimals(999.9), 1);
	CHECK_INT(numfmt_decimals(1000), 0);
	CHECK_INT(numfmt_decimals(2.5e9), 0);
	CHECK_INT(numfmt_decimals(1e-9), 6); /* at most 6 */
	CHECK_INT(numfmt_decimals(0), 0);
	CHECK_INT(numfmt_decimals(NAN), 0);

	CHECK_STR(numfmt(0, 0, b, sizeof b), "0");
	CHECK_STR(numfmt(999, 0, b, sizeof b), "999");
	CHECK_STR(numfmt(1000, 0, b, sizeof b), "1,000");
	CHECK_STR(numfmt(12859.46, 1, b, sizeof b), "12,859.5");
	CHECK_STR(numfmt(1234567.891, 2, b, sizeof b), "1,234,567.89");
	CHECK_STR(numfmt(-1234567, 0, b, sizeof b), "-1,234,567");
	CHECK_STR(numfmt(-123, 0, b, sizeof b), "-123");
	CHECK_STR(numfmt(0.0031, 4, b, sizeof b), "0.0031");
	CHECK_STR(numfmt(1.9e3, 0, b, sizeof b), "1,900"); /* never 1.9e+03 */
	CHECK_STR(numfmt(1e15, 0, b, sizeof b), "1,000,000,000,000,000");
	CHECK_STR(numfmt(-0.0001, 2, b, sizeof b), "0.00"); /* no sign on a rounded zero */
	CHECK_STR(numfmt(NAN, 2, b, sizeof b), "nan");
	CHECK_STR(numfmt(-INFINITY, 2, b, sizeof b), "-inf");
	char tiny[6];
	CHECK_STR(numfmt(1234567, 0, tiny, sizeof tiny), "1,234"); /* cut to the buffer, ended */

	CHECK_STR(numfmt_ci(23836.2, 329.7, 0, b, sizeof b), "23,836 +- 330");
	CHECK_STR(numfmt_ci(0.89871, 0.00412, 4, b, sizeof b), "0.8987 +- 0.0041");
	CHECK_STR(numfmt_ci(41299, NAN, 0, b, sizeof b), "41,299");
	/* the pages' form: the same numbers, the sign a reader expects */
	CHECK_STR(numfmt_ci_pm(23836.2, 329.7, 0, b, sizeof b), "23,836 ± 330");
	CHECK_STR(numfmt_ci_pm(41299, NAN, 0, b, sizeof b), "41,299");

	/* counts: a figure every replication agrees on is whole, whatever its column's
	 * decimals; from 100 up with a spread of a thing or more, decimals are noise */
	CHECK_INT(numfmt_count_decimals(16, 0, 2), 0);
	CHECK_INT(numfmt_count_decimals(0, 0, 2), 0);
	CHECK_INT(numfmt_count_decimals(7, NAN, 3), 0);      /* one replication */
	CHECK_INT(numfmt_count_decimals(3.175, 0.485, 3), 3); /* a mean of counts */
	CHECK_INT(numfmt_count_decimals(24, 6.2, 2), 2);      /* whole by chance: spread */
	CHECK_INT(numfmt_count_decimals(230.5, 4.46, 1), 0);
	CHECK_INT(numfmt_count_decimals(150.2, 0.3, 1), 1);   /* a spread below one thing */
	CHECK_INT(numfmt_count_decimals(NAN, 1, 2), 2);

	const char *u;
	CHECK_NEAR(numfmt_time_unit(90, &u), 1, 0);
	CHECK_STR(u, "s");
	CHECK_NEAR(numfmt_time_unit(-600, &u), 60, 0);
	CHECK_STR(u, "min");
	CHECK_NEAR(numfmt_time_unit(7200, &u), 3600, 0);
	CHECK_STR(u, "h");
	CHECK_NEAR(numfmt_time_unit(3 * 86400, &u), 86400, 0);
	CHECK_STR(u, "d");
	CHECK_NEAR(numfmt_time_unit(NAN, &u), 1, 0);
	CHECK_STR(u, "s");
	return test_report("test_numfmt");
}
