/* cfgfile.h - reading a libconfig file the way every fgsim input is read: errors as
 * "PATH: cannot read: why" or "PATH:LINE: what", and never a crash on odd input. */
#ifndef FGSIM_CFGFILE_H
#define FGSIM_CFGFILE_H
#include <libconfig.h>
#include <stddef.h>

/* Initialises cfg and reads path into it. Returns 0, or 2 with the message in err and
 * cfg destroyed. A folder is refused before libconfig sees it: its scanner would end
 * the process ("input in flex scanner failed"). */
int cfgfile_read(config_t *cfg, const char *path, char *err, size_t errlen);
#endif
