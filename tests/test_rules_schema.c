/*
 * test_rules_schema.c - the rules the event schema itself keeps
 * (docs/rules.md rows whose "what" starts with "schema"): a payload that
 * breaks them does not validate (SVL_EINVAL, the path naming the field),
 * whoever records it and whatever the state; the catalog's sample of the
 * same type, which keeps them, does.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "svl_events.h"

/* The sample of `type` with field `key` set to `value` (JSON text), or
 * removed when value is NULL; must fail naming `key`. The sample itself
 * must pass. */
static void breaks(uint32_t type, const char *key, const char *value)
{
	const char *sample = svl_event_sample_json(type);
	cr_assert(sample);
	uint8_t buf[SVL_PAYLOAD_MAX];
	size_t n;
	svl_event_error err;
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n, type, sample,
					      strlen(sample), &err),
		     SVL_OK, "the sample keeps the rule: %s %s", err.path,
		     err.msg);
	json_error_t je;
	json_t *obj = json_loads(sample, 0, &je);
	cr_assert(obj);
	if (value) {
		json_t *v = json_loads(value, JSON_DECODE_ANY, &je);
		cr_assert(v, "%s", value);
		json_object_set_new(obj, key, v);
	} else {
		json_object_del(obj, key);
	}
	char *text = json_dumps(obj, JSON_COMPACT);
	cr_assert(text);
	cr_assert_eq(svl_event_from_json_text(buf, sizeof buf, &n, type, text,
					      strlen(text), &err),
		     SVL_EINVAL, "%s", text);
	cr_assert_str_eq(err.path, key, "%s: %s", err.path, err.msg);
	free(text);
	json_decref(obj);
}

Test(schema, a_booking_is_for_one_of_the_seeds_targets_R_BKG_1)
{
	breaks(SVL_T_BOOKING_REQUESTED, "target", "\"long_lost_customer\"");
	breaks(SVL_T_BOOKING_REQUESTED, "target", NULL);
}

Test(schema, a_booking_records_owner_phone_items_and_time_R_BKG_2)
{
	breaks(SVL_T_BOOKING_REQUESTED, "owner_name", NULL);
	breaks(SVL_T_BOOKING_REQUESTED, "phone", NULL);
	breaks(SVL_T_BOOKING_REQUESTED, "items", NULL);
	breaks(SVL_T_BOOKING_REQUESTED, "wanted_at_ms", NULL);
}

Test(schema, a_confirmed_booking_has_labour_and_cost_R_BKG_5)
{
	breaks(SVL_T_BOOKING_CONFIRMED, "est_labor_min", NULL);
	breaks(SVL_T_BOOKING_CONFIRMED, "est_amount_fen", NULL);
	breaks(SVL_T_BOOKING_CONFIRMED, "est_labor_min", "0");
}

Test(schema, the_fault_is_described_at_reception_R_REC_3)
{
	breaks(SVL_T_VEHICLE_RECEIVED, "fault_description", NULL);
	breaks(SVL_T_VEHICLE_RECEIVED, "fault_description", "\"\"");
}

Test(schema, diagnosis_and_road_test_are_recorded_R_INS_2)
{
	breaks(SVL_T_INSPECTION_RECORDED, "diagnosis", NULL);
	breaks(SVL_T_INSPECTION_RECORDED, "road_test", NULL);
}

Test(schema, a_quote_lists_labour_parts_and_a_promised_time_R_QUO_1)
{
	breaks(SVL_T_QUOTE_ISSUED, "labor", NULL);
	breaks(SVL_T_QUOTE_ISSUED, "parts", NULL);
	breaks(SVL_T_QUOTE_ISSUED, "promised_at_ms", NULL);
	breaks(SVL_T_QUOTE_ISSUED, "total_fen", NULL);
}

Test(schema, complaints_come_by_the_seeds_channels_R_CMP_1)
{
	breaks(SVL_T_COMPLAINT_OPENED, "channel", "\"carrier_pigeon\"");
}

Test(schema, severity_is_one_of_the_four_classes_R_CMP_2)
{
	breaks(SVL_T_COMPLAINT_CLASSIFIED, "severity", "\"mild\"");
}

Test(schema, purchases_use_the_five_modes_R_PUR_1)
{
	breaks(SVL_T_PURCHASE_ORDERED, "mode", "\"barter\"");
}
