/* ledger_fixture.c - see ledger_fixture.h. */
#include "ledger_fixture.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"

uint64_t svl_test_put(svl_ledger *l, uint32_t type, int64_t occurred_ms,
		      int64_t recorded_ms, const char *json)
{
	static uint8_t payload[SVL_PAYLOAD_MAX];
	size_t len;
	svl_event_error err;
	int rc = svl_event_from_json_text(payload, sizeof payload, &len, type,
					  json, strlen(json), &err);
	cr_assert_eq(rc, SVL_OK, "type %u payload refused: %s (%s)", type,
		     err.msg, json);
	char stream[SVL_STREAM_MAX + 1];
	size_t slen;
	rc = svl_event_stream_of(stream, sizeof stream, &slen, type,
				 svl_event_type_get(type)->version, payload,
				 len);
	cr_assert_eq(rc, SVL_OK, "no stream for type %u", type);
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	ev.stream = stream;
	ev.stream_len = slen;
	ev.type = type;
	ev.schema_version = svl_event_type_get(type)->version;
	ev.occurred_at_ms = occurred_ms;
	ev.recorded_at_ms = recorded_ms;
	ev.actor = "E900";
	ev.actor_len = 4;
	ev.role = "tester";
	ev.role_len = 6;
	ev.payload = payload;
	ev.payload_len = len;
	ev.expected_version = SVL_VERSION_ANY;
	svl_position pos;
	rc = svl_log_append(svl_ledger_log(l), &ev, 1, &pos);
	cr_assert_eq(rc, SVL_OK, "append: %s", svl_ledger_errmsg(l));
	return pos.seq;
}

uint64_t svl_test_putf(svl_ledger *l, uint32_t type, int64_t occurred_ms,
		       const char *fmt, ...)
{
	char json[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(json, sizeof json, fmt, ap);
	va_end(ap);
	return svl_test_put(l, type, occurred_ms, 0, json);
}

svl_ledger *svl_test_ledger(char **dir, const svl_rules *rules)
{
	*dir = svl_test_mkdtemp();
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	o.rules = rules;
	svl_ledger *l;
	int rc = svl_ledger_open(&l, *dir, &o);
	cr_assert_eq(rc, SVL_OK, "ledger open: %s", svl_log_last_error());
	return l;
}

svl_ledger *svl_test_ledger_reopen(const char *dir)
{
	svl_ledger *l;
	int rc = svl_ledger_open(&l, dir, NULL);
	cr_assert_eq(rc, SVL_OK, "ledger reopen: %s", svl_log_last_error());
	return l;
}
