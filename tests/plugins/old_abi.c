/* old_abi.c - a test plugin built for another ABI number: fgsim must refuse to call it
 * (exit 2) instead of calling functions whose layout it does not know. */
#include "fgsim_plugin.h"

const fgp_policy fgsim_policy = {FGP_ABI + 1, "old", 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
