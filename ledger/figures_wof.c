/*
 * figures_wof.c - R-WOF-6 as a figure: per approved write-off, the shares
 * of the live rule set's split (svl_writeoff_split: each role
 * floor(total x permille / 1000), the company the rest) and, for each
 * role's share, the liability_charged (cause writeoff_share) that charged
 * it.
 *
 * Which share a charge filled is the deciders' answer, asked of them
 * (svl__writeoff_share_of, decide_writeoff.c): the first of service
 * manager, parts manager, warehouse keeper whose role the charged person
 * held when the write-off was approved. Amounts cannot tell it (the
 * default split gives the three roles the same 10%), and a second
 * reading of who held which role when would be a second copy of R-ROLE-2.
 *
 * A role's share above 0 fen that no charge filled is overdue once the
 * ledger's clock is at or past the approval plus svl__figures_charge_days
 * days; the company's share is what remains, never an event, never
 * overdue. A write-off counts in the period of its approval.
 */
#include "calendar.h"
#include "decide_int.h"
#include "figures_int.h"

int32_t svl__figures_charge_days(const svl_rules *r)
{
	return r->writeoff_charge_days; /* model/rules.def */
}

int svl__fig_share_of(svl__fig *f, svl_txn *t, const svl_value *wof,
		      const svl_value *staff, int64_t *share)
{
	svl__dctx c;
	svl_refusal why;
	int64_t total;
	int k = 0;
	memset(&c, 0, sizeof c);
	c.txn = t;
	c.rules = &f->rules;
	c.why = &why; /* a decision's context; nothing here refuses */
	int rc = svl__writeoff_share_of(&c, wof, staff, &k, &total);
	*share = k;
	return rc;
}

/* The charges of the run: each share's first. */
static void charges(svl_fig_writeoff *x, const svl__fig_fact *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const svl__fig_fact *c = &v[i];
		if (c->type != SVL_T_LIABILITY_CHARGED || c->m <= 0 ||
		    c->m >= SVL_WOF_SHARES || x->charged_at_ms[c->m])
			continue;
		x->charged_at_ms[c->m] = c->at_ms;
		svl__fig_copy(x->charged_to[c->m], sizeof x->charged_to[0],
			      c->a, strlen(c->a));
	}
}

static int one_writeoff(svl__fig *f, const svl__fig_fact *v, size_t n)
{
	const svl__fig_fact *ok = NULL;
	for (size_t i = 0; i < n && !ok; i++)
		if (v[i].type == SVL_T_WRITEOFF_APPROVED)
			ok = &v[i];
	svl_figures_row *row;
	if (!ok)
		return SVL_OK;
	int rc = svl__fig_row(f, ok->at_ms, &row);
	if (rc != SVL_OK || !row)
		return rc;
	svl_figures *r = f->out;
	svl_fig_writeoff *x =
	    SVL__FIG_PUSH(r->writeoffs, r->n_writeoffs, f->cap_wof);
	if (!x)
		return SVL_ENOMEM;
	svl__fig_label(f, ok->at_ms, x->label);
	svl__fig_copy(x->wof_id, sizeof x->wof_id, ok->id, strlen(ok->id));
	x->approved_at_ms = ok->at_ms;
	x->total_fen = ok->n;
	x->due_at_ms = ok->at_ms + (int64_t)r->charge_days * SVL__DAY_MS;
	/* the live split is valid (the rule set was checked when loaded) */
	(void)svl_writeoff_split(ok->n, f->rules.wof_split_permille,
				 x->share_fen);
	charges(x, v, n);
	row->c.writeoffs++;
	for (int k = SVL_WOF_COMPANY + 1; k < SVL_WOF_SHARES; k++) {
		if (x->share_fen[k] <= 0)
			continue;
		row->c.wof_shares_due++;
		if (x->charged_at_ms[k])
			row->c.wof_shares_charged++;
		else if (r->as_of_ms >= x->due_at_ms) {
			x->overdue[k] = 1;
			row->c.wof_shares_overdue++;
		}
	}
	return SVL_OK;
}

int svl__fig_writeoffs(svl__fig *f)
{
	return svl__fig_runs(f, SVL__FIG_WOF, one_writeoff);
}
