/*
 * work_orders_query.c - reading jobs: one by id, lists driven by one index
 * range scan, and a job's detail rows. Each public call reads the live
 * slot's table inside one read snapshot, so what a caller sees is one
 * consistent state even while appends go on.
 */
#include <stdio.h>
#include <string.h>

#include "fail.h"
#include "mp.h"
#include "ledger_int.h"
#include "work_orders_int.h"

static const char proj_name[] = "work_orders";

int svl__proj_live_table(svl_ledger *l, const char *name, svl_txn *t,
			 unsigned *table, svl_rules *rules)
{
	int rc = svl__ledger_table(l, name, t, table);
	for (size_t i = 0; rc == SVL_OK && rules && i < svl__n_projections;
	     i++) {
		const svl_proj_slot *s = &l->slots[i];
		int live, exists;
		svl_proj_state st;
		if (strcmp(s->def->name, name) != 0)
			continue;
		if ((rc = svl__proj_live(t, s, &live)) == SVL_OK &&
		    (rc = svl__proj_load(t, s, live, &st, &exists)) == SVL_OK)
			*rules = st.rules;
		break;
	}
	return rc;
}

/* ---- one job ---- */

static int check_id(svl_txn *t, const char *id, const char *what)
{
	if (!id)
		return svl_txn_fail(t, SVL_EMISUSE, "%s is NULL", what);
	size_t n = strlen(id);
	if (n == 0 || n > SVL_WO_ID_MAX)
		return svl_txn_fail(t, SVL_EINVAL,
				    "%s must be 1 to %d bytes, got %zu", what,
				    SVL_WO_ID_MAX, n);
	return SVL_OK;
}

static int job_get(svl_txn *t, unsigned table, const char *wo, svl__wo *w)
{
	uint8_t k[1 + SVL_WO_ID_MAX];
	size_t n = strlen(wo);
	const void *v;
	size_t vl;
	k[0] = 'w';
	memcpy(k + 1, wo, n);
	int rc = svl_txn_get(t, table, k, n + 1, &v, &vl);
	if (rc == SVL_ENOTFOUND)
		return svl_txn_fail(t, rc, "no work order %s", wo);
	if (rc == SVL_OK && !svl__wo_decode(v, vl, w))
		return svl_txn_fail(t, SVL_ECORRUPT,
				    "work order %s does not decode", wo);
	return rc;
}

int svl__wo_get_txn(svl_txn *t, unsigned table, const char *wo_id,
		    svl_work_order *out)
{
	svl__wo w;
	int rc = check_id(t, wo_id, "wo_id");
	if (rc == SVL_OK && !out)
		rc = svl_txn_fail(t, SVL_EMISUSE, "out is NULL");
	if (rc == SVL_OK && (rc = job_get(t, table, wo_id, &w)) == SVL_OK)
		svl__wo_public(&w, wo_id, strlen(wo_id), out);
	return rc;
}

/* ---- lists ---- */

struct walk {
	svl_txn *t;
	unsigned table;
	const svl_wo_filter *f;
	svl_wo_fn fn;
	void *payload;
	svl__pager g;
	int by_day; /* the walk is a day index: cursors are "day.wo" */
	int exact;  /* the driving index alone decides: every key matches */
};

/* The filter's version 2 fields, NULL for a version 1 filter (whose
 * struct ends before them). */
static const char *f_customer(const svl_wo_filter *f)
{
	return f->version >= 2 ? f->customer_id : NULL;
}
static const char *f_plate(const svl_wo_filter *f)
{
	return f->version >= 2 ? f->plate : NULL;
}
static const char *f_vin(const svl_wo_filter *f)
{
	return f->version >= 2 ? f->vin : NULL;
}

static bool matches(const svl_wo_filter *f, const svl__wo *j)
{
	if (f->state && j->v[SVL__WO_STATE] != f->state)
		return false;
	if (f->advisor_id && strcmp(j->s[SVL__WS_ADVISOR], f->advisor_id))
		return false;
	if (f->technician_id &&
	    strcmp(j->s[SVL__WS_TECHNICIAN], f->technician_id))
		return false;
	if (f_customer(f) && strcmp(j->s[SVL__WS_CUSTOMER], f_customer(f)))
		return false;
	if (f_plate(f) && strcmp(j->s[SVL__WS_PLATE], f_plate(f)))
		return false;
	if (f_vin(f) && strcmp(j->s[SVL__WS_VIN], f_vin(f)))
		return false;
	if (f->date == SVL_WO_DATE_ANY)
		return true;
	int64_t at = f->date == SVL_WO_DATE_BOOKED
			 ? j->v[SVL__WO_FIRST_AT_MS]
			 : j->v[SVL__WO_DELIVERED_AT_MS];
	return at != 0 && at >= f->from_ms && at < f->to_ms;
}

