/*
 * bench_proj.h - the projection half of `svcledger bench`: a generated
 * ledger with the department's mix of events, then a full rebuild of all
 * three projections, NDJSON import through the ledger, and as-of stock
 * cards (bench_proj.c).
 */
#ifndef SVL_TOOLS_BENCH_PROJ_H
#define SVL_TOOLS_BENCH_PROJ_H

#include <stdint.h>
#include <stdio.h>

/* Run the projection benchmarks in scratch directory `dir` over a
 * generated ledger of `events` events; print figures with their
 * conditions to out. 0, or an SVL_E... code (detail on stderr). */
int bench_projections(const char *dir, uint64_t events, FILE *out);

#endif
