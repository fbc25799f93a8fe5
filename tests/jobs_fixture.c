/*
 * jobs_fixture.c - see jobs_fixture.h. Events are written as JSON and
 * parsed by the catalog's own NDJSON input, so every payload the tests
 * append is one the ledger would accept.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "jobs_fixture.h"
#include "svl_events.h"

int svl_jobs_ev(svl_log *log, const char *type, const char *actor,
		const char *role, int64_t at_ms, const char *fmt, ...)
{
	char payload[2048], line[4096];
	static uint8_t buf[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(payload, sizeof payload, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line,
		 "{\"type\":\"%s\",\"actor\":\"%s\",\"role\":\"%s\","
		 "\"occurred_at_ms\":%lld,\"payload\":{%s}}",
		 type, actor, role, (long long)at_ms, payload);
	svl_event_arena arena = {buf, sizeof buf, 0};
	svl_event_in in;
	svl_event_error err;
	int rc = svl_event_input_json(&in, &arena, line, strlen(line), &err);
	if (rc != SVL_OK) {
		fprintf(stderr, "%s\n  %s: %s\n", line, err.path, err.msg);
		return rc;
	}
	rc = svl_log_append(log, &in, 1, NULL);
	if (rc != SVL_OK)
		fprintf(stderr, "%s\n  %s\n", line, svl_log_errmsg(log));
	return rc;
}

static void vin_field(char *out, size_t cap, const char *vin)
{
	if (vin)
		snprintf(out, cap, ",\"vin\":\"%s\"", vin);
	else
		out[0] = '\0';
}

int svl_jobs_book(svl_log *log, const char *wo, int64_t at_ms, const char *kind,
		  const char *vin)
{
	char v[64];
	vin_field(v, sizeof v, vin);
	return svl_jobs_ev(
	    log, "booking_requested", "CS1", "customer_service", at_ms,
	    "\"wo_id\":\"%s\",\"customer_id\":\"C-%s\",\"owner_name\":"
	    "\"Li Wei\",\"phone\":\"13800138000\",\"target\":"
	    "\"maintenance_due\",\"job_kind\":\"%s\",\"items\":\"service\","
	    "\"wanted_at_ms\":%lld%s",
	    wo, wo, kind, (long long)(at_ms + SVL_DAY), v);
}

int svl_jobs_receive(svl_log *log, const char *wo, const char *adv,
		     int64_t at_ms, const char *kind, const char *vin)
{
	char v[64];
	vin_field(v, sizeof v, vin);
	return svl_jobs_ev(
	    log, "vehicle_received", adv, "service_advisor", at_ms,
	    "\"wo_id\":\"%s\",\"customer_id\":\"C-%s\",\"plate\":"
	    "\"B-%s\",\"job_kind\":\"%s\",\"mileage_km\":45000,"
	    "\"fuel_pct\":50,\"covers_laid\":3,\"first_visit\":false,"
	    "\"fault_description\":\"noise\",\"customer_confirmed\":true%s",
	    wo, wo, wo, kind, v);
}

int svl_jobs_quote(svl_log *log, const char *wo, const char *adv, int64_t at_ms,
		   int64_t promised_ms)
{
	return svl_jobs_ev(log, "quote_issued", adv, "service_advisor", at_ms,
			   "\"wo_id\":\"%s\",\"labor\":[],\"parts\":[],"
			   "\"total_fen\":10000,\"promised_at_ms\":%lld,"
			   "\"customer_agreed\":true",
			   wo, (long long)promised_ms);
}

int svl_jobs_dispatch(svl_log *log, const char *wo, const char *tech,
		      int64_t at_ms)
{
	return svl_jobs_ev(log, "work_dispatched", "WM1", "workshop_manager",
			   at_ms,
			   "\"wo_id\":\"%s\",\"technician_id\":\"%s\","
			   "\"bay\":\"B1\"",
			   wo, tech);
}

int svl_jobs_qc(svl_log *log, const char *wo, const char *tech,
		const char *stage, int passed, int64_t at_ms)
{
	return svl_jobs_ev(log, "qc_checked", tech, "technician", at_ms,
			   "\"wo_id\":\"%s\",\"stage\":\"%s\",\"passed\":%s",
			   wo, stage, passed ? "true" : "false");
}

int svl_jobs_deliver(svl_log *log, const char *wo, const char *adv,
		     int64_t at_ms)
{
	return svl_jobs_ev(log, "vehicle_delivered", adv, "service_advisor",
			   at_ms,
			   "\"wo_id\":\"%s\",\"old_parts\":\"none\","
			   "\"valuables_returned\":true,\"next_service_date\":"
			   "\"2027-03-01\",\"next_service_mileage_km\":50000",
			   wo);
}

int svl_jobs_call(svl_log *log, const char *wo, int64_t at_ms,
		  const char *outcome, int score)
{
	char s[48] = "";
	if (score)
		snprintf(s, sizeof s, ",\"satisfaction_score\":%d", score);
	return svl_jobs_ev(log, "followup_attempted", "CS1", "customer_service",
			   at_ms,
			   "\"wo_id\":\"%s\",\"called_at_ms\":%lld,"
			   "\"outcome\":\"%s\"%s",
			   wo, (long long)at_ms, outcome, s);
}

int svl_jobs_complain(svl_log *log, const char *cmp, const char *wo,
		      int64_t at_ms, const char *severity)
{
	char w[64] = "";
	if (wo)
		snprintf(w, sizeof w, ",\"wo_id\":\"%s\"", wo);
	int rc = svl_jobs_ev(log, "complaint_opened", "CS1", "customer_service",
			     at_ms,
			     "\"cmp_id\":\"%s\",\"channel\":\"phone\","
			     "\"description\":\"unhappy\"%s",
			     cmp, w);
	if (rc == SVL_OK && severity)
		rc = svl_jobs_ev(log, "complaint_classified", "FD1",
				 "front_desk_supervisor", at_ms + SVL_HOUR,
				 "\"cmp_id\":\"%s\",\"severity\":\"%s\"", cmp,
				 severity);
	return rc;
}

/* ---- a random workload ---- */

