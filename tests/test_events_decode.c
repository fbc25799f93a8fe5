/*
 * test_events_decode.c - the zero-allocation decoder (values by field
 * index, arrays through the element iterator), the C encoder, and the
 * decoder's behaviour on damaged bytes (never a crash, never a read past
 * the payload: this file runs under ASan).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

static size_t sample(uint32_t type, uint8_t *buf, size_t cap)
{
	const char *js = svl_event_sample_json(type);
	size_t n = 0;
	svl_event_error e;
	int rc =
	    svl_event_from_json_text(buf, cap, &n, type, js, strlen(js), &e);
	cr_assert_eq(rc, SVL_OK, "%s", e.msg);
	return n;
}

static int str_is(const svl_value *v, const char *s)
{
	return v->present && v->len == strlen(s) && !memcmp(v->s, s, v->len);
}

Test(decode, values_by_field_index)
{
	uint8_t buf[512];
	size_t n = sample(SVL_T_PARTS_ISSUED, buf, sizeof buf);
	svl_event_view v;
	cr_assert_eq(svl_event_decode(&v, SVL_T_PARTS_ISSUED, 1, buf, n),
		     SVL_OK);
	cr_assert_eq(v.type->id, SVL_T_PARTS_ISSUED);
	cr_assert(str_is(&v.v[SVL_F_PARTS_ISSUED_PART_NO], "90915-YZZD4"));
	cr_assert(str_is(&v.v[SVL_F_PARTS_ISSUED_BIN], "W1-A03-2-05"));
	cr_assert_eq(v.v[SVL_F_PARTS_ISSUED_QTY_MILLI].i, 1000);
	cr_assert(str_is(&v.v[SVL_F_PARTS_ISSUED_PICK_ID], "PK2026-0412"));
	cr_assert(str_is(&v.v[SVL_F_PARTS_ISSUED_WO_ID], "WO2026-0931"));
	/* strings point into the payload: zero copy */
	cr_assert((const uint8_t *)v.v[SVL_F_PARTS_ISSUED_BIN].s > buf);
	cr_assert((const uint8_t *)v.v[SVL_F_PARTS_ISSUED_BIN].s < buf + n);
}

Test(decode, enums_bools_dates_and_absent_fields)
{
	uint8_t buf[512];
	svl_event_view v;
	size_t n = sample(SVL_T_QC_CHECKED, buf, sizeof buf);
	cr_assert_eq(svl_event_decode(&v, SVL_T_QC_CHECKED, 1, buf, n), SVL_OK);
	cr_assert_eq(v.v[SVL_F_QC_CHECKED_STAGE].i, SVL_QC_STAGE_GROUP);
	cr_assert(str_is(&v.v[SVL_F_QC_CHECKED_STAGE], "group"));
	cr_assert_eq(v.v[SVL_F_QC_CHECKED_PASSED].i, 0);
	cr_assert_eq(v.v[SVL_F_QC_CHECKED_PASSED].present, 1);

	n = sample(SVL_T_VEHICLE_DELIVERED, buf, sizeof buf);
	cr_assert_eq(svl_event_decode(&v, SVL_T_VEHICLE_DELIVERED, 1, buf, n),
		     SVL_OK);
	cr_assert_eq(v.v[SVL_F_VEHICLE_DELIVERED_NEXT_SERVICE_DATE].i, 20906);
	cr_assert_eq(v.v[SVL_F_VEHICLE_DELIVERED_OLD_PARTS].i,
		     SVL_OLD_PART_DISPOSITION_RETURNED_TO_CUSTOMER);
	cr_assert_eq(v.v[SVL_F_VEHICLE_DELIVERED_NEXT_SERVICE_MILEAGE_KM].i,
		     50000);

	n = sample(SVL_T_BOOKING_NO_SHOW, buf, sizeof buf);
	cr_assert_eq(svl_event_decode(&v, SVL_T_BOOKING_NO_SHOW, 1, buf, n),
		     SVL_OK);
	cr_assert_eq(v.v[SVL_F_BOOKING_NO_SHOW_NOTE].present, 0);
	cr_assert_null(v.v[SVL_F_BOOKING_NO_SHOW_NOTE].s);
}

