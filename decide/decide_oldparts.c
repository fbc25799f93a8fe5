/*
 * decide_oldparts.c - old parts after the job: warranty claims to the
 * maker and the return of claim parts, old parts handed back cleaned, the
 * periodic disposal.
 *
 *   R-OLD-1  old parts are kept by a designated person; warranty old parts
 *            have their own ledger and belong to the maker's claim: a
 *            claim is filed once, for a warranty job; its parts go back
 *            to the maker only as claimed; the maker answers once, never
 *            paying more than claimed (approved: all of it, partly: some,
 *            rejected: nothing). A customer who asks gets an old part of
 *            the shop's ledger back cleaned; the others are disposed of
 *            periodically, approved by the parts manager or the service
 *            manager (not the person recording it). Neither ever takes
 *            more of a job's part than the shop still holds.
 *   R-QC-2   a warranty claim rests on old parts recovered to the warranty
 *            ledger for that job, at least as many as all its claims
 *            name; warranty old parts are neither handed to the customer
 *            nor disposed of by the shop.
 *
 * State: the job's wo- stream (its kind and the old parts returned and
 * handed back), the claim's wcl- stream, and two aggregates no single
 * stream holds, kept by the decider index ('U' keys, decide_index.c):
 * what all the claims of a job name of a part, and what all disposal
 * batches took of it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "decide_int.h"

/* ---- the job's old parts (wo- stream) ---- */

typedef struct old_job {
	const svl_value *part; /* the part asked about */
	int exists, job_kind;
	int64_t warranty_milli; /* returned to the warranty ledger */
	int64_t shop_milli;	/* returned to the shop's ledger */
	int64_t handed_milli;	/* handed back to the customer */
} old_job;

static void old_returned(old_job *o, const svl_value *x)
{
	int64_t qty = x[SVL_F_OLD_PART_RETURNED_QTY_MILLI].i;
	if (x[SVL_F_OLD_PART_RETURNED_WARRANTY].i)
		o->warranty_milli += qty;
	else
		o->shop_milli += qty;
}

