/*
 * test_events_reject.c - every way a payload can be wrong gives a clear
 * error naming the field path. Each case mutates a sample and is checked
 * twice: through JSON input (svl_event_from_json) and as msgpack bytes
 * (svl_event_validate), which must agree on the message.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>
#include <stdio.h>
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

typedef struct reject_case {
	uint32_t type;
	const char *set; /* JSON object merged into the sample (NULL: none) */
	const char *del; /* top-level key removed (NULL: none) */
	const char *msg; /* expected message, both paths */
	const char *mp_msg; /* msgpack message when it differs (kind names) */
} reject_case;

static reject_case cases[] = {
    {SVL_T_PARTS_ISSUED, NULL, "part_no", "part_no: required field missing",
     NULL},
    {SVL_T_PARTS_ISSUED, "{\"colour\":\"red\"}", NULL, "colour: unknown field",
     NULL},
    {SVL_T_PARTS_ISSUED, "{\"qty_milli\":\"5\"}", NULL,
     "qty_milli: expected integer, got string", NULL},
    {SVL_T_PARTS_ISSUED, "{\"qty_milli\":0}", NULL,
     "qty_milli: must be > 0, got 0", NULL},
    {SVL_T_PARTS_ISSUED, "{\"qty_milli\":1.5}", NULL,
     "qty_milli: expected integer, got real",
     "qty_milli: expected integer, got float"},
    {SVL_T_PARTS_ISSUED, "{\"wo_id\":null}", NULL,
     "wo_id: expected string, got null", "wo_id: expected string, got nil"},
    {SVL_T_PARTS_ISSUED, "{\"bin\":\"W1-A03-2\"}", NULL,
     "bin: expected a bin location warehouse-rack-shelf-position like "
     "W1-A03-2-05 (R-BIN-1), got \"W1-A03-2\"",
     NULL},
    {SVL_T_PARTS_ISSUED, "{\"bin\":\"W1-A03-2-05-9\"}", NULL,
     "bin: expected a bin location warehouse-rack-shelf-position like "
     "W1-A03-2-05 (R-BIN-1), got \"W1-A03-2-05-9\"",
     NULL},
    {SVL_T_PARTS_ISSUED, "{\"bin\":\"W1--2-05\"}", NULL,
     "bin: expected a bin location warehouse-rack-shelf-position like "
     "W1-A03-2-05 (R-BIN-1), got \"W1--2-05\"",
     NULL},
    {SVL_T_PARTS_ISSUED, "{\"bin\":\"W1-A03-2-POSITION9\"}", NULL,
     "bin: expected a bin location warehouse-rack-shelf-position like "
     "W1-A03-2-05 (R-BIN-1), got \"W1-A03-2-POSITION9\"",
     NULL},
    {SVL_T_PARTS_ISSUED, "{\"bin\":\"W1-A 3-2-05\"}", NULL,
     "bin: expected a bin location warehouse-rack-shelf-position like "
     "W1-A03-2-05 (R-BIN-1), got \"W1-A 3-2-05\"",
     NULL},
    {SVL_T_QC_CHECKED, "{\"stage\":\"selff\"}", NULL,
     "stage: must be one of self, group, final; got \"selff\"", NULL},
    {SVL_T_QC_CHECKED, "{\"passed\":\"yes\"}", NULL,
     "passed: expected bool, got string", NULL},
    {SVL_T_PICK_REQUESTED,
     "{\"lines\":[{\"part_no\":\"A\",\"qty_milli\":1000},{\"part_no\":\"B\","
     "\"qty_milli\":1000},{\"part_no\":\"C\",\"qty_milli\":-5}]}",
     NULL, "lines[2].qty_milli: must be > 0, got -5", NULL},
    {SVL_T_PICK_REQUESTED,
     "{\"lines\":[{\"part_no\":\"A\",\"qty_milli\":1},{\"part_no\":\"B\","
     "\"qty_milli\":1,\"bin\":\"A-B-C\"}]}",
     NULL,
     "lines[1].bin: expected a bin location warehouse-rack-shelf-position "
     "like W1-A03-2-05 (R-BIN-1), got \"A-B-C\"",
     NULL},
    {SVL_T_PICK_REQUESTED, "{\"lines\":[]}", NULL,
     "lines: at least 1 item required", NULL},
    {SVL_T_PICK_REQUESTED, "{\"lines\":[7]}", NULL,
     "lines[0]: expected object, got integer",
     "lines[0]: expected map, got integer"},
    {SVL_T_PICK_REQUESTED, "{\"lines\":{\"part_no\":\"A\"}}", NULL,
     "lines: expected array, got object", "lines: expected array, got map"},
    {SVL_T_PICK_REQUESTED,
     "{\"lines\":[{\"part_no\":\"A\",\"qty_milli\":1,\"color\":\"red\"}]}",
     NULL, "lines[0].color: unknown field", NULL},
    {SVL_T_PICK_REQUESTED, "{\"lines\":[{\"qty_milli\":1}]}", NULL,
     "lines[0].part_no: required field missing", NULL},
    {SVL_T_PICK_REQUESTED, NULL, "lines", "lines: required field missing",
     NULL},
    {SVL_T_PICK_REQUESTED, "{\"purpose\":\"gift\"}", NULL,
     "purpose: must be one of repair, warranty, counter_sale, internal; got "
     "\"gift\"",
     NULL},
    {SVL_T_VEHICLE_DELIVERED, "{\"next_service_date\":\"2027-02-29\"}", NULL,
     "next_service_date: expected a date YYYY-MM-DD, got \"2027-02-29\"", NULL},
    {SVL_T_VEHICLE_DELIVERED, "{\"next_service_date\":\"29/03/2027\"}", NULL,
     "next_service_date: expected a date YYYY-MM-DD, got \"29/03/2027\"", NULL},
    {SVL_T_BOOKING_REQUESTED, "{\"vin\":\"JTNB11HK5\"}", NULL,
     "vin: must be exactly 17 characters, got 9", NULL},
    {SVL_T_BOOKING_REQUESTED, "{\"wo_id\":\"WO 1\"}", NULL,
     "wo_id: expected an id of letters, digits, '.', '_', '-' starting with "
     "a letter or digit, got \"WO 1\"",
     NULL},
    {SVL_T_BOOKING_REQUESTED, "{\"wo_id\":\"\"}", NULL,
     "wo_id: must not be empty", NULL},
    {SVL_T_BOOKING_REQUESTED,
     "{\"owner_name\":\"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
     "abcdefghijabcde\"}",
     NULL, "owner_name: too long: at most 64 bytes, got 65", NULL},
    {SVL_T_BOOKING_REQUESTED, "{\"phone\":\"123\"}", NULL,
     "phone: too short: at least 5 bytes, got 3", NULL},
    {SVL_T_BOOKING_REQUESTED, "{\"target\":\"long_lost\"}", NULL,
     "target: must be one of warranty_expiring, insurance_expiring, "
     "maintenance_due, customer_request; got \"long_lost\"",
     NULL},
    {SVL_T_VEHICLE_RECEIVED, "{\"fuel_pct\":101}", NULL,
     "fuel_pct: must be <= 100, got 101", NULL},
    {SVL_T_VEHICLE_RECEIVED,
     "{\"valuables\":[{\"item\":\"phone\",\"count\":0}]}", NULL,
     "valuables[0].count: must be > 0, got 0", NULL},
    {SVL_T_BOOKING_CONFIRMED, "{\"slot_at_ms\":5}", NULL,
     "slot_at_ms: must be >= 946684800000, got 5", NULL},
    {SVL_T_BOOKING_CONFIRMED, "{\"slot_at_ms\":\"2026-09-30 10:00\"}", NULL,
     "slot_at_ms: expected UTC ms or an ISO-8601 time with offset like "
     "2026-09-30T10:00:00+08:00 (years 2000 to 2099), got \"2026-09-30 "
     "10:00\"",
     "slot_at_ms: expected integer, got string"},
    {SVL_T_ADJUSTMENT_PROPOSED, "{\"delta_qty_milli\":-1000000000001}", NULL,
     "delta_qty_milli: must be >= -1000000000000, got -1000000000001", NULL},
    {SVL_T_FOLLOWUP_ATTEMPTED, "{\"satisfaction_score\":11}", NULL,
     "satisfaction_score: must be <= 10, got 11", NULL},
    {SVL_T_FOLLOWUP_ATTEMPTED, "{\"outcome\":\"hung_up\"}", NULL,
     "outcome: must be one of reached, busy, switched_off, voicemail, "
     "driving, call_later, no_answer, wrong_number, details_mismatch, "
     "refused; got \"hung_up\"",
     NULL},
    {SVL_T_GOODS_ACCEPTED,
     "{\"lines\":[{\"part_no\":\"A\",\"accepted_qty_milli\":1,"
     "\"rejected_qty_milli\":1,\"reject_reason\":\"late\"}]}",
     NULL,
     "lines[0].reject_reason: must be one of missing, damaged, inferior, "
     "overpriced, wrong_part; got \"late\"",
     NULL},
    {SVL_T_STAFF_ROLE_ASSIGNED, "{\"role\":\"boss\"}", NULL,
     "role: must be one of service_manager, technical_director, "
     "workshop_manager, front_desk_supervisor, service_advisor, "
     "claims_specialist, customer_service, parts_manager, warehouse_keeper, "
     "technician, purchaser, finance, cashier, general_manager; got \"boss\"",
     NULL},
    {SVL_T_COMPLAINT_OPENED, "{\"description\":\"bad \\u0000 byte\"}", NULL,
     "description: expected UTF-8 text without control characters (tab and "
     "line feed allowed)",
     NULL},
};