typedef struct rjob {
	char wo[16], adv[8], tech[8], vin[18];
	const char *kind;
	int step, extras, reworks, calls, qc;
	int64_t t;
} rjob;

static uint64_t rs;

static int rnd(int n)
{
	return (int)svl_test_below(&rs, (uint64_t)n);
}

static const char *const kinds[] = {"maintenance", "repair", "warranty",
				    "accident"};
static const char *const outcomes[] = {
    "reached",	    "reached",		"busy",
    "switched_off", "voicemail",	"driving",
    "call_later",   "no_answer",	"no_answer",
    "wrong_number", "details_mismatch", "refused"};
static const char *const stages[] = {"self", "group", "final"};
static const char *const severities[] = {"grumble", "general", "medium",
					 "severe"};

static int step_booking(svl_log *log, rjob *j)
{
	const char *wo = j->wo;
	switch (rnd(10)) {
	case 0:
		j->step = 100; /* cancelled */
		return svl_jobs_ev(log, "booking_cancelled", "CS1",
				   "customer_service", j->t,
				   "\"wo_id\":\"%s\",\"reason\":\"other\"", wo);
	case 1:
		return svl_jobs_ev(log, "booking_rescheduled", "CS1",
				   "customer_service", j->t,
				   "\"wo_id\":\"%s\",\"slot_at_ms\":%lld,"
				   "\"reason\":\"capacity_full\"",
				   wo, (long long)(j->t + SVL_DAY));
	default:
		j->step = 2;
		return svl_jobs_ev(
		    log, "booking_confirmed", j->adv, "service_advisor", j->t,
		    "\"wo_id\":\"%s\",\"slot_at_ms\":%lld,"
		    "\"est_labor_min\":60,\"est_amount_fen\":9000",
		    wo, (long long)(j->t + SVL_DAY));
	}
}

