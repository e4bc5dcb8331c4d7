/* nosym.c - a test shared object that exports no fgsim_policy: fgsim must say so (exit 2). */
#include "fgsim_plugin.h"

int fgsim_policy_typo(void);
int fgsim_policy_typo(void)
{
	return FGP_ABI;
}
