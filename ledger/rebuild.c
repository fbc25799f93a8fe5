/*
 * rebuild.c - rebuilding projections under a rule set beside the live ones,
 * the differences, the atomic switch, and the invariant check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fail.h"
#include "mp.h"
#include "ledger_int.h"

struct info_arg {
	svl_ledger *l;
	int other;
	svl_projection_info *out;
};

static int info_fn(svl_txn *t, void *payload)
{
	struct info_arg *a = payload;
	for (size_t i = 0; i < svl__n_projections; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		svl_proj_state st;
		int live, exists, rc;
		if ((rc = svl__proj_live(t, s, &live)) != SVL_OK)
			return rc;
		int which = a->other ? 1 - live : live;
		if ((rc = svl__proj_load(t, s, which, &st, &exists)) != SVL_OK)
			return rc;
		svl_projection_info *o = &a->out[i];
		memset(o, 0, sizeof *o);
		o->name = s->def->name;
		o->checkpoint = st.checkpoint;
		svl__be64_put(o->digest, st.digest[0]);
		svl__be64_put(o->digest + 8, st.digest[1]);
		o->entries = st.entries;
		memcpy(o->rules_id, st.rules.id, sizeof o->rules_id);
		memcpy(o->rules_hash, st.rules.hash, sizeof o->rules_hash);
		o->live_slot = which;
	}
	return SVL_OK;
}

int svl__ledger_infos(svl_ledger *l, int other, svl_projection_info *out)
{
	struct info_arg a = {l, other, out};
	return svl_log_read(l->log, info_fn, &a);
}

int svl_ledger_projections(svl_ledger *l, svl_projection_info *out, size_t n)
{
	svl_projection_info all[SVL_PROJECTIONS];
	if (!l || !out || n == 0)
		return svl__fail(l ? l->log : NULL, SVL_EMISUSE,
				 "projections: need room for %zu entries",
				 svl__n_projections);
	int rc = svl__ledger_infos(l, 0, all);
	if (rc == SVL_OK)
		memcpy(out, all,
		       (n < svl__n_projections ? n : svl__n_projections) *
			   sizeof *out);
	return rc;
}

struct rules_arg {
	svl_ledger *l;
	svl_rules *out;
};

static int rules_fn(svl_txn *t, void *payload)
{
	struct rules_arg *a = payload;
	svl_proj_state st;
	int live, exists;
	int rc = svl__proj_live(t, &a->l->slots[0], &live);
	if (rc == SVL_OK)
		rc = svl__proj_load(t, &a->l->slots[0], live, &st, &exists);
	if (rc == SVL_OK)
		*a->out = st.rules;
	return rc;
}

int svl_ledger_rules(svl_ledger *l, svl_rules *out)
{
	struct rules_arg a = {l, out};
	if (!l || !out)
		return svl__fail(NULL, SVL_EMISUSE, "rules: bad arguments");
	return svl_log_read(l->log, rules_fn, &a);
}

/* ---- rebuild ---- */

struct reset_arg {
	svl_ledger *l;
	const svl_rules *rules; /* NULL: each projection's live rules */
};

