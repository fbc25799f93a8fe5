/*
 * doc.c - docs/events.md, generated from the catalog so it cannot drift
 * from the code. tests/test_events_doc.c regenerates it into
 * build/events.md and fails when docs/events.md differs.
 *
 * The prose here is the contract the tables do not carry: wire form,
 * units and rounding, stream naming, the version policy.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "catalog_int.h"

static const char *const intro =
    "# Event catalog\n\n"
    "<!-- Generated from catalog/catalog.def by svl_events_doc_markdown(); "
    "do not edit.\n     tests/test_events_doc.c fails when this file is "
    "stale; refresh with\n     make test; cp build/events.md "
    "docs/events.md -->\n\n"
    "Every business action of the after-sales department "
    "(`domain.md` sections 2 and 3) is one event type below. "
    "The catalog is declared once, in `catalog/catalog.def`; the C "
    "constants (`SVL_T_...`, `SVL_F_<TYPE>_<FIELD>`, `SVL_<ENUM>_<VALUE>`, "
    "`SVL_ROLE_...`), the validator, the msgpack and JSON codecs and this "
    "page are generated from it. API: `include/svl_events.h`.\n\n"
    "## Wire form\n\n"
    "A payload is one msgpack map whose keys are the field names below.\n\n"
    "| kind | msgpack | JSON | rule |\n|---|---|---|---|\n"
    "| int | int | integer | in [min, max]; the unit is the last part of the "
    "name |\n"
    "| time | int | integer, or ISO-8601 text with an offset on input | "
    "UTC milliseconds |\n"
    "| bool | bool | true / false | |\n"
    "| str | str | string | UTF-8, no NUL, byte length in [min, max] |\n"
    "| id | str | string | ASCII letters and digits, then also `.` `_` "
    "`-`; length in [min, max] |\n"
    "| enum | str | string | one of the listed values |\n"
    "| bin | str | string | `warehouse-rack-shelf-position`, four segments "
    "of 1 to 8 letters or digits, e.g. `W1-A03-2-05` (R-BIN-1) |\n"
    "| date | str | string | `YYYY-MM-DD`, a calendar day in the ledger's "
    "time zone |\n"
    "| array | array of maps | array of objects | item count in [min, max]; "
    "each item has the fields listed under it |\n\n"
    "Canonical encoding: present fields in schema order (the order below), "
    "absent optional fields left out (never nil), shortest integer and "
    "length headers, enums as their value text. One payload has exactly "
    "one encoding, hence one hash. `svl_event_normalize` produces it from "
    "any valid payload; `svl_event_from_json` and `svl_event_encode` "
    "always write it. Unknown fields, duplicate fields and `null` are "
    "rejected.\n\n"
    "## Units and rounding\n\n"
    "- Money: integer **fen** (`*_fen`, 1 yuan = 100 fen), int64, never "
    "floating point. A line amount that is derived from a unit price is "
    "`unit_price_fen * qty_milli / 1000` rounded half away from zero to "
    "the fen, computed once by whoever issues the document; events carry "
    "the rounded amount and totals are sums of rounded lines.\n"
    "- Quantities: integer **thousandths** of the part's unit "
    "(`*qty_milli`; the unit is `bin_assigned.unit`: pieces, litres, "
    "sets). 1.5 L of oil is 1500; one filter is 1000.\n"
    "- Labour: hours in thousandths (`hours_milli`) on quotes, minutes "
    "(`*_min`) for estimates and actual time.\n"
    "- Times: UTC milliseconds since 1970 (`*_at_ms`). ISO-8601 input "
    "with an offset (`2026-09-30T10:00:00+08:00`) is converted exactly; "
    "fractions beyond milliseconds are truncated. Reports group by the "
    "ledger's time zone (default UTC+08:00).\n"
    "- Dates: `*_date` fields are calendar days, not instants.\n"
    "- Distances: kilometres (`*_km`). Fuel: percent of the gauge.\n\n";

static const char *const streams =
    "## Streams\n\n"
    "The stream of an event is derived from its payload: "
    "`<prefix>-<key field>` (`svl_event_stream`), so a command never "
    "names it.\n\n"
    "| stream | key | holds |\n|---|---|---|\n"
    "| `wo-<wo_id>` | work order id | one job from booking to follow-up: "
    "booking, reception, inspection, quotes, dispatch, repair, QC, "
    "settlement, delivery, follow-up, and the old parts handed back for "
    "it |\n"
    "| `part-<part_no>` | part number | every movement of one part's book "
    "quantity: bin assignment, shelving, reservations, issues, returns, "
    "quarantine, approved stocktake adjustments (the stock card of R-BIN-2 "
    "is a fold of this stream) |\n"
    "| `plan-<plan_id>` | parts plan id | draft, review, approval "
    "(R-PLN-1) |\n"
    "| `po-<po_id>` | purchase order id | order, acceptances, "
    "discrepancies, claim outcomes |\n"
    "| `pick-<pick_id>` | pick list id | the outbound request and its "
    "signatures (R-ISS-1, R-ISS-3, R-ISS-4) |\n"
    "| `stk-<stk_id>` | stocktake id | opening, counted lines, closing, "
    "proposed adjustments |\n"
    "| `wof-<wof_id>` | write-off id | request, appraisals, approval or "
    "rejection, disposal; approval and disposal carry their lines so a "
    "stock projection needs no other stream |\n"
    "| `cmp-<cmp_id>` | complaint id | the complaint ticket |\n"
    "| `staff-<staff_id>` | staff id (the actor id of events) | role "
    "assignments and revocations, liabilities charged to the person |\n\n"
    "A document with lines for several parts (pick list, purchase order, "
    "write-off) lives in its own stream; the per-part movements it causes "
    "are separate events in the `part-` streams, appended in the same "
    "batch.\n\n";

static const char *const input =
    "## Event input (NDJSON)\n\n"
    "`svl_event_input_json` (used by `svcledger append` and the embedding "
    "API) reads one event per line:\n\n"
    "```json\n"
    "{\"type\":\"parts_issued\",\"actor\":\"E012\",\"role\":"
    "\"warehouse_keeper\",\n"
    " \"occurred_at\":\"2026-09-30T10:00:00+08:00\",\n"
    " \"payload\":{\"part_no\":\"90915-YZZD4\",\"bin\":\"W1-A03-2-05\","
    "\"qty_milli\":1000,\"pick_id\":\"PK2026-0412\"}}\n"
    "```\n\n"
    "| key | required | meaning |\n|---|---|---|\n"
    "| `type` | yes | type name (or numeric id) |\n"
    "| `actor` | yes | staff id of who did it, 1 to 64 bytes |\n"
    "| `role` | yes | the role acted in (enum `role`) |\n"
    "| `occurred_at` or `occurred_at_ms` | one of them | business time: "
    "ISO-8601 with an offset, or UTC ms |\n"
    "| `payload` | yes | the fields of the type, as below |\n"
    "| `id` | no | 32 hex digits; a retry with the same id appends "
    "nothing; absent: generated |\n"
    "| `correlation_id`, `causation_id` | no | 32 hex digits |\n"
    "| `expected_version` | no | the stream's version before this event "
    "(optimistic concurrency); -1 or absent: any |\n"
    "| `schema_version` | no | the payload's version when older than "
    "the current one; it is upcast and stored at the current version |\n"
    "| `stream` | no | checked against the stream derived from the "
    "payload |\n"
    "| `recorded_at_ms` | refused | the ledger's clock alone: set when the "
    "event is recorded; `import` restores it from an export |\n\n"
    "Unknown keys, duplicate keys and malformed JSON are refused with the "
    "key or payload path named: `payload.lines[2].qty_milli: must be > 0, "
    "got -5`.\n\n";

static const char *const versions =
    "## Versions and upcasting\n\n"
    "Each type has a current schema version; an event records the version "
    "its payload was written at, and the log is never rewritten. Readers "
    "(the decoder, JSON output, `svl_event_normalize`) read an older "
    "payload into the current field layout:\n\n"
    "1. a field added in version N (column *since*) is absent from older "
    "payloads; when it is required, its documented default is read "
    "instead (also inside array items);\n"
    "2. when a default is not enough, an upcaster (`catalog/upcast.c`) "
    "maps version N to N + 1 from the old bytes.\n\n"
    "Rules for changing the catalog: ids are never renumbered or reused; a "
    "field's meaning and unit never change (add a new field instead); a "
    "new field gets `since` = the new version and, if required, a "
    "default; removing a field means making it optional. New events are "
    "always written at the current version (`svl_event_input_json` "
    "upcasts input that names an older `schema_version`).\n\n";

static const char *kind_name(svl_field_kind k)
{
	static const char *const names[] = {
	    [SVL_KIND_INT] = "int",    [SVL_KIND_TIME] = "time",
	    [SVL_KIND_BOOL] = "bool",  [SVL_KIND_STR] = "str",
	    [SVL_KIND_ID] = "id",      [SVL_KIND_ENUM] = "enum",
	    [SVL_KIND_BIN] = "bin",    [SVL_KIND_DATE] = "date",
	    [SVL_KIND_ARRAY] = "array", [SVL_KIND_HEX] = "hex"};
	return names[k];
}

static void put_range(FILE *out, const svl_field_def *f)
{
	switch (f->kind) {
	case SVL_KIND_INT:
	case SVL_KIND_TIME:
		fprintf(out, "%" PRId64 " .. %" PRId64, f->min, f->max);
		break;
	case SVL_KIND_STR:
	case SVL_KIND_ID:
	case SVL_KIND_HEX:
		if (f->min == f->max)
			fprintf(out, "exactly %" PRId64 " bytes", f->min);
		else
			fprintf(out, "%" PRId64 " .. %" PRId64 " bytes", f->min,
				f->max);
		break;
	case SVL_KIND_ARRAY:
		fprintf(out, "%" PRId64 " .. %" PRId64 " items", f->min,
			f->max);
		break;
	case SVL_KIND_ENUM:
		fprintf(out, "[%s](#enum-%s)", f->enum_def->name,
			f->enum_def->name);
		break;
	case SVL_KIND_BIN:
		fputs("R-BIN-1 location", out);
		break;
	case SVL_KIND_DATE:
		fputs("YYYY-MM-DD", out);
		break;
	case SVL_KIND_BOOL:
		break;
	}
}

static void put_since(FILE *out, const svl_field_def *f)
{
	if (f->since <= 1)
		return;
	fprintf(out, "v%u", f->since);
	if (!f->required)
		return;
	if (f->kind == SVL_KIND_ENUM)
		fprintf(out, "; older: `%s`", f->enum_def->values[f->dflt]);
	else if (f->kind == SVL_KIND_BOOL)
		fprintf(out, "; older: %s", f->dflt ? "true" : "false");
	else
		fprintf(out, "; older: %" PRId64, f->dflt);
}

static void put_fields(FILE *out, const char *prefix,
		       const svl_field_def *fields, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		const svl_field_def *f = &fields[k];
		fprintf(out, "| `%s%s` | %s | %s | ", prefix, f->name,
			kind_name(f->kind), f->required ? "yes" : "no");
		put_range(out, f);
		fputs(" | ", out);
		put_since(out, f);
		fprintf(out, " | %s |\n", f->doc);
		if (f->kind == SVL_KIND_ARRAY) {
			char sub[80];
			snprintf(sub, sizeof sub, "%s%s[].", prefix, f->name);
			put_fields(out, sub, f->sub, f->n_sub);
		}
	}
}

static void put_roles(FILE *out, uint32_t roles)
{
	int first = 1;
	for (int r = 0; r < SVL_ROLE__COUNT; r++) {
		if (!((roles >> r) & 1u))
			continue;
		fprintf(out, "%s`%s`", first ? "" : ", ", svl_role_name(r));
		first = 0;
	}
}

static void put_type(FILE *out, const svl_event_type *t)
{
	fprintf(out, "### %u `%s` (v%u)\n\n%s.\n\n", t->id, t->name, t->version,
		t->doc);
	fprintf(out, "- stream: `%s-<%s>`\n- recorded by: ", t->stream_prefix,
		t->fields[t->stream_field].name);
	put_roles(out, t->roles);
	/* "R-A R-B | R-C": refused by its decider | recorded for */
	const char *bar = strchr(t->rules, '|');
	int n = bar ? (int)(bar - t->rules) : (int)strlen(t->rules);
	while (n > 0 && t->rules[n - 1] == ' ')
		n--;
	if (n)
		fprintf(out, "\n- refused by: %.*s\n", n, t->rules);
	else
		fprintf(out, "\n- refused by: -\n");
	if (bar)
		fprintf(out, "- recorded for (no refusal): %s\n",
			bar[1] == ' ' ? bar + 2 : bar + 1);
	for (size_t k = 0; k < svl__upcaster_count(); k++) {
		const svl__upcaster *u = svl__upcaster_at(k);
		if (u->type == t->id)
			fprintf(out, "- upcaster v%u -> v%u: %s\n",
				u->from_version, u->from_version + 1, u->doc);
	}
	fputs("\n| field | kind | required | range / values | since | "
	      "meaning |\n|---|---|---|---|---|---|\n",
	      out);
	put_fields(out, "", t->fields, t->n_fields);
	fputs("\n", out);
}

