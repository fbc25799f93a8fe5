/*
 * documents.c - the documents projection: pick lists, purchase orders,
 * complaints and write-offs, each with what it waits for (svl_documents.h;
 * docs/projections.md "Documents").
 *
 * Invariants:
 *  1. A document exists from the event that opens it (pick_requested,
 *     purchase_ordered, complaint_opened, writeoff_requested); a later
 *     event naming a document that was never opened changes nothing (the
 *     deciders refuse those; the fold does not refuse what the log holds).
 *  2. Its state is a function of its record (doc_state), recomputed after
 *     every event; the 's' and 'j' index keys exist exactly when the record
 *     says so, fixed from the old and new record at the end of the event.
 *  3. What a pick may take next is model/pick_order.h's, the same table
 *     the pick decider follows.
 */
#include <stdio.h>
#include <string.h>

#include "documents_int.h"
#include "money.h"
#include "pick_order.h"

#define F(e, T, FIELD) ((e)->v.v[SVL_F_##T##_##FIELD])
#define D(e, X) ((e)->d.v[SVL__D_##X])

typedef struct doc_ev {
	svl_proj_ctx *c;
	const svl_record *r;
	svl_event_view v;
	int kind;
	char id[SVL_DOC_ID_MAX + 1];
	size_t id_len;
	int exists; /* the record was found (or is being opened) */
	svl__doc d;
	int64_t old_state;
	char old_wo[SVL_DOC_ID_MAX + 1];
} doc_ev;

/* ---- the record ---- */

static void doc_init(svl__doc *d)
{
	memset(d, 0, sizeof *d);
	d->v[SVL__D_SEVERITY] = -1;
	d->v[SVL__D_DEPARTMENT] = -1;
	d->v[SVL__D_PURPOSE] = -1;
}

enum { STEP_OPENED, STEP_CLASSIFIED, STEP_PLANNED, STEP_RESOLVED, STEP_CLOSED };
enum { STEP_REQUESTED, STEP_APPROVED = 1, STEP_REJECTED = 2 };

/* What the document waits for, from its record alone. */
static int doc_state(int kind, const svl__doc *d)
{
	const int64_t *v = d->v;
	switch (kind) {
	case SVL_DOC_PICK:
		if (v[SVL__D_QTY_MILLI] > 0 &&
		    v[SVL__D_DONE_MILLI] >= v[SVL__D_QTY_MILLI])
			return SVL_DOC_DONE;
		return svl__pick_next((int)v[SVL__D_PURPOSE],
				      (uint32_t)v[SVL__D_SIGNED])
			   ? SVL_DOC_WAITING_SIGNATURES
			   : SVL_DOC_WAITING_ISSUE;
	case SVL_DOC_PURCHASE_ORDER:
		if (v[SVL__D_QTY_MILLI] > 0 &&
		    v[SVL__D_DONE_MILLI] >= v[SVL__D_QTY_MILLI])
			return v[SVL__D_CLAIMS] > 0 ? SVL_DOC_WAITING_CLAIM
						    : SVL_DOC_DONE;
		return SVL_DOC_WAITING_ACCEPTANCE;
	case SVL_DOC_COMPLAINT:
		switch (v[SVL__D_STEP]) {
		case STEP_OPENED:
			return SVL_DOC_WAITING_CLASSIFICATION;
		case STEP_CLASSIFIED:
			return SVL_DOC_WAITING_PLAN;
		case STEP_PLANNED:
			return SVL_DOC_WAITING_RESOLUTION;
		case STEP_RESOLVED:
			return SVL_DOC_WAITING_CONFIRMATION;
		default:
			return SVL_DOC_DONE;
		}
	default: /* write-off */
		if (v[SVL__D_STEP] == STEP_REJECTED)
			return SVL_DOC_DONE;
		if (v[SVL__D_STEP] == STEP_APPROVED)
			return v[SVL__D_DONE_MILLI] >= v[SVL__D_QTY_MILLI]
				   ? SVL_DOC_DONE
				   : SVL_DOC_WAITING_DISPOSAL;
		return v[SVL__D_APPRAISALS] < 3 ? SVL_DOC_WAITING_APPRAISAL
						: SVL_DOC_WAITING_APPROVAL;
	}
}

/* ---- which document an event changes ---- */

typedef int (*doc_fn)(doc_ev *e);

static int set_id(doc_ev *e, int kind, const svl_value *id)
{
	e->kind = kind;
	if (!id->present || id->len == 0 || id->len > SVL_DOC_ID_MAX ||
	    memchr(id->s, 0, id->len))
		return 0; /* no document named: nothing to do */
	memcpy(e->id, id->s, id->len);
	e->id[id->len] = '\0';
	e->id_len = id->len;
	return 1;
}

