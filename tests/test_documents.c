/*
 * test_documents.c - the documents projection (svl_documents.h): a pick
 * list through its signatures to its issue, a purchase order through its
 * acceptances and a claim, a complaint from ticket to close; what each
 * waits for at every step, the open list by state with paging, a job's
 * documents, and the projection rebuilt from the log equal to the one
 * folded as events came.
 */
#include "test_rules_fixture.h"

#include "svl_documents.h"

static const rt_step JOB[] = {
	{SVL_T_BOOKING_REQUESTED, "E013", NULL, 0, J({"wo_id": "WO1",
		"customer_id": "C1", "owner_name": "Li Wei", "phone": "13800138000",
		"target": "customer_request", "job_kind": "repair",
		"items": "brake squeal", "wanted_at_ms": 1790755200000})},
	{SVL_T_BIN_ASSIGNED, "E012", NULL, 1, J({"part_no": "P1", "bin": "W1-A01-1-01"})},
	{SVL_T_PARTS_SHELVED, "E012", NULL, 2, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 5000, "unit_cost_fen": 3900})},
	{SVL_T_PICK_REQUESTED, "E021", NULL, 10, J({"pick_id": "PK1", "wo_id": "WO1",
		"purpose": "repair", "lines": [{"part_no": "P1", "qty_milli": 2000}]})},
};
static const rt_step REQUISITION[] = {
	{SVL_T_PICK_SIGNED, "E021", NULL, 11, J({"pick_id": "PK1", "signed_as": "requisition_technician"})},
	{SVL_T_PICK_SIGNED, "E010", NULL, 12, J({"pick_id": "PK1", "signed_as": "requisition_advisor"})},
};
static const rt_step SIGNED[] = {
	{SVL_T_PICK_SIGNED, "E020", NULL, 13, J({"pick_id": "PK1", "signed_as": "outbound_approval"})},
	{SVL_T_PICK_SIGNED, "E020", NULL, 14, J({"pick_id": "PK1", "signed_as": "issue_parts_manager", "counted": true})},
	{SVL_T_PICK_SIGNED, "E012", NULL, 15, J({"pick_id": "PK1", "signed_as": "issue_keeper", "counted": true})},
	{SVL_T_PICK_SIGNED, "E021", NULL, 16, J({"pick_id": "PK1", "signed_as": "issue_picker", "counted": true})},
	{SVL_T_OLD_PART_RETURNED, "E021", NULL, 20, J({"wo_id": "WO1",
		"part_no": "P1", "qty_milli": 2000, "warranty": false})},
	{SVL_T_PARTS_ISSUED, "E012", NULL, 30, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
};
static const rt_step ISSUED_REST[] = {
	{SVL_T_PARTS_ISSUED, "E012", NULL, 31, J({"part_no": "P1",
		"bin": "W1-A01-1-01", "qty_milli": 1000, "pick_id": "PK1", "wo_id": "WO1"})},
};
static const rt_step ORDERED[] = {
	{SVL_T_PARTS_PLAN_DRAFTED, "E012", NULL, 40, J({"plan_id": "PL1",
		"kind": "ad_hoc", "lines": [{"part_no": "P1", "qty_milli": 10000}]})},
	{SVL_T_PARTS_PLAN_REVIEWED, "E020", NULL, 41, J({"plan_id": "PL1", "passed": true})},
	{SVL_T_PARTS_PLAN_APPROVED, "E001", NULL, 42, J({"plan_id": "PL1"})},
	{SVL_T_PURCHASE_ORDERED, "E040", NULL, 43, J({"po_id": "PO1",
		"plan_id": "PL1", "supplier_id": "SUP1", "mode": "local_credit",
		"lines": [{"part_no": "P1", "qty_milli": 10000, "unit_price_fen": 3900}]})},
	{SVL_T_GOODS_ACCEPTED, "E040", NULL, 44, J({"po_id": "PO1", "stage": 1,
		"lines": [{"part_no": "P1", "accepted_qty_milli": 10000,
			   "rejected_qty_milli": 0}]})},
	{SVL_T_GOODS_ACCEPTED, "E012", NULL, 45, J({"po_id": "PO1", "stage": 2,
		"lines": [{"part_no": "P1", "accepted_qty_milli": 8000,
			   "rejected_qty_milli": 2000, "reject_reason": "damaged"}],
		"co_signer_id": "E020"})},
	{SVL_T_DISCREPANCY_RECORDED, "E012", NULL, 46, J({"po_id": "PO1",
		"slip_no": "DS1", "claim_against": "carrier", "lines": [{"part_no": "P1",
		"qty_milli": 2000, "kind": "damaged", "amount_fen": 7800}]})},
};
static const rt_step STAGE3[] = {
	{SVL_T_GOODS_ACCEPTED, "E012", NULL, 47, J({"po_id": "PO1", "stage": 3,
		"lines": [{"part_no": "P1", "accepted_qty_milli": 8000,
			   "rejected_qty_milli": 0}]})},
};
static const rt_step CLAIM_SETTLED[] = {
	{SVL_T_CLAIM_SETTLED, "E040", NULL, 48, J({"po_id": "PO1", "slip_no": "DS1",
		"outcome": "accepted", "recovered_fen": 7800})},
};
static const rt_step COMPLAINT[] = {
	{SVL_T_COMPLAINT_OPENED, "E013", NULL, 50, J({"cmp_id": "CMP1",
		"channel": "phone", "description": "noise is back"})},
};
static const rt_step CLASSIFIED_PLANNED[] = {
	{SVL_T_COMPLAINT_CLASSIFIED, "E005", NULL, 51, J({"cmp_id": "CMP1",
		"severity": "medium"})},
	{SVL_T_COMPLAINT_PLAN_APPROVED, "E002", NULL, 52, J({"cmp_id": "CMP1",
		"department": "workshop", "deadline_at_ms": 1791331200000,
		"plan": "re-check the pads", "customer_agreed": true})},
};
static const rt_step RESOLVED_CLOSED[] = {
	{SVL_T_COMPLAINT_RESOLVED, "E001", NULL, 53, J({"cmp_id": "CMP1",
		"resolution": "pads re-seated"})},
	{SVL_T_COMPLAINT_CLOSED, "E013", NULL, 54, J({"cmp_id": "CMP1",
		"customer_confirmed": true})},
};

static rt t;

static void setup(void)
{
	rt_open_ledger(&t, NULL);
}

static void teardown(void)
{
	rt_close(&t);
}

TestSuite(documents, .init = setup, .fini = teardown, .timeout = 60);

#define RUN(a) rt_ok(&t, a, sizeof a / sizeof a[0], #a)
#define BIT(as) (1u << SVL_SIGN_AS_##as)

static svl_document get(int kind, const char *id)
{
	svl_document d;
	cr_assert_eq(svl_document_get(t.ledger, kind, id, &d), SVL_OK, "%s",
		     svl_ledger_errmsg(t.ledger));
	return d;
}

Test(documents, a_pick_waits_for_its_signatures_in_order_then_its_parts)
{
	RUN(JOB);
	svl_document d = get(SVL_DOC_PICK, "PK1");
	cr_assert_eq(d.state, SVL_DOC_WAITING_SIGNATURES);
	cr_assert_str_eq(d.wo_id, "WO1");
	cr_assert_eq(d.missing_mask,
		     BIT(REQUISITION_TECHNICIAN) | BIT(REQUISITION_ADVISOR),
		     "first the requisition (R-ISS-4)");
	cr_assert_eq(d.qty_milli, 2000);
	RUN(REQUISITION);
	d = get(SVL_DOC_PICK, "PK1");
	cr_assert_eq(d.missing_mask, BIT(OUTBOUND_APPROVAL),
		     "then the parts manager's approval (R-ISS-1)");
	RUN(SIGNED);
	d = get(SVL_DOC_PICK, "PK1");
	cr_assert_eq(d.state, SVL_DOC_WAITING_ISSUE, "one of two issued");
	cr_assert_eq(d.missing_mask, 0);
	cr_assert_eq(d.done_milli, 1000);
	RUN(ISSUED_REST);
	d = get(SVL_DOC_PICK, "PK1");
	cr_assert_eq(d.state, SVL_DOC_DONE);
	cr_assert_eq(d.updated_at_ms, RT_MIN(31));
}

Test(documents, an_order_waits_for_acceptance_then_its_claim)
{
	RUN(ORDERED);
	svl_document d = get(SVL_DOC_PURCHASE_ORDER, "PO1");
	cr_assert_eq(d.state, SVL_DOC_WAITING_ACCEPTANCE);
	cr_assert_str_eq(d.supplier_id, "SUP1");
	cr_assert_eq(d.acceptance_stage, 2);
	cr_assert_eq(d.done_milli, 2000, "the 2 rejected go no further");
	cr_assert_eq(d.claims_open, 1);
	RUN(STAGE3);
	d = get(SVL_DOC_PURCHASE_ORDER, "PO1");
	cr_assert_eq(d.done_milli, 10000);
	cr_assert_eq(d.state, SVL_DOC_WAITING_CLAIM);
	RUN(CLAIM_SETTLED);
	cr_assert_eq(get(SVL_DOC_PURCHASE_ORDER, "PO1").state, SVL_DOC_DONE);
}

Test(documents, a_complaint_from_ticket_to_close)
{
	RUN(COMPLAINT);
	svl_document d = get(SVL_DOC_COMPLAINT, "CMP1");
	cr_assert_eq(d.state, SVL_DOC_WAITING_CLASSIFICATION);
	cr_assert_eq(d.severity, -1);
	RUN(CLASSIFIED_PLANNED);
	d = get(SVL_DOC_COMPLAINT, "CMP1");
	cr_assert_eq(d.state, SVL_DOC_WAITING_RESOLUTION);
	cr_assert_eq(d.severity, SVL_CMP_SEVERITY_MEDIUM);
	cr_assert_eq(d.department, SVL_DEPARTMENT_WORKSHOP);
	cr_assert_eq(d.deadline_at_ms, 1791331200000);
	RUN(RESOLVED_CLOSED);
	cr_assert_eq(get(SVL_DOC_COMPLAINT, "CMP1").state, SVL_DOC_DONE);
}

typedef struct seen {
	char ids[8][SVL_DOC_ID_MAX + 1];
	size_t n;
} seen;

static int collect(const svl_document *d, void *p)
{
	seen *s = p;
	cr_assert_lt(s->n, 8);
	snprintf(s->ids[s->n++], sizeof s->ids[0], "%s", d->id);
	return 0;
}

Test(documents, the_open_list_by_state_a_page_at_a_time_and_a_jobs_documents)
{
	RUN(JOB);
	RUN(ORDERED);
	RUN(COMPLAINT);
	/* open: PK1 waiting signatures (1), PO1 acceptance (3), CMP1
	 * classification (5) -- in that order */
	seen s = {.n = 0};
	svl_page p = SVL_PAGE_INIT;
	p.limit = 2;
	cr_assert_eq(svl_documents_page(t.ledger, NULL, &p, collect, &s),
		     SVL_OK, "%s", svl_ledger_errmsg(t.ledger));
	cr_assert_eq(p.total, 3);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.ids[0], "PK1");
	cr_assert_str_eq(s.ids[1], "PO1");
	char after[SVL_PAGE_KEY_MAX + 1];
	snprintf(after, sizeof after, "%s", p.next);
	p.after = after;
	s.n = 0;
	cr_assert_eq(svl_documents_page(t.ledger, NULL, &p, collect, &s),
		     SVL_OK);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.ids[0], "CMP1");
	cr_assert_str_eq(p.next, "");

	RUN(REQUISITION);
	RUN(SIGNED);
	RUN(ISSUED_REST); /* PK1 done: out of the open list */
	svl_doc_filter f = SVL_DOC_FILTER_INIT;
	s.n = 0;
	cr_assert_eq(svl_documents_page(t.ledger, &f, NULL, collect, &s),
		     SVL_OK);
	cr_assert_eq(s.n, 2);
	f.state = -1; /* all, done included */
	f.kind = SVL_DOC_PICK;
	s.n = 0;
	cr_assert_eq(svl_documents_page(t.ledger, &f, NULL, collect, &s),
		     SVL_OK);
	cr_assert_eq(s.n, 1);
	svl_doc_filter j = SVL_DOC_FILTER_INIT;
	j.wo_id = "WO1";
	j.state = -1;
	s.n = 0;
	cr_assert_eq(svl_documents_page(t.ledger, &j, NULL, collect, &s),
		     SVL_OK);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.ids[0], "PK1");
}

