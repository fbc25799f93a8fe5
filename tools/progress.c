/* progress.c - see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define PROGRESS_DELAY_NS 500000000LL  /* show only after 0.5 s */
#define PROGRESS_PERIOD_NS 100000000LL /* at most ten redraws a second */
#define PROGRESS_WIDTH 30

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void cli_progress_start(cli_progress *p, const char *label, uint64_t total)
{
	p->label = label;
	p->total = total;
	p->active = isatty(STDERR_FILENO);
	p->drawn = 0;
	p->start_ns = p->active ? now_ns() : 0;
	p->last_ns = p->start_ns;
	p->eta_ms = -1;
}

static void draw(const cli_progress *p, uint64_t done, int64_t t)
{
	double secs = (double)(t - p->start_ns) / 1e9;
	if (p->total == 0) {
		fprintf(stderr, "\r%s: %llu (%.1f s)\033[K", p->label,
			(unsigned long long)done, secs);
		return;
	}
	if (done > p->total)
		done = p->total;
	int fill = (int)((double)done / (double)p->total * PROGRESS_WIDTH);
	char bar[PROGRESS_WIDTH + 1];
	for (int i = 0; i < PROGRESS_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[PROGRESS_WIDTH] = '\0';
	double left = p->eta_ms >= 0 ? (double)p->eta_ms / 1e3
		      : done ? secs * (double)(p->total - done) / (double)done
			     : -1;
	fprintf(stderr, "\r%s [%s] %3d%% %llu/%llu (%.1f s", p->label, bar,
		(int)(100.0 * (double)done / (double)p->total),
		(unsigned long long)done, (unsigned long long)p->total, secs);
	if (left >= 0)
		fprintf(stderr, _(", ~%.0f s left"), left);
	fputs(")\033[K", stderr);
}

void cli_progress_update(cli_progress *p, uint64_t done)
{
	if (!p->active)
		return;
	int64_t t = now_ns();
	if (t - p->start_ns < PROGRESS_DELAY_NS ||
	    (p->drawn && t - p->last_ns < PROGRESS_PERIOD_NS))
		return;
	draw(p, done, t);
	p->drawn = 1;
	p->last_ns = t;
}

void cli_progress_eta(cli_progress *p, uint64_t done, int64_t eta_ms)
{
	p->eta_ms = eta_ms;
	cli_progress_update(p, done);
}

void cli_progress_end(cli_progress *p)
{
	if (p->active && p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
}
