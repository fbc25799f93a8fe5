/*
 * cmd_log.c - `svcledger log`: list events with filters, as an aligned
 * table for people or as JSON / NDJSON with every envelope field.
 *
 * Filters on seq (and on a stream) narrow the iterator itself; the others
 * (type, actor, time) test each record. Recorded time never goes back in
 * the log (the engine refuses it), so --until ends the walk at the first
 * record past it instead of reading to the end.
 *
 * Times are UTC, shown and read: log reads the log alone (it works when
 * the projections, and with them the rule set's zone, are damaged), so
 * a --since/--until without an offset is UTC, like the table's column.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "progress.h"

static const cli_opt log_opts[] = {
	CLI_OPT_LEDGER,
	{"from", 0, "SEQ", "first seq to show (default 1)"},
	{"to", 0, "SEQ", "last seq to show (default: the head)"},
	{"stream", 0, "S", "only events of stream S"},
	{"type", 0, "T", "only events of type T (a name or a number)"},
	{"actor", 0, "A", "only events recorded for actor A"},
	{"since", 0, "TIME",
	 "only events recorded at or after TIME (UTC unless it says)"},
	{"until", 0, "TIME", "only events recorded before TIME"},
	{"limit", 0, "N", "stop after N events"},
	{"json", 0, NULL, "one JSON array of event objects"},
	{"ndjson", 0, NULL, "one JSON event object per line"},
	{"base64", 0, NULL, "JSON payloads as base64 msgpack (payload_b64)"},
	CLI_OPT_END};
enum {
	LOG_DIR,
	LOG_FROM,
	LOG_TO,
	LOG_STREAM,
	LOG_TYPE,
	LOG_ACTOR,
	LOG_SINCE,
	LOG_UNTIL,
	LOG_LIMIT,
	LOG_JSON,
	LOG_NDJSON,
	LOG_BASE64
};

static const cli_spec log_spec = {
    "log",
    "[-d DIR] [--from SEQ] [--to SEQ] [--stream S] [--type T] "
    "[--actor A]\n"
    "                     [--since TIME] [--until TIME] [--limit N] "
    "[--json|--ndjson] [--base64]",
    "List events in seq order. The table shows seq, recorded time (UTC),\n"
    "stream@version, type (its catalog name), actor/role and payload\n"
    "size. --type takes a name (parts_issued) or a number. --since and\n"
    "--until take UTC ms, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], in UTC\n"
    "unless it ends in Z or +HH:MM (docs/cli.md). --json and\n"
    "--ndjson give every envelope field: ids and hashes in hex, times in\n"
    "UTC ms and ISO-8601, the payload converted to JSON (or with --base64,\n"
    "or when it has no JSON form, as payload_b64: the msgpack bytes).",
    log_opts,
    0,
    "  $ svcledger log --stream part-90915-YZZD4\n"
    "         seq  recorded (UTC)            stream@version          type      "
    "                actor/role               bytes\n"
    "          10  2026-11-27T10:03:13.219Z  part-90915-YZZD4@1      "
    "bin_assigned              E012/warehouse_keeper       71\n"
    "          12  2026-11-27T10:03:13.219Z  part-90915-YZZD4@2      "
    "parts_shelved             E012/warehouse_keeper       85\n"
    "  $ svcledger log --type parts_issued --ndjson\n"
    "  "
    "{\"seq\":16,\"stream\":\"part-90915-YZZD4\",\"stream_version\":4,\"type\":"
    "432,\"type_name\":\"parts_issued\",...}\n"};

typedef struct log_filter {
	uint64_t from, to, type, limit;
	int has_type;
	const char *stream, *actor;
	int64_t since, until;
	int has_since, has_until;
	enum { OUT_TABLE, OUT_JSON, OUT_NDJSON } out;
	int base64;
} log_filter;

/* A type by catalog name or by number (numbers outside the catalog are
 * allowed: the log is the engine's, any type id may be in it). */
static int parse_type(const cli_ctx *ctx, const char *s, uint64_t *out)
{
	if (!s || (*s >= '0' && *s <= '9'))
		return cli_opt_u64(ctx, "type", s, out);
	const svl_event_type *t = svl_event_type_find(s, strlen(s));
	if (!t)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--type: no event type '%s' (see "
				 "docs/events.md)",
				 s);
	*out = t->id;
	return 0;
}

