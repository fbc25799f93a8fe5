/*
 * report_care.c - after the car has gone: the follow-up funnel of the
 * period's jobs (metrics projection), the calls of the period by outcome,
 * and the complaints opened in the period by channel, class and where
 * their resolution stands (svl_figures, as `svcledger figures` lists
 * them).
 *
 * Two facts no projection keeps per period are read in one walk of the
 * log: each call's outcome (R-FU-5) and each complaint's channel (R-CMP-1).
 */
#include <stdlib.h>
#include <string.h>

#include "ledger_int.h"
#include "report_int.h"

/* ---- the walk -------------------------------------------------------------
 */

typedef struct channel_of {
	char cmp_id[SVL_FIGURES_ID_MAX + 1];
	int channel;
} channel_of;

typedef struct care_walk {
	const svl__rpt *r;
	int64_t outcomes[SVL_FU_OUTCOME__COUNT];
	channel_of *ch;
	size_t n_ch, cap_ch;
} care_walk;

static int walk_record(care_walk *w, const svl_record *rec)
{
	svl_event_view v;
	int rc = svl_event_decode(&v, rec->type, rec->schema_version,
				  rec->payload, rec->payload_len);
	if (rc != SVL_OK)
		return rc;
	if (rec->type == SVL_T_FOLLOWUP_ATTEMPTED) {
		int64_t at = v.v[SVL_F_FOLLOWUP_ATTEMPTED_CALLED_AT_MS].i;
		int64_t o = v.v[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME].i;
		if (at >= w->r->from_ms && at < w->r->to_ms && o >= 0 &&
		    o < SVL_FU_OUTCOME__COUNT)
			w->outcomes[o]++;
		return SVL_OK;
	}
	if (w->n_ch == w->cap_ch) {
		size_t cap = w->cap_ch ? 2 * w->cap_ch : 64;
		channel_of *ch = realloc(w->ch, cap * sizeof *ch);
		if (!ch)
			return SVL_ENOMEM;
		w->ch = ch;
		w->cap_ch = cap;
	}
	const svl_value *id = &v.v[SVL_F_COMPLAINT_OPENED_CMP_ID];
	channel_of *c = &w->ch[w->n_ch++];
	size_t len =
	    id->len < SVL_FIGURES_ID_MAX ? id->len : SVL_FIGURES_ID_MAX;
	memcpy(c->cmp_id, id->s, len);
	c->cmp_id[len] = '\0';
	c->channel = (int)v.v[SVL_F_COMPLAINT_OPENED_CHANNEL].i;
	return SVL_OK;
}

static int walk(svl_txn *txn, void *payload)
{
	care_walk *w = payload;
	svl_iter *it;
	svl_record rec;
	int rc = svl_txn_iter_seq(txn, 1, 0, &it);
	if (rc != SVL_OK)
		return rc;
	while ((rc = svl_iter_next(it, &rec)) == SVL_OK)
		if ((rec.type == SVL_T_FOLLOWUP_ATTEMPTED ||
		     rec.type == SVL_T_COMPLAINT_OPENED) &&
		    (rc = walk_record(w, &rec)) != SVL_OK)
			break;
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int channel(const care_walk *w, const char *cmp_id)
{
	for (size_t i = 0; i < w->n_ch; i++)
		if (!strcmp(w->ch[i].cmp_id, cmp_id))
			return w->ch[i].channel;
	return -1;
}

/* ---- follow-up ------------------------------------------------------------
 */

static int funnel(svl__rpt *r, const svl_metrics_counters *c)
{
	int64_t open = c->fu_covered - c->fu_reached - c->fu_failed;
	const char *labels[] = {
	    svl__rpt_t(r, SVL__RT_F_DELIVERED), svl__rpt_t(r, SVL__RT_F_CALLED),
	    svl__rpt_t(r, SVL__RT_F_REACHED), svl__rpt_t(r, SVL__RT_F_FAILED),
	    svl__rpt_t(r, SVL__RT_F_OPEN)};
	int64_t values[] = {c->delivered, c->fu_covered, c->fu_reached,
			    c->fu_failed, open > 0 ? open : 0};
	int rc = svl__rpt_bars(r, SVL__RT_F_FUNNEL, SVL__RT_U_JOBS,
			       SVL__RT_SRC_METRICS, SVL__CHART_COUNT, labels,
			       values, 5);
	static const enum svl__rt heads[] = {SVL__RT_COL_STEP,
					     SVL__RT_COL_JOBS};
	svl__rpt_table(r, "funnel", NULL, heads, 2, 1u);
	for (size_t i = 0; i < 5; i++) {
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, labels[i]);
		svl__rpt_td(r, SVL__CHART_COUNT, values[i], 1);
		svl__rpt_raw(r, "</tr>\n");
	}
	svl__rpt_table_end(r);
	return rc;
}

