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

#include "bench.h"

/* The figures of one run, for the scale chart (bench_scale.c). */
typedef struct bench_proj_figs {
	bench_rate import;   /* NDJSON import, projections inline */
	bench_rate rebuild;  /* svl_ledger_rebuild: all three projections */
	bench_rate asof_seq; /* a stock card as of a seq */
	int has_peer;	     /* peer below measured */
	bench_stock_figs peer;
} bench_proj_figs;

/* Run the projection benchmarks in scratch directory `dir` over a
 * generated ledger of `events` events; print figures with their
 * conditions to out; with peer, the stock-card projection on SQLite too
 * (bench_stock_peer), checked equal to ours. figs (may be NULL) gets the
 * figures. 0, or an SVL_E... code (detail on stderr); SVL_ECORRUPT when
 * the peer's cards differ from ours. */
int bench_projections(const char *dir, uint64_t events, int peer, FILE *out,
		      bench_proj_figs *figs);

#endif
