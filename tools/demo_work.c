/*
 * demo_work.c - a job in the workshop, from dispatch to delivery: the
 * pick list with its signatures and the issue (R-ISS-1..5), booked jobs'
 * parts pre-picked before the car comes (R-WO-3), additional work found
 * during the repair (R-WO-4/5, R-QUO-2), completion, the three quality
 * checks with some rework (R-QC-1), the car made ready (R-QC-3),
 * settlement and payment (R-SET-1), delivery with the old parts handed
 * back cleaned to a customer who asks (R-OLD-1), and after it the
 * warranty claim to the maker, its parts shipped back and the maker's
 * answer (R-OLD-1, R-QC-2); on a month's last day the disposal of the
 * old parts the shop kept (R-OLD-1). The follow-up calls are
 * demo_after.c's.
 *
 * The parts of a job are always counted out and issued when its work
 * starts, which is before 16:30 of that day (demo_book.c makes sure), so
 * every stock movement of the day precedes the evening count: the
 * generator's model of the shelf is then exact when the count is taken.
 * The pre-pick (request, requisition, approval) moves no stock.
 *
 * This file has no day hook of its own: the pre-picks and the month's
 * disposal are done by the jobs that start that day, each looking
 * whether they are done yet, in the day's batch or in the ledger.
 */
#include <stdio.h>
#include <string.h>

#include "demo.h"

#define R(x) SVL_ROLE_##x

static int leader_of(int tech)
{
	return demo_person_get(tech)->group == 1 ? ST_TD : ST_WM;
}

static int leader_role(int who)
{
	return who == ST_TD ? R(TECHNICAL_DIRECTOR) : R(WORKSHOP_MANAGER);
}

static void dispatch(demo_gen *g, demo_job *j, int64_t t, int64_t labor_min)
{
	int by = leader_of(j->tech);
	char bay[8];
	snprintf(bay, sizeof bay, "%s%02d",
		 j->kind == SVL_JOB_KIND_ACCIDENT ? "P" : "B",
		 (int)demo_between(&g->rng, 1, 12));
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "technician_id", demo_person_get(j->tech)->id);
	dj_str(jb, "bay", bay);
	dj_int(jb, "est_labor_min", labor_min);
	demo_emit(g, t, SVL_T_WORK_DISPATCHED, by, leader_role(by));
}

/* ---- the pick list (R-ISS-1..4) ---------------------------------------- */

static void sign(demo_gen *g, const char *pick, const char *as, int who,
		 int role, int64_t t, int counted)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "pick_id", pick);
	dj_str(jb, "signed_as", as);
	if (counted)
		dj_bool(jb, "counted", 1);
	demo_emit(g, t, SVL_T_PICK_SIGNED, who, role);
}

static int is_oil(int family)
{
	return family == FAM_OIL_0W20 || family == FAM_OIL_5W30 ||
	       family == FAM_OIL_0W16;
}

/* What leaves the shelf for line k: oil is drawn in whole litres and the
 * rest comes back, when the shelf has the extra to spare. */
static int64_t drawn_milli(const demo_gen *g, const demo_job *j, int k)
{
	const demo_part *p = &g->parts[j->lines[k].part];
	int64_t qty = j->lines[k].qty_milli;
	int64_t whole = (qty + 999) / 1000 * 1000;
	if (!is_oil(p->family) || whole == qty)
		return qty;
	return demo_free_milli(p) >= whole - qty ? whole : qty;
}

/* The request for the lines k with drawn[k] > 0, by technician `tech`. */
static void request(demo_gen *g, const demo_job *j, const char *pick,
		    const int64_t *drawn, int tech, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "pick_id", pick);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "purpose",
	       j->kind == SVL_JOB_KIND_WARRANTY ? "warranty" : "repair");
	dj_arr(jb, "lines");
	for (int k = 0; k < j->n_lines; k++) {
		const demo_part *p = &g->parts[j->lines[k].part];
		if (!drawn[k])
			continue;
		dj_obj(jb);
		dj_str(jb, "part_no", p->no);
		dj_int(jb, "qty_milli", drawn[k]);
		dj_str(jb, "bin", p->bin);
		dj_end(jb);
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_PICK_REQUESTED, tech, R(TECHNICIAN));
}

/* The requisition in its order: claims first for warranty, the
 * technician and the advisor, then the parts manager's approval (R-ISS-1,
 * R-ISS-4). Returns the time of the approval. */
static int64_t requisition(demo_gen *g, const demo_job *j, int tech,
			   const char *pick, int64_t t)
{
	if (j->kind == SVL_JOB_KIND_WARRANTY)
		sign(g, pick, "requisition_claims", ST_CLM,
		     R(CLAIMS_SPECIALIST), t = demo_later(g, t, 1, 2), 0);
	sign(g, pick, "requisition_technician", tech, R(TECHNICIAN),
	     t = demo_later(g, t, 0, 1), 0);
	sign(g, pick, "requisition_advisor", j->advisor, R(SERVICE_ADVISOR),
	     t = demo_later(g, t, 1, 3), 0);
	sign(g, pick, "outbound_approval", ST_PM, R(PARTS_MANAGER),
	     t = demo_later(g, t, 1, 3), 0);
	return t;
}

/* The three-party count at the shelf (R-ISS-3); returns the time of the
 * last signature. */