static int reset_fn(svl_txn *t, void *payload)
{
	struct reset_arg *a = payload;
	for (size_t i = 0; i < svl__n_projections; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		svl_proj_state st;
		int live, exists, rc;
		if ((rc = svl__proj_live(t, s, &live)) != SVL_OK ||
		    (rc = svl__proj_load(t, s, live, &st, &exists)) != SVL_OK)
			return rc;
		rc = svl__proj_reset(t, s, 1 - live,
				     a->rules ? a->rules : &st.rules);
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

struct diff_arg {
	const svl_proj_def *def;
	const svl_rebuild_options *opts;
	uint64_t *changed;
};

static int diff_cb(const svl_kv *o, const svl_kv *n, void *payload)
{
	struct diff_arg *a = payload;
	char line[512];
	const svl_kv *k = o ? o : n;
	int shown = a->def->describe &&
		    a->def->describe(k->key, k->key_len, o ? o->val : NULL,
				     o ? o->val_len : 0, n ? n->val : NULL,
				     n ? n->val_len : 0, line, sizeof line);
	svl_rebuild_diff d = {a->def->name, shown ? line : NULL};
	if (a->opts->diff)
		a->opts->diff(&d, a->opts->payload);
	return SVL_OK;
}

struct finish_arg {
	svl_ledger *l;
	const svl_rebuild_options *opts;
	svl_rebuild_report *rep;
};

/* In one transaction: bring the rebuilt slots to the head, compare them
 * with the live ones, and switch if asked (invariant 3). */
static int finish_fn(svl_txn *t, void *payload)
{
	struct finish_arg *a = payload;
	uint64_t *all = a->opts->version >= 2 ? a->opts->changed : NULL;
	for (size_t i = 0; i < svl__n_projections; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		int live, done, rc;
		uint64_t changed = 0;
		if ((rc = svl__proj_live(t, s, &live)) != SVL_OK ||
		    (rc = svl__proj_catch_up(t, s, 1 - live, 0, &done)) != SVL_OK)
			return rc;
		if (a->opts->flags & SVL_REBUILD_DIFF) {
			struct diff_arg d = {s->def, a->opts, NULL};
			rc = svl__proj_diff(t, s->table[live], s->table[1 - live],
					    diff_cb, &d, &changed);
			if (rc != SVL_OK)
				return rc;
		}
		if (i < SVL_REBUILD_REPORT_PROJECTIONS)
			a->rep->changed[i] = changed;
		if (all)
			all[i] = changed;
		if ((a->opts->flags & SVL_REBUILD_SWITCH) &&
		    (rc = svl__proj_set_live(t, s, 1 - live)) != SVL_OK)
			return rc;
	}
	a->rep->switched = (a->opts->flags & SVL_REBUILD_SWITCH) != 0;
	return SVL_OK;
}

int svl_ledger_rebuild(svl_ledger *l, const svl_rules *rules,
		       const svl_rebuild_options *opts,
		       svl_rebuild_report *report)
{
	svl_rebuild_options defaults = SVL_REBUILD_OPTIONS_INIT;
	svl_rebuild_report scratch;
	const svl_rebuild_options *o = opts ? opts : &defaults;
	svl_rebuild_report *rep = report ? report : &scratch;
	if (!l)
		return svl__fail(NULL, SVL_EMISUSE, "rebuild: ledger is NULL");
	if (o->version != 1 && o->version != SVL_REBUILD_OPTIONS_VERSION)
		return svl__fail(l->log, SVL_EMISUSE,
				 "rebuild options version %u, expected %d",
				 o->version, SVL_REBUILD_OPTIONS_VERSION);
	memset(rep, 0, sizeof *rep);
	struct reset_arg ra = {l, rules};
	l->shadow_attached = 0;
	int rc = svl_log_write(l->log, reset_fn, &ra);
	if (rc == SVL_OK)
		rc = svl__ledger_catch_up(l, 1, o->progress, o->payload,
					  &rep->events);
	struct finish_arg fa = {l, o, rep};
	if (rc == SVL_OK)
		rc = svl_log_write(l->log, finish_fn, &fa);
	/* Not switched: keep the rebuilt slots current until the next
	 * rebuild, so a later diff or switch finds them at the head. */
	l->shadow_attached = rc == SVL_OK && !rep->switched;
	if (rc == SVL_OK && rep->switched) /* the deciders follow the rules */
		rc = svl__ledger_policy(l);
	return rc;
}

/* ---- invariant check ---- */

struct check_arg {
	svl_ledger *l;
	int ok;
	char *detail;
	size_t detail_len;
};

static int digest_check_fn(svl_txn *t, void *payload)
{
	struct check_arg *a = payload;
	for (size_t i = 0; i < svl__n_projections && a->ok; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		svl_proj_state st;
		uint64_t d[2], n;
		int live, exists, rc;
		if ((rc = svl__proj_live(t, s, &live)) != SVL_OK ||
		    (rc = svl__proj_load(t, s, live, &st, &exists)) != SVL_OK ||
		    (rc = svl__proj_scan_digest(t, s->table[live], d, &n)) !=
			    SVL_OK)
			return rc;
		if (d[0] != st.digest[0] || d[1] != st.digest[1] ||
		    n != st.entries) {
			a->ok = 0;
			snprintf(a->detail, a->detail_len,
				 "%s: stored digest does not match its table "
				 "(%llu keys, %llu recorded)",
				 s->def->name, (unsigned long long)n,
				 (unsigned long long)st.entries);
		}
	}
	return SVL_OK;
}

struct first_diff {
	const svl_proj_def *def;
	char line[400];      /* the first differing key, described */
	uint64_t first_seq;  /* the earliest event among differing keys */
	int found;
};

static int first_diff_cb(const svl_kv *o, const svl_kv *n, void *payload)
{
	struct first_diff *f = payload;
	const svl_kv *k = o ? o : n;
	uint64_t seq = svl__proj_key_seq(f->def, k->key, k->key_len);
	if (seq && (!f->first_seq || seq < f->first_seq))
		f->first_seq = seq;
	if (f->found)
		return SVL_OK;
	if (!f->def->describe ||
	    !f->def->describe(k->key, k->key_len, o ? o->val : NULL,
			      o ? o->val_len : 0, n ? n->val : NULL,
			      n ? n->val_len : 0, f->line, sizeof f->line))
		snprintf(f->line, sizeof f->line, "a key of %zu bytes differs",
			 k->key_len);
	f->found = 1;
	return SVL_OK;
}

static void first_diff_detail(const struct first_diff *f, char *out,
			      size_t len)
{
	if (f->first_seq)
		snprintf(out, len,
			 "%s: stored and recomputed first diverge at seq "
			 "%llu; first differing entry: %s",
			 f->def->name, (unsigned long long)f->first_seq,
			 f->line);
	else
		snprintf(out, len, "%s: stored vs recomputed: %s", f->def->name,
			 f->line);
}

static int compare_fn(svl_txn *t, void *payload)
{
	struct check_arg *a = payload;
	for (size_t i = 0; i < svl__n_projections && a->ok; i++) {
		const svl_proj_slot *s = &a->l->slots[i];
		int live, done, rc;
		uint64_t n;
		struct first_diff f = {s->def, "", 0, 0};
		if ((rc = svl__proj_live(t, s, &live)) != SVL_OK ||
		    (rc = svl__proj_catch_up(t, s, 1 - live, 0, &done)) !=
			    SVL_OK ||
		    (rc = svl__proj_diff(t, s->table[live], s->table[1 - live],
					 first_diff_cb, &f, &n)) != SVL_OK)
			return rc;
		a->ok = n == 0;
		if (!a->ok)
			first_diff_detail(&f, a->detail, a->detail_len);
	}
	return SVL_OK;
}

int svl_ledger_check(svl_ledger *l, int *ok, char *detail, size_t detail_len)
{
	char scratch[8], digest_msg[256] = "";
	struct check_arg a = {l, 1, detail_len ? detail : scratch,
			      detail_len ? detail_len : sizeof scratch};
	if (!l || !ok)
		return svl__fail(NULL, SVL_EMISUSE, "check: bad arguments");
	a.detail[0] = '\0';
	int rc = svl_log_read(l->log, digest_check_fn, &a);
	int digest_ok = a.ok;
	if (!digest_ok) /* go on: the comparison names where it diverges */
		snprintf(digest_msg, sizeof digest_msg, "%s", a.detail);
	a.ok = 1;
	if (rc == SVL_OK) {
		/* recompute beside the live slots under the live rules */
		struct reset_arg ra = {l, NULL};
		l->shadow_attached = 0;
		rc = svl_log_write(l->log, reset_fn, &ra);
		if (rc == SVL_OK)
			rc = svl__ledger_catch_up(l, 1, NULL, NULL, NULL);
		if (rc == SVL_OK)
			rc = svl_log_write(l->log, compare_fn, &a);
	}
	if (!digest_ok) {
		char both[512];
		snprintf(both, sizeof both, "%s%s%s", digest_msg,
			 a.ok ? "" : "; ", a.ok ? "" : a.detail);
		snprintf(a.detail, a.detail_len, "%s", both);
	}
	*ok = a.ok && digest_ok;
	return rc;
}