static int outcomes(svl__rpt *r, const care_walk *w)
{
	const char *labels[SVL_FU_OUTCOME__COUNT];
	int64_t values[SVL_FU_OUTCOME__COUNT];
	size_t n = 0;
	for (int o = 0; o < SVL_FU_OUTCOME__COUNT; o++) {
		if (!w->outcomes[o])
			continue;
		labels[n] = svl__rpt_enum(r, SVL_T_FOLLOWUP_ATTEMPTED,
					  SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME, o);
		values[n++] = w->outcomes[o];
	}
	int rc = svl__rpt_bars(r, SVL__RT_F_OUTCOMES, SVL__RT_U_CALLS,
			       SVL__RT_SRC_FIGURES, SVL__CHART_COUNT, labels,
			       values, n);
	static const enum svl__rt heads[] = {SVL__RT_COL_OUTCOME,
					     SVL__RT_COL_CALLS};
	svl__rpt_table(r, "outcomes", NULL, heads, 2, 1u);
	for (size_t i = 0; i < n; i++) {
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, labels[i]);
		svl__rpt_td(r, SVL__CHART_COUNT, values[i], 1);
		svl__rpt_raw(r, "</tr>\n");
	}
	svl__rpt_raw(r, "<tr><td>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_F_PROBLEMS));
	svl__rpt_raw(r, "</td>");
	svl__rpt_td(r, SVL__CHART_COUNT, r->fig->total.c.fu_problems, 1);
	svl__rpt_raw(r, "</tr>\n");
	svl__rpt_table_end(r);
	return rc;
}

/* The period's jobs as the metrics count them: the months of the period. */
static int period_counters(const svl_metrics_row *row, void *payload)
{
	svl_metrics_add(payload, &row->c);
	return 0;
}

static int followup(svl__rpt *r, const care_walk *w)
{
	svl_metrics_counters c;
	memset(&c, 0, sizeof c);
	int rc = svl_metrics_get(r->l, SVL_METRICS_MONTH, r->from_ms, r->to_ms,
				 SVL_METRICS_OVERALL, period_counters, &c);
	if (rc != SVL_OK)
		return rc;
	svl__rpt_section(r, "followup", NULL, SVL__RT_S_FU, SVL__RT_S_FU_LEAD);
	rc = funnel(r, &c);
	if (rc == SVL_OK)
		rc = outcomes(r, w);
	svl__rpt_section_end(r);
	return rc;
}

/* ---- complaints -------------------------------------------------------------
 */

#define N_CLASS (SVL_CMP_SEVERITY__COUNT + 1) /* and "not classified" */
enum { ST_ON_TIME, ST_LATE, ST_OPEN, ST_NO_PLAN, N_STATE };

static int cmp_class(const svl_fig_complaint *c)
{
	return c->severity >= 0 && c->severity < SVL_CMP_SEVERITY__COUNT
		   ? c->severity
		   : SVL_CMP_SEVERITY__COUNT;
}

static int cmp_state(const svl_fig_complaint *c)
{
	if (c->on_time == 1)
		return ST_ON_TIME;
	if (c->on_time == 0)
		return ST_LATE;
	return c->deadline_at_ms ? ST_OPEN : ST_NO_PLAN;
}

static const enum svl__rt state_text[N_STATE] = {
    SVL__RT_C_ON_TIME, SVL__RT_C_LATE, SVL__RT_C_OPEN, SVL__RT_C_NO_PLAN};

static const char *class_name(const svl__rpt *r, int k)
{
	return k < SVL_CMP_SEVERITY__COUNT
		   ? svl__rpt_enum(r, SVL_T_COMPLAINT_CLASSIFIED,
				   SVL_F_COMPLAINT_CLASSIFIED_SEVERITY, k)
		   : svl__rpt_t(r, SVL__RT_C_UNCLASSED);
}

static int by_channel(svl__rpt *r, const care_walk *w)
{
	int64_t v[SVL_CMP_CHANNEL__COUNT * N_CLASS];
	int64_t all[SVL_CMP_CHANNEL__COUNT * N_CLASS];
	const char *bars[SVL_CMP_CHANNEL__COUNT], *segs[N_CLASS];
	memset(all, 0, sizeof all);
	for (size_t i = 0; i < r->fig->n_complaints; i++) {
		const svl_fig_complaint *c = &r->fig->complaints[i];
		int ch = channel(w, c->cmp_id);
		if (ch >= 0 && ch < SVL_CMP_CHANNEL__COUNT)
			all[ch * N_CLASS + cmp_class(c)]++;
	}
	size_t n = 0;
	for (int ch = 0; ch < SVL_CMP_CHANNEL__COUNT; ch++) {
		int64_t sum = 0;
		for (int k = 0; k < N_CLASS; k++)
			sum += all[ch * N_CLASS + k];
		if (!sum)
			continue;
		bars[n] = svl__rpt_enum(r, SVL_T_COMPLAINT_OPENED,
					SVL_F_COMPLAINT_OPENED_CHANNEL, ch);
		memcpy(&v[n * N_CLASS], &all[ch * N_CLASS],
		       N_CLASS * sizeof *v);
		n++;
	}
	for (int k = 0; k < N_CLASS; k++)
		segs[k] = class_name(r, k);
	int rc = svl__rpt_stacks(r, SVL__RT_C_BY_CHANNEL, SVL__RT_U_COMPLAINTS,
				 SVL__RT_SRC_FIGURES, SVL__CHART_COUNT, bars, n,
				 segs, N_CLASS, v);
	return rc;
}

