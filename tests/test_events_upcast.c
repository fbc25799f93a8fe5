/*
 * test_events_upcast.c - reading payloads of older schema versions:
 *   goods_accepted v1 lines had no rejected_qty_milli (v2 added it,
 *   default 0: the table step) and no reject_reason (optional: absent);
 *   followup_attempted v1 had `reached` (bool) where v2 has the R-FU-5
 *   `outcome` class (the code step, events/upcast.c).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

/* A JSON value as schema-less msgpack (what an old writer, or a careless
 * one, would put in a payload). */
static int mp_of(const json_t *j, svl__w *w)
{
	static svl__jtok toks[8192];
	svl__jdoc d = {toks, 0, 8192, NULL, 0, 0, 0, 0};
	cr_assert_eq(svl__jdoc_from_json_t(&d, j), SVL_OK);
	return svl__jtok_to_mp(w, &d, 0);
}

/* Old payloads are written as schema-less msgpack from JSON, as an old
 * version of the library would have written them. */
static size_t old_payload(const char *js, uint8_t *buf, size_t cap)
{
	json_t *j = json_loads(js, 0, NULL);
	cr_assert_not_null(j, "%s", js);
	svl__w w = {buf, buf + cap};
	cr_assert_eq(mp_of(j, &w), SVL_OK);
	json_decref(j);
	return (size_t)(w.p - buf);
}

static const char *ga_v1 =
    "{\"po_id\":\"PO2025-0031\",\"stage\":2,\"lines\":["
    "{\"part_no\":\"90915-YZZD4\",\"accepted_qty_milli\":20000},"
    "{\"part_no\":\"04465-06240\",\"accepted_qty_milli\":2000,"
    "\"unit_price_fen\":30500}]}";

