/*
 * metrics_rows.c - the metrics projection's rows: their periods (local
 * days, ISO weeks, months in the rule set's zone, by calendar.h), their
 * encoding, the ratios computed at read time, and the rebuild diff lines.
 *
 * Rounding: every ratio is (num * scale + den / 2) / den with integers,
 * i.e. rounded half up (all counters are >= 0); SVL_METRICS_NONE when the
 * denominator is 0.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "metrics_int.h"
#include "mp.h"

/* ---- periods (calendar.h: local days, ISO weeks, months) ---- */

int64_t svl__period_start(enum svl_metrics_period p, int64_t day)
{
	switch (p) {
	case SVL_METRICS_WEEK: /* ISO 8601: from Monday */
		return day - svl__weekday(day);
	case SVL_METRICS_MONTH:
		return day - (svl__civil_from_days(day).day - 1);
	default:
		return day;
	}
}

void svl__period_label(enum svl_metrics_period p, int64_t start_day,
		       char out[SVL_METRICS_LABEL_MAX])
{
	if (p == SVL_METRICS_WEEK) /* the ISO week of its Thursday */
		svl__fmt_week(out, SVL_METRICS_LABEL_MAX, start_day);
	else if (p == SVL_METRICS_MONTH)
		svl__fmt_month(out, SVL_METRICS_LABEL_MAX, start_day);
	else
		svl__fmt_day(out, SVL_METRICS_LABEL_MAX, start_day);
}

/* ---- rows ---- */

bool svl__mrow_decode(const void *v, size_t n, int64_t out[SVL__MC_N])
{
	svl_mp_reader r = {v, (const uint8_t *)v + n};
	uint32_t len;
	memset(out, 0, SVL__MC_N * sizeof out[0]);
	if (!svl__mp_read_array(&r, &len) || len > SVL__MC_N)
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (!svl__rd_i64(&r, &out[i]))
			return false;
	return r.p == r.end;
}

size_t svl__mrow_encode(const int64_t c[SVL__MC_N], uint8_t *buf)
{
	uint32_t n = SVL__MC_N;
	while (n > 0 && c[n - 1] == 0)
		n--;
	uint8_t *p = svl__mp_put_array_hdr(buf, n);
	for (uint32_t i = 0; i < n; i++)
		p = svl__mp_put_int(p, c[i]);
	return (size_t)(p - buf);
}

/* ---- ratios ---- */

enum {
	R_COVERAGE,
	R_IN_WINDOW,
	R_CALL_WINDOW,
	R_SUCCESS,
	R_SATISFACTION,
	R_SCORE_AVG,
	R_MAJOR,
	R_FTF,
	R_COMEBACK,
	R_ON_TIME,
	R_N
};

static const struct {
	const char *name, *unit;
} ratio_names[R_N] = {
    {"fu_coverage", "permille"},    {"fu_in_window", "permille"},
    {"fu_call_window", "permille"}, {"fu_success", "permille"},
    {"satisfaction", "permille"},   {"score_avg", "milli"},
    {"major_complaint_rate", "bp"}, {"first_time_fix", "permille"},
    {"comeback_rate", "permille"},  {"on_time", "permille"},
};

static int32_t ratio(int64_t num, int64_t den, int64_t scale)
{
	if (den <= 0 || num < 0)
		return SVL_METRICS_NONE;
	int64_t r = (num * scale + den / 2) / den;
	return r > INT32_MAX ? INT32_MAX : (int32_t)r;
}

int32_t svl__metrics_ratio(int64_t num, int64_t den, int64_t scale)
{
	return ratio(num, den, scale);
}