static int64_t count_out(demo_gen *g, const demo_job *j, const char *pick,
			 int64_t t)
{
	sign(g, pick, "issue_parts_manager", ST_PM, R(PARTS_MANAGER),
	     t = demo_later(g, t, 2, 5), 1);
	sign(g, pick, "issue_keeper", ST_WK, R(WAREHOUSE_KEEPER),
	     t = demo_later(g, t, 0, 1), 1);
	sign(g, pick, "issue_picker", j->tech, R(TECHNICIAN),
	     t = demo_later(g, t, 0, 1), 1);
	return t;
}

/* R-ISS-5: the old part is handed back before the new one leaves. */
static void old_part(demo_gen *g, const demo_job *j, int k, int64_t t)
{
	const demo_part *p = &g->parts[j->lines[k].part];
	int warranty = j->kind == SVL_JOB_KIND_WARRANTY;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "part_no", p->no);
	dj_int(jb, "qty_milli", j->lines[k].qty_milli);
	dj_bool(jb, "warranty", warranty); /* R-OLD-1 */
	dj_str(jb, "keeper_id", demo_person_get(ST_WK)->id);
	dj_str(jb, "condition",
	       warranty ? "failed part, tagged for the maker" : "used, bagged");
	demo_emit(g, t, SVL_T_OLD_PART_RETURNED, j->tech, R(TECHNICIAN));
}

static void issue(demo_gen *g, demo_job *j, int k, const char *pick,
		  int64_t drawn, int64_t t)
{
	demo_part *p = &g->parts[j->lines[k].part];
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", drawn);
	dj_str(jb, "pick_id", pick);
	dj_str(jb, "wo_id", j->wo);
	demo_emit(g, t, SVL_T_PARTS_ISSUED, ST_WK, R(WAREHOUSE_KEEPER));
	if (j->held[k] == LINE_HELD) {
		p->committed_milli -= j->lines[k].qty_milli;
		j->held[k] = LINE_FREE;
	}
	p->book_milli -= drawn;
	p->phys_milli -= drawn;
	p->moved_day = demo_day_of(t);
	p->issues++;
	if (j->held[k] == LINE_RESERVED)
		demo_release_line(g, j, k, t + 30000,
				  SVL_RELEASE_REASON_ISSUED);
	g->st.issues++;
}

/* Unused oil back to its bin (R-BIN-2: every movement on the card). */
static void give_back(demo_gen *g, const demo_job *j, int k, const char *pick,
		      int64_t back, int64_t t)
{
	demo_part *p = &g->parts[j->lines[k].part];
	char why[64];
	snprintf(why, sizeof why, "engine took %lld.%lld L",
		 (long long)(j->lines[k].qty_milli / 1000),
		 (long long)(j->lines[k].qty_milli % 1000 / 100));
	demo_json *jb = dj_begin(g);
	dj_str(jb, "part_no", p->no);
	dj_str(jb, "bin", p->bin);
	dj_int(jb, "qty_milli", back);
	dj_str(jb, "pick_id", pick);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "reason", why);
	demo_emit(g, t, SVL_T_PARTS_RETURNED_TO_STOCK, ST_WK,
		  R(WAREHOUSE_KEEPER));
	p->book_milli += back;
	p->phys_milli += back;
}

/* The count, then for each line on the pick (drawn[k] > 0) the old part
 * back and the new one out, and unused oil back to its bin; returns when
 * the parts are in the technician's hands. */
static int64_t issue_pick(demo_gen *g, demo_job *j, const char *pick,
			  const int64_t *drawn, int64_t t)
{
	t = count_out(g, j, pick, t);
	for (int k = 0; k < j->n_lines; k++) {
		if (!drawn[k])
			continue;
		if (j->kind != SVL_JOB_KIND_MAINTENANCE)
			old_part(g, j, k, t = demo_later(g, t, 0, 1));
		issue(g, j, k, pick, drawn[k], t = demo_later(g, t, 0, 1));
	}
	for (int k = 0; k < j->n_lines; k++)
		if (drawn[k] > j->lines[k].qty_milli)
			give_back(g, j, k, pick,
				  drawn[k] - j->lines[k].qty_milli,
				  demo_later(g, t, 10, 25));
	g->st.picks++;
	return t;
}

/* Pick and issue the lines k with todo[k] of job j from time t, on a new
 * pick list; returns when the parts are in the technician's hands. */
static int64_t pick_lines(demo_gen *g, demo_job *j, const uint8_t *todo,
			  int64_t t)
{
	char pick[16];
	int64_t drawn[DEMO_JOB_PARTS] = {0};
	int any = 0;
	for (int k = 0; k < j->n_lines; k++)
		if (todo[k] && (drawn[k] = drawn_milli(g, j, k)) > 0)
			any = 1;
	if (!any)
		return t;
	demo_docid(pick, sizeof pick, "PK2026-", ++g->n_pick, 5);
	request(g, j, pick, drawn, j->tech, t);
	t = requisition(g, j, j->tech, pick, t);
	return issue_pick(g, j, pick, drawn, t);
}

/* An event of `type` on `stream` waits in the day's batch (at or after
 * from_ms). */
static int pending(const demo_gen *g, uint32_t type, const char *stream,
		   int64_t from_ms)
{
	size_t n = strlen(stream);
	for (size_t k = 0; k < g->n_ev; k++) {
		const demo_ev *e = &g->ev[k];
		if (e->type == type && e->at_ms >= from_ms &&
		    e->stream_len == n && memcmp(e->data, stream, n) == 0)
			return 1;
	}
	return 0;
}

/* ---- pre-picking for booked jobs (R-WO-3) ------------------------------- */