Test(upcast, goods_accepted_v1_reads_rejected_as_zero)
{
	uint8_t old[512];
	size_t n = old_payload(ga_v1, old, sizeof old);
	svl_event_error e;
	cr_assert_eq(svl_event_validate(SVL_T_GOODS_ACCEPTED, 1, old, n, &e),
		     SVL_OK, "%s", e.msg);
	/* as v2 it lacks the required field */
	cr_assert_eq(svl_event_validate(SVL_T_GOODS_ACCEPTED, 2, old, n, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg,
			 "lines[0].rejected_qty_milli: required field missing");

	svl_event_view v;
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	cr_assert_eq(svl_event_decode(&v, SVL_T_GOODS_ACCEPTED, 1, old, n),
		     SVL_OK);
	cr_assert_eq(v.schema_version, 1);
	cr_assert_eq(svl_event_array_begin(&it, &v, SVL_F_GOODS_ACCEPTED_LINES),
		     SVL_OK);
	int k = 0;
	while (svl_event_array_next(&it, el) == SVL_OK) {
		cr_assert_eq(
		    el[SVL_F_GOODS_ACCEPTED_LINES_REJECTED_QTY_MILLI].present,
		    1);
		cr_assert_eq(
		    el[SVL_F_GOODS_ACCEPTED_LINES_REJECTED_QTY_MILLI].i, 0);
		cr_assert_eq(
		    el[SVL_F_GOODS_ACCEPTED_LINES_REJECT_REASON].present, 0);
		k++;
	}
	cr_assert_eq(k, 2);
}

Test(upcast, goods_accepted_v1_normalizes_to_v2_bytes_and_json)
{
	uint8_t old[512], up[512], want[512];
	size_t n = old_payload(ga_v1, old, sizeof old), n_up, n_want;
	svl_event_error e;
	const char *v2 =
	    "{\"po_id\":\"PO2025-0031\",\"stage\":2,\"lines\":["
	    "{\"part_no\":\"90915-YZZD4\",\"accepted_qty_milli\":20000,"
	    "\"rejected_qty_milli\":0},"
	    "{\"part_no\":\"04465-06240\",\"accepted_qty_milli\":2000,"
	    "\"rejected_qty_milli\":0,\"unit_price_fen\":30500}]}";
	cr_assert_eq(svl_event_normalize(up, sizeof up, &n_up,
					 SVL_T_GOODS_ACCEPTED, 1, old, n, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(svl_event_from_json_text(want, sizeof want, &n_want,
					      SVL_T_GOODS_ACCEPTED, v2,
					      strlen(v2), &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n_up, n_want);
	cr_assert_arr_eq(up, want, n_want);
	char *js;
	cr_assert_eq(
	    svl_event_to_json_text(&js, SVL_T_GOODS_ACCEPTED, 1, old, n, &e),
	    SVL_OK, "%s", e.msg);
	cr_assert_str_eq(js, v2);
	free(js);
}

Test(upcast, old_version_may_not_carry_newer_fields)
{
	uint8_t old[512];
	size_t n = old_payload(
	    "{\"po_id\":\"P\",\"stage\":1,\"lines\":[{\"part_no\":\"A\","
	    "\"accepted_qty_milli\":1,\"rejected_qty_milli\":1}]}",
	    old, sizeof old);
	svl_event_error e;
	cr_assert_eq(svl_event_validate(SVL_T_GOODS_ACCEPTED, 1, old, n, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "lines[0].rejected_qty_milli: unknown field in "
				"version 1 (added in version 2)");
}

static const char *fu_v1(int reached)
{
	return reached ? "{\"wo_id\":\"WO2025-0100\",\"called_at_ms\":"
			 "1759197600000,"
			 "\"reached\":true,\"satisfaction_score\":8}"
		       : "{\"wo_id\":\"WO2025-0100\",\"called_at_ms\":"
			 "1759197600000,"
			 "\"reached\":false}";
}

Test(upcast, followup_v1_reached_maps_to_outcome_class)
{
	uint8_t old[256];
	svl_event_view v;
	svl_event_error e;
	size_t n = old_payload(fu_v1(1), old, sizeof old);
	cr_assert_eq(
	    svl_event_validate(SVL_T_FOLLOWUP_ATTEMPTED, 1, old, n, &e), SVL_OK,
	    "%s", e.msg);
	cr_assert_eq(svl_event_decode(&v, SVL_T_FOLLOWUP_ATTEMPTED, 1, old, n),
		     SVL_OK);
	const svl_value *o = &v.v[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME];
	cr_assert_eq(o->i, SVL_FU_OUTCOME_REACHED);
	cr_assert_eq(o->len, 7);
	cr_assert_arr_eq(o->s, "reached", 7);
	cr_assert_eq(v.v[SVL_F_FOLLOWUP_ATTEMPTED_SATISFACTION_SCORE].i, 8);

	n = old_payload(fu_v1(0), old, sizeof old);
	cr_assert_eq(svl_event_decode(&v, SVL_T_FOLLOWUP_ATTEMPTED, 1, old, n),
		     SVL_OK);
	cr_assert_eq(v.v[SVL_F_FOLLOWUP_ATTEMPTED_OUTCOME].i,
		     SVL_FU_OUTCOME_NO_ANSWER);
	char *js;
	cr_assert_eq(svl_event_to_json_text(&js, SVL_T_FOLLOWUP_ATTEMPTED, 1,
					    old, n, &e),
		     SVL_OK);
	cr_assert_str_eq(js, "{\"wo_id\":\"WO2025-0100\",\"called_at_ms\":"
			     "1759197600000,\"outcome\":\"no_answer\"}");
	free(js);
}

Test(upcast, followup_old_keys_only_in_old_versions)
{
	uint8_t old[256];
	svl_event_error e;
	size_t n = old_payload(fu_v1(1), old, sizeof old);
	/* `reached` is not a v2 field */
	cr_assert_eq(
	    svl_event_validate(SVL_T_FOLLOWUP_ATTEMPTED, 2, old, n, &e),
	    SVL_EINVAL);
	cr_assert_str_eq(e.msg, "reached: unknown field");
	/* and `outcome` is not a v1 field */
	n = old_payload("{\"wo_id\":\"W\",\"called_at_ms\":1759197600000,"
			"\"outcome\":\"busy\"}",
			old, sizeof old);
	cr_assert_eq(
	    svl_event_validate(SVL_T_FOLLOWUP_ATTEMPTED, 1, old, n, &e),
	    SVL_EINVAL);
	cr_assert_str_eq(e.msg, "outcome: unknown field in version 1 (added in "
				"version 2)");
}

Test(upcast, every_required_later_field_has_a_default_or_an_upcaster)
{
	/* the table step must leave no required field absent */
	for (size_t k = 0; k < svl_event_type_count(); k++) {
		const svl_event_type *t = svl_event_type_at(k);
		for (uint32_t j = 0; j < t->n_fields; j++) {
			const svl_field_def *f = &t->fields[j];
			if (f->since > 1 && f->required &&
			    f->kind == SVL_KIND_ENUM)
				cr_assert_lt(f->dflt, (int64_t)f->enum_def->n);
			if (f->since > 1 && f->required &&
			    f->kind != SVL_KIND_ENUM)
				cr_assert(f->dflt >= f->min &&
					      f->dflt <= f->max,
					  "%s.%s: default out of range",
					  t->name, f->name);
		}
	}
}