#define N_CASES (sizeof cases / sizeof cases[0])

/* Indexes, not the cases: parameters cross into the test process by
 * value, and the strings they point to would not. */
static size_t case_index[N_CASES];

ParameterizedTestParameters(reject, names_the_field)
{
	for (size_t k = 0; k < N_CASES; k++)
		case_index[k] = k;
	return cr_make_param_array(size_t, case_index, N_CASES);
}

static json_t *mutated(const reject_case *c)
{
	json_t *j = json_loads(svl_event_sample_json(c->type), 0, NULL);
	cr_assert_not_null(j);
	if (c->set) {
		json_error_t je;
		json_t *set = json_loads(c->set, JSON_ALLOW_NUL, &je);
		cr_assert_not_null(set, "%s: %s", c->set, je.text);
		json_object_update(j, set);
		json_decref(set);
	}
	if (c->del)
		cr_assert_eq(json_object_del(j, c->del), 0);
	return j;
}

ParameterizedTest(size_t *ci, reject, names_the_field)
{
	const reject_case *c = &cases[*ci];
	static uint8_t buf[SVL_PAYLOAD_MAX], mp[SVL_PAYLOAD_MAX];
	const svl_event_type *t = svl_event_type_get(c->type);
	json_t *j = mutated(c);
	size_t n = 0;
	svl_event_error e;
	/* JSON in */
	int rc = svl_event_from_json(buf, sizeof buf, &n, c->type, j, &e);
	cr_assert_eq(rc, SVL_EINVAL, "%s: accepted %s", t->name, c->set);
	cr_assert_str_eq(e.msg, c->msg);
	/* the same payload as msgpack bytes */
	svl__w w = {mp, mp + sizeof mp};
	if (mp_of(j, &w) == SVL_EINVAL) {
		/* a real number: write the float by hand */
		cr_assert_not_null(strstr(c->set, "1.5"));
		json_object_set_new(j, "qty_milli", json_integer(0x7fff));
		w.p = mp;
		cr_assert_eq(mp_of(j, &w), SVL_OK);
		uint8_t *q = memmem(mp, (size_t)(w.p - mp), "\xcd\x7f\xff", 3);
		cr_assert_not_null(q);
		/* float32 1.5 = ca 3f c0 00 00: two bytes longer */
		memmove(q + 5, q + 3, (size_t)(w.p - (q + 3)));
		memcpy(q, "\xca\x3f\xc0\x00\x00", 5);
		w.p += 2;
	}
	rc =
	    svl_event_validate(c->type, t->version, mp, (size_t)(w.p - mp), &e);
	cr_assert_eq(rc, SVL_EINVAL, "%s: msgpack accepted", t->name);
	cr_assert_str_eq(e.msg, c->mp_msg ? c->mp_msg : c->msg);
	json_decref(j);
}