Test(decode, arrays_walk_element_by_element)
{
	static uint8_t buf[4096];
	size_t n = sample(SVL_T_QUOTE_ISSUED, buf, sizeof buf);
	svl_event_view v;
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	cr_assert_eq(svl_event_decode(&v, SVL_T_QUOTE_ISSUED, 1, buf, n),
		     SVL_OK);
	cr_assert_eq(v.v[SVL_F_QUOTE_ISSUED_PARTS].i, 3);
	cr_assert_eq(svl_event_array_begin(&it, &v, SVL_F_QUOTE_ISSUED_PARTS),
		     SVL_OK);
	int64_t total = 0;
	int k = 0;
	while (svl_event_array_next(&it, el) == SVL_OK) {
		/* R-QUO-1 line value, rounded half away from zero to the fen */
		int64_t q = el[SVL_F_QUOTE_ISSUED_PARTS_QTY_MILLI].i;
		int64_t p = el[SVL_F_QUOTE_ISSUED_PARTS_UNIT_PRICE_FEN].i;
		total += (q * p + 500) / 1000;
		if (k == 2) {
			cr_assert_eq(el[SVL_F_QUOTE_ISSUED_PARTS_IN_STOCK].i,
				     0);
			cr_assert(
			    str_is(&el[SVL_F_QUOTE_ISSUED_PARTS_ARRIVAL_DATE],
				   "2026-09-30"));
		}
		k++;
	}
	cr_assert_eq(k, 3);
	cr_assert_eq(total, 6800 + 44100 + 46000);
	cr_assert_eq(svl_event_array_next(&it, el), SVL_ITEROVER);
	/* not an array field */
	cr_assert_eq(svl_event_array_begin(&it, &v, SVL_F_QUOTE_ISSUED_WO_ID),
		     SVL_EMISUSE);
}

Test(decode, absent_optional_array_is_empty)
{
	uint8_t buf[1024];
	size_t n;
	svl_event_error e;
	const char *js =
	    "{\"wo_id\":\"W\",\"customer_id\":\"C\",\"plate\":\"P\","
	    "\"job_kind\":\"repair\",\"mileage_km\":1,\"fuel_pct\":1,"
	    "\"covers_laid\":3,\"first_visit\":true,"
	    "\"fault_description\":\"x\",\"customer_confirmed\":true}";
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_VEHICLE_RECEIVED, js,
					      strlen(js), &e),
		     SVL_OK, "%s", e.msg);
	svl_event_view v;
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	cr_assert_eq(svl_event_decode(&v, SVL_T_VEHICLE_RECEIVED, 1, buf, n),
		     SVL_OK);
	cr_assert_eq(
	    svl_event_array_begin(&it, &v, SVL_F_VEHICLE_RECEIVED_FINDINGS),
	    SVL_OK);
	cr_assert_eq(svl_event_array_next(&it, el), SVL_ITEROVER);
}

/* An absent array has no bytes (s = NULL): beginning a walk over it must
 * not do pointer arithmetic on NULL (NULL + 0 is undefined in C; clang's
 * UBSan reports it, gcc's does not). Every array field of a type whose
 * arrays are all optional and absent, and a NULL empty payload. */
Test(decode, absent_arrays_walk_without_arithmetic_on_null)
{
	uint8_t buf[1024];
	size_t n;
	svl_event_error e;
	const char *js =
	    "{\"wo_id\":\"W\",\"customer_id\":\"C\",\"plate\":\"P\","
	    "\"job_kind\":\"repair\",\"mileage_km\":1,\"fuel_pct\":1,"
	    "\"covers_laid\":3,\"first_visit\":true,"
	    "\"fault_description\":\"x\",\"customer_confirmed\":true}";
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_VEHICLE_RECEIVED, js,
					      strlen(js), &e),
		     SVL_OK, "%s", e.msg);
	svl_event_view v;
	cr_assert_eq(svl_event_decode(&v, SVL_T_VEHICLE_RECEIVED, 1, buf, n),
		     SVL_OK);
	uint32_t arrays = 0;
	for (uint32_t f = 0; f < v.type->n_fields; f++) {
		if (v.type->fields[f].kind != SVL_KIND_ARRAY)
			continue;
		arrays++;
		cr_assert_eq(v.v[f].present, 0);
		svl_event_array it;
		svl_value el[SVL_EVENT_SUBFIELDS_MAX];
		cr_assert_eq(svl_event_array_begin(&it, &v, f), SVL_OK);
		cr_assert_eq(it.left, 0);
		cr_assert_eq(svl_event_array_next(&it, el), SVL_ITEROVER);
	}
	cr_assert_geq(arrays, 1);
	cr_assert_eq(svl_event_decode(&v, SVL_T_VEHICLE_RECEIVED, 1, NULL, 0),
		     SVL_ECORRUPT);
}

