/* checkpoint.c - the arithmetic of periodic checkpoints (checkpoint.h): closed forms,
 * so a job of any length costs the same to place on the cycle. */
#include "checkpoint.h"

#include <math.h>

double ckpt_wall(const ckpt_plan *c, double work, double restart)
{
	if (!(c->every > 0) || work <= 0)
		return restart + (work > 0 ? work : 0);
	/* a checkpoint after each full stretch but the one that ends the job */
	double pauses = ceil(work / c->every) - 1;
	return restart + work + c->cost * (pauses > 0 ? pauses : 0);
}

ckpt_state ckpt_after(const ckpt_plan *c, double elapsed, double restart)
{
	ckpt_state s = {0, 0, 0, 0};
	double x = elapsed - restart;
	if (x <= 0)
		return s;
	if (!(c->every > 0)) {
		s.work = x;
		return s;
	}
	double cycle = c->every + c->cost, n = floor(x / cycle), rem = x - n * cycle;
	s.work = n * c->every + fmin(rem, c->every);
	s.saved = n * c->every;
	s.saved_at = n > 0 ? restart + n * cycle : 0;
	s.pauses = n * c->cost + fmax(0, rem - c->every);
	return s;
}

double ckpt_young(double cost, double mtbf)
{
	return cost > 0 && mtbf > 0 ? sqrt(2 * cost * mtbf) : 0;
}
