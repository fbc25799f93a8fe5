/*
 * test_events_json.c - the JSON reader behind svl_event_from_json_text and
 * svl_event_input_json (events/jtok.c): strict grammar, escapes, numbers,
 * big documents, and agreement with the jansson path on every sample.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_int.h"

static int conv(uint32_t type, const char *text, uint8_t *buf, size_t cap,
		size_t *n, svl_event_error *e)
{
	return svl_event_from_json_text(buf, cap, n, type, text, strlen(text),
					e);
}

Test(json_text, grammar_errors_give_a_column)
{
	static const char *const bad[] = {
	    "{\"stk_id\":\"S\",}",		       /* trailing comma */
	    "{\"stk_id\":\"S\" \"lines_counted\":1}",  /* missing comma */
	    "{\"stk_id\":\"S\",\"lines_counted\":01}", /* leading zero */
	    "{\"stk_id\":\"S\",\"lines_counted\":1}x", /* text after */
	    "{\"stk_id\":\"S\",\"lines_counted\":-}",
	    "{\"stk_id\":\"S\",\"lines_counted\":1.}",
	    "{\"stk_id\":\"S\",\"lines_counted\":1e}",
	    "{\"stk_id\":\"S\",\"lines_counted\":99999999999999999999}",
	    "{\"stk_id\":\"S\tT\",\"lines_counted\":1}",    /* raw tab */
	    "{\"stk_id\":\"S\\x\",\"lines_counted\":1}",    /* bad escape */
	    "{\"stk_id\":\"\\ud800\",\"lines_counted\":1}", /* lone surrogate */
	    "{\"stk_id\":\"S\",\"lines_counted\":tru}",
	    "{\"stk_id\":\"S\"",
	    "{stk_id:1}",
	    "",
	    "   ",
	};
	uint8_t buf[256];
	size_t n;
	svl_event_error e;
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		cr_assert_eq(conv(SVL_T_STOCKTAKE_CLOSED, bad[k], buf,
				  sizeof buf, &n, &e),
			     SVL_EINVAL, "accepted: %s", bad[k]);
		cr_assert(strstr(e.msg, "invalid JSON at column "), "%s: %s",
			  bad[k], e.msg);
	}
}