/* The seed wants a booked vehicle's parts picked before it comes: the
 * afternoon before the slot, a technician of the right trade asks for
 * them, the advisor and (for warranty) the claims specialist sign, and
 * the parts manager approves the list. The count and the issue wait for
 * the work and the old parts (R-ISS-5). The pick id follows the job's,
 * so the work finds it in the ledger. */
static void prepick_id(char *out, size_t cap, const demo_job *j)
{
	snprintf(out, cap, "PB%s", j->wo + 2); /* WO2026-00131: PB2026-00131 */
}

static int stream_exists(demo_gen *g, const char *stream)
{
	uint64_t ver = 0;
	return svl_log_stream_version(svl_ledger_log(g->ledger), stream,
				      strlen(stream), &ver) == SVL_OK &&
	       ver > 0;
}

/* A technician who can ask for job j's parts on `day` (body and paint
 * for accident jobs), or -1. */
static int requisitioner(const demo_job *j, int day)
{
	for (int k = 0; k < DEMO_TECHS; k++) {
		int who = demo_tech(k);
		int body = who == ST_BP1 || who == ST_BP2;
		if (body == (j->kind == SVL_JOB_KIND_ACCIDENT) &&
		    demo_on_staff(who, day))
			return who;
	}
	return -1;
}

/* From 17:10, after the day's bookings are taken (09:00-17:00); a job
 * whose slot is today and missed it (booked before the quarter, or its
 * slot moved) is pre-picked from 07:40, before the shop opens. */
#define PREPICK_HH 17
#define PREPICK_MM 10
#define PREPICK_EARLY_HH 7
#define PREPICK_EARLY_MM 40

/* When job j is pre-picked on `day`, or 0 when it is not (now). */
static int64_t prepick_at(demo_gen *g, const demo_job *j, int day)
{
	if (j->phase != JP_BOOKED || !j->n_lines)
		return 0;
	if (j->slot_day == day + 1 && j->booked_day <= day)
		return demo_later(g, demo_at(day, PREPICK_HH, PREPICK_MM), 0,
				  30);
	if (j->slot_day == day && j->booked_day < day)
		return demo_later(
		    g, demo_at(day, PREPICK_EARLY_HH, PREPICK_EARLY_MM), 0, 5);
	return 0;
}

/* Booked jobs of today and tomorrow not pre-picked yet: each call of the
 * day (every job that starts) looks, so that the bookings taken later in
 * the day are pre-picked too. */
static void prepick_booked(demo_gen *g, int day)
{
	for (size_t i = 0; i < g->n_jobs; i++) {
		demo_job *j = &g->jobs[i];
		char pick[16], stream[24];
		int64_t drawn[DEMO_JOB_PARTS] = {0};
		int tech = requisitioner(j, day);
		if (j->phase != JP_BOOKED || j->slot_day < day ||
		    j->slot_day > day + 1 || tech < 0 ||
		    !demo_on_staff(j->advisor, day))
			continue;
		prepick_id(pick, sizeof pick, j);
		snprintf(stream, sizeof stream, "pick-%s", pick);
		if (pending(g, SVL_T_PICK_REQUESTED, stream, INT64_MIN) ||
		    stream_exists(g, stream)) /* a slot moved: done before */
			continue;
		int64_t t = prepick_at(g, j, day);
		if (!t)
			continue;
		for (int k = 0; k < j->n_lines; k++)
			drawn[k] = drawn_milli(g, j, k);
		request(g, j, pick, drawn, tech, t);
		requisition(g, j, tech, pick, t);
	}
}

typedef struct prepick_read {
	const demo_gen *g;
	const demo_job *j;
	int64_t *requested;
} prepick_read;

