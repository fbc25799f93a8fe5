/*
 * submit.c - commands into the ledger: parse (NDJSON), decide each event
 * against the state left by the ones before it, append, and update the
 * projections, all in one write transaction, so a submission is all or
 * nothing. Concurrent submissions share that transaction and its commit
 * (group.c); a dry run has one of its own, always aborted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide_int.h" /* svl__refusal_put */
#include "fail.h"
#include "ledger_int.h"
#include "svl_events.h"

#define SVL_DRY_RUN_DONE 1 /* private: abort a dry run that succeeded */

struct submit_arg {
	svl_ledger *l;
	const svl_event_in *evs;
	size_t n;
	unsigned flags;
	svl_position *out;
	svl_refusal why;
	size_t failed;
};

static int submit_fn(svl_txn *t, void *payload)
{
	struct submit_arg *a = payload;
	unsigned flags = a->flags & SVL_SUBMIT_ROLES_ONLY
				 ? SVL_DECIDE_ROLES_ONLY
				 : 0;
	int rc = svl__decide_append(t, a->evs, a->n, &a->l->policy, flags,
				    a->out, &a->why, &a->failed);
	if (rc == SVL_OK)
		a->failed = SIZE_MAX; /* what fails now is no event's fault */
	if (rc == SVL_OK && (a->flags & SVL_SUBMIT_DRY_RUN))
		return SVL_DRY_RUN_DONE;
	return rc;
}

static void result_positions(svl_submit_result *res, const svl_position *p,
			     size_t n, int dry)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].duplicate)
			res->duplicates++;
		else if (!dry)
			res->appended++;
		if (!dry || p[i].duplicate) {
			if (!res->first_seq || p[i].seq < res->first_seq)
				res->first_seq = p[i].seq;
			if (p[i].seq > res->last_seq)
				res->last_seq = p[i].seq;
		}
	}
}

/* A dry run decides in a transaction of its own that is always aborted;
 * everything else goes through the group commit (group.c). */
static void run(svl_ledger *l, svl__group_req *r)
{
	if (!(r->flags & SVL_SUBMIT_DRY_RUN)) {
		svl__group_submit(l, r);
		return;
	}
	struct submit_arg a = {l, r->evs, r->n, r->flags, r->pos, {"", ""}, 0};
	int rc = svl_log_write(l->log, submit_fn, &a);
	r->rc = rc == SVL_DRY_RUN_DONE ? SVL_OK : rc;
	r->why = a.why;
	r->failed = a.failed;
	if (rc != SVL_EREFUSED || svl_refusal_last(&r->info) != SVL_OK)
		memset(&r->info, 0, sizeof r->info);
	if (r->rc != SVL_OK)
		snprintf(r->msg, sizeof r->msg, "%s",
			 rc == SVL_EREFUSED ? a.why.msg
					    : svl_log_errmsg(l->log));
}

static int submit(svl_ledger *l, const svl_event_in *evs, size_t n,
		  unsigned flags, svl_position *out, svl_submit_result *res,
		  const size_t *line_of)
{
	svl_position *pos = out ? out : calloc(n ? n : 1, sizeof *pos);
	if (!pos)
		return svl__fail(l->log, SVL_ENOMEM, "submit: out of memory");
	svl__group_req r;
	memset(&r, 0, sizeof r);
	r.evs = evs;
	r.n = n;
	r.flags = flags;
	r.pos = pos;
	run(l, &r);
	int rc = r.rc;
	/* the thread that decided may have been another (group.c) */
	svl__refusal_put(rc == SVL_EREFUSED && r.info.msgid ? &r.info : NULL);
	res->events = n;
	if (rc == SVL_OK) {
		result_positions(res, pos, n, (flags & SVL_SUBMIT_DRY_RUN) != 0);
	} else {
		snprintf(res->rule, sizeof res->rule, "%s",
			 rc == SVL_EREFUSED ? r.why.rule : "");
		if (r.failed < n && svl__event_fault(rc)) {
			res->failed = line_of ? line_of[r.failed] : r.failed + 1;
			snprintf(res->message, sizeof res->message,
				 "%s %zu: %.440s", line_of ? "line" : "event",
				 res->failed, r.msg);
		} else { /* a commit, the disk: not the input's doing */
			snprintf(res->message, sizeof res->message, "%.500s",
				 r.msg);
		}
		svl__fail(l->log, rc, "%s", res->message);
	}
	if (pos != out)
		free(pos);
	return rc;
}

int svl_ledger_submit(svl_ledger *l, const svl_event_in *events, size_t n,
		      unsigned flags, svl_position *out, svl_submit_result *res)
{
	svl_submit_result scratch;
	svl_submit_result *r = res ? res : &scratch;
	memset(r, 0, sizeof *r);
	svl__refusal_put(NULL);
	if (!l || (n && !events))
		return svl__fail(l ? l->log : NULL, SVL_EMISUSE,
				 "submit: ledger and events are required");
	if (n > SVL_BATCH_MAX)
		return svl__fail(l->log, SVL_ELIMIT,
				 "submit: %zu events, limit %d", n,
				 SVL_BATCH_MAX);
	return submit(l, events, n, flags, out, r, NULL);
}

