/* lastfit_abi1.c - lastfit.c as a plugin built before ABI 2: fgsim speaks ABI 1 too (ABI 2
 * only added calls at the end of fgp_api), so it must load and place as lastfit does. */
#define LASTFIT_ABI 1
#include "lastfit.c"