/* The lines of the pre-pick's request (its payload), by the job's line. */
static int read_request(const uint8_t *payload, size_t len, prepick_read *p)
{
	svl_event_view v;
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	uint32_t ver = svl_event_type_get(SVL_T_PICK_REQUESTED)->version;
	int rc = svl_event_decode(&v, SVL_T_PICK_REQUESTED, ver, payload, len);
	if (rc == SVL_OK)
		rc = svl_event_array_begin(&it, &v, SVL_F_PICK_REQUESTED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		const svl_value *no = &el[SVL_F_PICK_REQUESTED_LINES_PART_NO];
		for (int k = 0; k < p->j->n_lines; k++) {
			const char *want = p->g->parts[p->j->lines[k].part].no;
			if (strlen(want) == no->len &&
			    memcmp(want, no->s, no->len) == 0)
				p->requested[k] +=
				    el[SVL_F_PICK_REQUESTED_LINES_QTY_MILLI].i;
		}
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* What job j's pre-pick `pick` asked for, by line (0: not on it), from
 * the day's batch or the ledger; 0 when there is no pre-pick. */
static int prepick_of(demo_gen *g, const demo_job *j, const char *pick,
		      int64_t *requested)
{
	char stream[24];
	size_t n = (size_t)snprintf(stream, sizeof stream, "pick-%s", pick);
	svl_iter *it;
	svl_record r;
	prepick_read p = {g, j, requested};
	for (size_t k = 0; k < g->n_ev; k++) {
		const demo_ev *e = &g->ev[k];
		if (e->type == SVL_T_PICK_REQUESTED && e->stream_len == n &&
		    memcmp(e->data, stream, n) == 0)
			return read_request(e->data + n, e->payload_len, &p) ==
			       SVL_OK;
	}
	if (!stream_exists(g, stream) ||
	    svl_log_iter_stream(svl_ledger_log(g->ledger), stream, n, 1, 1,
				&it) != SVL_OK)
		return 0;
	int rc = svl_iter_next(it, &r);
	if (rc == SVL_OK && r.type == SVL_T_PICK_REQUESTED)
		rc = read_request(r.payload, r.payload_len, &p);
	svl_iter_close(it);
	return rc == SVL_OK;
}

/* A booked job that missed both looks (its slot moved to today after
 * the morning's) is pre-picked before its reception when that is still
 * in today's batch (the work starts the day the car comes). */
#define PREPICK_LEAD_MIN 25 /* the request this long before the reception */

static int same_day_ahead(const demo_job *j, int64_t start)
{
	int day = demo_day_of(j->received_ms);
	return j->booked && day == demo_day_of(start) && j->booked_day < day;
}

/* Request and approve all of job j's lines at t, by its technician, on
 * pick; the quantities into drawn. */
static int prepick_now(demo_gen *g, const demo_job *j, const char *pick,
		       int64_t *drawn, int64_t t)
{
	for (int k = 0; k < j->n_lines; k++)
		drawn[k] = drawn_milli(g, j, k);
	request(g, j, pick, drawn, j->tech, t);
	requisition(g, j, j->tech, pick, t);
	return j->n_lines > 0;
}

/* The job's parts at the start of its work: the pre-pick's lines are
 * counted out and issued on it (never more than it asked for), the rest
 * on a pick list of their own. */
static int64_t pick_job(demo_gen *g, demo_job *j, int64_t t)
{
	char pick[16];
	int64_t requested[DEMO_JOB_PARTS] = {0}, drawn[DEMO_JOB_PARTS] = {0};
	uint8_t todo[DEMO_JOB_PARTS];
	int on = 0, found = 0;
	prepick_id(pick, sizeof pick, j);
	if (j->booked && (found = prepick_of(g, j, pick, requested)))
		for (int k = 0; k < j->n_lines; k++) {
			int64_t d = drawn_milli(g, j, k);
			drawn[k] = d < requested[k] ? d : requested[k];
			on |= drawn[k] > 0;
		}
	if (!found && same_day_ahead(j, t))
		on = prepick_now(g, j, pick, drawn,
				 j->received_ms -
				     PREPICK_LEAD_MIN * DEMO_MIN_MS);
	if (on)
		t = issue_pick(g, j, pick, drawn, t);
	for (int k = 0; k < j->n_lines; k++)
		todo[k] = drawn[k] == 0;
	return pick_lines(g, j, todo, t);
}

/* ---- additional work (R-WO-4, R-WO-5, R-QUO-2) ------------------------- */

static const int finding_fams[] = {FAM_WIPER, FAM_CABIN_FILTER,
				   FAM_BULB,  FAM_PAD_REAR,
				   FAM_LINK,  FAM_BRAKE_FLUID};

static int quoter(const demo_job *j)
{
	return j->kind == SVL_JOB_KIND_ACCIDENT ||
		       j->kind == SVL_JOB_KIND_WARRANTY
		   ? ST_CLM
		   : j->advisor;
}

static void found(demo_gen *g, demo_job *j, int part, int technical, int64_t t)
{
	const demo_part *p = &g->parts[part];
	char what[160];
	snprintf(what, sizeof what, "%s: replacement advised (%s)",
		 demo_family_name(p->family), p->name);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "finding_no", 1);
	dj_str(jb, "description", what);
	dj_bool(jb, "technical", technical);
	dj_int(jb, "est_amount_fen",
	       demo_hours_milli(p->family) * DEMO_LABOR_RATE_FEN / 1000 +
		   p->price_fen);
	demo_emit(g, t, SVL_T_ADDITIONAL_WORK_FOUND, j->tech, R(TECHNICIAN));
	if (!technical)
		return;
	jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "finding_no", 1);
	dj_str(jb, "question", "is the wear caused by the original fault?");
	dj_str(jb, "advice", "no link; replace and road test after fitting");
	dj_bool(jb, "new_fault", demo_chance(&g->rng, 200));
	demo_emit(g, demo_later(g, t, 5, 15), SVL_T_TECHNICAL_CONSULTATION,
		  ST_TD, R(TECHNICAL_DIRECTOR));
}

static void approved(demo_gen *g, demo_job *j, int part, int64_t t)
{
	const demo_part *p = &g->parts[part];
	int64_t amount =
	    demo_hours_milli(p->family) * DEMO_LABOR_RATE_FEN / 1000 +
	    p->price_fen;
	int who = quoter(j);
	demo_json *jb = dj_begin(g);
	char why[96];
	snprintf(why, sizeof why, "additional work 1: %s",
		 demo_family_name(p->family));
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "revision", ++j->quote_rev);
	dj_str(jb, "reason", why);
	int64_t total = demo_quote_lines(g, jb, j);
	dj_int(jb, "total_fen", total);
	dj_int(jb, "promised_at_ms", j->promised_ms += 30 * DEMO_MIN_MS);
	dj_bool(jb, "customer_agreed", 1);
	demo_emit(g, t, SVL_T_QUOTE_REVISED, who,
		  who == ST_CLM ? R(CLAIMS_SPECIALIST) : R(SERVICE_ADVISOR));
	jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "finding_no", 1);
	dj_int(jb, "amount_fen", amount);
	dj_bool(jb, "customer_signed", 1); /* by phone, signed at pick-up */
	dj_int(jb, "quote_revision", j->quote_rev);
	demo_emit(g, demo_later(g, t, 0, 1), SVL_T_ADDITIONAL_WORK_APPROVED,
		  j->advisor, R(SERVICE_ADVISOR));
	g->st.revisions++;
}

