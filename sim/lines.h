/* lines.h - reading a text file one line at a time with a bound on a line's length, so
 * an endless line (/dev/zero, a binary file, a 1 GB line) fails once it passes the bound
 * instead of being read whole into memory; and the FNV-1a hash used to notice that a
 * file read twice is no longer the same. */
#ifndef FGSIM_LINES_H
#define FGSIM_LINES_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LINES_MAX 65536       /* the longest line fgsim reads from a user's file, '\n' aside */
#define LINES_TOO_LONG (-2)   /* lines_get: the line passed max bytes */
#define LINES_FNV_INIT 0xcbf29ce484222325ULL

/* Reads the next line of f into *buf (allocated and grown as getline(3) does, to at most
 * max + 2 bytes), '\n' kept, NUL-terminated. Returns the line's length in bytes (NUL
 * bytes inside it count), 0 at the end of the file, -1 on a read error or no memory
 * (errno set), or LINES_TOO_LONG as soon as the line passes max bytes without its '\n':
 * the rest of it is left unread, so an endless line costs max bytes and stops there. */
long lines_get(char **buf, size_t *cap, size_t max, FILE *f);

/* FNV-1a, 64 bits (Fowler, Noll & Vo): h for n more bytes of data; start at LINES_FNV_INIT. */
uint64_t lines_fnv(uint64_t h, const void *data, size_t n);
#endif
