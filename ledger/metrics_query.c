/*
 * metrics_query.c - the public metrics query: the rows of a period and
 * breakdown between two times, in the ledger's live rule set's zone (the
 * rows themselves, their periods and ratios: projections/metrics_rows.c).
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "fail.h"
#include "mp.h"
#include "ledger_int.h"
#include "metrics_int.h"

struct get_arg {
	svl_ledger *l;
	enum svl_metrics_period period;
	int64_t from_ms, to_ms;
	enum svl_metrics_by by;
	svl_metrics_fn fn;
	void *payload;
};

static int emit(svl_txn *t, const svl_rules *rules, const svl_kv *kv,
		svl_metrics_fn fn, void *payload)
{
	svl_metrics_row row;
	if (!svl__metrics_row_of(kv->key, kv->key_len, kv->val, kv->val_len,
				 &row))
		return svl_txn_fail(t, SVL_ECORRUPT, "metrics row");
	row.period_start_ms =
	    svl__day_start_ms(row.period_day, rules->tz_offset_min);
	return fn(&row, payload);
}

int svl__metrics_get_txn(svl_txn *t, unsigned table, const svl_rules *rules,
			 enum svl_metrics_period period, int64_t from_ms,
			 int64_t to_ms, enum svl_metrics_by by,
			 svl_metrics_fn fn, void *payload)
{
	if ((unsigned)period > SVL_METRICS_MONTH ||
	    (unsigned)by > SVL_METRICS_TECHNICIAN)
		return svl_txn_fail(t, SVL_EINVAL,
				    "metrics: no period %d or breakdown %d",
				    (int)period, (int)by);
	if (from_ms >= to_ms)
		return svl_txn_fail(t, SVL_EINVAL,
				    "metrics: from_ms %lld must be before "
				    "to_ms %lld",
				    (long long)from_ms, (long long)to_ms);
	uint32_t hi = svl__day_bias(svl__period_start(
	    period, svl_rules_local_day(rules, svl__clamp_ms(to_ms - 1))));
	uint8_t k[SVL__MROW_PREFIX];
	svl__metrics_row_prefix(
	    k, period, by,
	    svl__period_start(
		period, svl_rules_local_day(rules, svl__clamp_ms(from_ms))));
	svl_cursor *cur;
	svl_kv kv;
	int rc = svl_cursor_open(t, table, &cur);
	if (rc != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, k, sizeof k, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *key = kv.key;
		if (kv.key_len < sizeof k || memcmp(key, k, 3) != 0 ||
		    svl__be32_get(key + 3) > hi)
			break;
		if ((rc = emit(t, rules, &kv, fn, payload)) != SVL_OK)
			break;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || (rc == SVL_OK) ? SVL_OK : rc;
}

static int get_fn(svl_txn *t, void *payload)
{
	struct get_arg *a = payload;
	unsigned table;
	svl_rules rules;
	int rc = svl__proj_live_table(a->l, "metrics", t, &table, &rules);
	if (rc != SVL_OK)
		return rc;
	return svl__metrics_get_txn(t, table, &rules, a->period, a->from_ms,
				    a->to_ms, a->by, a->fn, a->payload);
}

int svl_metrics_get(svl_ledger *l, enum svl_metrics_period period,
		    int64_t from_ms, int64_t to_ms, enum svl_metrics_by by,
		    svl_metrics_fn fn, void *payload)
{
	if (!l || !fn)
		return svl__fail(l ? svl_ledger_log(l) : NULL, SVL_EMISUSE,
				 "metrics: ledger and fn are required");
	struct get_arg a = {l, period, from_ms, to_ms, by, fn, payload};
	return svl__ledger_read(l, get_fn, &a);
}
