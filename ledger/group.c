/*
 * group.c - group commit: concurrent svl_ledger_submit calls of one
 * process share one write transaction, and so one durable commit (LMDB's
 * two fsyncs), instead of queueing for a commit each.
 *
 * A submitter queues its request and waits. When no transaction is being
 * written, the first waiter becomes the leader: it takes every request
 * queued so far (the group), decides and appends them in queue order in
 * one transaction, commits, and wakes the group; requests that arrived
 * meanwhile form the next group, led by one of their own submitters.
 *
 * Every submitter gets its own outcome. A request refused (or invalid, or
 * in conflict) before any of its events was appended leaves the
 * transaction as it was, and the group goes on without it. A request that
 * fails after part of it was appended (its third event refused, say) has
 * written into the transaction: the transaction is abandoned and the group
 * run again without that request, so nothing of it remains. A failure
 * that is not the request's (an I/O error, a full disk, the commit) is
 * every waiting request's outcome: none of them was appended. A refusal
 * is handed back as text and as data (svl_refusal_info), which the
 * submitter's thread then holds as its svl_refusal_last.
 */
#include <stdio.h>
#include <string.h>

#include "fail.h"
#include "ledger_int.h"

#define GROUP_REPLAY 1	      /* private: a request poisoned the txn */
#define GROUP_MAX_REQUESTS 1024 /* bounds one transaction's size */

/* A failure that is the request's own (its line is named), rather than
 * the machine's. */
int svl__event_fault(int rc)
{
	return rc == SVL_EREFUSED || rc == SVL_EINVAL || rc == SVL_ELIMIT ||
	       rc == SVL_ECONFLICT || rc == SVL_EEXISTS || rc == SVL_ENOTFOUND;
}

/* The request's outcome; a refusal also as data, taken from the thread
 * that decided it (the leader's) for the submitter's (svl_refusal_last). */
static void record_failure(svl__group_req *r, svl_log *log, int rc)
{
	r->rc = rc;
	if (rc != SVL_EREFUSED || svl_refusal_last(&r->info) != SVL_OK)
		memset(&r->info, 0, sizeof r->info);
	snprintf(r->msg, sizeof r->msg, "%s",
		 rc == SVL_EREFUSED ? r->why.msg : svl_log_errmsg(log));
}

/* One request on the group's transaction: SVL_OK (whatever its own
 * outcome, the transaction is clean), GROUP_REPLAY, or a machine failure. */
static int run_one(svl_txn *t, svl_ledger *l, svl__group_req *r)
{
	svl_head before, after;
	unsigned flags = r->flags & SVL_SUBMIT_ROLES_ONLY
				 ? SVL_DECIDE_ROLES_ONLY
				 : 0;
	int rc = svl_txn_head(t, &before);
	if (rc != SVL_OK)
		return rc;
	rc = svl__decide_append(t, r->evs, r->n, &l->policy, flags, r->pos,
				&r->why, &r->failed);
	if (rc == SVL_OK) {
		r->rc = SVL_OK;
		r->failed = SIZE_MAX; /* what fails now is no event's fault */
		return SVL_OK;
	}
	record_failure(r, l->log, rc);
	if (!svl__event_fault(rc))
		return rc;
	int hrc = svl_txn_head(t, &after);
	if (hrc != SVL_OK)
		return hrc;
	return svl__txn_failed(t) || after.seq != before.seq ? GROUP_REPLAY : SVL_OK;
}

typedef struct group {
	svl_ledger *l;
	svl__group_req *reqs[GROUP_MAX_REQUESTS];
	size_t n;
	size_t poisoned; /* index of the request to drop, on GROUP_REPLAY */
} group;

/* The group's requests in order, then the projections folded once over
 * all they appended (one load, overlay and save per projection, not one
 * per request). */
static int group_fn(svl_txn *t, void *payload)
{
	group *g = payload;
	svl__ledger_defer_folds(g->l);
	for (size_t i = 0; i < g->n; i++) {
		svl__group_req *r = g->reqs[i];
		if (r->dropped)
			continue;
		int rc = run_one(t, g->l, r);
		if (rc == GROUP_REPLAY)
			g->poisoned = i;
		if (rc != SVL_OK) {
			svl__ledger_defer_folds(NULL);
			return rc;
		}
	}
	return svl__ledger_fold_all(g->l, t);
}

/* Write the group: replay without each request that poisons it. */
static void write_group(group *g)
{
	for (;;) {
		int rc = svl_log_write(g->l->log, group_fn, g);
		if (rc == GROUP_REPLAY) {
			g->reqs[g->poisoned]->dropped = 1;
			continue;
		}
		for (size_t i = 0; i < g->n; i++) {
			svl__group_req *r = g->reqs[i];
			if (r->dropped || (rc == SVL_OK && r->rc != SVL_OK &&
					   svl__event_fault(r->rc)))
				continue; /* its own failure stands */
			if (rc != SVL_OK) { /* nobody was appended */
				r->failed = SIZE_MAX;
				record_failure(r, g->l->log, rc);
			}
		}
		return;
	}
}

/* Take the queued requests as a group (under the lock). */
static void take_group(svl_ledger *l, group *g)
{
	g->n = 0;
	while (l->gc_head && g->n < GROUP_MAX_REQUESTS) {
		g->reqs[g->n++] = l->gc_head;
		l->gc_head = l->gc_head->next;
	}
	if (!l->gc_head)
		l->gc_tail = NULL;
}

void svl__group_submit(svl_ledger *l, svl__group_req *r)
{
	group g; /* 8 KiB: used when this thread leads */
	r->next = NULL;
	r->done = 0;
	r->dropped = 0;
	r->rc = SVL_OK;
	pthread_mutex_lock(&l->gc_lock);
	if (l->gc_tail)
		l->gc_tail->next = r;
	else
		l->gc_head = r;
	l->gc_tail = r;
	while (!r->done) {
		if (l->gc_leader) {
			pthread_cond_wait(&l->gc_cond, &l->gc_lock);
			continue;
		}
		l->gc_leader = 1;
		g.l = l;
		take_group(l, &g);
		pthread_mutex_unlock(&l->gc_lock);
		write_group(&g);
		pthread_mutex_lock(&l->gc_lock);
		for (size_t i = 0; i < g.n; i++)
			g.reqs[i]->done = 1;
		l->gc_leader = 0;
		pthread_cond_broadcast(&l->gc_cond);
	}
	pthread_mutex_unlock(&l->gc_lock);
}