Test(documents, bad_arguments_are_named)
{
	svl_document d;
	cr_assert_eq(svl_document_get(t.ledger, SVL_DOC_PICK, "PK9", &d),
		     SVL_ENOTFOUND);
	cr_assert_eq(svl_document_get(t.ledger, 9, "PK9", &d), SVL_EINVAL);
	svl_doc_filter f = SVL_DOC_FILTER_INIT;
	seen s = {.n = 0};
	f.state = 42;
	cr_assert_eq(svl_documents_page(t.ledger, &f, NULL, collect, &s),
		     SVL_EINVAL);
	svl_doc_filter g = SVL_DOC_FILTER_INIT;
	svl_page p = SVL_PAGE_INIT;
	p.after = "PK1";
	cr_assert_eq(svl_documents_page(t.ledger, &g, &p, collect, &s),
		     SVL_EINVAL);
	cr_assert(strstr(svl_ledger_errmsg(t.ledger), "not a cursor"));
	cr_assert_str_eq(svl_doc_state_name(SVL_DOC_WAITING_DISPOSAL),
			 "waiting_disposal");
	cr_assert_eq(svl_doc_kind_find("writeoff", 8), SVL_DOC_WRITEOFF);
	cr_assert_eq(svl_doc_state_find("nope", 4), -1);
}

