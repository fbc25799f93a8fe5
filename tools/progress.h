/*
 * progress.h - a progress bar on stderr for long work.
 *
 * It draws only when stderr is a terminal (so logs, pipes and tests never
 * see it) and only once the work has run for half a second (so short work
 * never flickers a bar). A bar with a known total shows the time left,
 * from the rate so far unless the caller knows better. Redraws are limited to ten a second; an update
 * costs one clock read when the bar is live and nothing otherwise, so call
 * it per batch or every few thousand items, not per byte.
 *
 *   cli_progress p;
 *   cli_progress_start(&p, "verify", total);
 *   for (...) cli_progress_update(&p, done);
 *   cli_progress_end(&p);
 */
#ifndef SVL_TOOLS_PROGRESS_H
#define SVL_TOOLS_PROGRESS_H

#include <stdint.h>

typedef struct cli_progress {
	const char *label; /* borrowed for the bar's life */
	uint64_t total;    /* 0 = unknown: a counter instead of a bar */
	int active;        /* stderr is a terminal */
	int drawn;         /* something is on the line */
	int64_t start_ns;
	int64_t last_ns;
	int64_t eta_ms;    /* < 0: estimate from the rate so far */
} cli_progress;

void cli_progress_start(cli_progress *p, const char *label, uint64_t total);
void cli_progress_update(cli_progress *p, uint64_t done);
/* The same with the caller's estimate of the time left (eta_ms < 0:
 * unknown, estimated from the rate so far). */
void cli_progress_eta(cli_progress *p, uint64_t done, int64_t eta_ms);
/* Erase the bar (if drawn) so that the next line starts clean. */
void cli_progress_end(cli_progress *p);

#endif /* SVL_TOOLS_PROGRESS_H */