/* A finding half-way through the work; returns the extra labour minutes
 * (0 when declined or none) and in *decided when the customer's answer
 * (and its parts) came. Only while the warehouse is still issuing (before
 * 16:00), so its parts move before the evening count. */
static int64_t finding(demo_gen *g, demo_job *j, int64_t mid, int64_t *decided)
{
	*decided = mid;
	if (demo_minute_of(mid) >= 16 * 60 || !demo_chance(&g->rng, 120) ||
	    j->n_lines >= DEMO_JOB_PARTS)
		return 0;
	size_t n = sizeof finding_fams / sizeof *finding_fams;
	int part = demo_part_of(g, finding_fams[demo_pick(&g->rng, n)],
				g->veh[j->vehicle].model);
	for (int k = 0; k < j->n_lines; k++)
		if (part < 0 || j->lines[k].part == part)
			return 0;
	found(g, j, part, demo_chance(&g->rng, 150), mid);
	g->st.findings++;
	int64_t t = *decided = demo_later(g, mid, 20, 40);
	int64_t qty = demo_family_qty(g->parts[part].family);
	if (demo_chance(&g->rng, 350) ||
	    demo_free_milli(&g->parts[part]) < qty) {
		demo_json *jb = dj_begin(g);
		dj_str(jb, "wo_id", j->wo);
		dj_int(jb, "finding_no", 1);
		dj_str(jb, "reason", "will do it at the next service");
		demo_emit(g, t, SVL_T_ADDITIONAL_WORK_DECLINED, j->advisor,
			  R(SERVICE_ADVISOR));
		return 0;
	}
	demo_add_line(j, part, qty);
	approved(g, j, part, t);
	uint8_t todo[DEMO_JOB_PARTS] = {0};
	todo[j->n_lines - 1] = 1;
	*decided = pick_lines(g, j, todo, demo_later(g, t, 3, 8));
	return demo_hours_milli(g->parts[part].family) * 60 / 1000;
}

/* ---- completion and the quality checks (R-QC-1) ------------------------- */

static void completed(demo_gen *g, const demo_job *j, int64_t t,
		      int64_t minutes, const char *note)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "technician_id", demo_person_get(j->tech)->id);
	dj_int(jb, "labor_min", minutes < 1 ? 1 : minutes);
	if (note)
		dj_str(jb, "note", note);
	demo_emit(g, t, SVL_T_WORK_COMPLETED, j->tech, R(TECHNICIAN));
}

static void check(demo_gen *g, const demo_job *j, const char *stage, int who,
		  int role, int passed, const char *defects, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "stage", stage);
	dj_bool(jb, "passed", passed);
	if (defects)
		dj_str(jb, "defects", defects);
	demo_emit(g, t, SVL_T_QC_CHECKED, who, role);
}

static int64_t rework(demo_gen *g, const demo_job *j, const char *stage, int by,
		      const char *why, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "failed_stage", stage);
	dj_str(jb, "technician_id", demo_person_get(j->tech)->id);
	dj_str(jb, "reason", why);
	demo_emit(g, t, SVL_T_REWORK_ORDERED, by, leader_role(by));
	int64_t minutes = demo_between(&g->rng, 20, 60);
	t = demo_shop_add(demo_later(g, t, 2, 5), minutes);
	completed(g, j, t, minutes, "rework done");
	g->st.reworks++;
	return t;
}

/* Self, group and final check in order; a failed one sends the job back
 * to rework and the three start again. Returns when all three passed. */
static int64_t quality(demo_gen *g, demo_job *j, int64_t t, int *reworked,
		       int64_t *last_done)
{
	int lead = leader_of(j->tech);
	int fin = demo_chance(&g->rng, 150) ? ST_SM
		  : lead == ST_TD	    ? ST_WM
					    : ST_TD;
	int fin_role = fin == ST_SM ? R(SERVICE_MANAGER) : leader_role(fin);
	for (int round = 0; round < 3; round++) {
		int fail_group = round == 0 && demo_chance(&g->rng, 30);
		int fail_final =
		    round == 0 && !fail_group && demo_chance(&g->rng, 15);
		check(g, j, "self", j->tech, R(TECHNICIAN), 1, NULL,
		      t = demo_later(g, t, 3, 8));
		check(g, j, "group", lead, leader_role(lead), !fail_group,
		      fail_group ? "torque marks missing on two bolts" : NULL,
		      t = demo_later(g, t, 8, 25));
		if (fail_group) {
			t = *last_done = rework(g, j, "group", lead,
						"re-torque "
						"and mark the bolts",
						demo_later(g, t, 2, 6));
			*reworked = 1;
			continue;
		}
		check(g, j, "final", fin, fin_role, !fail_final,
		      fail_final ? "warning light still on after road test"
				 : NULL,
		      t = demo_later(g, t, 8, 20));
		if (!fail_final)
			return t;
		t = *last_done = rework(g, j, "final", lead,
					"clear codes, "
					"recheck the connector and road test "
					"again",
					demo_later(g, t, 2, 6));
		*reworked = 1;
	}
	return t;
}

/* ---- ready, settled, paid, delivered (R-QC-3, R-SET-1, R-SET-2) ------- */

static void ready(demo_gen *g, const demo_job *j, int64_t t)
{
	char spot[8];
	snprintf(spot, sizeof spot, "C-%02d",
		 (int)demo_between(&g->rng, 1, 30));
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_bool(jb, "cleaned", 1);
	dj_bool(jb, "old_parts_ready", 1);
	dj_bool(jb, "documents_ready", 1);
	dj_str(jb, "parking_spot", spot);
	demo_emit(g, t, SVL_T_VEHICLE_READY, j->advisor, R(SERVICE_ADVISOR));
}