static int parse_filter(const cli_ctx *ctx, const cli_args *a, log_filter *f)
{
	int code;
	memset(f, 0, sizeof *f);
	f->from = 1;
	f->limit = UINT64_MAX;
	if ((code = cli_opt_u64(ctx, "from", a->val[LOG_FROM], &f->from)) ||
	    (code = cli_opt_u64(ctx, "to", a->val[LOG_TO], &f->to)) ||
	    (code = parse_type(ctx, a->val[LOG_TYPE], &f->type)) ||
	    (code = cli_opt_u64(ctx, "limit", a->val[LOG_LIMIT], &f->limit)) ||
	    (code = cli_opt_time(ctx, "since", a->val[LOG_SINCE], FMT_UTC,
				 false, &f->since)) ||
	    (code = cli_opt_time(ctx, "until", a->val[LOG_UNTIL], FMT_UTC,
				 false, &f->until)))
		return code;
	f->has_type = a->val[LOG_TYPE] != NULL;
	f->has_since = a->val[LOG_SINCE] != NULL;
	f->has_until = a->val[LOG_UNTIL] != NULL;
	f->stream = a->val[LOG_STREAM];
	f->actor = a->val[LOG_ACTOR];
	f->base64 = a->val[LOG_BASE64] != NULL;
	if (a->val[LOG_JSON] && a->val[LOG_NDJSON])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--json and --ndjson exclude each other");
	f->out = a->val[LOG_JSON] ? OUT_JSON
				  : a->val[LOG_NDJSON] ? OUT_NDJSON : OUT_TABLE;
	if (f->stream && (!*f->stream || strlen(f->stream) > SVL_STREAM_MAX))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--stream: must be 1..%d bytes",
				 SVL_STREAM_MAX);
	if (f->to && f->to < f->from)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--to %llu is before --from %llu",
				 (unsigned long long)f->to,
				 (unsigned long long)f->from);
	return 0;
}

/* 0 = skip the record, 1 = show it, -1 = no later record can match. */
static int matches(const log_filter *f, const svl_record *r)
{
	if (f->has_until && r->recorded_at_ms >= f->until)
		return -1;
	if (f->stream && f->to && r->seq > f->to)
		return -1; /* a stream's records come in seq order too */
	if (f->stream && r->seq < f->from)
		return 0;
	if (f->has_type && r->type != f->type)
		return 0;
	if (f->actor && (r->actor_len != strlen(f->actor) ||
			 memcmp(r->actor, f->actor, r->actor_len) != 0))
		return 0;
	if (f->has_since && r->recorded_at_ms < f->since)
		return 0;
	return 1;
}

/* ---- output ---- */

/* One header cell in the tool's language, padded to `width` display
 * columns (a CJK character takes two): right-aligned when right. */
static void head_cell(const char *text, size_t width, int right,
		      const char *sep)
{
	size_t w = fmt_width(text);
	int pad = w < width ? (int)(width - w) : 0;
	if (right)
		printf("%*s%s%s", pad, "", text, sep);
	else
		printf("%s%*s%s", text, pad, "", sep);
}

/* The columns of table_row: seq right in 10, recorded 24, stream@version
 * 22, type 24, actor/role 22, bytes right in 6. */
static void table_header(void)
{
	head_cell(_("seq"), 10, 1, "  ");
	head_cell(_("recorded (UTC)"), 24, 0, "  ");
	head_cell(_("stream@version"), 22, 0, "  ");
	head_cell(_("type"), 24, 0, "  ");
	head_cell(_("actor/role"), 22, 0, "  ");
	head_cell(_("bytes"), 6, 1, "\n");
}

static const char *type_name(uint32_t type, char *buf, size_t len)
{
	const svl_event_type *t = svl_event_type_get(type);
	if (t)
		return t->name;
	snprintf(buf, len, "%u", type);
	return buf;
}

static void table_row(const svl_record *r)
{
	char iso[FMT_TIME_SIZE], ver[24], tn[16];
	int vlen = snprintf(ver, sizeof ver, "@%llu",
			    (unsigned long long)r->stream_version);
	printf("%10llu  %-24s  ", (unsigned long long)r->seq,
	       fmt_iso(iso, r->recorded_at_ms, FMT_UTC));
	cli_put_safe(stdout, r->stream, r->stream_len);
	fputs(ver, stdout);
	int used = (int)r->stream_len + vlen;
	printf("%*s  %-24s  ", used < 22 ? 22 - used : 0, "",
	       type_name(r->type, tn, sizeof tn));
	cli_put_safe(stdout, r->actor, r->actor_len);
	putchar('/');
	cli_put_safe(stdout, r->role, r->role_len);
	used = (int)(r->actor_len + 1 + r->role_len);
	printf("%*s  %6zu\n", used < 22 ? 22 - used : 0, "", r->payload_len);
}

static int set(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v);
}