static void put_summary(FILE *out)
{
	fputs("## Types\n\n| id | type | v | stream | recorded by |\n"
	      "|---|---|---|---|---|\n",
	      out);
	for (size_t k = 0; k < svl_event_type_count(); k++) {
		const svl_event_type *t = svl_event_type_at(k);
		fprintf(out, "| %u | [`%s`](#%u-%s-v%u) | %u | `%s-` | ", t->id,
			t->name, t->id, t->name, t->version, t->version,
			t->stream_prefix);
		put_roles(out, t->roles);
		fputs(" |\n", out);
	}
	fputs("\nRoles are those of domain.md section 1; the column says who "
	      "may record the type at all. Finer rules (three different "
	      "people at an issue, R-ISS-3; three appraisers, R-WOF-2; the "
	      "stage of a QC check or an acceptance) are the deciders' "
	      "(docs/rules.md).\n\n",
	      out);
}

static void put_enums(FILE *out)
{
	fputs("## Enums\n\n", out);
	for (size_t k = 0; k < svl__enum_count(); k++) {
		const svl_enum_def *e = svl__enum_at(k);
		fprintf(out,
			"### enum %s\n\n%s.\n\n| value | meaning |\n"
			"|---|---|\n",
			e->name, e->doc);
		for (uint32_t j = 0; j < e->n; j++)
			fprintf(out, "| `%s` | %s |\n", e->values[j],
				e->docs[j]);
		fputs("\n", out);
	}
}

int svl_events_doc_markdown(FILE *out)
{
	if (!out)
		return SVL_EMISUSE;
	fputs(intro, out);
	fputs(streams, out);
	fputs(input, out);
	fputs(versions, out);
	put_summary(out);
	fputs("## Type reference\n\n", out);
	for (size_t k = 0; k < svl_event_type_count(); k++)
		put_type(out, svl_event_type_at(k));
	put_enums(out);
	return ferror(out) ? SVL_EIO : SVL_OK;
}