static int old_job_step(void *st, const svl_record *r, const svl_event_view *v)
{
	old_job *o = st;
	const svl_value *x = v->v;
	o->exists = 1;
	switch (r->type) {
	case SVL_T_BOOKING_REQUESTED:
		o->job_kind = (int)x[SVL_F_BOOKING_REQUESTED_JOB_KIND].i;
		break;
	case SVL_T_VEHICLE_RECEIVED:
		o->job_kind = (int)x[SVL_F_VEHICLE_RECEIVED_JOB_KIND].i;
		break;
	case SVL_T_OLD_PART_RETURNED:
		if (o->part &&
		    svl__veq(&x[SVL_F_OLD_PART_RETURNED_PART_NO], o->part))
			old_returned(o, x);
		break;
	case SVL_T_OLD_PART_HANDED_BACK:
		if (o->part &&
		    svl__veq(&x[SVL_F_OLD_PART_HANDED_BACK_PART_NO], o->part))
			o->handed_milli +=
			    x[SVL_F_OLD_PART_HANDED_BACK_QTY_MILLI].i;
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int old_job_fold(svl__dctx *c, const svl_value *wo,
			const svl_value *part, old_job *o)
{
	memset(o, 0, sizeof *o);
	o->part = part;
	o->job_kind = -1;
	return svl__fold(c, "wo", wo, 0, old_job_step, o);
}

/* The quantity of part in the lines of event v (lines field arr, its
 * part and quantity subfields part_sub and qty_sub). */
static int64_t part_milli(const svl_event_view *v, uint32_t arr, int part_sub,
			  const svl_value *part, int qty_sub)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int64_t milli = 0;
	if (!part || svl_event_array_begin(&it, v, arr) != SVL_OK)
		return 0;
	while (svl_event_array_next(&it, el) == SVL_OK)
		if (svl__veq(&el[part_sub], part))
			milli += el[qty_sub].i;
	return milli;
}

/* ---- the claim (wcl- stream) ---- */

typedef struct claim {
	int filed, settled;
	int64_t amount_fen;
	const svl_value *part; /* the part asked about */
	int64_t claimed_milli, shipped_milli;
} claim;

static int claim_step(void *st, const svl_record *r, const svl_event_view *v)
{
	claim *k = st;
	switch (r->type) {
	case SVL_T_WARRANTY_CLAIM_FILED:
		k->filed = 1;
		k->amount_fen = v->v[SVL_F_WARRANTY_CLAIM_FILED_AMOUNT_FEN].i;
		k->claimed_milli += part_milli(
		    v, SVL_F_WARRANTY_CLAIM_FILED_LINES,
		    SVL_F_WARRANTY_CLAIM_FILED_LINES_PART_NO, k->part,
		    SVL_F_WARRANTY_CLAIM_FILED_LINES_QTY_MILLI);
		break;
	case SVL_T_CLAIM_PARTS_SHIPPED:
		k->shipped_milli +=
		    part_milli(v, SVL_F_CLAIM_PARTS_SHIPPED_LINES,
			       SVL_F_CLAIM_PARTS_SHIPPED_LINES_PART_NO, k->part,
			       SVL_F_CLAIM_PARTS_SHIPPED_LINES_QTY_MILLI);
		break;
	case SVL_T_WARRANTY_CLAIM_SETTLED:
		k->settled = 1;
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int claim_fold(svl__dctx *c, const svl_value *id, const svl_value *part,
		      claim *k)
{
	memset(k, 0, sizeof *k);
	k->part = part;
	return svl__fold(c, "wcl", id, 0, claim_step, k);
}

/* ---- warranty_claim_filed (R-OLD-1, R-QC-2) ---- */

static int check_claim_line(svl__dctx *c, const svl_value *wo,
			    const svl_value *part)
{
	old_job o;
	int64_t claimed;
	char a[32], b[32];
	int rc = old_job_fold(c, wo, part, &o);
	if (rc != SVL_OK)
		return rc;
	if (o.warranty_milli == 0)
		return svl__refuse(c, "R-QC-2",
				   "job %.*s recovered no old %.*s to the "
				   "warranty ledger; a claim rests on the "
				   "recovered part",
				   SVL__V(*wo), SVL__V(*part));
	if ((rc = svl__index_old_parts(c, 'c', wo, part, &claimed)) != SVL_OK)
		return rc;
	claimed += part_milli(&c->v, SVL_F_WARRANTY_CLAIM_FILED_LINES,
			      SVL_F_WARRANTY_CLAIM_FILED_LINES_PART_NO, part,
			      SVL_F_WARRANTY_CLAIM_FILED_LINES_QTY_MILLI);
	if (claimed > o.warranty_milli)
		return svl__refuse(
		    c, "R-QC-2",
		    "job %.*s recovered %s of %.*s to the "
		    "warranty ledger but its claims would name "
		    "%s; a part is claimed once",
		    SVL__V(*wo), svl__fmt_qty(a, sizeof a, o.warranty_milli),
		    SVL__V(*part), svl__fmt_qty(b, sizeof b, claimed));
	return SVL_OK;
}

static int decide_claim_filed(svl__dctx *c)
{
	const svl_value *id = SVL__F(c, SVL_F_WARRANTY_CLAIM_FILED_CLAIM_ID);
	const svl_value *wo = SVL__F(c, SVL_F_WARRANTY_CLAIM_FILED_WO_ID);
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	uint64_t ver;
	old_job o;
	int rc = svl__stream_version(c, "wcl", id, &ver);
	if (rc != SVL_OK)
		return rc;
	if (ver != 0)
		return svl__refuse(c, "R-OLD-1",
				   "warranty claim %.*s is already filed",
				   SVL__V(*id));
	if ((rc = old_job_fold(c, wo, NULL, &o)) != SVL_OK)
		return rc;
	if (!o.exists)
		return svl__refuse(c, "R-OLD-1",
				   "there is no job %.*s to claim for",
				   SVL__V(*wo));
	if (o.job_kind != SVL_JOB_KIND_WARRANTY)
		return svl__refuse(c, "R-OLD-1",
				   "job %.*s is not a warranty job; only a "
				   "warranty job's old parts are claimed from "
				   "the maker",
				   SVL__V(*wo));
	rc =
	    svl_event_array_begin(&it, &c->v, SVL_F_WARRANTY_CLAIM_FILED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK)
		rc = check_claim_line(
		    c, wo, &el[SVL_F_WARRANTY_CLAIM_FILED_LINES_PART_NO]);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- claim_parts_shipped (R-OLD-1) ---- */

static int decide_claim_shipped(svl__dctx *c)
{
	const svl_value *id = SVL__F(c, SVL_F_CLAIM_PARTS_SHIPPED_CLAIM_ID);
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	char a[32], b[32];
	claim k;
	int rc = claim_fold(c, id, NULL, &k);
	if (rc != SVL_OK)
		return rc;
	if (!k.filed)
		return svl__refuse(c, "R-OLD-1",
				   "there is no warranty claim %.*s; claim "
				   "parts go back to the maker under their "
				   "claim",
				   SVL__V(*id));
	rc = svl_event_array_begin(&it, &c->v, SVL_F_CLAIM_PARTS_SHIPPED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		const svl_value *part =
		    &el[SVL_F_CLAIM_PARTS_SHIPPED_LINES_PART_NO];
		if ((rc = claim_fold(c, id, part, &k)) != SVL_OK)
			return rc;
		int64_t now =
		    part_milli(&c->v, SVL_F_CLAIM_PARTS_SHIPPED_LINES,
			       SVL_F_CLAIM_PARTS_SHIPPED_LINES_PART_NO, part,
			       SVL_F_CLAIM_PARTS_SHIPPED_LINES_QTY_MILLI);
		if (k.claimed_milli == 0)
			return svl__refuse(c, "R-OLD-1",
					   "part %.*s is not on warranty "
					   "claim %.*s; only its claim parts "
					   "go back to the maker",
					   SVL__V(*part), SVL__V(*id));
		if (k.shipped_milli + now > k.claimed_milli)
			return svl__refuse(
			    c, "R-OLD-1",
			    "warranty claim %.*s names %s of %.*s, %s already "
			    "shipped; no more goes back than claimed",
			    SVL__V(*id),
			    svl__fmt_qty(a, sizeof a, k.claimed_milli),
			    SVL__V(*part),
			    svl__fmt_qty(b, sizeof b, k.shipped_milli));
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- warranty_claim_settled (R-OLD-1) ---- */

static int decide_claim_settled(svl__dctx *c)
{
	const svl_value *id = SVL__F(c, SVL_F_WARRANTY_CLAIM_SETTLED_CLAIM_ID);
	int64_t result = SVL__F(c, SVL_F_WARRANTY_CLAIM_SETTLED_RESULT)->i;
	int64_t paid = SVL__F(c, SVL_F_WARRANTY_CLAIM_SETTLED_PAID_FEN)->i;
	claim k;
	int rc = claim_fold(c, id, NULL, &k);
	if (rc != SVL_OK)
		return rc;
	if (!k.filed)
		return svl__refuse(c, "R-OLD-1",
				   "there is no warranty claim %.*s to settle",
				   SVL__V(*id));
	if (k.settled)
		return svl__refuse(c, "R-OLD-1",
				   "warranty claim %.*s is already settled; "
				   "the maker answers once",
				   SVL__V(*id));
	if (paid > k.amount_fen)
		return svl__refuse(c, "R-OLD-1",
				   "warranty claim %.*s claimed %lld fen; the "
				   "maker cannot pay %lld",
				   SVL__V(*id), (long long)k.amount_fen,
				   (long long)paid);
	if (result == SVL_CLAIM_RESULT_REJECTED && paid != 0)
		return svl__refuse(c, "R-OLD-1",
				   "warranty claim %.*s is rejected: the maker "
				   "pays nothing (paid_fen 0)",
				   SVL__V(*id));
	if (result == SVL_CLAIM_RESULT_APPROVED && paid != k.amount_fen)
		return svl__refuse(c, "R-OLD-1",
				   "warranty claim %.*s is approved: the maker "
				   "pays the %lld fen claimed; a smaller sum "
				   "is partly_approved",
				   SVL__V(*id), (long long)k.amount_fen);
	if (result == SVL_CLAIM_RESULT_PARTLY_APPROVED &&
	    (paid == 0 || paid == k.amount_fen))
		return svl__refuse(c, "R-OLD-1",
				   "warranty claim %.*s is partly approved: "
				   "the maker pays more than nothing and less "
				   "than the %lld fen claimed",
				   SVL__V(*id), (long long)k.amount_fen);
	return SVL_OK;
}

/* ---- what the shop still holds of a job's part ---- */

/* R-QC-2: warranty old parts are the maker's; R-OLD-1: qty of part of job
 * wo is still held: returned to the shop's ledger (o), less handed back,
 * less `disposed` of in any batch. */
static int check_held(svl__dctx *c, const svl_value *wo, const svl_value *part,
		      const old_job *o, int64_t disposed, int64_t qty,
		      const char *what)
{
	int64_t held = o->shop_milli - o->handed_milli - disposed;
	char a[32], b[32];
	if (!o->exists)
		return svl__refuse(c, "R-OLD-1", "there is no job %.*s",
				   SVL__V(*wo));
	if (o->shop_milli == 0 && o->warranty_milli > 0)
		return svl__refuse(c, "R-QC-2",
				   "the old %.*s of job %.*s are on the "
				   "warranty ledger: they belong to the "
				   "maker's claim and are not %s",
				   SVL__V(*part), SVL__V(*wo), what);
	if (qty > held)
		return svl__refuse(
		    c, "R-OLD-1",
		    "the shop holds %s old %.*s of job %.*s "
		    "(returned, less handed back and disposed "
		    "of); %s cannot be %s",
		    svl__fmt_qty(a, sizeof a, held > 0 ? held : 0),
		    SVL__V(*part), SVL__V(*wo), svl__fmt_qty(b, sizeof b, qty),
		    what);
	return SVL_OK;
}

/* ---- old_part_handed_back (R-OLD-1, R-QC-2) ---- */

static int decide_handed_back(svl__dctx *c)
{
	const svl_value *wo = SVL__F(c, SVL_F_OLD_PART_HANDED_BACK_WO_ID);
	const svl_value *part = SVL__F(c, SVL_F_OLD_PART_HANDED_BACK_PART_NO);
	if (!SVL__F(c, SVL_F_OLD_PART_HANDED_BACK_CLEANED)->i)
		return svl__refuse(c, "R-OLD-1",
				   "the old %.*s of job %.*s is cleaned and "
				   "tidied before it goes back to the customer "
				   "(cleaned must be true)",
				   SVL__V(*part), SVL__V(*wo));
	old_job o;
	int64_t disposed = 0;
	int rc = old_job_fold(c, wo, part, &o);
	if (rc == SVL_OK)
		rc = svl__index_old_parts(c, 'd', wo, part, &disposed);
	if (rc != SVL_OK)
		return rc;
	return check_held(c, wo, part, &o, disposed,
			  SVL__F(c, SVL_F_OLD_PART_HANDED_BACK_QTY_MILLI)->i,
			  "handed back");
}

/* ---- old_parts_disposed (R-OLD-1, R-QC-2) ---- */

/* Another person, holding parts_manager or service_manager, approves. */
static int check_disposal_approver(svl__dctx *c)
{
	static const int any[] = {SVL_ROLE_PARTS_MANAGER,
				  SVL_ROLE_SERVICE_MANAGER};
	const svl_value *batch = SVL__F(c, SVL_F_OLD_PARTS_DISPOSED_BATCH_ID);
	const svl_value *who = SVL__F(c, SVL_F_OLD_PARTS_DISPOSED_APPROVER_ID);
	const svl_event_in *ev = c->ev;
	svl_value actor = {0, ev->actor, (uint32_t)ev->actor_len, 1};
	char at[24];
	if (svl__veq(who, &actor))
		return svl__refuse(c, "R-OLD-1",
				   "%.*s records disposal batch %.*s and "
				   "cannot also approve it; the parts manager "
				   "or the service manager approves it",
				   SVL__V(actor), SVL__V(*batch));
	for (size_t k = 0; k < sizeof any / sizeof any[0]; k++) {
		int held;
		int rc = svl__role_held(c, who->s, who->len, any[k],
					ev->occurred_at_ms, &held, NULL, NULL);
		if (rc != SVL_OK || held)
			return rc;
	}
	return svl__refuse(c, "R-OLD-1",
			   "%.*s is neither the parts manager nor the service "
			   "manager at %s and may not approve disposal batch "
			   "%.*s",
			   SVL__V(*who),
			   svl__fmt_time(at, sizeof at, ev->occurred_at_ms,
					 c->rules->tz_offset_min),
			   SVL__V(*batch));
}

/* One job and part of a disposal batch: its lines summed, the job, and
 * what earlier batches took. */
typedef struct disp_key {
	svl_value wo, part;
	int64_t qty, disposed;
	old_job o;
} disp_key;

typedef struct disp_keys {
	disp_key *k;
	size_t n;
} disp_keys;

static disp_key *disp_find(disp_keys *d, const svl_value *wo,
			   const svl_value *part)
{
	for (size_t i = 0; i < d->n; i++)
		if (svl__veq(&d->k[i].wo, wo) && svl__veq(&d->k[i].part, part))
			return &d->k[i];
	return NULL;
}

/* The batch's lines by job and part, each job folded and what earlier
 * batches took of it read from the decider index. */
static int disp_collect(svl__dctx *c, disp_keys *d)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc =
	    svl_event_array_begin(&it, &c->v, SVL_F_OLD_PARTS_DISPOSED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		const svl_value *wo = &el[SVL_F_OLD_PARTS_DISPOSED_LINES_WO_ID];
		const svl_value *part =
		    &el[SVL_F_OLD_PARTS_DISPOSED_LINES_PART_NO];
		int64_t qty = el[SVL_F_OLD_PARTS_DISPOSED_LINES_QTY_MILLI].i;
		disp_key *k = disp_find(d, wo, part);
		if (k) {
			k->qty += qty;
			continue;
		}
		k = &d->k[d->n++];
		k->wo = *wo;
		k->part = *part;
		k->qty = qty;
		if ((rc = old_job_fold(c, wo, &k->part, &k->o)) != SVL_OK ||
		    (rc = svl__index_old_parts(c, 'd', wo, part,
					       &k->disposed)) != SVL_OK)
			return rc;
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* Each job's part still held, the lines of this batch for it together. */
static int decide_disposed(svl__dctx *c)
{
	disp_keys d = {NULL, 0};
	int rc = check_disposal_approver(c);
	if (rc != SVL_OK)
		return rc;
	if (!(d.k = calloc(SVL_EV_ITEMS_MAX, sizeof *d.k)))
		return svl_txn_fail(c->txn, SVL_ENOMEM,
				    "old_parts_disposed: out of memory");
	rc = disp_collect(c, &d);
	for (size_t i = 0; rc == SVL_OK && i < d.n; i++)
		rc = check_held(c, &d.k[i].wo, &d.k[i].part, &d.k[i].o,
				d.k[i].disposed, d.k[i].qty, "disposed of");
	free(d.k);
	return rc;
}

int svl__decide_oldparts(svl__dctx *c)
{
	switch (c->ev->type) {
	case SVL_T_WARRANTY_CLAIM_FILED:
		return decide_claim_filed(c);
	case SVL_T_CLAIM_PARTS_SHIPPED:
		return decide_claim_shipped(c);
	case SVL_T_WARRANTY_CLAIM_SETTLED:
		return decide_claim_settled(c);
	case SVL_T_OLD_PART_HANDED_BACK:
		return decide_handed_back(c);
	case SVL_T_OLD_PARTS_DISPOSED:
		return decide_disposed(c);
	default:
		return SVL_OK;
	}
}