static int step_extra(svl_log *log, rjob *j)
{
	const char *wo = j->wo;
	int f = 1 + rnd(3);
	switch (rnd(5)) {
	case 0:
		return svl_jobs_ev(
		    log, "parts_issued", "K1", "warehouse_keeper", j->t,
		    "\"part_no\":\"P-%d\",\"bin\":\"A-01-02-0%d\","
		    "\"qty_milli\":%d,\"pick_id\":\"PK-%s\","
		    "\"wo_id\":\"%s\"",
		    f, f, 1000 * (1 + rnd(4)), wo, wo);
	case 1:
		return svl_jobs_ev(
		    log, "parts_returned_to_stock", "K1", "warehouse_keeper",
		    j->t,
		    "\"part_no\":\"P-%d\",\"bin\":\"A-01-02-0%d\","
		    "\"qty_milli\":1000,\"wo_id\":\"%s\"",
		    f, f, wo);
	case 2:
		return svl_jobs_ev(
		    log, "additional_work_found", j->tech, "technician", j->t,
		    "\"wo_id\":\"%s\",\"finding_no\":%d,"
		    "\"description\":\"leak\",\"technical\":false,"
		    "\"est_amount_fen\":%d",
		    wo, f, 100 * rnd(100));
	case 3:
		return svl_jobs_ev(log, "additional_work_approved", j->adv,
				   "service_advisor", j->t,
				   "\"wo_id\":\"%s\",\"finding_no\":%d,"
				   "\"amount_fen\":%d,\"customer_signed\":true",
				   wo, f, 100 * rnd(100));
	default:
		return svl_jobs_ev(log, "additional_work_declined", j->adv,
				   "service_advisor", j->t,
				   "\"wo_id\":\"%s\",\"finding_no\":%d", wo, f);
	}
}

static int step_workshop(svl_log *log, rjob *j)
{
	const char *wo = j->wo;
	switch (j->step++) {
	case 3:
		return svl_jobs_quote(log, wo, j->adv, j->t,
				      j->t + (1 + rnd(48)) * SVL_HOUR);
	case 4:
		return svl_jobs_ev(
		    log, "work_order_confirmed", j->adv, "service_advisor",
		    j->t,
		    "\"wo_id\":\"%s\",\"quote_revision\":1,"
		    "\"customer_signed\":true,\"total_fen\":10000,"
		    "\"promised_at_ms\":%lld",
		    wo, (long long)(j->t + (1 + rnd(48)) * SVL_HOUR));
	case 5:
		return svl_jobs_dispatch(log, wo, j->tech, j->t);
	case 6:
		if (j->extras-- > 0)
			j->step = 6;
		return j->extras >= 0 ? step_extra(log, j) : SVL_OK;
	case 7:
		j->qc = 0;
		return svl_jobs_ev(log, "work_completed", j->tech, "technician",
				   j->t,
				   "\"wo_id\":\"%s\",\"technician_id\":\"%s\","
				   "\"labor_min\":%d",
				   wo, j->tech, 30 + rnd(120));
	default: { /* 8: the three checks; a failure goes back to work */
		int pass = j->reworks-- <= 0 || rnd(3) != 0;
		j->step = pass && j->qc < 2 ? 8 : pass ? 9 : 7;
		int rc =
		    svl_jobs_qc(log, wo, j->tech, stages[j->qc], pass, j->t);
		j->qc++;
		if (rc == SVL_OK && !pass && rnd(2))
			rc = svl_jobs_ev(log, "rework_ordered", "WM1",
					 "workshop_manager", j->t,
					 "\"wo_id\":\"%s\",\"failed_stage\":"
					 "\"%s\",\"technician_id\":\"%s\","
					 "\"reason\":\"redo\"",
					 wo, stages[j->qc - 1], j->tech);
		return rc;
	}
	}
}