Test(decode, refuses_unknown_type_and_versions)
{
	uint8_t buf[512];
	size_t n = sample(SVL_T_PARTS_ISSUED, buf, sizeof buf);
	svl_event_view v;
	cr_assert_eq(svl_event_decode(&v, 999, 1, buf, n), SVL_ENOTFOUND);
	cr_assert_eq(svl_event_decode(&v, SVL_T_PARTS_ISSUED, 0, buf, n),
		     SVL_EINVAL);
	cr_assert_eq(svl_event_decode(&v, SVL_T_PARTS_ISSUED, 2, buf, n),
		     SVL_EINVAL);
	cr_assert_eq(svl_event_decode(NULL, SVL_T_PARTS_ISSUED, 1, buf, n),
		     SVL_EMISUSE);
	/* a payload of another type is corrupt for this one */
	cr_assert_eq(svl_event_decode(&v, SVL_T_QC_CHECKED, 1, buf, n),
		     SVL_OK); /* unknown keys are skipped... */
	cr_assert_eq(v.v[SVL_F_QC_CHECKED_STAGE].present,
		     0); /* ...fields absent */
}

/* Every prefix of every sample, and seeded random byte damage: the
 * decoder, the validator and JSON output answer, and ASan stays quiet. */
Test(decode, damaged_bytes_never_crash)
{
	static uint8_t buf[8192], bad[8192];
	unsigned seed = 20260930u;
	for (size_t t = 0; t < svl_event_type_count(); t++) {
		const svl_event_type *ty = svl_event_type_at(t);
		size_t n = sample(ty->id, buf, sizeof buf);
		for (size_t cut = 0; cut < n; cut++) {
			svl_event_view v;
			cr_assert_neq(
			    svl_event_decode(&v, ty->id, ty->version, buf, cut),
			    SVL_OK, "%s cut at %zu", ty->name, cut);
			cr_assert_neq(svl_event_validate(ty->id, ty->version,
							 buf, cut, NULL),
				      SVL_OK);
		}
		for (int round = 0; round < 200; round++) {
			memcpy(bad, buf, n);
			for (int f = 0; f < 3; f++) {
				seed = seed * 1103515245u + 12345u;
				bad[(seed >> 8) % n] = (uint8_t)(seed >> 20);
			}
			svl_event_view v;
			char *js = NULL;
			(void)svl_event_decode(&v, ty->id, ty->version, bad, n);
			(void)svl_event_validate(ty->id, ty->version, bad, n,
						 NULL);
			if (svl_event_to_json_text(&js, ty->id, ty->version,
						   bad, n, NULL) == SVL_OK)
				free(js);
		}
	}
	cr_log_info("seed ended at %u", seed);
}