static int by_state(svl__rpt *r)
{
	int64_t v[N_CLASS * N_STATE];
	const char *bars[N_CLASS], *segs[N_STATE];
	memset(v, 0, sizeof v);
	for (size_t i = 0; i < r->fig->n_complaints; i++) {
		const svl_fig_complaint *c = &r->fig->complaints[i];
		v[cmp_class(c) * N_STATE + cmp_state(c)]++;
	}
	for (int k = 0; k < N_CLASS; k++)
		bars[k] = class_name(r, k);
	for (int s = 0; s < N_STATE; s++)
		segs[s] = svl__rpt_t(r, state_text[s]);
	int rc = svl__rpt_stacks(r, SVL__RT_C_BY_STATE, SVL__RT_U_COMPLAINTS,
				 SVL__RT_SRC_FIGURES, SVL__CHART_COUNT, bars,
				 N_CLASS, segs, N_STATE, v);
	return rc;
}

static void cmp_list(svl__rpt *r, const care_walk *w)
{
	static const enum svl__rt heads[] = {
	    SVL__RT_COL_CMP,	  SVL__RT_COL_OPENED, SVL__RT_COL_CHANNEL,
	    SVL__RT_COL_CLASS,	  SVL__RT_COL_DEPT,   SVL__RT_COL_DEADLINE,
	    SVL__RT_COL_RESOLVED, SVL__RT_COL_STATE};
	svl__rpt_table(r, "complaints", NULL, heads, 8, 0xffu);
	int64_t confirmed = 0;
	for (size_t i = 0; i < r->fig->n_complaints; i++) {
		const svl_fig_complaint *c = &r->fig->complaints[i];
		int st = cmp_state(c);
		confirmed += c->customer_confirmed;
		svl__rpt_raw(r, "<tr>");
		svl__rpt_td_text(r, c->cmp_id);
		svl__rpt_raw(r, "<td>");
		svl__rpt_time(r, c->opened_at_ms);
		svl__rpt_raw(r, "</td>");
		svl__rpt_td_text(r,
				 svl__rpt_enum(r, SVL_T_COMPLAINT_OPENED,
					       SVL_F_COMPLAINT_OPENED_CHANNEL,
					       channel(w, c->cmp_id)));
		svl__rpt_td_text(r, class_name(r, cmp_class(c)));
		svl__rpt_td_text(
		    r, svl__rpt_enum(r, SVL_T_COMPLAINT_PLAN_APPROVED,
				     SVL_F_COMPLAINT_PLAN_APPROVED_DEPARTMENT,
				     c->department));
		svl__rpt_raw(r, "<td>");
		svl__rpt_time(r, c->deadline_at_ms);
		svl__rpt_raw(r, "</td><td>");
		svl__rpt_time(r, c->resolved_at_ms);
		svl__rpt_raw(r, st == ST_LATE ? "</td><td class=\"missed\">"
					      : "</td><td>");
		svl__rpt_raw(r, svl__rpt_t(r, state_text[st]));
		svl__rpt_raw(r, "</td></tr>\n");
	}
	svl__rpt_table_end(r);
	svl__rpt_raw(r, "<p>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_C_CONFIRMED));
	svl__rpt_raw(r, ": ");
	svl__rpt_num(r, SVL__CHART_COUNT, confirmed);
	svl__rpt_raw(r, "</p>\n");
}

static int complaints(svl__rpt *r, const care_walk *w)
{
	svl__rpt_section(r, "complaints", NULL, SVL__RT_S_CMP,
			 SVL__RT_S_CMP_LEAD);
	int rc = SVL_OK;
	if (!r->fig->n_complaints) {
		svl__rpt_note(r, SVL__RT_NO_COMPLAINTS);
	} else {
		svl__rpt_raw(r, "<div class=\"grid2\">\n");
		rc = by_channel(r, w);
		if (rc == SVL_OK)
			rc = by_state(r);
		svl__rpt_raw(r, "</div>\n");
		cmp_list(r, w);
	}
	svl__rpt_section_end(r);
	return rc;
}

int svl__rpt_care(svl__rpt *r)
{
	care_walk w;
	memset(&w, 0, sizeof w);
	w.r = r;
	int rc = svl__ledger_read(r->l, walk, &w);
	if (rc == SVL_OK)
		rc = followup(r, &w);
	if (rc == SVL_OK)
		rc = complaints(r, &w);
	free(w.ch);
	return rc;
}