static void ratios(const int64_t c[SVL__MC_N], int32_t out[R_N])
{
	int64_t delivered = c[SVL__MC_DELIVERED];
	out[R_COVERAGE] = ratio(c[SVL__MC_FU_COVERED], delivered, 1000);
	out[R_IN_WINDOW] = ratio(c[SVL__MC_FU_IN_WINDOW], delivered, 1000);
	out[R_CALL_WINDOW] =
	    ratio(c[SVL__MC_FU_ATTEMPTS_CW], c[SVL__MC_FU_ATTEMPTS], 1000);
	out[R_SUCCESS] =
	    ratio(c[SVL__MC_FU_REACHED],
		  c[SVL__MC_FU_REACHED] + c[SVL__MC_FU_FAILED], 1000);
	out[R_SATISFACTION] =
	    ratio(c[SVL__MC_SATISFIED], c[SVL__MC_FU_REACHED], 1000);
	out[R_SCORE_AVG] =
	    ratio(c[SVL__MC_SCORE_SUM], c[SVL__MC_ANSWERED], 1000);
	out[R_MAJOR] = ratio(c[SVL__MC_MAJOR_COMPLAINTS], delivered, 10000);
	out[R_FTF] = ratio(c[SVL__MC_FIRST_TIME_FIX], delivered, 1000);
	out[R_COMEBACK] = ratio(c[SVL__MC_COMEBACKS], delivered, 1000);
	out[R_ON_TIME] = ratio(c[SVL__MC_ON_TIME], delivered, 1000);
}

static void counters_from(svl_metrics_counters *out, const int64_t c[])
{
#define X(E, m) out->m = c[SVL__MC_##E];
	SVL__MC(X)
#undef X
}

static void counters_to(int64_t c[], const svl_metrics_counters *in)
{
#define X(E, m) c[SVL__MC_##E] = in->m;
	SVL__MC(X)
#undef X
}

static void ratios_struct(svl_metrics_ratios *out, const int32_t r[R_N])
{
	out->fu_coverage_permille = r[R_COVERAGE];
	out->fu_in_window_permille = r[R_IN_WINDOW];
	out->fu_call_window_permille = r[R_CALL_WINDOW];
	out->fu_success_permille = r[R_SUCCESS];
	out->satisfaction_permille = r[R_SATISFACTION];
	out->score_avg_milli = r[R_SCORE_AVG];
	out->major_complaint_bp = r[R_MAJOR];
	out->first_time_fix_permille = r[R_FTF];
	out->comeback_permille = r[R_COMEBACK];
	out->on_time_permille = r[R_ON_TIME];
}

void svl_metrics_ratios_of(const svl_metrics_counters *c,
			   svl_metrics_ratios *out)
{
	int64_t v[SVL__MC_N];
	int32_t r[R_N];
	if (!c || !out)
		return;
	counters_to(v, c);
	ratios(v, r);
	ratios_struct(out, r);
}

void svl_metrics_add(svl_metrics_counters *sum, const svl_metrics_counters *c)
{
	int64_t a[SVL__MC_N], b[SVL__MC_N];
	if (!sum || !c)
		return;
	counters_to(a, sum);
	counters_to(b, c);
	for (int i = 0; i < SVL__MC_N; i++)
		a[i] += b[i];
	counters_from(sum, a);
}

/* ---- keys ---- */

static const char period_tags[3] = {'D', 'W', 'M'};
static const char by_tags[3] = {'O', 'A', 'T'};

static int tag_index(const char *tags, uint8_t t)
{
	for (int i = 0; i < 3; i++)
		if ((uint8_t)tags[i] == t)
			return i;
	return -1;
}

/* 'm' period by day(4) id into row (ids, period, day); false if not. */
static bool row_key_parse(const uint8_t *k, size_t kl, svl_metrics_row *row)
{
	if (kl < 7 || k[0] != 'm' || kl - 7 > SVL_METRICS_KEY_MAX)
		return false;
	int p = tag_index(period_tags, k[1]), by = tag_index(by_tags, k[2]);
	if (p < 0 || by < 0)
		return false;
	row->period = (enum svl_metrics_period)p;
	row->by = (enum svl_metrics_by)by;
	row->period_day = svl__day_unbias(svl__be32_get(k + 3));
	memcpy(row->key, k + 7, kl - 7);
	row->key[kl - 7] = '\0';
	svl__period_label(row->period, row->period_day, row->label);
	return true;
}