/* One candidate: its record (val, or looked up), the filter, the page,
 * fn. `day` is the index key's day for a day walk. */
static int visit(struct walk *w, const uint8_t *id, size_t n, const void *val,
		 size_t vl, uint32_t day)
{
	char wo[SVL_WO_ID_MAX + 1];
	svl__wo j;
	if (n == 0 || n > SVL_WO_ID_MAX || memchr(id, 0, n))
		return svl_txn_fail(w->t, SVL_ECORRUPT, "work order index key");
	memcpy(wo, id, n);
	wo[n] = '\0';
	char cursor[SVL_PAGE_KEY_MAX + 1];
	if (w->by_day)
		snprintf(cursor, sizeof cursor, "%08x.%s", (unsigned)day, wo);
	else
		memcpy(cursor, wo, n + 1);
	/* an exact walk counts a job off the page without reading it */
	if (w->exact && !svl__page_take(&w->g, cursor))
		return SVL_OK;
	int rc = val ? (svl__wo_decode(val, vl, &j)
			    ? SVL_OK
			    : svl_txn_fail(w->t, SVL_ECORRUPT,
					   "work order %s does not decode", wo))
		     : job_get(w->t, w->table, wo, &j);
	if (rc != SVL_OK || !matches(w->f, &j))
		return rc;
	if (!w->exact && !svl__page_take(&w->g, cursor))
		return SVL_OK;
	svl_work_order out;
	svl__wo_public(&j, wo, n, &out);
	return w->fn(&out, w->payload);
}

/*
 * Walk the keys from `start` on while they share its first `prefix` bytes
 * (and, for a day index, while the day is <= day_hi); the job id follows
 * at id_off. Records are read from the key itself for the 'w' walk.
 */
static int walk_index(struct walk *w, const uint8_t *start, size_t sl,
		      size_t prefix, size_t id_off, uint32_t day_hi)
{
	svl_cursor *cur;
	svl_kv kv;
	int rc = svl_cursor_open(w->t, w->table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, start, sl, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *k = kv.key;
		if (kv.key_len < id_off || memcmp(k, start, prefix) != 0 ||
		    (day_hi && svl__be32_get(k + 1) > day_hi))
			break;
		rc = visit(w, k + id_off, kv.key_len - id_off,
			   start[0] == 'w' ? kv.val : NULL, kv.val_len,
			   w->by_day ? svl__be32_get(k + 1) : 0);
		if (rc != SVL_OK)
			break;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || (rc == SVL_OK) ? SVL_OK : rc;
}

static int check_filter(svl_txn *t, const svl_wo_filter *f)
{
	if (f->version != 1 && f->version != SVL_WO_FILTER_VERSION)
		return svl_txn_fail(t, SVL_EMISUSE,
				    "filter version %u, expected %d (use "
				    "SVL_WO_FILTER_INIT)",
				    f->version, SVL_WO_FILTER_VERSION);
	if (f->state < 0 || f->state >= SVL_WO_STATES)
		return svl_txn_fail(t, SVL_EINVAL, "filter: no state %d",
				    f->state);
	if (f->date != SVL_WO_DATE_ANY && f->date != SVL_WO_DATE_BOOKED &&
	    f->date != SVL_WO_DATE_DELIVERED)
		return svl_txn_fail(t, SVL_EINVAL, "filter: no date kind %d",
				    (int)f->date);
	if (f->date != SVL_WO_DATE_ANY && f->from_ms >= f->to_ms)
		return svl_txn_fail(t, SVL_EINVAL,
				    "filter: from_ms %lld must be before "
				    "to_ms %lld",
				    (long long)f->from_ms, (long long)f->to_ms);
	const struct {
		const char *v, *name;
		size_t max;
	} ids[] = {{f->advisor_id, "advisor_id", SVL_WO_ID_MAX},
		   {f->technician_id, "technician_id", SVL_WO_ID_MAX},
		   {f_customer(f), "customer_id", SVL_WO_ID_MAX},
		   {f_plate(f), "plate", SVL_WO_PLATE_MAX},
		   {f_vin(f), "vin", SVL_WO_VIN_MAX}};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		size_t n = ids[i].v ? strlen(ids[i].v) : 0;
		if (ids[i].v && (n == 0 || n > ids[i].max))
			return svl_txn_fail(t, SVL_EINVAL,
					    "filter: %s must be 1 to %zu "
					    "bytes, got %zu",
					    ids[i].name, ids[i].max, n);
	}
	return SVL_OK;
}

