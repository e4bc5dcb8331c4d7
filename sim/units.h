/* units.h - the scenario's quantity strings: durations ("90s", "1d 6h", "3d 20:00"),
 * rates ("7.2/h") and plain numbers, parsed strictly into seconds and per-second
 * values, and durations formatted back for humans. */
#ifndef FGSIM_UNITS_H
#define FGSIM_UNITS_H
#include <stddef.h>

/* Parses a duration: one or more terms <number><unit> with unit s, m, h or d, optionally
 * separated by spaces ("1d 6h", "1.5h"), and optionally ending in a clock time H:MM or
 * H:MM:SS that counts as hours, minutes and seconds ("3d 20:00", "20:00:30"). Each unit
 * may appear once. Returns 0 and sets *seconds (zero is allowed; callers decide whether
 * it makes sense), or -1 with a message in err, e.g.
 * bad duration "7x": unknown unit 'x' (use s, m, h, d), leaving *seconds untouched. */
int units_duration(const char *text, double *seconds, char *err, size_t errlen);

/* Parses a rate <number>/<unit> ("120/h", "3/m", "5/s", "2/d"). Returns 0 and sets
 * *per_second, or -1 with a message in err. */
int units_rate(const char *text, double *per_second, char *err, size_t errlen);

/* Parses a plain decimal number, optionally signed ("20000", "-1.5", "2e4"), without
 * locale, hex, nan or inf. Returns 0 and sets *value, or -1 with a message in err. */
int units_number(const char *text, double *value, char *err, size_t errlen);

/* Formats seconds compactly for humans, largest unit first and zero terms left out
 * (93784 -> "1d 2h 3m 4s", 0 -> "0s", 0.25 -> "0.25s"), in a form units_duration reads
 * back to the millisecond. Returns buf. */
const char *units_format_duration(double seconds, char *buf, size_t len);
#endif