static int step_closing(svl_log *log, rjob *j)
{
	const char *wo = j->wo;
	switch (j->step++) {
	case 9:
		return svl_jobs_ev(
		    log, "settlement_issued", j->adv, "service_advisor", j->t,
		    "\"wo_id\":\"%s\",\"labor_fen\":4000,"
		    "\"parts_fen\":5000,\"materials_fen\":1000,"
		    "\"total_fen\":10000,\"customer_signed\":true",
		    wo);
	case 10:
		return svl_jobs_ev(log, "payment_received", "CA1", "cashier",
				   j->t,
				   "\"wo_id\":\"%s\",\"amount_fen\":10000,"
				   "\"method\":\"card\"",
				   wo);
	case 11:
		return svl_jobs_deliver(log, wo, j->adv, j->t);
	case 12: {
		if (j->calls-- > 0)
			j->step = 12;
		if (j->calls < 0)
			return SVL_OK;
		if (rnd(8) == 0) /* R-FU-6: a new round of calls */
			return svl_jobs_ev(
			    log, "contact_reverified", j->adv,
			    "service_advisor", j->t,
			    "\"wo_id\":\"%s\",\"corrected\":false", wo);
		const char *o = outcomes[rnd(12)];
		return svl_jobs_call(log, wo, j->t, o,
				     strcmp(o, "reached") == 0 ? rnd(11) : 0);
	}
	default: { /* 13: maybe a complaint, then done */
		char cmp[24];
		j->step = 100;
		if (rnd(6))
			return SVL_OK;
		snprintf(cmp, sizeof cmp, "CMP-%s", wo);
		return svl_jobs_complain(log, cmp, rnd(5) ? wo : NULL, j->t,
					 rnd(5) ? severities[rnd(4)] : NULL);
	}
	}
}

static int step(svl_log *log, rjob *j)
{
	j->t += (1 + rnd(30)) * SVL_HOUR;
	const char *vin = j->vin[0] ? j->vin : NULL;
	switch (j->step) {
	case 0:
		j->step = rnd(4) ? 1 : 2; /* some walk in */
		return j->step == 1
			   ? svl_jobs_book(log, j->wo, j->t, j->kind, vin)
			   : SVL_OK;
	case 1:
		return step_booking(log, j);
	case 2:
		j->step = 3;
		return svl_jobs_receive(log, j->wo, j->adv, j->t, j->kind, vin);
	default:
		return j->step < 9 ? step_workshop(log, j)
				   : step_closing(log, j);
	}
}

static void job_init(rjob *j, int i)
{
	memset(j, 0, sizeof *j);
	snprintf(j->wo, sizeof j->wo, "WO%05d", i);
	snprintf(j->adv, sizeof j->adv, "A%d", 1 + rnd(3));
	snprintf(j->tech, sizeof j->tech, "T%d", 1 + rnd(4));
	if (rnd(5))
		snprintf(j->vin, sizeof j->vin, "LVSHCAMB1CE%06d", rnd(12));
	j->kind = kinds[rnd(4)];
	j->t = SVL_T0 + rnd(60) * SVL_DAY + rnd(24) * SVL_HOUR;
	j->extras = rnd(5);
	j->reworks = rnd(3);
	j->calls = rnd(5);
}

int64_t svl_jobs_random(svl_log *log, uint64_t seed, int n_jobs)
{
	rjob jobs[64];
	int64_t events = 0;
	int next = 0, live = 0, wof = 0;
	rs = seed;
	for (;;) {
		while (live < 64 && next < n_jobs && (live < 8 || rnd(3) == 0))
			job_init(&jobs[live++], next++);
		if (live == 0)
			return events;
		int k = rnd(live);
		int rc = step(log, &jobs[k]);
		if (rc == SVL_OK && rnd(50) == 0)
			rc = svl_jobs_ev(
			    log, "writeoff_approved", "SM1", "service_manager",
			    jobs[k].t,
			    "\"wof_id\":\"WOF-%d\",\"total_fen\":%d,\"lines\":"
			    "[{\"part_no\":\"P-1\",\"bin\":\"A-01-02-01\","
			    "\"qty_milli\":1000,\"unit_cost_fen\":1}]",
			    wof++, rnd(100000));
		if (rc != SVL_OK)
			return rc;
		events++;
		if (jobs[k].step >= 100)
			jobs[k] = jobs[--live];
	}
}
