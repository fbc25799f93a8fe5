/*
 * test_events.c - the catalog's integrity, the JSON -> msgpack -> JSON
 * round trip of every type, canonical encoding, the zero-allocation
 * decoder and the C encoder. Rejections: test_events_reject.c; old
 * versions: test_events_upcast.c; NDJSON input: test_events_input.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <jansson.h>
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

/* Every type id, from the catalog itself. */
#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc) id,
static uint32_t all_ids[] = {
#include "catalog.def"
};
#define N_TYPES (sizeof all_ids / sizeof all_ids[0])

/* Upper-case C names next to their wire names. */
typedef struct names {
	const char *up, *low;
} names;
#define SVL_ENUM_V(E, V, low, doc) {#V, #low},
#define SVL_TYPE(T, low, id, ver, prefix, key, roles, rules, doc) {#T, #low},
#define SVL_FIELD(T, F, low, kind, req, min, max, en, since, dflt, doc)        \
	{#F, #low},
#define SVL_ARRAY(T, F, low, req, min, max, since, doc) {#F, #low},
#define SVL_SUB(T, A, F, low, kind, req, min, max, en, since, dflt, doc)       \
	{#F, #low},
static const names all_names[] = {
#include "catalog.def"
};

static size_t sample_payload(uint32_t type, uint8_t *buf, size_t cap)
{
	const char *js = svl_event_sample_json(type);
	size_t n = 0;
	svl_event_error e;
	cr_assert_not_null(js, "no sample for type %u", type);
	int rc =
	    svl_event_from_json_text(buf, cap, &n, type, js, strlen(js), &e);
	cr_assert_eq(rc, SVL_OK, "type %u: %s", type, e.msg);
	return n;
}

Test(catalog, ids_ascend_names_unique_and_samples_exist)
{
	cr_assert_eq(svl_event_type_count(), N_TYPES);
	cr_assert_geq(N_TYPES, 55);
	for (size_t k = 0; k < N_TYPES; k++) {
		const svl_event_type *t = svl_event_type_at(k);
		cr_assert_eq(t->id, all_ids[k]);
		cr_assert_eq(svl_event_type_get(t->id), t);
		cr_assert_eq(svl_event_type_find(t->name, strlen(t->name)), t);
		if (k)
			cr_assert_gt(t->id, svl_event_type_at(k - 1)->id,
				     "%s: ids must ascend", t->name);
		cr_assert_geq(t->id, 100);
		cr_assert_lt(t->id, 800);
		cr_assert_not_null(svl_event_sample_json(t->id), "%s", t->name);
		cr_assert_neq(t->roles, 0u, "%s: nobody may record it",
			      t->name);
		cr_assert(strlen(t->rules) > 0 && strlen(t->doc) > 0);
	}
	cr_assert_null(svl_event_type_get(0));
	cr_assert_null(svl_event_type_get(999));
	cr_assert_null(svl_event_type_at(N_TYPES));
	cr_assert_null(svl_event_type_find("parts_isued", 11));
}

Test(catalog, c_names_are_the_wire_names_upper_cased)
{
	for (size_t k = 0; k < sizeof all_names / sizeof all_names[0]; k++) {
		const char *up = all_names[k].up, *low = all_names[k].low;
		cr_assert_eq(strlen(up), strlen(low), "%s / %s", up, low);
		for (size_t j = 0; up[j]; j++)
			cr_assert_eq(tolower((unsigned char)up[j]), low[j],
				     "%s / %s", up, low);
	}
}

static void check_fields(const svl_event_type *t, const svl_field_def *fs,
			 uint32_t n, int top)
{
	for (uint32_t k = 0; k < n; k++) {
		const svl_field_def *f = &fs[k];
		cr_assert_eq(f->name_len, strlen(f->name));
		cr_assert_geq(f->since, 1u, "%s.%s", t->name, f->name);
		cr_assert_leq(f->since, t->version, "%s.%s", t->name, f->name);
		cr_assert_leq(f->min, f->max, "%s.%s", t->name, f->name);
		for (uint32_t j = 0; j < k; j++)
			cr_assert_str_neq(fs[j].name, f->name, "%s", t->name);
		cr_assert_eq(f->kind == SVL_KIND_ENUM, f->enum_def != NULL,
			     "%s.%s", t->name, f->name);
		if (f->kind == SVL_KIND_ENUM && f->since > 1 && f->required)
			cr_assert_lt(f->dflt, (int64_t)f->enum_def->n);
		if (f->kind == SVL_KIND_ARRAY) {
			cr_assert(top, "%s.%s: arrays nest one level", t->name,
				  f->name);
			cr_assert_leq(f->n_sub, SVL_EVENT_SUBFIELDS_MAX);
			check_fields(t, f->sub, f->n_sub, 0);
		}
		/* units are the last part of the name (style rule 8) */
		if (f->kind == SVL_KIND_TIME)
			cr_assert(strstr(f->name, "_at_ms"), "%s", f->name);
		if (strstr(f->name, "_fen") || strstr(f->name, "qty"))
			cr_assert_eq(f->kind, SVL_KIND_INT, "%s", f->name);
		/* hex fields hold whole bytes */
		if (f->kind == SVL_KIND_HEX)
			cr_assert(f->min == f->max && f->min % 2 == 0, "%s",
				  f->name);
	}
}

Test(catalog, fields_are_well_formed_and_streams_keyed_by_a_required_id)
{
	for (size_t k = 0; k < N_TYPES; k++) {
		const svl_event_type *t = svl_event_type_at(k);
		cr_assert_leq(t->n_fields, SVL_EVENT_FIELDS_MAX);
		check_fields(t, t->fields, t->n_fields, 1);
		const svl_field_def *key = &t->fields[t->stream_field];
		/* a seal's stream is keyed by the ledger id, in hex */
		cr_assert(key->kind == SVL_KIND_ID || key->kind == SVL_KIND_HEX,
			  "%s", t->name);
		cr_assert(key->required, "%s", t->name);
		cr_assert_lt(strlen(t->stream_prefix) + 1 + (size_t)key->max,
			     (size_t)SVL_STREAM_MAX);
	}
}

Test(catalog, roles_follow_domain_section_1)
{
	cr_assert_eq(SVL_ROLE__COUNT, 14);
	cr_assert_str_eq(svl_role_name(SVL_ROLE_WAREHOUSE_KEEPER),
			 "warehouse_keeper");
	cr_assert_eq(svl_role_find("cashier", 7), SVL_ROLE_CASHIER);
	cr_assert_eq(svl_role_find("keeper", 6), -1);
	cr_assert_null(svl_role_name(-1));
	cr_assert_null(svl_role_name(SVL_ROLE__COUNT));
	const svl_event_type *pay = svl_event_type_get(SVL_T_PAYMENT_RECEIVED);
	cr_assert(svl_event_type_allows(pay, SVL_ROLE_CASHIER));
	cr_assert_not(svl_event_type_allows(pay, SVL_ROLE_SERVICE_ADVISOR));
	const svl_event_type *iss = svl_event_type_get(SVL_T_PARTS_ISSUED);
	cr_assert(svl_event_type_allows(iss, SVL_ROLE_WAREHOUSE_KEEPER));
	cr_assert_not(svl_event_type_allows(iss, SVL_ROLE_TECHNICIAN));
	cr_assert_not(svl_event_type_allows(iss, 99));
	cr_assert_not(svl_event_type_allows(NULL, 0));
	const svl_event_type *gm =
	    svl_event_type_get(SVL_T_COMPLAINT_PLAN_APPROVED);
	cr_assert_eq(gm->roles, SVL_RB(GENERAL_MANAGER)); /* R-CMP-3 */
}

/* ---- round trip of every type ---- */

ParameterizedTestParameters(round_trip, json_msgpack_json)
{
	return cr_make_param_array(uint32_t, all_ids, N_TYPES);
}

ParameterizedTest(uint32_t *id, round_trip, json_msgpack_json)
{
	static uint8_t buf[SVL_PAYLOAD_MAX], again[SVL_PAYLOAD_MAX];
	const svl_event_type *t = svl_event_type_get(*id);
	size_t n = sample_payload(*id, buf, sizeof buf), n2;
	svl_event_error e;
	cr_assert_eq(svl_event_validate(*id, t->version, buf, n, &e), SVL_OK,
		     "%s: %s", t->name, e.msg);
	json_t *back;
	cr_assert_eq(svl_event_to_json(&back, *id, t->version, buf, n, &e),
		     SVL_OK, "%s: %s", t->name, e.msg);
	json_t *orig = json_loads(svl_event_sample_json(*id), 0, NULL);
	cr_assert_not_null(orig);
	char *s = json_dumps(back, JSON_COMPACT);
	cr_assert(json_equal(orig, back), "%s: came back as %s", t->name, s);
	/* the JSON out is canonical too: in again, same bytes */
	cr_assert_eq(svl_event_from_json_text(again, sizeof again, &n2, *id, s,
					      strlen(s), &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n2, n);
	cr_assert_arr_eq(again, buf, n);
	/* normalize is the identity on canonical bytes */
	cr_assert_eq(svl_event_normalize(again, sizeof again, &n2, *id,
					 t->version, buf, n, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n2, n);
	cr_assert_arr_eq(again, buf, n);
	free(s);
	json_decref(orig);
	json_decref(back);
}

ParameterizedTestParameters(round_trip, msgpack_c_reads_our_bytes)
{
	return cr_make_param_array(uint32_t, all_ids, N_TYPES);
}

ParameterizedTest(uint32_t *id, round_trip, msgpack_c_reads_our_bytes)
{
	static uint8_t buf[SVL_PAYLOAD_MAX];
	size_t n = sample_payload(*id, buf, sizeof buf);
	msgpack_unpacked u;
	size_t off = 0;
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, (const char *)buf, n, &off),
		     MSGPACK_UNPACK_SUCCESS);
	cr_assert_eq(off, n);
	cr_assert_eq(u.data.type, MSGPACK_OBJECT_MAP);
	json_t *orig = json_loads(svl_event_sample_json(*id), 0, NULL);
	cr_assert_eq(u.data.via.map.size, json_object_size(orig));
	json_decref(orig);
	msgpack_unpacked_destroy(&u);
}

ParameterizedTestParameters(round_trip, stream_is_prefix_and_key)
{
	return cr_make_param_array(uint32_t, all_ids, N_TYPES);
}

ParameterizedTest(uint32_t *id, round_trip, stream_is_prefix_and_key)
{
	static uint8_t buf[SVL_PAYLOAD_MAX];
	const svl_event_type *t = svl_event_type_get(*id);
	size_t n = sample_payload(*id, buf, sizeof buf), len;
	char stream[SVL_STREAM_MAX + 1], want[SVL_STREAM_MAX + 1];
	json_t *orig = json_loads(svl_event_sample_json(*id), 0, NULL);
	snprintf(want, sizeof want, "%s-%s", t->stream_prefix,
		 json_string_value(
		     json_object_get(orig, t->fields[t->stream_field].name)));
	cr_assert_eq(svl_event_stream_of(stream, sizeof stream, &len, *id,
					 t->version, buf, n),
		     SVL_OK);
	cr_assert_str_eq(stream, want);
	cr_assert_eq(len, strlen(want));
	json_decref(orig);
}

Test(round_trip, iso_times_in_json_come_out_as_utc_ms)
{
	uint8_t buf[256];
	size_t n;
	char *out;
	svl_event_error e;
	const char *in =
	    "{\"wo_id\":\"WO1\",\"slot_at_ms\":"
	    "\"2026-09-30T10:00:00+08:00\",\"reason\":\"capacity_full\"}";
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_BOOKING_RESCHEDULED, in,
					      strlen(in), &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(svl_event_to_json_text(&out, SVL_T_BOOKING_RESCHEDULED, 1,
					    buf, n, &e),
		     SVL_OK);
	cr_assert_str_eq(out, "{\"wo_id\":\"WO1\",\"slot_at_ms\":1790733600000,"
			      "\"reason\":\"capacity_full\"}");
	free(out);
}

Test(round_trip, key_order_and_integer_width_do_not_change_the_bytes)
{
	/* parts_issued written backwards, qty as a 64-bit int */
	uint8_t odd[256], *p = odd, canon[256], norm[256];
	p = svl__mp_put_map_hdr(p, 5);
	p = svl__mp_put_str(p, "wo_id", 5);
	p = svl__mp_put_str(p, "WO2026-0931", 11);
	p = svl__mp_put_str(p, "pick_id", 7);
	p = svl__mp_put_str(p, "PK2026-0412", 11);
	p = svl__mp_put_str(p, "qty_milli", 9);
	*p++ = 0xd3;
	svl__be64_put(p, 1000);
	p += 8;
	p = svl__mp_put_str(p, "bin", 3);
	p = svl__mp_put_str(p, "W1-A03-2-05", 11);
	p = svl__mp_put_str(p, "part_no", 7);
	p = svl__mp_put_str(p, "90915-YZZD4", 11);
	size_t n_odd = (size_t)(p - odd), n_canon, n_norm;
	svl_event_error e;
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, odd, n_odd, &e),
		     SVL_OK, "%s", e.msg);
	n_canon = sample_payload(SVL_T_PARTS_ISSUED, canon, sizeof canon);
	cr_assert_eq(svl_event_normalize(norm, sizeof norm, &n_norm,
					 SVL_T_PARTS_ISSUED, 1, odd, n_odd, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n_norm, n_canon);
	cr_assert_arr_eq(norm, canon, n_canon);
	cr_assert_lt(n_norm, n_odd);
	/* the decoder reads the odd order too */
	svl_event_view v;
	cr_assert_eq(svl_event_decode(&v, SVL_T_PARTS_ISSUED, 1, odd, n_odd),
		     SVL_OK);
	cr_assert_eq(v.v[SVL_F_PARTS_ISSUED_QTY_MILLI].i, 1000);
	cr_assert_eq(v.v[SVL_F_PARTS_ISSUED_PART_NO].len, 11);
}

Test(round_trip, normalize_reports_a_small_buffer)
{
	uint8_t buf[512], small[16];
	size_t n = sample_payload(SVL_T_PARTS_ISSUED, buf, sizeof buf), m;
	svl_event_error e;
	cr_assert_eq(svl_event_normalize(small, sizeof small, &m,
					 SVL_T_PARTS_ISSUED, 1, buf, n, &e),
		     SVL_ELIMIT);
	cr_assert(strstr(e.msg, "does not fit"), "%s", e.msg);
}