Test(documents, a_rebuild_from_the_log_equals_the_fold_as_it_came)
{
	RUN(JOB);
	RUN(REQUISITION);
	RUN(ORDERED);
	RUN(COMPLAINT);
	int ok = 0;
	char detail[512];
	cr_assert_eq(svl_ledger_check(t.ledger, &ok, detail, sizeof detail),
		     SVL_OK, "%s", svl_ledger_errmsg(t.ledger));
	cr_assert(ok, "%s", detail);
}

/* A rule change rebuilds the documents too; a program built against the
 * version 1 options and report (three counts) still gets its layout. */
Test(documents, a_rebuild_counts_every_projection_and_keeps_the_old_layout)
{
	RUN(JOB);
	RUN(COMPLAINT);
	uint64_t changed[SVL_PROJECTIONS];
	memset(changed, 0xff, sizeof changed);
	svl_rebuild_options o = SVL_REBUILD_OPTIONS_INIT;
	svl_rebuild_report rep;
	o.flags = SVL_REBUILD_DIFF;
	o.changed = changed;
	cr_assert_eq(svl_ledger_rebuild(t.ledger, NULL, &o, &rep), SVL_OK, "%s",
		     svl_ledger_errmsg(t.ledger));
	for (size_t i = 0; i < SVL_PROJECTIONS; i++)
		cr_assert_eq(changed[i], 0, "projection %zu", i);
	/* version 1: the options end before `changed`, nothing written to
	 * it; the report's three counts and `switched` where they were */
	struct {
		unsigned version, flags;
		svl_progress_fn progress;
		svl_diff_fn diff;
		void *payload;
	} v1 = {1, SVL_REBUILD_DIFF | SVL_REBUILD_SWITCH, NULL, NULL, NULL};
	struct {
		uint64_t events, changed[3];
		int switched;
		uint64_t guard[2]; /* after the padding a v1 report has */
	} r1;
	memset(&r1, 0x5a, sizeof r1);
	cr_assert_eq(svl_ledger_rebuild(t.ledger, NULL,
					(const svl_rebuild_options *)&v1,
					(svl_rebuild_report *)&r1),
		     SVL_OK, "%s", svl_ledger_errmsg(t.ledger));
	cr_assert_gt(r1.events, 0);
	cr_assert_eq(r1.switched, 1);
	for (size_t i = 0; i < 2; i++)
		cr_assert_eq(r1.guard[i], UINT64_C(0x5a5a5a5a5a5a5a5a),
			     "nothing written past a version 1 report");
}
