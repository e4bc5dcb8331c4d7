/* rng.h - independent random streams: one GSL generator per (scenario seed, replication,
 * source). Seeding only from that triple is what gives common random numbers: every
 * policy's replication r draws the same arrivals, sizes and patience. */
#ifndef FGSIM_RNG_H
#define FGSIM_RNG_H
#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The generator every stream uses, chosen by measurement (see README, "Random numbers"). */
#define RNG_TYPE gsl_rng_taus2
#define RNG_TYPE_NAME "taus2"
/* The scheme written into run.json so a reader can reproduce any stream by hand. */
#define RNG_SEED_SCHEME "seed(s,r,k) = splitmix64(splitmix64(s) ^ (r << 32 | k)) mod 2^32, 0 -> 1"

/* The seed of stream `source` in replication `rep`: never 0 (GSL doc/rng.rst). */
unsigned long rng_seed(uint64_t seed, uint32_t rep, uint32_t source);
/* A new generator seeded by rng_seed(). Returns NULL on no memory. */
gsl_rng *rng_stream(uint64_t seed, uint32_t rep, uint32_t source);
/* Reseeds an existing generator for another replication (no allocation). */
void rng_reseed(gsl_rng *r, uint64_t seed, uint32_t rep, uint32_t source);
#endif
