/*
 * fmt_jobs.c - work orders for people and machines: one job in the order
 * of the service process (domain.md section 2, booking to follow-up), its
 * transitions, parts and complaints; and the one-row-per-job list.
 *
 * Enum names (job kind, complaint severity) come from the event catalog,
 * so a report never spells a value differently from the events.
 */
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

static const char *enum_name(uint32_t type, uint32_t field, int64_t i)
{
	const svl_event_type *t = svl_event_type_get(type);
	if (!t || field >= t->n_fields || !t->fields[field].enum_def)
		return "?";
	const svl_enum_def *e = t->fields[field].enum_def;
	return i >= 0 && (uint64_t)i < e->n ? e->values[i] : "-";
}

static const char *job_kind(int64_t k)
{
	return enum_name(SVL_T_VEHICLE_RECEIVED,
			 SVL_F_VEHICLE_RECEIVED_JOB_KIND, k);
}

static const char *severity(int s)
{
	return enum_name(SVL_T_COMPLAINT_CLASSIFIED,
			 SVL_F_COMPLAINT_CLASSIFIED_SEVERITY, s);
}

static const char *state_name(int s)
{
	const char *n = svl_wo_state_name(s);
	return n ? n : "?";
}

static const char *on_time(int v)
{
	return v == 1 ? _("yes") : v == 0 ? _("late") : "-";
}

/* ---- one job ---- */

typedef struct kv_out {
	fmt_table *t;
	int32_t tz;
} kv_out;

static void kv(kv_out *o, const char *stage, int64_t at_ms, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

static void kv(kv_out *o, const char *stage, int64_t at_ms, const char *fmt,
	       ...)
{
	char when[FMT_TIME_SIZE], text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, _(fmt), ap);
	va_end(ap);
	fmt_table_add(o->t, _(stage), fmt_time(when, at_ms, o->tz), text);
}

/* When the job first entered `state` (0: never), from its transitions:
 * the job record keeps no time of its own for some stages. */
static int64_t entered(const fmt_wo *x, enum svl_wo_state state)
{
	for (size_t i = 0; i < x->n_trans; i++)
		if (x->trans[i].state == state)
			return x->trans[i].at_ms;
	return 0;
}

static void stages_front(kv_out *o, const fmt_wo *x)
{
	const svl_work_order *w = x->wo;
	char a[FMT_TIME_SIZE], b[FMT_TIME_SIZE], m[FMT_NUM_SIZE];
	char c[FMT_NUM_SIZE];
	kv(o, "booked", w->booked_at_ms,
	   "wanted %s, slot %s, %lld reschedule%s",
	   fmt_time(a, w->wanted_at_ms, o->tz),
	   fmt_time(b, w->slot_at_ms, o->tz), (long long)w->reschedules,
	   w->reschedules == 1 ? "" : "s");
	kv(o, "received", w->received_at_ms, "mileage %s km",
	   fmt_count(m, w->mileage_km));
	kv(o, "inspected", w->inspected_at_ms, "%s", "");
	kv(o, "quoted", entered(x, SVL_WO_QUOTED),
	   "%lld quote%s, revision %lld, total %s, promised %s",
	   (long long)w->quotes, w->quotes == 1 ? "" : "s",
	   (long long)w->quote_revision, fmt_money(m, w->quote_total_fen),
	   fmt_time(a, w->promised_at_ms, o->tz));
	kv(o, "signed", w->signed_at_ms, "total %s (R-WO-1)",
	   fmt_money(m, w->signed_total_fen));
	kv(o, "dispatched", w->dispatched_at_ms,
	   "technician %s, estimate %lld min",
	   w->technician_id[0] ? w->technician_id : "-",
	   (long long)w->est_labor_min);
	kv(o, "additional work", 0,
	   "found %lld (%s), approved %lld (%s), declined %lld; "
	   "consultations %lld",
	   (long long)w->addl_found, fmt_money(m, w->addl_found_fen),
	   (long long)w->addl_approved, fmt_money(c, w->addl_approved_fen),
	   (long long)w->addl_declined, (long long)w->consultations);
}

