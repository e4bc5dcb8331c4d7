/* fgsim_mpi.c - bin/fgsim-mpi: the fgsim command line under MPI (`make MPI=1`). Every
 * rank parses the same arguments and scenario; an experiment's (policy, replication)
 * tasks are dealt round-robin over the ranks (experiment.h, experiment_spread) and every
 * result is broadcast from the rank that computed it, so all ranks take the same
 * decisions and rank 0 writes exactly the bytes `fgsim run -j 1` writes. */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>

#include "experiment.h"

int fgsim_main(int argc, char **argv); /* models/cli/main.c, compiled with -Dmain=fgsim_main */

/* MPI counts are ints: larger buffers go in pieces. */
static int share(void *buf, size_t bytes, int owner)
{
	char *p = buf;
	do {
		int n = bytes > INT_MAX ? INT_MAX : (int)bytes;
		if (MPI_Bcast(p, n, MPI_BYTE, owner, MPI_COMM_WORLD) != MPI_SUCCESS)
			return -1;
		p += n;
		bytes -= (size_t)n;
	} while (bytes > 0);
	return 0;
}

/* An error (< 0) anywhere wins over a stop (> 0), which wins over success. */
static int agree(int rc)
{
	int lo = rc, hi = rc;
	if (MPI_Allreduce(&rc, &lo, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD) != MPI_SUCCESS ||
	    MPI_Allreduce(&rc, &hi, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
		return -1;
	return lo < 0 ? lo : hi;
}

int main(int argc, char **argv)
{
	static experiment_spread spread = {0, 1, share, agree};
	if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
		fprintf(stderr, "fgsim-mpi: MPI_Init failed\n");
		return 1;
	}
	MPI_Comm_rank(MPI_COMM_WORLD, &spread.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &spread.size);
	experiment_spread_hook = &spread;
	/* Every rank computes the same messages; rank 0 alone shows them and writes files. */
	if (spread.rank != 0 && (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)))
		MPI_Abort(MPI_COMM_WORLD, 1);
	int rc = fgsim_main(argc, argv);
	MPI_Finalize();
	return rc;
}