Test(reject, path_is_given_alone_too)
{
	uint8_t buf[512];
	size_t n;
	svl_event_error e;
	const char *js = "{\"pick_id\":\"P\",\"purpose\":\"repair\",\"lines\":"
			 "[{\"part_no\":\"A\",\"qty_milli\":1},"
			 "{\"part_no\":\"B\",\"qty_milli\":0}]}";
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_PICK_REQUESTED, js,
					      strlen(js), &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.path, "lines[1].qty_milli");
}

static size_t put_issue(uint8_t *p0, int dup, int extra)
{
	uint8_t *p = p0;
	p = svl__mp_put_map_hdr(p, (uint32_t)(4 + dup));
	p = svl__mp_put_str(p, "part_no", 7);
	p = svl__mp_put_str(p, "X1", 2);
	p = svl__mp_put_str(p, "bin", 3);
	p = svl__mp_put_str(p, "A-B-C-D", 7);
	p = svl__mp_put_str(p, "qty_milli", 9);
	p = svl__mp_put_int(p, 5);
	p = svl__mp_put_str(p, "pick_id", 7);
	p = svl__mp_put_str(p, "P1", 2);
	if (dup) {
		p = svl__mp_put_str(p, "qty_milli", 9);
		p = svl__mp_put_int(p, 6);
	}
	for (int k = 0; k < extra; k++)
		p = svl__mp_put_nil(p);
	return (size_t)(p - p0);
}