Test(encode, values_give_the_canonical_bytes)
{
	uint8_t want[512], got[512];
	size_t n_want = sample(SVL_T_PARTS_ISSUED, want, sizeof want), n_got;
	svl_value v[SVL_F_PARTS_ISSUED__COUNT] = {0};
	v[SVL_F_PARTS_ISSUED_WO_ID] = svl_val_strn("WO2026-0931", 11);
	v[SVL_F_PARTS_ISSUED_PART_NO] = svl_val_strn("90915-YZZD4", 11);
	v[SVL_F_PARTS_ISSUED_BIN] = svl_val_strn("W1-A03-2-05", 11);
	v[SVL_F_PARTS_ISSUED_QTY_MILLI] = svl_val_int(1000);
	v[SVL_F_PARTS_ISSUED_PICK_ID] = svl_val_strn("PK2026-0412", 11);
	svl_event_error e;
	cr_assert_eq(svl_event_encode(got, sizeof got, &n_got,
				      SVL_T_PARTS_ISSUED, v,
				      SVL_F_PARTS_ISSUED__COUNT, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n_got, n_want);
	cr_assert_arr_eq(got, want, n_want);
	v[SVL_F_PARTS_ISSUED_QTY_MILLI] = svl_val_int(-5);
	cr_assert_eq(svl_event_encode(got, sizeof got, &n_got,
				      SVL_T_PARTS_ISSUED, v,
				      SVL_F_PARTS_ISSUED__COUNT, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "qty_milli: must be > 0, got -5");
	cr_assert_str_eq(e.path, "qty_milli");
	cr_assert_eq(svl_event_encode(got, sizeof got, &n_got,
				      SVL_T_PARTS_ISSUED, v, 2, &e),
		     SVL_EMISUSE);
}

Test(encode, elements_and_enum_indexes)
{
	uint8_t want[1024], got[1024], lines[512];
	size_t n_want = sample(SVL_T_PICK_REQUESTED, want, sizeof want);
	size_t used = 0, n;
	svl_event_error e;
	static const struct {
		const char *part, *bin;
		int64_t qty;
	} l[2] = {{"90915-YZZD4", "W1-A03-2-05", 1000},
		  {"08880-83717", "W1-B01-1-02", 4500}};
	for (int k = 0; k < 2; k++) {
		svl_value el[SVL_F_PICK_REQUESTED_LINES__COUNT] = {0};
		el[SVL_F_PICK_REQUESTED_LINES_PART_NO] =
		    svl_val_strn(l[k].part, strlen(l[k].part));
		el[SVL_F_PICK_REQUESTED_LINES_QTY_MILLI] =
		    svl_val_int(l[k].qty);
		el[SVL_F_PICK_REQUESTED_LINES_BIN] =
		    svl_val_strn(l[k].bin, strlen(l[k].bin));
		cr_assert_eq(svl_event_encode_element(
				 lines + used, sizeof lines - used, &n,
				 SVL_T_PICK_REQUESTED,
				 SVL_F_PICK_REQUESTED_LINES, el,
				 SVL_F_PICK_REQUESTED_LINES__COUNT, &e),
			     SVL_OK, "%s", e.msg);
		used += n;
	}
	svl_value v[SVL_F_PICK_REQUESTED__COUNT] = {0};
	v[SVL_F_PICK_REQUESTED_PICK_ID] = svl_val_strn("PK2026-0412", 11);
	v[SVL_F_PICK_REQUESTED_WO_ID] = svl_val_strn("WO2026-0931", 11);
	v[SVL_F_PICK_REQUESTED_PURPOSE] = svl_val_enum(SVL_PICK_PURPOSE_REPAIR);
	v[SVL_F_PICK_REQUESTED_LINES] = svl_val_strn((const char *)lines, used);
	v[SVL_F_PICK_REQUESTED_LINES].i = 2;
	cr_assert_eq(svl_event_encode(got, sizeof got, &n, SVL_T_PICK_REQUESTED,
				      v, SVL_F_PICK_REQUESTED__COUNT, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n, n_want);
	cr_assert_arr_eq(got, want, n);
	/* a bad element is caught with its path */
	svl_value el[SVL_F_PICK_REQUESTED_LINES__COUNT] = {0};
	el[SVL_F_PICK_REQUESTED_LINES_PART_NO] = svl_val_strn("X", 1);
	el[SVL_F_PICK_REQUESTED_LINES_QTY_MILLI] = svl_val_int(0);
	cr_assert_eq(svl_event_encode_element(
			 lines, sizeof lines, &n, SVL_T_PICK_REQUESTED,
			 SVL_F_PICK_REQUESTED_LINES, el,
			 SVL_F_PICK_REQUESTED_LINES__COUNT, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "lines[].qty_milli: must be > 0, got 0");
	v[SVL_F_PICK_REQUESTED_PURPOSE] = svl_val_enum(17);
	cr_assert_eq(svl_event_encode(got, sizeof got, &n, SVL_T_PICK_REQUESTED,
				      v, SVL_F_PICK_REQUESTED__COUNT, &e),
		     SVL_EINVAL);
	cr_assert(strstr(e.msg, "purpose: must be one of repair,"), "%s",
		  e.msg);
	cr_assert_eq(svl_event_encode_element(
			 lines, sizeof lines, &n, SVL_T_PICK_REQUESTED,
			 SVL_F_PICK_REQUESTED_WO_ID, el, 3, &e),
		     SVL_EMISUSE);
}