static void stages_back(kv_out *o, const fmt_wo *x)
{
	const svl_work_order *w = x->wo;
	char a[FMT_TIME_SIZE], m[FMT_NUM_SIZE], n[FMT_NUM_SIZE];
	char p[FMT_NUM_SIZE], q[FMT_NUM_SIZE], r[FMT_NUM_SIZE];
	kv(o, "parts", 0,
	   "%lld issue%s (%s), %lld return%s (%s), %lld old "
	   "part%s back",
	   (long long)w->parts_issues, w->parts_issues == 1 ? "" : "s",
	   fmt_qty(m, w->parts_issued_milli), (long long)w->parts_returns,
	   w->parts_returns == 1 ? "" : "s",
	   fmt_qty(n, w->parts_returned_milli),
	   (long long)w->old_parts_returned,
	   w->old_parts_returned == 1 ? "" : "s");
	kv(o, "completed", w->completed_at_ms, "labour %lld min",
	   (long long)w->labor_min);
	kv(o, "quality checks", entered(x, SVL_WO_IN_QC),
	   "passed/failed: self %lld/%lld, group %lld/%lld, final %lld/%lld; "
	   "reworks %lld",
	   (long long)w->qc_passed[0], (long long)w->qc_failed[0],
	   (long long)w->qc_passed[1], (long long)w->qc_failed[1],
	   (long long)w->qc_passed[2], (long long)w->qc_failed[2],
	   (long long)(w->reworks[0] + w->reworks[1] + w->reworks[2]));
	kv(o, "ready", w->ready_at_ms, "%s", "");
	kv(o, "settled", w->settled_at_ms,
	   "labour %s, parts %s, materials %s, discount %s, warranty %s",
	   fmt_money(m, w->labor_fen), fmt_money(n, w->parts_fen),
	   fmt_money(p, w->materials_fen), fmt_money(q, w->discount_fen),
	   fmt_money(r, w->warranty_fen));
	kv(o, "paid", w->paid_at_ms, "%s of %s in %lld payment%s",
	   fmt_money(m, w->paid_fen), fmt_money(n, w->total_fen),
	   (long long)w->payments, w->payments == 1 ? "" : "s");
	kv(o, "delivered", w->delivered_at_ms, "promised %s, on time: %s",
	   fmt_time(a, w->promised_at_ms, o->tz), on_time(w->on_time));
	kv(o, "follow-up", w->fu_first_at_ms,
	   "%lld attempt%s, %s, closed %s, score %lld, re-verified %lld",
	   (long long)w->fu_attempts, w->fu_attempts == 1 ? "" : "s",
	   svl_fu_result_name((int)w->fu_result)
	       ? svl_fu_result_name((int)w->fu_result)
	       : "?",
	   fmt_time(a, w->fu_closed_at_ms, o->tz),
	   (long long)w->satisfaction_score, (long long)w->reverifications);
	kv(o, "complaints", 0, "%lld (%lld major, R-CMP-5)",
	   (long long)w->complaints, (long long)w->major_complaints);
	if (w->comeback_of[0] || w->came_back_as[0])
		kv(o, "comeback", 0, "came back for %s; came back as %s",
		   w->comeback_of[0] ? w->comeback_of : "-",
		   w->came_back_as[0] ? w->came_back_as : "-");
}

