/*
 * test_proj.c - the projection framework: slots, apply, catch-up, the
 * order-independent digest, and diffs, with a small counting projection
 * (per stream: events seen and the sum of payload "n").
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "mp.h"
#include "proj.h"

static int count_apply(svl_proj_ctx *c, const svl_record *r)
{
	const void *v;
	size_t n;
	uint8_t buf[16];
	uint64_t count = 0, sum = 0;
	int rc = svl__proj_get(c, r->stream, r->stream_len, &v, &n);
	if (rc == SVL_OK && n == 16) {
		count = svl__be64_get(v);
		sum = svl__be64_get((const uint8_t *)v + 8);
	}
	svl_mp_reader rd = {r->payload, r->payload + r->payload_len};
	uint32_t m, kl;
	const char *k;
	int64_t x = 0;
	if (svl__mp_read_map(&rd, &m) && m == 1 &&
	    svl__mp_read_str(&rd, &k, &kl))
		svl__mp_read_int(&rd, &x);
	/* rule knob used as a multiplier so a rule change moves the sums */
	svl__be64_put(buf, count + 1);
	svl__be64_put(buf + 8, sum + (uint64_t)(x * c->st.rules.satisfaction_scale));
	if (count + 1 == 3) /* deletes happen too */
		return svl__proj_del(c, r->stream, r->stream_len);
	return svl__proj_put(c, r->stream, r->stream_len, buf, 16);
}

static const svl_proj_def count_def = {"count", 1, count_apply, NULL};

static char *dir;
static svl_log *log_;
static svl_proj_slot slot;

static void setup(void)
{
	dir = svl_test_mkdtemp();
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	cr_assert_eq(svl_log_open(&log_, dir, &o), SVL_OK);
	cr_assert_eq(svl__proj_slot_open(log_, &count_def, &slot), SVL_OK);
}

static void teardown(void)
{
	svl_log_close(log_);
	svl_test_rmdir(dir);
}

TestSuite(proj, .init = setup, .fini = teardown);

static void append_random(unsigned seed, int batches)
{
	srand(seed);
	for (int b = 0; b < batches; b++) {
		svl_event_in ev[20];
		uint8_t bufs[20][16];
		char names[20][16];
		int n = 1 + rand() % 20;
		for (int i = 0; i < n; i++) {
			snprintf(names[i], sizeof names[i], "s%d", rand() % 7);
			ev[i] = svl_test_event(names[i], bufs[i], rand() % 100);
		}
		cr_assert_eq(svl_log_append(log_, ev, (size_t)n, NULL), SVL_OK);
	}
}

struct slot_arg {
	int which;
	const svl_rules *rules;
	svl_proj_state st;
	uint64_t scan[2], entries;
};

static int reset_fn(svl_txn *t, void *p)
{
	struct slot_arg *a = p;
	return svl__proj_reset(t, &slot, a->which, a->rules);
}

static int catch_fn(svl_txn *t, void *p)
{
	struct slot_arg *a = p;
	int done = 0, rc;
	while (rc = svl__proj_catch_up(t, &slot, a->which, 5, &done),
	       rc == SVL_OK && !done)
		;
	return rc;
}

static int state_fn(svl_txn *t, void *p)
{
	struct slot_arg *a = p;
	int exists;
	int rc = svl__proj_load(t, &slot, a->which, &a->st, &exists);
	if (rc == SVL_OK)
		rc = svl__proj_scan_digest(t, slot.table[a->which], a->scan,
					   &a->entries);
	return rc;
}

static void build(int which, const svl_rules *rules, struct slot_arg *out)
{
	out->which = which;
	out->rules = rules;
	cr_assert_eq(svl_log_write(log_, reset_fn, out), SVL_OK);
	cr_assert_eq(svl_log_write(log_, catch_fn, out), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	cr_assert_eq(svl_log_read(log_, state_fn, out), SVL_OK);
}

Test(proj, incremental_digest_equals_full_scan_and_rebuild)
{
	svl_rules r;
	svl_rules_default(&r);
	struct slot_arg inc = {0}, full = {0};
	inc.which = 0;
	inc.rules = &r;
	cr_assert_eq(svl_log_write(log_, reset_fn, &inc), SVL_OK);
	for (int round = 0; round < 10; round++) {
		append_random(100u + (unsigned)round, 5);
		cr_assert_eq(svl_log_write(log_, catch_fn, &inc), SVL_OK);
	}
	cr_assert_eq(svl_log_read(log_, state_fn, &inc), SVL_OK);
	cr_assert_eq(inc.st.digest[0], inc.scan[0]);
	cr_assert_eq(inc.st.digest[1], inc.scan[1]);
	cr_assert_eq(inc.st.entries, inc.entries);
	build(1, &r, &full);
	cr_assert_eq(full.st.checkpoint, inc.st.checkpoint);
	cr_assert_eq(full.st.digest[0], inc.st.digest[0]);
	cr_assert_eq(full.st.digest[1], inc.st.digest[1]);
}

static int diff_count(const svl_kv *o, const svl_kv *n, void *p)
{
	(void)o;
	(void)n;
	(*(int *)p)++;
	return SVL_OK;
}

struct diff_arg {
	int calls;
	uint64_t n;
};

static int diff_fn(svl_txn *t, void *p)
{
	struct diff_arg *a = p;
	return svl__proj_diff(t, slot.table[0], slot.table[1], diff_count,
			      &a->calls, &a->n);
}

Test(proj, rule_change_shows_in_diff_and_digest)
{
	svl_rules r1, r2;
	svl_rules_default(&r1);
	svl_rules_default(&r2);
	r2.satisfaction_scale = 10;
	append_random(7, 10);
	struct slot_arg a = {0}, b = {0};
	build(0, &r1, &a);
	build(1, &r1, &b);
	struct diff_arg d = {0, 0};
	cr_assert_eq(svl_log_read(log_, diff_fn, &d), SVL_OK);
	cr_assert_eq(d.n, 0, "same rules, same state");
	build(1, &r2, &b);
	cr_assert_neq(a.st.digest[0], b.st.digest[0]);
	cr_assert_eq(svl_log_read(log_, diff_fn, &d), SVL_OK);
	cr_assert_gt(d.n, 0);
	cr_assert_eq((uint64_t)d.calls, d.n);
}

Test(proj, state_records_rules_and_checkpoint)
{
	svl_rules r;
	svl_rules_default(&r);
	strcpy(r.id, "q4");
	r.comeback_window_days = 14;
	append_random(3, 3);
	struct slot_arg a = {0};
	build(0, &r, &a);
	svl_head h;
	cr_assert_eq(svl_log_head(log_, &h), SVL_OK);
	cr_assert_eq(a.st.checkpoint, h.seq);
	cr_assert_str_eq(a.st.rules.id, "q4");
	cr_assert_eq(a.st.rules.comeback_window_days, 14);
}