Test(json_text, escapes_are_decoded)
{
	uint8_t buf[256];
	size_t n;
	svl_event_error e;
	char *out;
	const char *in = "{\"stk_id\":\"S-1\",\"lines_counted\":-0,\"note\":"
			 "\"a\\\"b\\\\c\\/d\\n\\u00e9\\u4ef6\\ud83d\\ude97\"}";
	cr_assert_eq(conv(SVL_T_STOCKTAKE_CLOSED, in, buf, sizeof buf, &n, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(
	    svl_event_to_json_text(&out, SVL_T_STOCKTAKE_CLOSED, 1, buf, n, &e),
	    SVL_OK);
	json_t *j = json_loads(out, 0, NULL);
	cr_assert_str_eq(json_string_value(json_object_get(j, "note")),
			 "a\"b\\c/d\n\xc3\xa9\xe4\xbb\xb6\xf0\x9f\x9a\x97");
	cr_assert_eq(json_integer_value(json_object_get(j, "lines_counted")),
		     0);
	json_decref(j);
	free(out);
}

Test(json_text, integers_at_the_limits)
{
	uint8_t buf[256];
	size_t n;
	svl_event_error e;
	/* int64 extremes parse; the range check then speaks */
	cr_assert_eq(
	    conv(SVL_T_ADJUSTMENT_APPROVED,
		 "{\"part_no\":\"A\",\"bin\":\"A-B-C-D\",\"delta_qty_milli\":"
		 "-9223372036854775808,\"stk_id\":\"S\",\"adj_no\":1}",
		 buf, sizeof buf, &n, &e),
	    SVL_EINVAL);
	cr_assert_str_eq(e.msg,
			 "delta_qty_milli: must be >= -1000000000000, got "
			 "-9223372036854775808");
	cr_assert_eq(
	    conv(SVL_T_STOCKTAKE_CLOSED,
		 "{\"stk_id\":\"S\",\"lines_counted\":9223372036854775807}",
		 buf, sizeof buf, &n, &e),
	    SVL_EINVAL);
	cr_assert_str_eq(e.msg, "lines_counted: must be <= 10000000, got "
				"9223372036854775807");
	cr_assert_eq(
	    conv(SVL_T_STOCKTAKE_CLOSED,
		 "{\"stk_id\":\"S\",\"lines_counted\":9223372036854775808}",
		 buf, sizeof buf, &n, &e),
	    SVL_EINVAL);
	cr_assert(strstr(e.msg, "integer out of range"), "%s", e.msg);
	cr_assert_eq(conv(SVL_T_STOCKTAKE_CLOSED,
			  "{\"stk_id\":\"S\",\"lines_counted\":2e3}", buf,
			  sizeof buf, &n, &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "lines_counted: expected integer, got real");
}

Test(json_text, big_documents_grow_past_the_local_buffers)
{
	/* 500 lines, thousands of tokens, escapes in every note */
	size_t cap = 200000, used = 0;
	char *text = malloc(cap);
	used += (size_t)snprintf(text + used, cap - used,
				 "{\"plan_id\":\"PL-BIG\",\"kind\":\"forward\","
				 "\"lines\":[");
	for (int k = 0; k < 500; k++)
		used += (size_t)snprintf(
		    text + used, cap - used,
		    "%s{\"part_no\":\"P%05d\",\"qty_milli\":%d,"
		    "\"note\":\"line \\u0023%d\"}",
		    k ? "," : "", k, 1000 + k, k);
	used += (size_t)snprintf(text + used, cap - used, "]}");
	uint8_t *buf = malloc(SVL_PAYLOAD_MAX);
	size_t n;
	svl_event_error e;
	cr_assert_eq(svl_event_from_json_text(buf, SVL_PAYLOAD_MAX, &n,
					      SVL_T_PARTS_PLAN_DRAFTED, text,
					      used, &e),
		     SVL_OK, "%s", e.msg);
	svl_event_view v;
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	cr_assert_eq(svl_event_decode(&v, SVL_T_PARTS_PLAN_DRAFTED, 1, buf, n),
		     SVL_OK);
	cr_assert_eq(
	    svl_event_array_begin(&it, &v, SVL_F_PARTS_PLAN_DRAFTED_LINES),
	    SVL_OK);
	int k = 0;
	while (svl_event_array_next(&it, el) == SVL_OK) {
		char want[32];
		snprintf(want, sizeof want, "line #%d", k);
		cr_assert_eq(el[SVL_F_PARTS_PLAN_DRAFTED_LINES_QTY_MILLI].i,
			     1000 + k);
		cr_assert_eq(el[SVL_F_PARTS_PLAN_DRAFTED_LINES_NOTE].len,
			     strlen(want));
		cr_assert_arr_eq(el[SVL_F_PARTS_PLAN_DRAFTED_LINES_NOTE].s,
				 want, strlen(want));
		k++;
	}
	cr_assert_eq(k, 500);
	/* the jansson path gives the same bytes */
	json_t *j = json_loadb(text, used, 0, NULL);
	uint8_t *buf2 = malloc(SVL_PAYLOAD_MAX);
	size_t n2;
	cr_assert_eq(svl_event_from_json(buf2, SVL_PAYLOAD_MAX, &n2,
					 SVL_T_PARTS_PLAN_DRAFTED, j, &e),
		     SVL_OK, "%s", e.msg);
	cr_assert_eq(n2, n);
	cr_assert_arr_eq(buf2, buf, n);
	/* 501 lines is one too many */
	const char *tail = ",{\"part_no\":\"X\",\"qty_milli\":1}]}";
	memcpy(text + used - 2, tail, strlen(tail) + 1);
	cr_assert_eq(svl_event_from_json_text(buf, SVL_PAYLOAD_MAX, &n,
					      SVL_T_PARTS_PLAN_DRAFTED, text,
					      used - 2 + strlen(tail), &e),
		     SVL_EINVAL);
	cr_assert_str_eq(e.msg, "lines: at most 500 items, got 501");
	json_decref(j);
	free(buf2);
	free(buf);
	free(text);
}

Test(json_text, text_and_jansson_paths_agree_on_every_sample)
{
	static uint8_t a[SVL_PAYLOAD_MAX], b[SVL_PAYLOAD_MAX];
	for (size_t k = 0; k < svl_event_type_count(); k++) {
		const svl_event_type *t = svl_event_type_at(k);
		const char *js = svl_event_sample_json(t->id);
		size_t na, nb;
		svl_event_error e;
		json_t *j = json_loads(js, 0, NULL);
		cr_assert_eq(conv(t->id, js, a, sizeof a, &na, &e), SVL_OK);
		cr_assert_eq(
		    svl_event_from_json(b, sizeof b, &nb, t->id, j, &e), SVL_OK,
		    "%s: %s", t->name, e.msg);
		cr_assert_eq(na, nb, "%s", t->name);
		cr_assert_arr_eq(a, b, na, "%s", t->name);
		json_decref(j);
	}
}

/* Seeded random damage to every sample line: the tokenizer, the
 * converter and the event input answer OK or an error, never crash, never
 * read outside the line (ASan), and a failure takes nothing from the
 * arena. */
Test(json_text, damaged_lines_never_crash)
{
	static char line[SVL_PAYLOAD_MAX], bad[SVL_PAYLOAD_MAX];
	static uint8_t mem[SVL_EVENT_ARENA_MIN];
	static const char alphabet[] = "{}[]\",:\\ u0-9eE.tfn";
	unsigned seed = 930u;
	for (size_t t = 0; t < svl_event_type_count(); t++) {
		const svl_event_type *ty = svl_event_type_at(t);
		int n = snprintf(line, sizeof line,
				 "{\"type\":\"%s\",\"actor\":\"E1\",\"role\":"
				 "\"cashier\",\"occurred_at_ms\":1790733600000,"
				 "\"payload\":%s}",
				 ty->name, svl_event_sample_json(ty->id));
		for (int round = 0; round < 300; round++) {
			size_t len = (size_t)n;
			memcpy(bad, line, len);
			for (int f = 0; f < 1 + round % 4 && len > 0; f++) {
				seed = seed * 1103515245u + 12345u;
				size_t at = (seed >> 8) % len;
				seed = seed * 1103515245u + 12345u;
				if (seed & 1)
					bad[at] =
					    alphabet[(seed >> 9) %
						     (sizeof alphabet - 1)];
				else
					len = at; /* truncate */
			}
			svl_event_arena a = {mem, sizeof mem, 0};
			svl_event_in ev;
			svl_event_error e;
			int rc = svl_event_input_json(&ev, &a, bad, len, &e);
			if (rc != SVL_OK)
				cr_assert_eq(a.used, 0, "%s round %d", ty->name,
					     round);
			else
				cr_assert_eq(svl_event_validate(
						 ev.type, ev.schema_version,
						 ev.payload, ev.payload_len,
						 &e),
					     SVL_OK, "%s", e.msg);
		}
	}
	cr_log_info("seed ended at %u", seed);
}