Test(reject, msgpack_shape_errors)
{
	uint8_t buf[128];
	svl_event_error e;
	size_t n = put_issue(buf, 0, 0);
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, buf, n, &e),
		     SVL_OK, "%s", e.msg);
	n = put_issue(buf, 1, 0);
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, buf, n, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "qty_milli: duplicate field");
	n = put_issue(buf, 0, 3);
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, buf, n, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "payload: 3 bytes after the map");
	uint8_t arr[] = {0x91, 0x01};
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, arr, 2, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "payload: expected map, got array");
	uint8_t intkey[] = {0x81, 0x01, 0x01};
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, intkey, 3, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "payload: field names must be strings");
	n = put_issue(buf, 0, 0);
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, buf, n - 1, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "pick_id: malformed msgpack");
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, buf, 0, &e),
		     SVL_EINVAL);
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 1, NULL, 0, &e),
		     SVL_EMISUSE);
}

Test(reject, unknown_types_and_versions)
{
	uint8_t buf[128];
	svl_event_error e;
	size_t n = put_issue(buf, 0, 0);
	cr_assert_eq(svl_event_validate(999, 1, buf, n, &e), SVL_ENOTFOUND);
	cr_assert_str_eq(e.msg, "payload: unknown event type 999");
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 2, buf, n, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(
	    e.msg, "payload: parts_issued has no schema version 2 (current 1)");
	cr_assert_eq(svl_event_validate(SVL_T_PARTS_ISSUED, 0, buf, n, &e),
		     SVL_EINVAL);
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_PARTS_ISSUED, "{\"a\":", 5,
					      &e),
		     SVL_EINVAL);
	cr_assert(strstr(e.msg, "invalid JSON"), "%s", e.msg);
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_PARTS_ISSUED, "[1]", 3, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "payload: expected object, got array");
	/* JSON text with a duplicate key is refused, not silently merged */
	const char *dup = "{\"part_no\":\"A\",\"part_no\":\"B\"}";
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n,
					      SVL_T_PARTS_ISSUED, dup,
					      strlen(dup), &e),
		     SVL_EINVAL);
	cr_assert(strstr(e.msg, "duplicate"), "%s", e.msg);
}

Test(reject, time_parser)
{
	int64_t ms;
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30T10:00:00+08:00", 25),
		     SVL_OK);
	cr_assert_eq(ms, INT64_C(1790733600000));
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30T02:00:00Z", 20), SVL_OK);
	cr_assert_eq(ms, INT64_C(1790733600000));
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30T02:00:00.25Z", 23),
		     SVL_OK);
	cr_assert_eq(ms, INT64_C(1790733600250));
	cr_assert_eq(svl_time_parse(&ms, "2026-09-29T21:30:00.123456-04:30", 32),
		     SVL_OK);
	cr_assert_eq(ms, INT64_C(1790733600123));
	/* +HH:MM only, as documented */
	cr_assert_eq(svl_time_parse(&ms, "2026-09-29T21:30:00.123-0430", 28),
		     SVL_EINVAL);
	/* the years 2000..2099 of the _ms fields, whatever the offset */
	cr_assert_eq(svl_time_parse(&ms, "9999-12-31T23:59:59.999-14:00", 29),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "1999-12-31T23:59:59Z", 20),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "1970-01-01T00:00:00Z", 20),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2100-01-01T00:00:00Z", 20),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2099-12-31T23:59:59.999Z", 24),
		     SVL_OK);
	cr_assert_eq(svl_time_parse(&ms, "2000-01-01T08:00:00+08:00", 25),
		     SVL_OK);
	cr_assert_eq(ms, SVL_TIME_MIN_MS);
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30T10:00:00", 19),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30 10:00:00Z", 20),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2026-02-30T10:00:00Z", 20),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30T24:00:00Z", 20),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2026-09-30T10:00:00+8", 21),
		     SVL_EINVAL);
	cr_assert_eq(svl_time_parse(&ms, "2024-02-29T00:00:00Z", 20), SVL_OK);
}
