/*
 * test_events_input.c - one NDJSON line -> an svl_event_in: envelope keys,
 * both time forms, ids, the derived stream, clear errors, the arena
 * contract (a failed parse takes nothing), and a batch appended to a real
 * log and read back.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"
#include "fixture.h"

static uint8_t mem[4 * SVL_PAYLOAD_MAX];

static svl_event_arena arena(void)
{
	svl_event_arena a = {mem, sizeof mem, 0};
	return a;
}

static int parse(const char *line, svl_event_in *ev, svl_event_arena *a,
		 svl_event_error *e)
{
	return svl_event_input_json(ev, a, line, strlen(line), e);
}

#define ISSUE_PAYLOAD                                                          \
	"\"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\","    \
	"\"qty_milli\":1000,\"pick_id\":\"PK2026-0412\",\"wo_id\":\"WO2026-"   \
	"0931\"}"

Test(input, full_line_with_iso_time)
{
	svl_event_arena a = arena();
	svl_event_in ev;
	svl_event_error e;
	const char *line =
	    "{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	    "\"warehouse_keeper\",\"occurred_at\":\"2026-09-30T10:00:00+08:"
	    "00\","
	    "\"id\":\"0192f0a1b2c3d4e5f60718293a4b5c6d\",\"correlation_id\":"
	    "\"00000000000000000000000000000001\",\"expected_version\":"
	    "3," ISSUE_PAYLOAD "}";
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_OK, "%s", e.msg);
	cr_assert_eq(ev.type, SVL_T_PARTS_ISSUED);
	cr_assert_eq(ev.schema_version, 1);
	cr_assert_eq(ev.occurred_at_ms, INT64_C(1790733600000));
	cr_assert_eq(ev.actor_len, 4);
	cr_assert_arr_eq(ev.actor, "E012", 4);
	cr_assert_str_eq(ev.role, "warehouse_keeper");
	cr_assert_eq(ev.stream_len, strlen("part-90915-YZZD4"));
	cr_assert_arr_eq(ev.stream, "part-90915-YZZD4", ev.stream_len);
	cr_assert_eq(ev.id[0], 0x01);
	cr_assert_eq(ev.id[15], 0x6d);
	cr_assert_not_null(ev.correlation_id);
	cr_assert_eq(ev.correlation_id[15], 1);
	cr_assert_null(ev.causation_id);
	cr_assert_eq(ev.expected_version, 3);
	cr_assert_eq(ev.recorded_at_ms, 0);
	cr_assert_eq(svl_event_validate(ev.type, ev.schema_version, ev.payload,
					ev.payload_len, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert((const uint8_t *)ev.payload >= mem &&
		  (const uint8_t *)ev.payload < mem + a.used);
}

Test(input, ms_time_defaults_and_matching_stream)
{
	svl_event_arena a = arena();
	svl_event_in ev;
	svl_event_error e;
	const char *line =
	    "{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	    "\"warehouse_keeper\",\"occurred_at_ms\":1790733600000,"
	    "\"stream\":\"part-90915-YZZD4\"," ISSUE_PAYLOAD "}";
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_OK, "%s", e.msg);
	cr_assert_eq(ev.occurred_at_ms, INT64_C(1790733600000));
	cr_assert_eq(ev.expected_version, SVL_VERSION_ANY);
	uint8_t zero[SVL_ID_SIZE] = {0};
	cr_assert_arr_eq(ev.id, zero, SVL_ID_SIZE);
}

typedef struct bad_line {
	const char *line;
	const char *msg;
} bad_line;

#define ENV_OK                                                                 \
	"\"actor\":\"E012\",\"role\":\"warehouse_keeper\",\"occurred_at_ms\":" \
	"1790733600000,"

Test(input, errors_name_the_envelope_key_or_payload_path)
{
	static const bad_line cases[] = {
	    {"{" ENV_OK ISSUE_PAYLOAD "}", "type: required field missing"},
	    {"{\"type\":\"parts_isued\"," ENV_OK ISSUE_PAYLOAD "}",
	     "type: unknown event type parts_isued"},
	    {"{\"type\":\"parts_issued\",\"role\":\"warehouse_keeper\","
	     "\"occurred_at_ms\":1790733600000," ISSUE_PAYLOAD "}",
	     "actor: required field missing"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	     "\"keeper\","
	     "\"occurred_at_ms\":1790733600000," ISSUE_PAYLOAD "}",
	     "role: expected one of the roles of domain.md section 1 "
	     "(service_manager ... general_manager), got keeper"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	     "\"warehouse_keeper\"," ISSUE_PAYLOAD "}",
	     "occurred_at: required field missing (or give occurred_at_ms)"},
	    {"{\"type\":\"parts_issued\"," ENV_OK "\"occurred_at\":"
	     "\"2026-09-30T10:00:00+08:00\"," ISSUE_PAYLOAD "}",
	     "occurred_at: give occurred_at or occurred_at_ms, not both"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	     "\"warehouse_keeper\",\"occurred_at\":\"2026-09-30 "
	     "10:00\"," ISSUE_PAYLOAD "}",
	     "occurred_at: expected an ISO-8601 time with offset like "
	     "2026-09-30T10:00:00+08:00 (years 2000 to 2099), got 2026-09-30 "
	     "10:00"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	     "\"warehouse_keeper\",\"occurred_at\":\"9999-12-31T23:59:59.999-"
	     "14:00\"," ISSUE_PAYLOAD "}",
	     "occurred_at: expected an ISO-8601 time with offset like "
	     "2026-09-30T10:00:00+08:00 (years 2000 to 2099), got "
	     "9999-12-31T23:59:59.999-14:00"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	     "\"warehouse_keeper\",\"occurred_at_ms\":1790733600000,"
	     "\"recorded_at_ms\":4102444800000," ISSUE_PAYLOAD "}",
	     "recorded_at_ms: set by the ledger when it records the event, not "
	     "by the client (import restores it from an export)"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E\\u0000\\n1\","
	     "\"role\":\"warehouse_keeper\",\"occurred_at_ms\":1790733600000,"
	     ISSUE_PAYLOAD "}",
	     "actor: expected UTF-8 text without control characters or NUL"},
	    {"{\"type\":\"no\\nsuch\\u0000type\"," ENV_OK ISSUE_PAYLOAD "}",
	     "type: unknown event type no\\x0asuch\\x00type"},
	    {"{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	     "\"warehouse_keeper\",\"occurred_at_ms\":1790733600000}",
	     "payload: required field missing"},
	    {"{\"type\":\"parts_issued\"," ENV_OK
	     "\"id\":\"12ab\"," ISSUE_PAYLOAD "}",
	     "id: expected 32 hex digits (a 16-byte id)"},
	    {"{\"type\":\"parts_issued\"," ENV_OK "\"colour\":1," ISSUE_PAYLOAD
	     "}",
	     "colour: unknown field"},
	    {"{\"type\":\"parts_issued\"," ENV_OK
	     "\"stream\":\"part-X\"," ISSUE_PAYLOAD "}",
	     "stream: does not match the payload's stream "
	     "\"part-90915-YZZD4\""},
	    {"{\"type\":\"parts_issued\"," ENV_OK
	     "\"schema_version\":2," ISSUE_PAYLOAD "}",
	     "schema_version: parts_issued has no schema version 2 (current "
	     "1)"},
	    {"{\"type\":\"parts_issued\"," ENV_OK "\"payload\":{\"part_no\":"
	     "\"A\",\"bin\":\"W1-A03-2-05\",\"qty_milli\":0,\"pick_id\":\"P\"}"
	     "}",
	     "payload.qty_milli: must be > 0, got 0"},
	    {"{\"type\":\"pick_requested\"," ENV_OK "\"payload\":{\"pick_id\":"
	     "\"P\",\"purpose\":\"repair\",\"lines\":[{\"part_no\":\"A\","
	     "\"qty_milli\":1},{\"part_no\":\"B\",\"qty_milli\":-5}]}}",
	     "payload.lines[1].qty_milli: must be > 0, got -5"},
	    {"{\"type\":\"parts_issued\"," ENV_OK "\"payload\":[]}",
	     "payload: expected object, got array"},
	    {"[1,2]", "event: expected object, got array"},
	    {"{\"type\":", NULL},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		svl_event_arena a = arena();
		svl_event_in ev;
		svl_event_error e;
		cr_assert_eq(parse(cases[k].line, &ev, &a, &e), SVL_EINVAL,
			     "case %zu accepted", k);
		if (cases[k].msg)
			cr_assert_str_eq(e.msg, cases[k].msg, "case %zu", k);
		else
			cr_assert(strstr(e.msg, "invalid JSON"), "%s", e.msg);
		cr_assert_eq(a.used, 0, "case %zu kept arena bytes", k);
	}
}

Test(input, a_full_arena_takes_nothing_and_asks_for_a_flush)
{
	static uint8_t small[160];
	svl_event_arena a = {small, sizeof small, 0};
	svl_event_in ev;
	svl_event_error e;
	const char *line =
	    "{\"type\":\"parts_issued\"," ENV_OK ISSUE_PAYLOAD "}";
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_OK, "%s", e.msg);
	size_t used = a.used;
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_ELIMIT);
	cr_assert_eq(a.used, used);
	cr_assert(strstr(e.msg, "arena is full"), "%s", e.msg);
	a.used = 0;
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_OK, "%s", e.msg);
}

Test(input, old_schema_version_is_upcast)
{
	svl_event_arena a = arena();
	svl_event_in ev;
	svl_event_error e;
	const char *line =
	    "{\"type\":\"followup_attempted\",\"actor\":\"E008\","
	    "\"role\":\"customer_service\",\"occurred_at_ms\":"
	    "1790907300000,\"schema_version\":1,\"payload\":{"
	    "\"wo_id\":\"WO2026-0931\",\"called_at_ms\":1790907300000,"
	    "\"reached\":true}}";
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_OK, "%s", e.msg);
	cr_assert_eq(ev.schema_version,
		     svl_event_type_get(SVL_T_FOLLOWUP_ATTEMPTED)->version);
	char *js;
	cr_assert_eq(svl_event_to_json_text(&js, ev.type, ev.schema_version,
					    ev.payload,
					    ev.payload_len, &e),
		     SVL_OK);
	cr_assert_str_eq(js, "{\"wo_id\":\"WO2026-0931\",\"called_at_ms\":"
			     "1790907300000,\"outcome\":\"reached\"}");
	free(js);
}

/* Every sample as an NDJSON line, appended as one batch, read back. */
Test(input, batch_of_every_sample_appends_and_reads_back)
{
	size_t n = svl_event_type_count();
	svl_event_in *evs = calloc(n, sizeof *evs);
	svl_event_arena a = arena();
	svl_event_error e;
	char *line = malloc(SVL_PAYLOAD_MAX);
	for (size_t k = 0; k < n; k++) {
		const svl_event_type *t = svl_event_type_at(k);
		int role = __builtin_ctz(t->roles);
		snprintf(
		    line, SVL_PAYLOAD_MAX,
		    "{\"type\":\"%s\",\"actor\":\"E%03zu\",\"role\":\"%s\","
		    "\"occurred_at_ms\":%lld,\"payload\":%s}",
		    t->name, k, svl_role_name(role),
		    (long long)(INT64_C(1790733600000) + (int64_t)k),
		    svl_event_sample_json(t->id));
		cr_assert_eq(parse(line, &evs[k], &a, &e), SVL_OK, "%s: %s",
			     t->name, e.msg);
	}
	char *dir = svl_test_mkdtemp();
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	svl_log *log;
	cr_assert_eq(svl_log_open(&log, dir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	cr_assert_eq(svl_log_append(log, evs, n, NULL), SVL_OK, "%s",
		     svl_log_errmsg(log));
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log, 1, 0, &it), SVL_OK);
	size_t k = 0;
	while (svl_iter_next(it, &r) == SVL_OK) {
		const svl_event_type *t = svl_event_type_get(r.type);
		char stream[SVL_STREAM_MAX + 1], *js;
		cr_assert_not_null(t);
		cr_assert_eq(t, svl_event_type_at(k));
		cr_assert_eq(svl_event_stream_of(stream, sizeof stream, NULL,
						 r.type, r.schema_version,
						 r.payload, r.payload_len),
			     SVL_OK);
		cr_assert_eq(strlen(stream), r.stream_len);
		cr_assert_arr_eq(stream, r.stream, r.stream_len);
		cr_assert_eq(svl_event_to_json_text(&js, r.type,
						    r.schema_version, r.payload,
						    r.payload_len, &e),
			     SVL_OK, "%s", e.msg);
		json_t *a1 = json_loads(js, 0, NULL);
		json_t *a2 = json_loads(svl_event_sample_json(r.type), 0, NULL);
		cr_assert(json_equal(a1, a2), "%s", t->name);
		json_decref(a1);
		json_decref(a2);
		free(js);
		k++;
	}
	cr_assert_eq(k, n);
	svl_iter_close(it);
	svl_log_close(log);
	svl_test_rmdir(dir);
	free(line);
	free(evs);
}

/* The example in docs/events.md parses (the doc must not lie). */
Test(input, the_documented_example_parses)
{
	svl_event_arena a = arena();
	svl_event_in ev;
	svl_event_error e;
	const char *line =
	    "{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
	    "\"warehouse_keeper\",\n "
	    "\"occurred_at\":\"2026-09-30T10:00:00+08:00\","
	    "\n "
	    "\"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\","
	    "\"qty_milli\":1000,\"pick_id\":\"PK2026-0412\"}}";
	cr_assert_eq(parse(line, &ev, &a, &e), SVL_OK, "%s", e.msg);
	char *buf;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	cr_assert_eq(svl_events_doc_markdown(f), SVL_OK);
	fclose(f);
	cr_assert(
	    strstr(buf, "\"qty_milli\":1000,\"pick_id\":\"PK2026-0412\"}}"));
	free(buf);
}