static int print_details(FILE *f, const fmt_wo *x)
{
	static const fmt_col tcols[] = {
	    {"seq", 'r'}, {"at", 'l'}, {"state entered", 'l'}};
	static const fmt_col pcols[] = {{"part", 'l'},
					{"issued", 'r'},
					{"returned", 'r'},
					{"issues", 'r'},
					{"returns", 'r'}};
	static const fmt_col ccols[] = {
	    {"complaint", 'l'}, {"severity", 'l'}, {"major", 'l'}};
	int rc = 0;
	fputs(_("\n  transitions\n"), f);
	fmt_table *t = fmt_table_new(tcols, 3);
	for (size_t i = 0; i < x->n_trans; i++) {
		char s[FMT_NUM_SIZE], a[FMT_TIME_SIZE];
		snprintf(s, sizeof s, "%llu",
			 (unsigned long long)x->trans[i].seq);
		fmt_table_add(t, s,
			      fmt_time(a, x->trans[i].at_ms, x->tz_offset_min),
			      state_name((int)x->trans[i].state));
	}
	rc |= fmt_table_print(t, f, 2);
	fmt_table_free(t);
	if (x->n_parts) {
		fputs(_("\n  parts\n"), f);
		t = fmt_table_new(pcols, 5);
		for (size_t i = 0; i < x->n_parts; i++) {
			const svl_wo_part *p = &x->parts[i];
			char a[FMT_NUM_SIZE], b[FMT_NUM_SIZE], c[FMT_NUM_SIZE];
			char d[FMT_NUM_SIZE];
			fmt_table_add(
			    t, p->part_no, fmt_qty(a, p->issued_milli),
			    fmt_qty(b, p->returned_milli),
			    fmt_count(c, p->issues), fmt_count(d, p->returns));
		}
		rc |= fmt_table_print(t, f, 2);
		fmt_table_free(t);
	}
	if (x->n_cmps) {
		fputs(_("\n  complaints\n"), f);
		t = fmt_table_new(ccols, 3);
		for (size_t i = 0; i < x->n_cmps; i++)
			fmt_table_add(t, x->cmps[i].cmp_id,
				      severity(x->cmps[i].severity),
				      x->cmps[i].major ? _("yes") : _("no"));
		rc |= fmt_table_print(t, f, 2);
		fmt_table_free(t);
	}
	return rc ? -1 : 0;
}

int print_work_order(FILE *f, const fmt_wo *x)
{
	static const fmt_col cols[] = {{"stage", 'l'}, {"at", 'l'}, {"", 'l'}};
	const svl_work_order *w = x->wo;
	char when[FMT_TIME_SIZE], tz[FMT_NUM_SIZE], tot[FMT_NUM_SIZE];
	fprintf(f,
		_("work order %s: %s since %s (%lld transitions; times %s)\n"),
		w->wo_id, state_name((int)w->state),
		fmt_time(when, w->state_at_ms, x->tz_offset_min),
		(long long)w->transitions, fmt_tz(tz, x->tz_offset_min));
	fprintf(f,
		_("  customer %s, plate %s, VIN %s, %s job; advisor %s, "
		  "technician %s; due %s\n\n"),
		w->customer_id[0] ? w->customer_id : "-",
		w->plate[0] ? w->plate : "-", w->vin[0] ? w->vin : "-",
		job_kind(w->job_kind), w->advisor_id[0] ? w->advisor_id : "-",
		w->technician_id[0] ? w->technician_id : "-",
		fmt_money(tot, w->total_fen));
	kv_out o = {fmt_table_new(cols, 3), x->tz_offset_min};
	stages_front(&o, x);
	stages_back(&o, x);
	int rc = fmt_table_print(o.t, f, 2);
	fmt_table_free(o.t);
	if (rc == 0)
		rc = print_details(f, x);
	return rc;
}

/* ---- the list ---- */

fmt_table *fmt_work_orders_table(void)
{
	static const fmt_col cols[] = {
	    {"work order", 'l'}, {"state", 'l'},      {"since", 'l'},
	    {"advisor", 'l'},	 {"technician", 'l'}, {"plate", 'l'},
	    {"booked", 'l'},	 {"promised", 'l'},   {"delivered", 'l'},
	    {"on time", 'l'},	 {"total", 'r'},      {"follow-up", 'l'}};
	return fmt_table_new(cols, 12);
}

void fmt_work_orders_row(fmt_table *t, const svl_work_order *w, int32_t tz)
{
	char a[FMT_TIME_SIZE], b[FMT_TIME_SIZE], c[FMT_TIME_SIZE];
	char d[FMT_TIME_SIZE], m[FMT_NUM_SIZE];
	const char *fu = svl_fu_result_name((int)w->fu_result);
	fmt_table_add(t, w->wo_id, state_name((int)w->state),
		      fmt_time(a, w->state_at_ms, tz),
		      w->advisor_id[0] ? w->advisor_id : "-",
		      w->technician_id[0] ? w->technician_id : "-",
		      w->plate[0] ? w->plate : "-",
		      fmt_time(b, w->first_at_ms, tz),
		      fmt_time(c, w->promised_at_ms, tz),
		      fmt_time(d, w->delivered_at_ms, tz), on_time(w->on_time),
		      fmt_money(m, w->total_fen), fu ? fu : "?");
}