/* When the customer comes for the car: by the promise when the car is
 * ready in time, else some time after the call that it is ready; a car
 * ready in the evening is fetched the next morning. */
static int64_t pickup(demo_gen *g, const demo_job *j, int64_t ready_ms)
{
	int64_t t;
	if (ready_ms + 25 * DEMO_MIN_MS <= j->promised_ms) {
		t = j->promised_ms -
		    demo_between(&g->rng, 15, 60) * DEMO_MIN_MS;
		int64_t open = demo_at(demo_day_of(t), 8, 30);
		if (t < open) /* before opening: at opening, still in time */
			t = open + demo_between(&g->rng, 0, 5) * DEMO_MIN_MS;
		if (t < ready_ms + 10 * DEMO_MIN_MS)
			t = ready_ms + 10 * DEMO_MIN_MS;
		return t;
	}
	t = demo_later(g, ready_ms, 15, 50);
	if (demo_minute_of(t) > 19 * 60 || demo_minute_of(t) < 8 * 60 + 30)
		t = demo_later(
		    g,
		    demo_at(demo_day_of(t) + (demo_minute_of(t) > 19 * 60), 8,
			    45),
		    0, 90);
	return t;
}

static int64_t settle(demo_gen *g, const demo_job *j, int64_t t)
{
	int64_t labor = demo_labor_fen(g, j), parts = demo_parts_fen(g, j);
	int64_t disc = 0, warr = 0;
	int who = quoter(j);
	if (j->kind == SVL_JOB_KIND_WARRANTY)
		warr = labor + parts + j->materials_fen; /* the maker pays */
	else if (j->kind == SVL_JOB_KIND_MAINTENANCE &&
		 demo_chance(&g->rng, 150))
		disc = labor / 10; /* member discount on labour */
	int64_t total = labor + parts + j->materials_fen - disc - warr;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "labor_fen", labor);
	dj_int(jb, "parts_fen", parts);
	dj_int(jb, "materials_fen", j->materials_fen);
	if (disc)
		dj_int(jb, "discount_fen", disc);
	if (warr)
		dj_int(jb, "warranty_fen", warr);
	dj_int(jb, "total_fen", total);
	dj_bool(jb, "customer_signed", 1);
	demo_emit(g, t, SVL_T_SETTLEMENT_ISSUED, who,
		  who == ST_CLM ? R(CLAIMS_SPECIALIST) : R(SERVICE_ADVISOR));
	return total;
}

static void pay(demo_gen *g, const demo_job *j, int64_t total, int64_t t)
{
	static const char *const methods[] = {"wechat_pay", "alipay", "card",
					      "cash", "bank_transfer"};
	static const int w[] = {40, 25, 20, 10, 5};
	char receipt[24];
	if (total <= 0)
		return; /* warranty: nothing due from the customer */
	snprintf(receipt, sizeof receipt, "R2026-%06d",
		 100000 + (int)(j - g->jobs));
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "amount_fen", total);
	dj_str(jb, "method",
	       j->kind == SVL_JOB_KIND_ACCIDENT
		   ? "insurer"
		   : methods[demo_weighted(&g->rng, w, 5)]);
	dj_str(jb, "receipt_no", receipt);
	demo_emit(g, t, SVL_T_PAYMENT_RECEIVED, ST_CASH, R(CASHIER));
}

/* R-OLD-1: whether the customer asks for the old parts. Drawn from the
 * job alone (not the business stream), so that the month's disposal
 * knows whose old parts the shop kept. */
static int asks_for_old_parts(const demo_gen *g, const demo_job *j)
{
	demo_rng r = {g->seed ^ (UINT64_C(0x9e3779b97f4a7c15) *
				 (uint64_t)(j - g->jobs + 1))};
	demo_rand(&r);
	return demo_chance(&r, 400);
}

/* The job's old parts went to the shop's ledger (pick_lines): repair and
 * accident jobs that replaced parts. */
static int shop_old_parts(const demo_job *j)
{
	return j->n_lines > 0 && (j->kind == SVL_JOB_KIND_REPAIR ||
				  j->kind == SVL_JOB_KIND_ACCIDENT);
}

/* R-OLD-1: the keeper cleans and tidies each old part and hands it to
 * the customer who asked for it. */
static int64_t hand_back(demo_gen *g, const demo_job *j, int64_t t)
{
	for (int k = 0; k < j->n_lines; k++) {
		demo_json *jb = dj_begin(g);
		dj_str(jb, "wo_id", j->wo);
		dj_str(jb, "part_no", g->parts[j->lines[k].part].no);
		dj_int(jb, "qty_milli", j->lines[k].qty_milli);
		dj_bool(jb, "cleaned", 1);
		demo_emit(g, t = demo_later(g, t, 0, 1),
			  SVL_T_OLD_PART_HANDED_BACK, ST_WK,
			  R(WAREHOUSE_KEEPER));
	}
	return t;
}

