/*
 * fmt_jobs_json.c - a work order as JSON: every field of svl_work_order
 * under its C name, in library units, plus readable names for the enums
 * (state, job kind, follow-up result) and the detail rows.
 *
 * The integer fields are listed once in a table (name, offset), so that a
 * field added to the struct is one line here, and JSON can never show a
 * field under another field's name.
 */
#include <stddef.h>
#include <string.h>

#include "fmt.h"

#define I64(f)                                                                 \
	{                                                                      \
#f, offsetof(svl_work_order, f)                                \
	}

static const struct {
	const char *name;
	size_t off;
} int_fields[] = {
    I64(state_at_ms),	     I64(transitions),	      I64(job_kind),
    I64(first_at_ms),	     I64(booked_at_ms),	      I64(wanted_at_ms),
    I64(slot_at_ms),	     I64(reschedules),	      I64(received_at_ms),
    I64(mileage_km),	     I64(inspected_at_ms),    I64(quotes),
    I64(quote_revision),     I64(quote_total_fen),    I64(promised_at_ms),
    I64(signed_at_ms),	     I64(signed_total_fen),   I64(dispatched_at_ms),
    I64(est_labor_min),	     I64(addl_found),	      I64(addl_found_fen),
    I64(addl_approved),	     I64(addl_approved_fen),  I64(addl_declined),
    I64(addl_declined_fen),  I64(consultations),      I64(parts_issues),
    I64(parts_issued_milli), I64(parts_returns),      I64(parts_returned_milli),
    I64(old_parts_returned), I64(labor_min),	      I64(completed_at_ms),
    I64(ready_at_ms),	     I64(labor_fen),	      I64(parts_fen),
    I64(materials_fen),	     I64(discount_fen),	      I64(warranty_fen),
    I64(total_fen),	     I64(settled_at_ms),      I64(payments),
    I64(paid_fen),	     I64(paid_at_ms),	      I64(delivered_at_ms),
    I64(fu_attempts),	     I64(fu_first_at_ms),     I64(fu_last_at_ms),
    I64(fu_closed_at_ms),    I64(satisfaction_score), I64(reverifications),
    I64(complaints),	     I64(major_complaints),
};

static int set(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v);
}

static json_t *triple(const int64_t v[3])
{
	return json_pack("{s:I,s:I,s:I}", "self", (json_int_t)v[0], "group",
			 (json_int_t)v[1], "final", (json_int_t)v[2]);
}

static const char *kind_name(int64_t k)
{
	const svl_event_type *t = svl_event_type_get(SVL_T_VEHICLE_RECEIVED);
	const svl_enum_def *e =
	    t ? t->fields[SVL_F_VEHICLE_RECEIVED_JOB_KIND].enum_def : NULL;
	return e && k >= 0 && (uint64_t)k < e->n ? e->values[k] : NULL;
}

json_t *json_work_order_fields(const svl_work_order *w, int32_t tz)
{
	char iso[FMT_TIME_SIZE];
	json_t *o = json_object();
	int bad = !o;
	bad |= set(o, "wo_id", json_string(w->wo_id));
	bad |= set(o, "state", json_string(svl_wo_state_name((int)w->state)));
	bad |=
	    set(o, "state_at", json_string(fmt_iso(iso, w->state_at_ms, tz)));
	bad |= set(o, "customer_id", json_string(w->customer_id));
	bad |= set(o, "plate", json_string(w->plate));
	bad |= set(o, "vin", json_string(w->vin));
	const char *k = kind_name(w->job_kind);
	bad |= set(o, "job_kind_name", k ? json_string(k) : json_null());
	bad |= set(o, "advisor_id", json_string(w->advisor_id));
	bad |= set(o, "technician_id", json_string(w->technician_id));
	for (size_t i = 0; i < sizeof int_fields / sizeof int_fields[0]; i++) {
		int64_t v;
		memcpy(&v, (const char *)w + int_fields[i].off, sizeof v);
		bad |= set(o, int_fields[i].name, json_integer((json_int_t)v));
	}
	bad |= set(o, "qc_passed", triple(w->qc_passed));
	bad |= set(o, "qc_failed", triple(w->qc_failed));
	bad |= set(o, "reworks", triple(w->reworks));
	bad |= set(o, "on_time",
		   w->on_time < 0 ? json_null() : json_boolean(w->on_time));
	bad |=
	    set(o, "fu_result", json_string(svl_fu_result_name((int)w->fu_result)));
	bad |= set(o, "comeback_of", json_string(w->comeback_of));
	bad |= set(o, "came_back_as", json_string(w->came_back_as));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *transitions(const fmt_wo *x)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < x->n_trans; i++)
		if (json_array_append_new(
			a, json_pack("{s:I,s:s,s:I}", "seq",
				     (json_int_t)x->trans[i].seq, "state",
				     svl_wo_state_name((int)x->trans[i].state),
				     "at_ms", (json_int_t)x->trans[i].at_ms))) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

static json_t *parts(const fmt_wo *x)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < x->n_parts; i++) {
		const svl_wo_part *p = &x->parts[i];
		if (json_array_append_new(
			a, json_pack(
			       "{s:s,s:I,s:I,s:I,s:I}", "part_no", p->part_no,
			       "issued_milli", (json_int_t)p->issued_milli,
			       "returned_milli", (json_int_t)p->returned_milli,
			       "issues", (json_int_t)p->issues, "returns",
			       (json_int_t)p->returns))) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *complaints(const fmt_wo *x)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < x->n_cmps; i++)
		if (json_array_append_new(
			a,
			json_pack("{s:s,s:i,s:b}", "cmp_id", x->cmps[i].cmp_id,
				  "severity", x->cmps[i].severity, "major",
				  x->cmps[i].major))) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

json_t *json_work_order(const fmt_wo *x)
{
	json_t *o = json_work_order_fields(x->wo, x->tz_offset_min);
	if (!o)
		return NULL;
	if (set(o, "transitions_list", transitions(x)) ||
	    set(o, "parts", parts(x)) ||
	    set(o, "complaints_list", complaints(x))) {
		json_decref(o);
		return NULL;
	}
	return o;
}