/* A cursor of this walk: "day.wo" (8 hex digits) for a day walk, else a
 * job id. */
static int check_cursor(svl_txn *t, const char *after, int by_day)
{
	size_t n = after ? strlen(after) : 0;
	if (n == 0)
		return SVL_OK;
	size_t hex = 0;
	while (hex < n && strchr("0123456789abcdef", after[hex]))
		hex++;
	int ok = by_day ? hex == 8 && n > 9 && after[8] == '.' &&
			      n - 9 <= SVL_WO_ID_MAX
			: n <= SVL_WO_ID_MAX;
	return ok ? SVL_OK
		  : svl_txn_fail(t, SVL_EINVAL,
				 "page: '%s' is not a cursor of this list "
				 "(pass back a page's next as it is)",
				 after);
}

/* The index that drives the walk: the most selective criterion given. */
static const char *driver(const svl_wo_filter *f, char *tag)
{
	const struct {
		const char *v;
		char tag;
	} by[] = {{f_vin(f), 'n'},	   {f_plate(f), 'l'},
		  {f_customer(f), 'u'},	   {f->advisor_id, 'a'},
		  {f->technician_id, 't'}};
	for (size_t i = 0; i < sizeof by / sizeof by[0]; i++)
		if (by[i].v) {
			*tag = by[i].tag;
			return by[i].v;
		}
	return NULL;
}

int svl__wo_list_txn(svl_txn *t, unsigned table, const svl_rules *rules,
		     const svl_wo_filter *filter, svl_page *page,
		     svl_wo_fn fn, void *payload)
{
	svl_wo_filter all = SVL_WO_FILTER_INIT;
	const svl_wo_filter *f = filter ? filter : &all;
	int rc = check_filter(t, f);
	if (rc != SVL_OK)
		return rc;
	struct walk w = {t, table, f, fn, payload, {0}, 0, 0};
	uint8_t k[SVL__WO_KEY_MAX];
	char tag = 0;
	const char *id = driver(f, &tag);
	w.by_day = !id && f->date != SVL_WO_DATE_ANY;
	/* exact: no criterion beyond the driving index's (a date range is
	 * never exact: the index narrows to whole local days) */
	int criteria = (f->state != 0) + (f->advisor_id != NULL) +
		       (f->technician_id != NULL) + (f_customer(f) != NULL) +
		       (f_plate(f) != NULL) + (f_vin(f) != NULL) +
		       (f->date != SVL_WO_DATE_ANY);
	w.exact = criteria == 0 || (criteria == 1 && !w.by_day);
	if ((rc = check_cursor(t, page ? page->after : NULL, w.by_day)) !=
	    SVL_OK)
		return rc;
	svl__page_begin(&w.g, page);
	if (id) { /* the smallest index first: one person's or car's jobs */
		size_t n = strlen(id);
		k[0] = (uint8_t)tag;
		memcpy(k + 1, id, n);
		k[n + 1] = 0;
		rc = walk_index(&w, k, n + 2, n + 2, n + 2, 0);
	} else if (w.by_day) {
		k[0] = f->date == SVL_WO_DATE_BOOKED ? 'b' : 'd';
		svl__be32_put(k + 1, svl__day_bias(svl_rules_local_day(
					 rules, svl__clamp_ms(f->from_ms))));
		uint32_t hi = svl__day_bias(
		    svl_rules_local_day(rules, svl__clamp_ms(f->to_ms - 1)));
		rc = walk_index(&w, k, 5, 1, 5, hi);
	} else if (f->state) {
		k[0] = 's';
		k[1] = (uint8_t)f->state;
		rc = walk_index(&w, k, 2, 2, 2, 0);
	} else {
		k[0] = 'w';
		rc = walk_index(&w, k, 1, 1, 1, 0);
	}
	if (rc == SVL_OK)
		svl__page_end(&w.g);
	return rc;
}

