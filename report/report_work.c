/*
 * report_work.c - money charged and cars waiting: the write-offs approved
 * in the period with their R-WOF-6 shares (svl_figures), and the work in
 * progress at the period's end (work orders projection).
 *
 * Work in progress as of a past time: the projection keeps each job's
 * milestone times (received, dispatched, completed, ready, settled,
 * delivered), so a job's step at the period's end is the last milestone
 * at or before it. A milestone kept as its latest (the last completion
 * of a reworked job) can place a job one step back; the count of jobs in
 * the workshop is exact.
 */
#include <string.h>

#include "report_int.h"
#include "svl_work_orders.h"

/* ---- write-offs ------------------------------------------------------------
 */

static const enum svl__rt share_text[SVL_WOF_SHARES] = {
    SVL__RT_W_COMPANY, SVL__RT_W_SM, SVL__RT_W_PM, SVL__RT_W_WK};

static int wof_chart(svl__rpt *r)
{
	const svl_figures *f = r->fig;
	size_t first = f->n_writeoffs > SVL__CHART_BARS_MAX
			   ? f->n_writeoffs - SVL__CHART_BARS_MAX
			   : 0;
	size_t n = f->n_writeoffs - first;
	const char *bars[SVL__CHART_BARS_MAX], *segs[SVL_WOF_SHARES];
	int64_t v[SVL__CHART_BARS_MAX * SVL_WOF_SHARES];
	for (size_t i = 0; i < n; i++) {
		const svl_fig_writeoff *w = &f->writeoffs[first + i];
		bars[i] = w->wof_id;
		for (int s = 0; s < SVL_WOF_SHARES; s++)
			v[i * SVL_WOF_SHARES + (size_t)s] = w->share_fen[s];
	}
	for (int s = 0; s < SVL_WOF_SHARES; s++)
		segs[s] = svl__rpt_t(r, share_text[s]);
	int rc = svl__rpt_stacks(r, SVL__RT_WOF_SHARES, SVL__RT_U_YUAN_WOF,
				 SVL__RT_SRC_FIGURES, SVL__CHART_FEN, bars, n,
				 segs, SVL_WOF_SHARES, v);
	return rc;
}

static void wof_share_cell(svl__rpt *r, const svl_fig_writeoff *w, int s)
{
	svl__rpt_raw(r, w->overdue[s] ? "<td class=\"n missed\">"
				      : "<td class=\"n\">");
	svl__rpt_num(r, SVL__CHART_FEN, w->share_fen[s]);
	if (s != SVL_WOF_COMPANY && w->share_fen[s] > 0) {
		svl__rpt_raw(r, "<br/><small>");
		if (w->charged_at_ms[s]) {
			svl__rpt_esc(r, w->charged_to[s]);
			svl__rpt_raw(r, " ");
			svl__rpt_time(r, w->charged_at_ms[s]);
		}
		if (!w->charged_at_ms[s])
			svl__rpt_raw(r, svl__rpt_t(r, w->overdue[s]
							  ? SVL__RT_OVERDUE
							  : SVL__RT_NOT_YET));
		svl__rpt_raw(r, "</small>");
	}
	svl__rpt_raw(r, "</td>");
}

static void wof_table(svl__rpt *r)
{
	static const enum svl__rt heads[] = {
	    SVL__RT_COL_WOF,   SVL__RT_COL_APPROVED, SVL__RT_COL_TOTAL,
	    SVL__RT_W_COMPANY, SVL__RT_W_SM,	     SVL__RT_W_PM,
	    SVL__RT_W_WK};
	svl__rpt_table(r, "writeoffs", NULL, heads, 7, 0x3u);
	int64_t sum[SVL_WOF_SHARES] = {0}, total = 0;
	for (size_t i = 0; i < r->fig->n_writeoffs; i++) {
		const svl_fig_writeoff *w = &r->fig->writeoffs[i];
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, w->wof_id);
		svl__rpt_raw(r, "<td>");
		svl__rpt_time(r, w->approved_at_ms);
		svl__rpt_raw(r, "</td>");
		svl__rpt_td(r, SVL__CHART_FEN, w->total_fen, 1);
		total += w->total_fen;
		for (int s = 0; s < SVL_WOF_SHARES; s++) {
			wof_share_cell(r, w, s);
			sum[s] += w->share_fen[s];
		}
		svl__rpt_raw(r, "</tr>\n");
	}
	svl__rpt_raw(r, "<tr class=\"total\"><td>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_TOTAL));
	svl__rpt_raw(r, "</td><td></td>");
	svl__rpt_td(r, SVL__CHART_FEN, total, 1);
	for (int s = 0; s < SVL_WOF_SHARES; s++)
		svl__rpt_td(r, SVL__CHART_FEN, sum[s], 1);
	svl__rpt_raw(r, "</tr>\n");
	svl__rpt_table_end(r);
}