static void copy_id(char *dst, const svl_value *v)
{
	size_t n = v->present && v->s && v->len <= SVL_DOC_ID_MAX ? v->len : 0;
	if (n)
		memcpy(dst, v->s, n);
	dst[n] = '\0';
}

/* Sum of an array's quantity field. */
static int64_t sum_lines(const svl_event_view *v, uint32_t arr, uint32_t qty)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int64_t s = 0;
	if (svl_event_array_begin(&it, v, arr) != SVL_OK)
		return 0;
	while (svl_event_array_next(&it, el) == SVL_OK)
		s += el[qty].present ? el[qty].i : 0;
	return s;
}

static int on_pick(doc_ev *e)
{
	switch (e->r->type) {
	case SVL_T_PICK_REQUESTED:
		if (e->exists)
			return SVL_OK;
		e->exists = 1;
		D(e, OPENED_AT_MS) = e->r->occurred_at_ms;
		D(e, PURPOSE) = F(e, PICK_REQUESTED, PURPOSE).i;
		copy_id(e->d.s[SVL__DS_WO], &F(e, PICK_REQUESTED, WO_ID));
		D(e, QTY_MILLI) =
		    sum_lines(&e->v, SVL_F_PICK_REQUESTED_LINES,
			      SVL_F_PICK_REQUESTED_LINES_QTY_MILLI);
		return SVL_OK;
	case SVL_T_PICK_SIGNED: {
		int64_t as = F(e, PICK_SIGNED, SIGNED_AS).i;
		if (as >= 0 && as < SVL_SIGN_AS__COUNT)
			D(e, SIGNED) |= (int64_t)SVL__SIGN_BIT(as);
		return SVL_OK;
	}
	default: /* parts_issued */
		D(e, DONE_MILLI) += F(e, PARTS_ISSUED, QTY_MILLI).i;
		return SVL_OK;
	}
}

static int on_po(doc_ev *e)
{
	switch (e->r->type) {
	case SVL_T_PURCHASE_ORDERED:
		if (e->exists)
			return SVL_OK;
		e->exists = 1;
		D(e, OPENED_AT_MS) = e->r->occurred_at_ms;
		copy_id(e->d.s[SVL__DS_SUPPLIER],
			&F(e, PURCHASE_ORDERED, SUPPLIER_ID));
		D(e, QTY_MILLI) =
		    sum_lines(&e->v, SVL_F_PURCHASE_ORDERED_LINES,
			      SVL_F_PURCHASE_ORDERED_LINES_QTY_MILLI);
		return SVL_OK;
	case SVL_T_GOODS_ACCEPTED: {
		int64_t stage = F(e, GOODS_ACCEPTED, STAGE).i;
		if (stage > D(e, STAGE))
			D(e, STAGE) = stage;
		/* settled: accepted at the last stage, or rejected at any
		 * (R-RCV-3: what a stage rejects goes no further) */
		D(e, DONE_MILLI) +=
		    sum_lines(&e->v, SVL_F_GOODS_ACCEPTED_LINES,
			      SVL_F_GOODS_ACCEPTED_LINES_REJECTED_QTY_MILLI);
		if (stage == 3)
			D(e, DONE_MILLI) += sum_lines(
			    &e->v, SVL_F_GOODS_ACCEPTED_LINES,
			    SVL_F_GOODS_ACCEPTED_LINES_ACCEPTED_QTY_MILLI);
		return SVL_OK;
	}
	case SVL_T_DISCREPANCY_RECORDED:
		D(e, CLAIMS)++;
		return SVL_OK;
	default: /* claim_settled */
		if (D(e, CLAIMS) > 0)
			D(e, CLAIMS)--;
		return SVL_OK;
	}
}

static int on_complaint(doc_ev *e)
{
	static const struct {
		uint32_t type;
		int step;
	} steps[] = {{SVL_T_COMPLAINT_CLASSIFIED, STEP_CLASSIFIED},
		     {SVL_T_COMPLAINT_PLAN_APPROVED, STEP_PLANNED},
		     {SVL_T_COMPLAINT_RESOLVED, STEP_RESOLVED},
		     {SVL_T_COMPLAINT_CLOSED, STEP_CLOSED}};
	if (e->r->type == SVL_T_COMPLAINT_OPENED) {
		if (e->exists)
			return SVL_OK;
		e->exists = 1;
		D(e, OPENED_AT_MS) = e->r->occurred_at_ms;
		copy_id(e->d.s[SVL__DS_WO], &F(e, COMPLAINT_OPENED, WO_ID));
		return SVL_OK;
	}
	if (e->r->type == SVL_T_COMPLAINT_CLASSIFIED)
		D(e, SEVERITY) = F(e, COMPLAINT_CLASSIFIED, SEVERITY).i;
	if (e->r->type == SVL_T_COMPLAINT_PLAN_APPROVED) {
		D(e, DEPARTMENT) = F(e, COMPLAINT_PLAN_APPROVED, DEPARTMENT).i;
		D(e, DEADLINE_AT_MS) =
		    F(e, COMPLAINT_PLAN_APPROVED, DEADLINE_AT_MS).i;
	}
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++)
		if (steps[k].type == e->r->type && steps[k].step > D(e, STEP))
			D(e, STEP) = steps[k].step;
	return SVL_OK;
}