/* ---- NDJSON ---- */

/* Parsed events; their strings and payloads live in arena blocks that are
 * never moved (a full block is kept and a larger one started). */
typedef struct parsed {
	svl_event_in *evs;
	size_t *lines;
	size_t n, cap;
	svl_event_arena arena;
	uint8_t **blocks;
	size_t n_blocks;
	size_t first_cap; /* the first block's size, from the input's */
} parsed;

static void parsed_free(parsed *p)
{
	for (size_t i = 0; i < p->n_blocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	free(p->evs);
	free(p->lines);
}

static int parsed_room(parsed *p)
{
	if (p->n < p->cap)
		return SVL_OK;
	size_t cap = p->cap ? p->cap * 2 : 64;
	svl_event_in *e = realloc(p->evs, cap * sizeof *e);
	if (!e)
		return SVL_ENOMEM;
	p->evs = e;
	size_t *ln = realloc(p->lines, cap * sizeof *ln);
	if (!ln)
		return SVL_ENOMEM;
	p->lines = ln;
	p->cap = cap;
	return SVL_OK;
}

static int new_block(parsed *p, size_t at_least)
{
	size_t cap = p->arena.cap ? p->arena.cap * 2 : p->first_cap;
	if (cap < at_least)
		cap = at_least;
	uint8_t **bl = realloc(p->blocks, (p->n_blocks + 1) * sizeof *bl);
	if (!bl)
		return SVL_ENOMEM;
	p->blocks = bl;
	if (!(bl[p->n_blocks] = malloc(cap)))
		return SVL_ENOMEM;
	p->arena.buf = bl[p->n_blocks++];
	p->arena.cap = cap;
	p->arena.used = 0;
	return SVL_OK;
}

static int parse_line(parsed *p, const char *s, size_t len, size_t lineno,
		      svl_event_error *err)
{
	if (parsed_room(p) != SVL_OK || (!p->arena.buf && new_block(p, 0)))
		return SVL_ENOMEM;
	for (int tries = 0; tries < 8; tries++) {
		int rc = svl_event_input_json(&p->evs[p->n], &p->arena, s, len,
					      err);
		if (rc == SVL_OK)
			p->lines[p->n++] = lineno;
		/* an empty block of SVL_EVENT_ARENA_MIN holds any event: a
		 * limit there is the event's own */
		if (rc != SVL_ELIMIT ||
		    (p->arena.used == 0 && p->arena.cap >= SVL_EVENT_ARENA_MIN))
			return rc;
		if (new_block(p, SVL_EVENT_ARENA_MIN) != SVL_OK)
			return SVL_ENOMEM;
	}
	return SVL_ELIMIT;
}

int svl_ledger_submit_json(svl_ledger *l, const char *ndjson, size_t len,
			   unsigned flags, svl_submit_result *res)
{
	svl_submit_result scratch;
	svl_submit_result *r = res ? res : &scratch;
	memset(r, 0, sizeof *r);
	svl__refusal_put(NULL);
	if (!l || (len && !ndjson))
		return svl__fail(l ? l->log : NULL, SVL_EMISUSE,
				 "submit: ledger and text are required");
	parsed p = {0};
	size_t lineno = 0;
	/* the arena holds less than the text (msgpack is no larger than its
	 * JSON, give or take a few header bytes per value): a small input
	 * gets a small block, a large one at most 1 MiB to begin with */
	p.first_cap = 2 * len + 4096 < ((size_t)1 << 20) ? 2 * len + 4096
							 : (size_t)1 << 20;
	int rc = SVL_OK;
	for (const char *s = ndjson, *end = ndjson + len; s < end && rc == SVL_OK;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);
		lineno++;
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
			k++;
		if (k < n) {
			svl_event_error err;
			memset(&err, 0, sizeof err);
			snprintf(err.msg, sizeof err.msg, "out of memory");
			if (p.n == SVL_BATCH_MAX)
				rc = SVL_ELIMIT;
			else
				rc = parse_line(&p, s, n, lineno, &err);
			if (rc != SVL_OK) {
				r->failed = lineno;
				snprintf(r->message, sizeof r->message,
					 "line %zu: %.400s", lineno,
					 rc == SVL_ELIMIT
						 ? "more events than one "
						   "submission may hold"
						 : err.msg);
				svl__fail(l->log, rc, "%s", r->message);
			}
		}
		s = nl ? nl + 1 : end;
	}
	if (rc == SVL_OK)
		rc = submit(l, p.evs, p.n, flags, NULL, r, p.lines);
	parsed_free(&p);
	return rc;
}