/* ---- a job's detail rows ---- */

typedef int (*row_fn)(svl_txn *t, const svl_kv *kv, size_t pl, void *arg);

/* Every row of `tag` wo 0 ..., after checking the job exists. */
static int rows(svl_txn *t, unsigned table, char tag, const char *wo, row_fn fn,
		void *arg)
{
	svl__wo j;
	int rc = check_id(t, wo, "wo_id");
	if (rc != SVL_OK || (rc = job_get(t, table, wo, &j)) != SVL_OK)
		return rc;
	uint8_t k[2 + SVL_WO_ID_MAX];
	size_t n = strlen(wo);
	k[0] = (uint8_t)tag;
	memcpy(k + 1, wo, n);
	k[n + 1] = 0;
	svl_cursor *cur;
	svl_kv kv;
	if ((rc = svl_cursor_open(t, table, &cur)) != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, k, n + 2, &kv);
	     rc == SVL_OK && kv.key_len >= n + 2 && !memcmp(kv.key, k, n + 2);
	     rc = svl_cursor_next(cur, &kv))
		if ((rc = fn(t, &kv, n + 2, arg)) != SVL_OK)
			break;
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || (rc == SVL_OK) ? SVL_OK : rc;
}

/* Read `n` integers of a detail row's msgpack array. */
static bool row_ints(const svl_kv *kv, int64_t *out, uint32_t n)
{
	svl_mp_reader r = {kv->val, (const uint8_t *)kv->val + kv->val_len};
	uint32_t len;
	if (!svl__mp_read_array(&r, &len) || len != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (!svl__mp_read_int(&r, &out[i]))
			return false;
	return true;
}

/* The id after the prefix into dst, or false. */
static bool row_id(const svl_kv *kv, size_t pl, char *dst)
{
	size_t n = kv->key_len - pl;
	if (n == 0 || n > SVL_WO_ID_MAX)
		return false;
	memcpy(dst, (const uint8_t *)kv->key + pl, n);
	dst[n] = '\0';
	return true;
}

struct cb {
	union {
		svl_wo_transition_fn tr;
		svl_wo_part_fn part;
		svl_wo_complaint_fn cmp;
	} fn;
	void *payload;
};

static int transition_row(svl_txn *t, const svl_kv *kv, size_t pl, void *arg)
{
	struct cb *cb = arg;
	int64_t f[2];
	if (kv->key_len != pl + 8 || !row_ints(kv, f, 2))
		return svl_txn_fail(t, SVL_ECORRUPT, "transition row");
	svl_wo_transition tr = {(enum svl_wo_state)f[0], f[1],
				svl__be64_get((const uint8_t *)kv->key + pl)};
	return cb->fn.tr(&tr, cb->payload);
}

static int part_row(svl_txn *t, const svl_kv *kv, size_t pl, void *arg)
{
	struct cb *cb = arg;
	int64_t f[4];
	svl_wo_part p;
	memset(&p, 0, sizeof p);
	if (!row_id(kv, pl, p.part_no) || !row_ints(kv, f, 4))
		return svl_txn_fail(t, SVL_ECORRUPT, "parts row");
	p.issued_milli = f[0];
	p.returned_milli = f[1];
	p.issues = f[2];
	p.returns = f[3];
	return cb->fn.part(&p, cb->payload);
}

static int complaint_row(svl_txn *t, const svl_kv *kv, size_t pl, void *arg)
{
	struct cb *cb = arg;
	int64_t f[2];
	svl_wo_complaint c;
	memset(&c, 0, sizeof c);
	if (!row_id(kv, pl, c.cmp_id) || !row_ints(kv, f, 2) || f[0] < -1 ||
	    f[0] >= SVL_CMP_SEVERITY__COUNT)
		return svl_txn_fail(t, SVL_ECORRUPT, "complaint row");
	c.severity = (int)f[0];
	c.major = f[1] != 0;
	return cb->fn.cmp(&c, cb->payload);
}

int svl__wo_transitions_txn(svl_txn *t, unsigned table, const char *wo_id,
			    svl_wo_transition_fn fn, void *payload)
{
	struct cb cb = {{.tr = fn}, payload};
	return rows(t, table, 'x', wo_id, transition_row, &cb);
}

int svl__wo_parts_txn(svl_txn *t, unsigned table, const char *wo_id,
		      svl_wo_part_fn fn, void *payload)
{
	struct cb cb = {{.part = fn}, payload};
	return rows(t, table, 'p', wo_id, part_row, &cb);
}

int svl__wo_complaints_txn(svl_txn *t, unsigned table, const char *wo_id,
			   svl_wo_complaint_fn fn, void *payload)
{
	struct cb cb = {{.cmp = fn}, payload};
	return rows(t, table, 'k', wo_id, complaint_row, &cb);
}

/* ---- the public calls: the live table, one read snapshot ---- */

enum { Q_GET, Q_LIST, Q_TRANSITIONS, Q_PARTS, Q_COMPLAINTS };

struct q {
	svl_ledger *l;
	int what;
	const char *wo_id;
	svl_work_order *out;
	const svl_wo_filter *filter;
	struct cb cb;
	svl_wo_fn list_fn;
	svl_page *page;
};

static int q_fn(svl_txn *t, void *payload)
{
	struct q *q = payload;
	unsigned table;
	svl_rules rules;
	int rc = svl__proj_live_table(q->l, proj_name, t, &table,
				      q->what == Q_LIST ? &rules : NULL);
	if (rc != SVL_OK)
		return rc;
	switch (q->what) {
	case Q_GET:
		return svl__wo_get_txn(t, table, q->wo_id, q->out);
	case Q_LIST:
		return svl__wo_list_txn(t, table, &rules, q->filter, q->page,
					q->list_fn, q->cb.payload);
	case Q_TRANSITIONS:
		return rows(t, table, 'x', q->wo_id, transition_row, &q->cb);
	case Q_PARTS:
		return rows(t, table, 'p', q->wo_id, part_row, &q->cb);
	default:
		return rows(t, table, 'k', q->wo_id, complaint_row, &q->cb);
	}
}

static int run(struct q *q, int ok)
{
	if (!q->l || !ok)
		return svl__fail(q->l ? svl_ledger_log(q->l) : NULL,
				 SVL_EMISUSE, "work orders: NULL argument");
	return svl__ledger_read(q->l, q_fn, q);
}

int svl_work_order_get(svl_ledger *l, const char *wo_id, svl_work_order *out)
{
	struct q q = {l, Q_GET, wo_id, out, NULL, {{NULL}, NULL}, NULL, NULL};
	return run(&q, wo_id && out);
}

int svl_work_orders_list(svl_ledger *l, const svl_wo_filter *filter,
			 svl_wo_fn fn, void *payload)
{
	struct q q = {l,  Q_LIST, NULL, NULL, filter, {{NULL}, payload},
		      fn, NULL};
	return run(&q, fn != NULL);
}

int svl_work_orders_page(svl_ledger *l, const svl_wo_filter *filter,
			 svl_page *page, svl_wo_fn fn, void *payload)
{
	struct q q = {l,  Q_LIST, NULL, NULL, filter, {{NULL}, payload},
		      fn, page};
	return run(&q, fn && page);
}

int svl_work_order_transitions(svl_ledger *l, const char *wo_id,
			       svl_wo_transition_fn fn, void *payload)
{
	struct q q = {l,    Q_TRANSITIONS,	   wo_id, NULL,
		      NULL, {{.tr = fn}, payload}, NULL, NULL};
	return run(&q, wo_id && fn);
}

int svl_work_order_parts(svl_ledger *l, const char *wo_id, svl_wo_part_fn fn,
			 void *payload)
{
	struct q q = {l,    Q_PARTS, wo_id, NULL, NULL, {{.part = fn}, payload},
		      NULL, NULL};
	return run(&q, wo_id && fn);
}

int svl_work_order_complaints(svl_ledger *l, const char *wo_id,
			      svl_wo_complaint_fn fn, void *payload)
{
	struct q q = {l,    Q_COMPLAINTS,	    wo_id, NULL,
		      NULL, {{.cmp = fn}, payload}, NULL, NULL};
	return run(&q, wo_id && fn);
}