/* The value of a write-off request's lines (R-WOF-6 splits the approved
 * total, which the approval carries). */
static int64_t lines_value(const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int64_t s = 0;
	if (svl_event_array_begin(&it, v, SVL_F_WRITEOFF_REQUESTED_LINES) !=
	    SVL_OK)
		return 0;
	while (svl_event_array_next(&it, el) == SVL_OK)
		s += svl__line_value_fen(
		    el[SVL_F_WRITEOFF_REQUESTED_LINES_QTY_MILLI].i,
		    el[SVL_F_WRITEOFF_REQUESTED_LINES_UNIT_COST_FEN].i);
	return s;
}

static int on_writeoff(doc_ev *e)
{
	switch (e->r->type) {
	case SVL_T_WRITEOFF_REQUESTED:
		if (e->exists)
			return SVL_OK;
		e->exists = 1;
		D(e, OPENED_AT_MS) = e->r->occurred_at_ms;
		D(e, TOTAL_FEN) = lines_value(&e->v);
		return SVL_OK;
	case SVL_T_WRITEOFF_APPRAISED:
		D(e, APPRAISALS)++;
		return SVL_OK;
	case SVL_T_WRITEOFF_APPROVED:
		D(e, STEP) = STEP_APPROVED;
		D(e, TOTAL_FEN) = F(e, WRITEOFF_APPROVED, TOTAL_FEN).i;
		D(e, QTY_MILLI) =
		    sum_lines(&e->v, SVL_F_WRITEOFF_APPROVED_LINES,
			      SVL_F_WRITEOFF_APPROVED_LINES_QTY_MILLI);
		return SVL_OK;
	case SVL_T_WRITEOFF_REJECTED:
		D(e, STEP) = STEP_REJECTED;
		return SVL_OK;
	default: /* writeoff_disposed */
		D(e, DONE_MILLI) +=
		    sum_lines(&e->v, SVL_F_WRITEOFF_DISPOSED_LINES,
			      SVL_F_WRITEOFF_DISPOSED_LINES_QTY_MILLI);
		return SVL_OK;
	}
}

/* The handler and the document of an event; NULL for types the fold
 * skips (before decoding). */
static doc_fn handler_of(uint32_t type, int *kind)
{
	switch (type) {
	case SVL_T_PICK_REQUESTED:
	case SVL_T_PICK_SIGNED:
	case SVL_T_PARTS_ISSUED:
		*kind = SVL_DOC_PICK;
		return on_pick;
	case SVL_T_PURCHASE_ORDERED:
	case SVL_T_GOODS_ACCEPTED:
	case SVL_T_DISCREPANCY_RECORDED:
	case SVL_T_CLAIM_SETTLED:
		*kind = SVL_DOC_PURCHASE_ORDER;
		return on_po;
	case SVL_T_COMPLAINT_OPENED:
	case SVL_T_COMPLAINT_CLASSIFIED:
	case SVL_T_COMPLAINT_PLAN_APPROVED:
	case SVL_T_COMPLAINT_RESOLVED:
	case SVL_T_COMPLAINT_CLOSED:
		*kind = SVL_DOC_COMPLAINT;
		return on_complaint;
	case SVL_T_WRITEOFF_REQUESTED:
	case SVL_T_WRITEOFF_APPRAISED:
	case SVL_T_WRITEOFF_APPROVED:
	case SVL_T_WRITEOFF_REJECTED:
	case SVL_T_WRITEOFF_DISPOSED:
		*kind = SVL_DOC_WRITEOFF;
		return on_writeoff;
	default:
		return NULL;
	}
}

/* The document id an event names: its stream key, or for a parts issue
 * the pick it was issued on. */