/* ---- rebuild diffs ---- */

#define X(E, m) #m,
static const char *const counter_names[SVL__MC_N] = {SVL__MC(X)};
#undef X

static void add(char *out, size_t cap, size_t *len, const char *what)
{
	size_t n = strlen(what);
	if (*len + n + 8 >= cap) {
		if (*len + 6 < cap && strcmp(out + *len - 3, "...") != 0)
			*len +=
			    (size_t)snprintf(out + *len, cap - *len, ", ...");
		return;
	}
	*len += (size_t)snprintf(out + *len, cap - *len, "%s%s",
				 out[*len - 1] == ':' ? " " : ", ", what);
}

static void ratio_text(char *buf, size_t cap, int32_t v)
{
	if (v == SVL_METRICS_NONE)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%d", (int)v);
}

/* One line per row that differs: its period, its key, and every ratio
 * that moved ("metrics 2026-W40 overall: satisfaction 812 -> 845
 * permille"), or the counters when no ratio moved (write-offs). Job,
 * complaint and vehicle records are counted, not shown. */
int svl__metrics_describe(const void *key, size_t key_len, const void *old_v,
			  size_t old_len, const void *new_v, size_t new_len,
			  char *out, size_t out_len)
{
	svl_metrics_row row;
	int64_t a[SVL__MC_N], b[SVL__MC_N];
	int32_t ra[R_N], rb[R_N];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	if (out_len < 48 || !row_key_parse(key, key_len, &row) ||
	    (old_v && !svl__mrow_decode(old_v, old_len, a)) ||
	    (new_v && !svl__mrow_decode(new_v, new_len, b)))
		return 0;
	ratios(a, ra);
	ratios(b, rb);
	static const char *const by_names[3] = {"overall", "advisor ",
						"technician "};
	size_t len =
	    (size_t)snprintf(out, out_len, "metrics %s %s%s:", row.label,
			     by_names[row.by], row.key);
	if (len >= out_len)
		return 1;
	int moved = 0;
	for (int i = 0; i < R_N; i++) {
		char x[16], y[16], what[96];
		if (ra[i] == rb[i])
			continue;
		ratio_text(x, sizeof x, ra[i]);
		ratio_text(y, sizeof y, rb[i]);
		snprintf(what, sizeof what, "%s %s -> %s %s",
			 ratio_names[i].name, x, y, ratio_names[i].unit);
		add(out, out_len, &len, what);
		moved = 1;
	}
	for (int i = 0; !moved && i < SVL__MC_N; i++) {
		char what[96];
		if (a[i] == b[i])
			continue;
		snprintf(what, sizeof what, "%s %lld -> %lld", counter_names[i],
			 (long long)a[i], (long long)b[i]);
		add(out, out_len, &len, what);
	}
	return 1;
}

/* ---- the query ---- */

/* ---- reading a row ---- */

void svl__metrics_row_prefix(uint8_t k[SVL__MROW_PREFIX],
			     enum svl_metrics_period period,
			     enum svl_metrics_by by, int64_t start_day)
{
	k[0] = 'm';
	k[1] = (uint8_t)period_tags[period];
	k[2] = (uint8_t)by_tags[by];
	svl__be32_put(k + 3, svl__day_bias(start_day));
}

bool svl__metrics_row_of(const void *key, size_t key_len, const void *val,
			 size_t val_len, svl_metrics_row *row)
{
	int64_t c[SVL__MC_N];
	int32_t r[R_N];
	memset(row, 0, sizeof *row);
	if (!row_key_parse(key, key_len, row) ||
	    !svl__mrow_decode(val, val_len, c))
		return false;
	counters_from(&row->c, c);
	ratios(c, r);
	ratios_struct(&row->r, r);
	return true;
}
