/*
 * ledger.c - the ledger: an event log plus the projections kept inside its
 * appends, their catch-up on open, rebuilds beside the live slots, and the
 * atomic switch.
 *
 * Invariants:
 *  1. Every append made through a ledger handle updates every live
 *     projection in the same transaction (the engine's append hook).
 *  2. A live projection is never ahead of the log; when it is behind
 *     (another program appended), the hook or the open catches it up from
 *     the log before applying anything new, so it never skips an event.
 *  3. A rebuild works in the non-live slot in short transactions; the live
 *     slot serves until one transaction flips all live-slot bytes at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fail.h"
#include "ledger_int.h"

/* The ledger whose folds this thread defers to the end of its write
 * transaction (a group commit's leader: svl__ledger_defer_folds). */
static _Thread_local const svl_ledger *deferring;

static int hook(svl_txn *t, const svl_record *recs, size_t n, void *payload)
{
	svl_ledger *l = payload;
	if (deferring == l)
		return SVL_OK; /* svl__ledger_fold_all follows */
	for (size_t i = 0; i < svl__n_projections; i++) {
		int live;
		int rc = svl__proj_live(t, &l->slots[i], &live);
		if (rc == SVL_OK)
			rc = svl__proj_apply(t, &l->slots[i], live, recs, n);
		if (rc == SVL_OK && l->shadow_attached)
			rc = svl__proj_apply(t, &l->slots[i], 1 - live, recs, n);
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

void svl__ledger_defer_folds(const svl_ledger *l)
{
	deferring = l;
}

int svl__ledger_fold_all(svl_ledger *l, svl_txn *t)
{
	deferring = NULL;
	for (size_t i = 0; i < svl__n_projections; i++) {
		int live, done;
		int rc = svl__proj_live(t, &l->slots[i], &live);
		if (rc == SVL_OK)
			rc = svl__proj_catch_up(t, &l->slots[i], live, 0, &done);
		if (rc == SVL_OK && l->shadow_attached)
			rc = svl__proj_catch_up(t, &l->slots[i], 1 - live, 0,
						&done);
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

/* After each commit of this process: wake svl_ledger_wait's waiters. */
static void committed(svl_log *log, void *payload)
{
	svl_ledger *l = payload;
	(void)log;
	pthread_mutex_lock(&l->gc_lock);
	l->commits++;
	pthread_cond_broadcast(&l->commit_cond);
	pthread_mutex_unlock(&l->gc_lock);
}

struct init_arg {
	svl_ledger *l;
	const svl_rules *rules;
};

/* The rules to refold a projection whose state was lost under: those of
 * another live projection whose state decodes, else the open's. */
static const svl_rules *salvaged_rules(svl_txn *t, struct init_arg *a,
				       svl_proj_state *st)
{
	for (size_t i = 0; i < svl__n_projections; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		int live, status;
		if (svl__proj_live(t, s, &live) == SVL_OK &&
		    svl__proj_probe(t, s, live, st, &status) == SVL_OK &&
		    status == 1)
			return &st->rules;
	}
	return a->rules;
}

/* A new ledger: slot a of each projection is live, under the given rules.
 * An existing one whose code changed is marked for rebuild. A live state
 * that no longer decodes is emptied, to be refolded from the log by the
 * catch-up that follows (the log is the truth; a projection is only ever
 * derived from it). */
static int init_fn(svl_txn *t, void *payload)
{
	struct init_arg *a = payload;
	for (size_t i = 0; i < svl__n_projections; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		int live, status, rc;
		svl_proj_state st, other;
		if ((rc = svl__proj_live(t, s, &live)) != SVL_OK ||
		    (rc = svl__proj_probe(t, s, live, &st, &status)) != SVL_OK)
			return rc;
		if (status == 0) {
			rc = svl__proj_reset(t, s, 0, a->rules);
			if (rc == SVL_OK)
				rc = svl__proj_set_live(t, s, 0);
		} else if (status < 0) {
			rc = svl__proj_reset(t, s, live,
					     salvaged_rules(t, a, &other));
			a->l->recovered++;
		} else if (st.code_version != s->def->code_version) {
			a->l->needs_rebuild = 1;
		}
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

struct catch_arg {
	svl_ledger *l;
	int which_other; /* 0: live slots, 1: the other slots */
	int done;
};

static int catch_fn(svl_txn *t, void *payload)
{
	struct catch_arg *a = payload;
	a->done = 1;
	for (size_t i = 0; i < svl__n_projections; i++) {
		int live, done, rc;
		if ((rc = svl__proj_live(t, &a->l->slots[i], &live)) != SVL_OK)
			return rc;
		rc = svl__proj_catch_up(t, &a->l->slots[i],
					a->which_other ? 1 - live : live,
					SVL_CATCH_UP_EVENTS, &done);
		if (rc != SVL_OK)
			return rc;
		a->done &= done;
	}
	return SVL_OK;
}

int svl__ledger_catch_up(svl_ledger *l, int other, svl_progress_fn progress,
			 void *payload, uint64_t *events)
{
	struct catch_arg a = {l, other, 0};
	svl_head head;
	int rc = svl_log_head(l->log, &head);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t start = 0;
	int first = 1;
	while (rc == SVL_OK && !a.done) {
		rc = svl_log_write(l->log, catch_fn, &a);
		svl_projection_info info[SVL_PROJECTIONS];
		if (rc != SVL_OK || !progress)
			continue;
		if (svl__ledger_infos(l, other, info) != SVL_OK)
			continue;
		uint64_t done = info[0].checkpoint;
		if (first) {
			start = done;
			first = 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) +
			   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		double rate = s > 0 ? (double)(done - start) / s : 0;
		int64_t eta = rate > 0 && head.seq > done
				      ? (int64_t)((double)(head.seq - done) /
						  rate * 1000.0)
				      : -1;
		progress(done, head.seq, eta, payload);
	}
	if (events)
		*events = head.seq;
	return rc;
}

static int ledger_new(svl_ledger **out, svl_log *log)
{
	svl_ledger *l = calloc(1, sizeof *l);
	if (!l)
		return svl__fail(log, SVL_ENOMEM, "ledger: out of memory");
	l->log = log;
	pthread_condattr_t ca;
	pthread_mutex_init(&l->gc_lock, NULL);
	pthread_cond_init(&l->gc_cond, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->commit_cond, &ca);
	pthread_condattr_destroy(&ca);
	for (size_t i = 0; i < svl__n_projections; i++) {
		int rc = svl__proj_slot_open(log, svl__projections[i],
					     &l->slots[i]);
		if (rc != SVL_OK) {
			pthread_cond_destroy(&l->commit_cond);
			pthread_cond_destroy(&l->gc_cond);
			pthread_mutex_destroy(&l->gc_lock);
			free(l);
			return rc;
		}
	}
	*out = l;
	return SVL_OK;
}

int svl__ledger_policy(svl_ledger *l)
{
	svl_rules r;
	int rc = svl_ledger_rules(l, &r);
	if (rc != SVL_OK)
		return rc;
	if (l->day_capacity_jobs)
		r.day_capacity_jobs = (int32_t)l->day_capacity_jobs;
	l->policy = r;
	return SVL_OK;
}

static int prepare(svl_ledger *l, const svl_ledger_options *o)
{
	svl_rules defaults;
	svl_rules_default(&defaults);
	struct init_arg a = {l, o->rules ? o->rules : &defaults};
	int rc = SVL_OK;
	l->day_capacity_jobs = o->day_capacity_jobs;
	if (!(o->flags & SVL_LOG_RDONLY))
		rc = svl_log_write(l->log, init_fn, &a);
	if (rc == SVL_OK && !(o->flags & SVL_LOG_RDONLY))
		rc = svl__ledger_catch_up(l, 0, NULL, NULL, NULL);
	if (rc == SVL_OK && l->needs_rebuild) {
		svl_rebuild_options ro = SVL_REBUILD_OPTIONS_INIT;
		ro.flags = SVL_REBUILD_SWITCH;
		rc = svl_ledger_rebuild(l, NULL, &ro, NULL);
		l->needs_rebuild = 0;
	}
	if (rc == SVL_OK)
		rc = svl_decide_prepare(l->log);
	if (rc == SVL_OK)
		rc = svl__ledger_policy(l);
	if (rc == SVL_OK) {
		svl_log_set_append_hook(l->log, hook, l);
		svl_log_set_commit_hook(l->log, committed, l);
	}
	return rc;
}

int svl_ledger_open(svl_ledger **out, const char *dir,
		    const svl_ledger_options *opts)
{
	svl_ledger_options defaults = SVL_LEDGER_OPTIONS_INIT;
	const svl_ledger_options *o = opts ? opts : &defaults;
	if (!out)
		return svl__fail(NULL, SVL_EMISUSE, "ledger open: out is NULL");
	*out = NULL;
	if (o->version != SVL_LEDGER_OPTIONS_VERSION)
		return svl__fail(NULL, SVL_EMISUSE,
				 "ledger options version %u, expected %d (use "
				 "SVL_LEDGER_OPTIONS_INIT)",
				 o->version, SVL_LEDGER_OPTIONS_VERSION);
	svl_log_options lo = SVL_LOG_OPTIONS_INIT;
	lo.flags = o->flags;
	lo.map_size_bytes = o->map_size_bytes;
	lo.ledger_id = o->ledger_id;
	lo.max_readers = o->max_readers;
	svl_log *log;
	int rc = svl_log_open(&log, dir, &lo);
	if (rc != SVL_OK)
		return rc;
	svl_ledger *l = NULL;
	if ((rc = ledger_new(&l, log)) == SVL_OK &&
	    (rc = prepare(l, o)) == SVL_OK) {
		*out = l;
		return SVL_OK;
	}
	svl_ledger_close(l);
	if (!l)
		svl_log_close(log);
	return rc;
}

void svl_ledger_close(svl_ledger *l)
{
	if (!l)
		return;
	svl__ledger_unpin(l);
	svl_log_close(l->log);
	pthread_cond_destroy(&l->commit_cond);
	pthread_cond_destroy(&l->gc_cond);
	pthread_mutex_destroy(&l->gc_lock);
	free(l);
}

int svl_ledger_backup(svl_ledger *l, const char *dir, unsigned flags,
		      svl_verify_report *report)
{
	if (!l)
		return svl__fail(NULL, SVL_EMISUSE, "backup: ledger is NULL");
	return svl_log_backup(l->log, dir, flags, report);
}

svl_log *svl_ledger_log(svl_ledger *l)
{
	return l->log;
}

const char *svl_ledger_errmsg(const svl_ledger *l)
{
	return l ? svl_log_errmsg(l->log) : svl_log_last_error();
}

int svl__ledger_table(svl_ledger *l, const char *name, svl_txn *txn,
		      unsigned *table)
{
	for (size_t i = 0; i < svl__n_projections; i++) {
		if (strcmp(l->slots[i].def->name, name) != 0)
			continue;
		int live;
		int rc = svl__proj_live(txn, &l->slots[i], &live);
		if (rc == SVL_OK)
			*table = l->slots[i].table[live];
		return rc;
	}
	return svl_txn_fail(txn, SVL_ENOTFOUND, "no projection named %s", name);
}