int svl__rpt_money(svl__rpt *r)
{
	svl__rpt_section(r, "writeoffs", NULL, SVL__RT_S_WOF,
			 SVL__RT_S_WOF_LEAD);
	svl__rpt_raw(r, "<p>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_WOF_SPLIT));
	svl__rpt_raw(r, ":");
	for (int s = 0; s < SVL_WOF_SHARES; s++) {
		svl__rpt_raw(r, s ? ", " : " ");
		svl__rpt_raw(r, svl__rpt_t(r, share_text[s]));
		svl__rpt_raw(r, " ");
		svl__rpt_num(r, SVL__CHART_PERMILLE,
			     r->rules.wof_split_permille[s]);
	}
	svl__rpt_raw(r, "</p>\n");
	int rc = SVL_OK;
	if (!r->fig->n_writeoffs) {
		svl__rpt_note(r, SVL__RT_WOF_NONE);
	} else {
		rc = wof_chart(r);
		wof_table(r);
	}
	svl__rpt_section_end(r);
	return rc;
}

/* ---- work in progress
 * -------------------------------------------------------- */

enum {
	WIP_RECEIVED,
	WIP_DISPATCHED,
	WIP_COMPLETED,
	WIP_READY,
	WIP_SETTLED,
	N_STEP
};
enum { AGE_DAY, AGE_3DAYS, AGE_WEEK, AGE_OLD, N_AGE };

static const enum svl__rt step_text[N_STEP] = {
    SVL__RT_W_RECEIVED, SVL__RT_W_DISPATCHED, SVL__RT_W_COMPLETED,
    SVL__RT_W_READY, SVL__RT_W_SETTLED};
static const enum svl__rt age_text[N_AGE] = {SVL__RT_A_DAY, SVL__RT_A_3DAYS,
					     SVL__RT_A_WEEK, SVL__RT_A_OLD};

typedef struct wip {
	int64_t at_ms; /* the period's last millisecond */
	int64_t n[N_STEP][N_AGE];
} wip;

static int before(int64_t t, int64_t at_ms)
{
	return t && t <= at_ms;
}

static int wip_job(const svl_work_order *wo, void *payload)
{
	wip *w = payload;
	int64_t at = w->at_ms;
	if (!before(wo->received_at_ms, at) || before(wo->delivered_at_ms, at))
		return 0;
	if (wo->state == SVL_WO_CANCELLED && before(wo->state_at_ms, at))
		return 0;
	int step = WIP_RECEIVED;
	if (before(wo->settled_at_ms, at))
		step = WIP_SETTLED;
	else if (before(wo->ready_at_ms, at))
		step = WIP_READY;
	else if (before(wo->completed_at_ms, at))
		step = WIP_COMPLETED;
	else if (before(wo->dispatched_at_ms, at))
		step = WIP_DISPATCHED;
	int64_t age = at - wo->received_at_ms;
	const int64_t day = INT64_C(86400000);
	int a = age < day	? AGE_DAY
		: age < 3 * day ? AGE_3DAYS
		: age < 7 * day ? AGE_WEEK
				: AGE_OLD;
	w->n[step][a]++;
	return 0;
}

int svl__rpt_wip(svl__rpt *r)
{
	wip w;
	memset(&w, 0, sizeof w);
	w.at_ms = r->to_ms - 1;
	int rc = svl_work_orders_list(r->l, NULL, wip_job, &w);
	if (rc != SVL_OK)
		return rc;
	svl__rpt_section(r, "wip", NULL, SVL__RT_S_WIP, SVL__RT_S_WIP_LEAD);
	int64_t all = 0;
	const char *bars[N_STEP], *segs[N_AGE];
	for (int s = 0; s < N_STEP; s++) {
		bars[s] = svl__rpt_t(r, step_text[s]);
		for (int a = 0; a < N_AGE; a++)
			all += w.n[s][a];
	}
	for (int a = 0; a < N_AGE; a++)
		segs[a] = svl__rpt_t(r, age_text[a]);
	if (!all) {
		svl__rpt_note(r, SVL__RT_WIP_NONE);
		svl__rpt_section_end(r);
		return SVL_OK;
	}
	rc = svl__rpt_stacks(r, SVL__RT_WIP_CHART, SVL__RT_U_JOBS,
			     SVL__RT_SRC_WO, SVL__CHART_COUNT, bars, N_STEP,
			     segs, N_AGE, &w.n[0][0]);
	enum svl__rt heads[N_AGE + 2];
	heads[0] = SVL__RT_COL_STEP;
	for (int a = 0; a < N_AGE; a++)
		heads[a + 1] = age_text[a];
	heads[N_AGE + 1] = SVL__RT_TOTAL;
	svl__rpt_table(r, "wip", NULL, heads, N_AGE + 2, 1u);
	for (int s = 0; s < N_STEP; s++) {
		int64_t sum = 0;
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, bars[s]);
		for (int a = 0; a < N_AGE; a++) {
			svl__rpt_td(r, SVL__CHART_COUNT, w.n[s][a], 1);
			sum += w.n[s][a];
		}
		svl__rpt_td(r, SVL__CHART_COUNT, sum, 1);
		svl__rpt_raw(r, "</tr>\n");
	}
	svl__rpt_table_end(r);
	svl__rpt_section_end(r);
	return rc;
}