static int doc_of(doc_ev *e)
{
	switch (e->kind) {
	case SVL_DOC_PICK:
		return set_id(e, e->kind,
			      e->r->type == SVL_T_PARTS_ISSUED
				  ? &F(e, PARTS_ISSUED, PICK_ID)
				  : &e->v.v[SVL_F_PICK_REQUESTED_PICK_ID]);
	case SVL_DOC_PURCHASE_ORDER:
		return set_id(e, e->kind,
			      &e->v.v[SVL_F_PURCHASE_ORDERED_PO_ID]);
	case SVL_DOC_COMPLAINT:
		return set_id(e, e->kind,
			      &e->v.v[SVL_F_COMPLAINT_OPENED_CMP_ID]);
	default:
		return set_id(e, e->kind,
			      &e->v.v[SVL_F_WRITEOFF_REQUESTED_WOF_ID]);
	}
}

static int save(doc_ev *e, int was_there)
{
	uint8_t k[SVL__DOC_KEY_MAX], buf[SVL__DOC_BUF];
	uint8_t a[SVL__DOC_KEY_MAX], b[SVL__DOC_KEY_MAX];
	D(e, UPDATED_AT_MS) = e->r->occurred_at_ms;
	D(e, STATE) = doc_state(e->kind, &e->d);
	int rc =
	    svl__proj_put(e->c, k, svl__doc_key(k, e->kind, e->id, e->id_len),
			  buf, svl__doc_encode(&e->d, buf));
	if (rc == SVL_OK)
		rc = svl__proj_reindex(
		    e->c, a,
		    svl__doc_key_state(a, (int)e->old_state, e->kind, e->id,
				       e->id_len),
		    was_there, b,
		    svl__doc_key_state(b, (int)D(e, STATE), e->kind, e->id,
				       e->id_len),
		    1);
	if (rc == SVL_OK)
		rc = svl__proj_reindex(
		    e->c, a,
		    svl__doc_key_job(a, e->old_wo, e->kind, e->id, e->id_len),
		    was_there && e->old_wo[0], b,
		    svl__doc_key_job(b, e->d.s[SVL__DS_WO], e->kind, e->id,
				     e->id_len),
		    e->d.s[SVL__DS_WO][0] != 0);
	return rc;
}

static int doc_apply(svl_proj_ctx *c, const svl_record *r)
{
	doc_ev e;
	doc_fn fn = handler_of(r->type, &e.kind);
	if (!fn)
		return SVL_OK;
	e.c = c;
	e.r = r;
	int rc = svl_event_decode(&e.v, r->type, r->schema_version, r->payload,
				  r->payload_len);
	if (rc != SVL_OK)
		return svl_txn_fail(c->txn, rc,
				    "documents: seq %llu (type %u) does not "
				    "decode",
				    (unsigned long long)r->seq, r->type);
	if (!doc_of(&e))
		return SVL_OK;
	uint8_t k[SVL__DOC_KEY_MAX];
	const void *v;
	size_t n;
	rc = svl__proj_get(c, k, svl__doc_key(k, e.kind, e.id, e.id_len), &v,
			   &n);
	if (rc == SVL_ENOTFOUND) {
		doc_init(&e.d);
		e.exists = 0;
	} else if (rc != SVL_OK) {
		return rc;
	} else if (!svl__doc_decode(v, n, &e.d)) {
		return svl_txn_fail(c->txn, SVL_ECORRUPT,
				    "documents: the record of %s does not "
				    "decode",
				    e.id);
	} else {
		e.exists = 1;
	}
	int was_there = e.exists;
	e.old_state = D(&e, STATE);
	strcpy(e.old_wo, e.d.s[SVL__DS_WO]);
	if ((rc = fn(&e)) != SVL_OK || !e.exists)
		return rc; /* invariant 1: never opened, nothing changes */
	return save(&e, was_there);
}

/* One line per changed document for rebuild diffs. */
static int doc_describe(const void *key, size_t key_len, const void *old_v,
			size_t old_len, const void *new_v, size_t new_len,
			char *out, size_t out_len)
{
	const uint8_t *k = key;
	svl__doc a, b;
	if (key_len < 3 || k[0] != 'd')
		return 0;
	doc_init(&a);
	doc_init(&b);
	if ((old_v && !svl__doc_decode(old_v, old_len, &a)) ||
	    (new_v && !svl__doc_decode(new_v, new_len, &b)))
		return 0;
	const char *ka = svl_doc_kind_name(k[1]);
	const char *sa = svl_doc_state_name((int)a.v[SVL__D_STATE]);
	const char *sb = svl_doc_state_name((int)b.v[SVL__D_STATE]);
	snprintf(out, out_len, "documents %s %.*s: %s -> %s", ka ? ka : "?",
		 (int)(key_len - 2), (const char *)k + 2,
		 old_v && sa ? sa : "none", new_v && sb ? sb : "none");
	return 1;
}

const svl_proj_def svl__proj_documents = {"documents", 1, doc_apply,
					  doc_describe};