/* The record as a JSON object (new reference, NULL on OOM). */
static json_t *record_json(const svl_record *r, int base64)
{
	char iso[FMT_TIME_SIZE];
	json_t *o = json_object();
	int bad = !o;
	bad |= set(o, "seq", json_integer((json_int_t)r->seq));
	bad |= set(o, "stream", cli_json_text(r->stream, r->stream_len));
	bad |= set(o, "stream_version",
		   json_integer((json_int_t)r->stream_version));
	bad |= set(o, "type", json_integer(r->type));
	const svl_event_type *t = svl_event_type_get(r->type);
	bad |= set(o, "type_name", t ? json_string(t->name) : json_null());
	bad |= set(o, "schema_version", json_integer(r->schema_version));
	bad |= set(o, "occurred_at_ms", json_integer(r->occurred_at_ms));
	bad |= set(o, "occurred_at",
		   json_string(fmt_iso(iso, r->occurred_at_ms, FMT_UTC)));
	bad |= set(o, "recorded_at_ms", json_integer(r->recorded_at_ms));
	bad |= set(o, "recorded_at",
		   json_string(fmt_iso(iso, r->recorded_at_ms, FMT_UTC)));
	bad |= set(o, "actor", cli_json_text(r->actor, r->actor_len));
	bad |= set(o, "role", cli_json_text(r->role, r->role_len));
	bad |= set(o, "id", cli_json_hex(r->id, SVL_ID_SIZE));
	bad |= set(o, "correlation_id",
		   cli_json_hex(r->correlation_id, SVL_ID_SIZE));
	bad |= set(o, "causation_id",
		   cli_json_hex(r->causation_id, SVL_ID_SIZE));
	bad |= set(o, "payload_size", json_integer((json_int_t)r->payload_len));
	json_t *p = base64 ? NULL : cli_msgpack_to_json(r->payload,
							 r->payload_len);
	if (p)
		bad |= set(o, "payload", p);
	else
		bad |= set(o, "payload_b64",
			   cli_json_base64(r->payload, r->payload_len));
	bad |= set(o, "prev_hash", cli_json_hex(r->prev_hash, SVL_HASH_SIZE));
	bad |= set(o, "hash", cli_json_hex(r->hash, SVL_HASH_SIZE));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int emit(const cli_ctx *ctx, const log_filter *f, const svl_record *r,
		uint64_t shown)
{
	if (f->out == OUT_TABLE) {
		table_row(r);
		return 0;
	}
	json_t *o = record_json(r, f->base64);
	if (!o)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	if (f->out == OUT_JSON)
		fputs(shown ? ",\n" : "\n", stdout);
	int bad = json_dumpf(o, stdout, JSON_COMPACT);
	json_decref(o);
	if (f->out == OUT_NDJSON)
		bad |= fputc('\n', stdout) < 0;
	return bad ? cli_error(ctx, CLI_EXIT_ERROR, "cannot write output") : 0;
}

/* ---- the walk ---- */

static int open_iter(svl_log *log, const log_filter *f, svl_iter **it)
{
	if (f->stream)
		return svl_log_iter_stream(log, f->stream, strlen(f->stream), 0,
					   0, it);
	return svl_log_iter_seq(log, f->from, f->to, it);
}

static int walk(const cli_ctx *ctx, svl_log *log, const log_filter *f)
{
	svl_iter *it;
	int rc = open_iter(log, f, &it);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_head head = {0};
	(void)svl_log_head(log, &head);
	cli_progress bar;
	cli_progress_start(&bar, "log", head.seq);
	uint64_t shown = 0;
	int code = 0;
	svl_record r;
	if (f->out == OUT_TABLE)
		table_header();
	else if (f->out == OUT_JSON)
		putchar('[');
	while (shown < f->limit && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		int m = matches(f, &r);
		if (m < 0)
			break;
		if (m && (code = emit(ctx, f, &r, shown++)) != 0)
			break;
		if ((r.seq & 0xfff) == 0)
			cli_progress_update(&bar, r.seq);
	}
	cli_progress_end(&bar);
	if (rc != SVL_OK && rc != SVL_ITEROVER && !code)
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_iter_close(it);
	if (f->out == OUT_JSON && !code)
		fputs(shown ? "\n]\n" : "]\n", stdout);
	return code;
}

int cli_cmd_log(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &log_spec, argc, argv, &a, &code))
		return code;
	log_filter f;
	if ((code = parse_filter(ctx, &a, &f)) != 0)
		return code;
	svl_log *log;
	if ((code = cli_open(ctx, cli_ledger_dir(a.val[LOG_DIR]),
			     SVL_LOG_RDONLY, &log)) != 0)
		return code;
	code = walk(ctx, log, &f);
	svl_log_close(log);
	return code;
}
