/* plugin.c - loading policy and placement plugins: dlopen (RTLD_LOCAL: two plugins may
 * define the same names), the exported table, and its ABI number checked before any
 * of its functions is called. */
#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../fgsim_plugin.h"
#include "check.h"

int plugin_open(const char *path, const char *symbol, const char *where, void **dl,
		const void **table, char *msg, size_t len)
{
	FG_ASSERT(path && symbol && dl && table && msg && len > 0);
	struct stat st;
	*dl = NULL;
	*table = NULL;
	int missing = stat(path, &st) != 0;
	if (missing || !S_ISREG(st.st_mode)) {
		/* The folder a relative path starts from depends on who named it (the file,
		 * --set, --policy-add): the caller knows and says it in `where`. */
		snprintf(msg, len,
			 "plugin %s: %s (%s%s`make plugins` builds the bundled ones in "
			 "models/plugins)",
			 path, missing ? strerror(errno) : "not a file", where ? where : "",
			 where ? "; " : "");
		return 2;
	}
	/* RTLD_NOW: a missing symbol is told here, at load, with exit 2, not as a crash
	 * in the middle of a run when the plugin first calls it */
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		snprintf(msg, len, "plugin %s: cannot load: %s", path, why ? why : "dlopen failed");
		return 2;
	}
	dlerror(); /* clear any earlier message, so dlerror after dlsym is this one's */
	const void *t = dlsym(h, symbol);
	if (!t) {
		snprintf(msg, len, "plugin %s: no symbol \"%s\" (a policy exports `const fgp_policy fgsim_policy`, a "
			 "placement `const fgp_placement fgsim_placement`)", path, symbol);
		dlclose(h);
		return 2;
	}
	/* abi is the first field of both tables (fgsim_plugin.h): it is read before
	 * anything else of the layout is trusted */
	int abi = *(const int *)t;
	/* an older ABI's tables are a prefix of this one's: they still load */
	if (abi < FGP_ABI_MIN || abi > FGP_ABI) {
		snprintf(msg, len, "plugin %s: built for plugin ABI %d, this fgsim speaks ABI %d to %d (rebuild it against "
			 "this fgsim's models/fgsim_plugin.h)", path, abi, FGP_ABI_MIN, FGP_ABI);
		dlclose(h);
		return 2;
	}
	*dl = h;
	*table = t;
	return 0;
}

void plugin_close(void *dl)
{
	if (dl)
		dlclose(dl);
}
