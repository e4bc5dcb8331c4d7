/* mmc_ref.c - the yardstick for fgsim's engine benchmark: M/M/c FCFS simulated with no
 * event list at all (Kiefer-Wolfowitz recursion over the servers' next-free times in
 * a binary min-heap), two exponential draws and one heap fix per job. It is the idea
 * of the reference loop the team measures against, rewritten here so the project does
 * not depend on files outside it; like that loop it inlines xoshiro256+ so that the
 * yardstick pays nothing for a generator call (fgsim itself uses GSL streams).
 *
 * usage: mmc_ref LAMBDA MU C JOBS [SEED]
 * prints: jobs, mean wait, P(wait>0), jobs per second */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t s[4];

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256+ (Blackman & Vigna 2018) */
static inline uint64_t next(void)
{
	uint64_t r = s[0] + s[3], t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static inline double expo(double rate)
{
	return -log(((next() >> 11) + 0.5) * 0x1.0p-53) / rate;
}

static void sift_down(double *h, int n, int i)
{
	double v = h[i];
	for (;;) {
		int l = 2 * i + 1, m;
		if (l >= n)
			break;
		m = (l + 1 < n && h[l + 1] < h[l]) ? l + 1 : l;
		if (h[m] >= v)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = v;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: %s LAMBDA MU C JOBS [SEED]\n", argv[0]);
		return 2;
	}
	double lambda = atof(argv[1]), mu = atof(argv[2]);
	int c = atoi(argv[3]);
	long jobs = atol(argv[4]);
	uint64_t seed = argc > 5 ? strtoull(argv[5], 0, 10) : 1;
	for (int i = 0; i < 4; i++) { /* splitmix64 seeding */
		uint64_t z = seed += 0x9e3779b97f4a7c15ULL;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		s[i] = z ^ (z >> 31);
	}
	double *free_at = calloc((size_t)c, sizeof *free_at);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	double now = 0, sum_w = 0;
	long waited = 0;
	for (long j = 0; j < jobs; j++) {
		now += expo(lambda);
		double start = free_at[0] > now ? free_at[0] : now, w = start - now;
		sum_w += w;
		waited += w > 0;
		free_at[0] = start + expo(mu);
		sift_down(free_at, c, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	printf("jobs %ld mean_wait %.6f p_wait %.6f jobs_per_s %.0f\n", jobs, sum_w / (double)jobs,
	       (double)waited / (double)jobs, (double)jobs / secs);
	free(free_at);
	return 0;
}