static int64_t deliver(demo_gen *g, const demo_job *j, int64_t t)
{
	const demo_vehicle *v = &g->veh[j->vehicle];
	/* R-QC-2: a warranty job's old parts went to the warranty ledger
	 * when they were handed back (pick_lines); one with no part
	 * replaced has none. R-OLD-1: the others go back to a customer who
	 * asks, or stay for the month's disposal */
	int asks = shop_old_parts(j) && asks_for_old_parts(g, j);
	const char *old = j->kind == SVL_JOB_KIND_WARRANTY
			      ? (j->n_lines ? "warranty_recovered" : "none")
			  : asks ? "returned_to_customer"
				 : "left_for_disposal";
	if (asks)
		t = hand_back(g, j, t);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "old_parts", old);
	dj_bool(jb, "valuables_returned", 1);
	dj_date(jb, "next_service_date", demo_day_of(t) + 182);
	dj_int(jb, "next_service_mileage_km",
	       (v->mileage_km / 5000 + 2) * 5000);
	demo_emit(g, t = demo_later(g, t, 1, 3), SVL_T_VEHICLE_DELIVERED,
		  j->advisor, R(SERVICE_ADVISOR));
	return t;
}

/* ---- the warranty claim (R-OLD-1, R-QC-2) -------------------------------
 */

/* The claims specialist files the claim on the recovered parts the next
 * working morning, ships them back to the maker within the week, and the
 * maker answers two to four weeks later: mostly in full, sometimes in
 * part, rarely not at all. */
static void claim(demo_gen *g, const demo_job *j, int64_t delivered)
{
	char id[16];
	int64_t amount =
	    demo_labor_fen(g, j) + demo_parts_fen(g, j) + j->materials_fen;
	int day = demo_day_of(delivered) + 1;
	int64_t t = demo_later(g, demo_at(day, 9, 30), 0, 120);
	demo_docid(id, sizeof id, "WC2026-", (int)(j - g->jobs) + 1, 5);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "claim_id", id);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "amount_fen", amount);
	dj_arr(jb, "lines");
	for (int k = 0; k < j->n_lines; k++) {
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[j->lines[k].part].no);
		dj_int(jb, "qty_milli", j->lines[k].qty_milli);
		dj_end(jb);
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_WARRANTY_CLAIM_FILED, ST_CLM,
		  R(CLAIMS_SPECIALIST));
	char waybill[24];
	snprintf(waybill, sizeof waybill, "SF%010lld",
		 (long long)demo_between(&g->rng, 1000000000, 9999999999));
	jb = dj_begin(g);
	dj_str(jb, "claim_id", id);
	dj_str(jb, "waybill", waybill);
	dj_arr(jb, "lines");
	for (int k = 0; k < j->n_lines; k++) {
		dj_obj(jb);
		dj_str(jb, "part_no", g->parts[j->lines[k].part].no);
		dj_int(jb, "qty_milli", j->lines[k].qty_milli);
		dj_end(jb);
	}
	dj_end(jb);
	day += (int)demo_between(&g->rng, 2, 6);
	demo_emit(g, demo_later(g, demo_at(day, 15, 0), 0, 60),
		  SVL_T_CLAIM_PARTS_SHIPPED, ST_CLM, R(CLAIMS_SPECIALIST));
	int64_t paid = amount;
	const char *result = "approved";
	if (demo_chance(&g->rng, 40) || amount == 0) {
		paid = 0;
		result = "rejected";
	} else if (demo_chance(&g->rng, 120) && amount > 1) {
		paid = amount * demo_between(&g->rng, 60, 95) / 100;
		if (paid == 0)
			paid = 1;
		result = "partly_approved";
	}
	jb = dj_begin(g);
	dj_str(jb, "claim_id", id);
	dj_str(jb, "result", result);
	dj_int(jb, "paid_fen", paid);
	if (paid < amount)
		dj_str(jb, "note",
		       paid ? "labour time cut to the maker's "
			      "standard hours"
			    : "fault not covered: outside the "
			      "warranty terms");
	day += (int)demo_between(&g->rng, 12, 25);
	demo_emit(g, demo_later(g, demo_at(day, 11, 0), 0, 90),
		  SVL_T_WARRANTY_CLAIM_SETTLED, ST_CLM, R(CLAIMS_SPECIALIST));
}

/* ---- the month's disposal of old parts (R-OLD-1) ------------------------
 */

/* Old parts of jobs received up to a week before the month's last day
 * are disposed of on that day, at DISPOSE_HH:DISPOSE_MM; the week lets
 * the cars go home first (the customer may still ask). */
#define DISPOSE_LAG_DAYS 7
#define DISPOSE_LINES 120 /* per event: the payload builder's room */

static int64_t dispose_cutoff(int month_end_day)
{
	return demo_day_ms(month_end_day + 1 - DISPOSE_LAG_DAYS);
}

/* Done once per month, by the first job to start on its last day. */
static int disposal_due(demo_gen *g, int day, const char *stream)
{
	uint64_t ver = 0;
	if (!demo_month_end(day) ||
	    pending(g, SVL_T_OLD_PARTS_DISPOSED, stream, INT64_MIN))
		return 0;
	int rc = svl_log_stream_version(svl_ledger_log(g->ledger), stream,
					strlen(stream), &ver);
	return rc == SVL_OK && ver == 0;
}

/* Whose old parts the shop still keeps at t: the job's work is done, its
 * parts went to the shop's ledger, the customer did not ask for them, the
 * car is home. */
static int kept_for_disposal(const demo_gen *g, const demo_job *j,
			     int64_t from_ms, int64_t until_ms, int64_t t)
{
	char stream[24];
	if (j->phase != JP_DONE || !shop_old_parts(j) ||
	    j->received_ms < from_ms || j->received_ms >= until_ms ||
	    asks_for_old_parts(g, j))
		return 0;
	snprintf(stream, sizeof stream, "wo-%s", j->wo);
	return !pending(g, SVL_T_VEHICLE_DELIVERED, stream, t);
}

static void dispose_event(demo_gen *g, const char *batch, const int *jobs,
			  int n, int64_t t)
{
	demo_json *jb = dj_begin(g);
	dj_str(jb, "batch_id", batch);
	dj_str(jb, "method", "sold_as_scrap");
	dj_str(jb, "approver_id", demo_person_get(ST_PM)->id);
	dj_arr(jb, "lines");
	for (int i = 0; i < n; i++) {
		const demo_job *j = &g->jobs[jobs[i]];
		for (int k = 0; k < j->n_lines; k++) {
			dj_obj(jb);
			dj_str(jb, "wo_id", j->wo);
			dj_str(jb, "part_no", g->parts[j->lines[k].part].no);
			dj_int(jb, "qty_milli", j->lines[k].qty_milli);
			dj_end(jb);
		}
	}
	dj_end(jb);
	demo_emit(g, t, SVL_T_OLD_PARTS_DISPOSED, ST_WK, R(WAREHOUSE_KEEPER));
}

/* The keeper records the month's batch, sold to the licensed scrap
 * dealer, as the parts manager approved it; in events of at most
 * DISPOSE_LINES lines. */
static void dispose_month(demo_gen *g, int day)
{
	char batch[24], stream[32];
	int first = day;
	while (demo_month(first - 1) == demo_month(day))
		first--;
	snprintf(batch, sizeof batch, "OLD2026-%02d", demo_month(day));
	snprintf(stream, sizeof stream, "old-%s", batch);
	if (!disposal_due(g, day, stream))
		return;
	int64_t t = demo_at(day, 17, 30), from = dispose_cutoff(first - 1);
	int64_t until = dispose_cutoff(day);
	int jobs[DISPOSE_LINES];
	int n = 0, lines = 0;
	for (size_t k = 0; k < g->n_jobs; k++) {
		const demo_job *j = &g->jobs[k];
		if (!kept_for_disposal(g, j, from, until, t))
			continue;
		if (lines + j->n_lines > DISPOSE_LINES) {
			dispose_event(g, batch, jobs, n, t);
			t += 30000;
			n = lines = 0;
		}
		jobs[n++] = (int)k;
		lines += j->n_lines;
	}
	if (n)
		dispose_event(g, batch, jobs, n, t);
}

/* ---- the whole of it --------------------------------------------------------
 */

static int64_t labor_minutes(demo_gen *g, const demo_job *j)
{
	int64_t h = 0;
	for (int k = 0; k < j->n_lines; k++)
		h += demo_hours_milli(g->parts[j->lines[k].part].family);
	int64_t min = h * 60 / 1000;
	if (j->kind == SVL_JOB_KIND_ACCIDENT)
		min += demo_between(&g->rng, 120, 420); /* body and paint */
	return min < 20 ? 20 : min;
}

/* The tour shows one job's whole life: keep the most eventful one. */
static void tour_candidate(demo_gen *g, const demo_job *j, int score)
{
	if (score > g->tour_wo_score) {
		g->tour_wo_score = score;
		snprintf(g->tour_wo, sizeof g->tour_wo, "%s", j->wo);
	}
}

void demo_work(demo_gen *g, demo_job *j, int64_t start)
{
	int64_t est = labor_minutes(g, j), t = start;
	int reworked = 0, k = j->tech - ST_T1, revs = j->quote_rev;
	dispose_month(g, demo_day_of(start));
	dispatch(g, j, t - 3 * DEMO_MIN_MS, est);
	prepick_booked(g, demo_day_of(start));
	t = pick_job(g, j, t);
	int64_t actual = est * demo_between(&g->rng, 85, 125) / 100;
	int64_t decided;
	int64_t extra = finding(g, j, demo_shop_add(t, actual / 2), &decided);
	int64_t done = demo_shop_add(t, actual + extra);
	if (done < decided + (extra + 5) * DEMO_MIN_MS)
		done = demo_shop_add(decided, extra + 5);
	completed(g, j, done, actual + extra, NULL);
	/* the technician is free after his self-check; the group and final
	 * checks are the leaders' (a rework brings the job back to him) */
	int64_t last_done = done;
	t = quality(g, j, done, &reworked, &last_done);
	g->tech_free_ms[k] = last_done + 10 * DEMO_MIN_MS;
	ready(g, j, t = demo_later(g, t, 8, 20));
	t = pickup(g, j, t);
	int64_t total = settle(g, j, t);
	pay(g, j, total, t = demo_later(g, t, 2, 5));
	t = deliver(g, j, demo_later(g, t, 2, 6));
	if (j->kind == SVL_JOB_KIND_WARRANTY && j->n_lines)
		claim(g, j, t);
	int late = t > j->promised_ms;
	g->st.delivered++;
	int calls = 0;
	demo_after(g, j, t, late, &calls);
	if ((j->kind == SVL_JOB_KIND_REPAIR ||
	     j->kind == SVL_JOB_KIND_WARRANTY) &&
	    !j->comeback && demo_chance(&g->rng, 22))
		demo_plan_comeback(
		    g, j, demo_day_of(t) + (int)demo_between(&g->rng, 3, 20));
	tour_candidate(g, j,
		       3 * reworked + 2 * (j->quote_rev > revs) +
			   (j->quote_rev > 1) + (calls > 1) +
			   (j->parts_day >= 0) + 2 * j->booked +
			   (j->kind == SVL_JOB_KIND_REPAIR));
}
