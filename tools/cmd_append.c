/*
 * cmd_append.c - `svcledger append`: NDJSON commands (or events) into the
 * ledger through the deciders, atomically.
 *
 * The whole input is read first and handed to svl_ledger_submit_json, so
 * a bad line or a refusal anywhere appends nothing. One submission holds at
 * most SVL_BATCH_MAX events; a larger input is submitted in chunks of
 * SVL_BATCH_MAX lines in order, each atomic on its own (a failure in chunk
 * k leaves chunks 1..k-1 appended, and says so), unless --atomic insists on
 * one submission and refuses the input instead. Chunks are cut at line
 * boundaries, so line numbers in errors always count from the top of the
 * input, blank lines included. A refusal is shown in the tool's language
 * (cli_lang: the department's Chinese or English), rendered from the
 * refusal as data (svl_refusal_last), which --json also prints
 * (message_id, params).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "msgcat.h"
#include "progress.h"

static const cli_opt append_opts[] = {
    CLI_OPT_LEDGER,
    {"dry-run", 0, NULL, "decide every line, append nothing"},
    {"roles-only", 0, NULL,
     "check who may record each event, not the state rules (re-imports)"},
    {"atomic", 0, NULL,
     "refuse inputs larger than one submission instead of chunking"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { AP_DIR, AP_DRY, AP_ROLES, AP_ATOMIC, AP_JSON };

static const cli_spec append_spec = {
    "append",
    "[-d DIR] [FILE|-] [--dry-run] [--roles-only] [--atomic] "
    "[--json]",
    "Append NDJSON commands from FILE (default: stdin), one event per\n"
    "line: {\"type\":..., \"actor\":..., \"role\":..., \"occurred_at\":...,\n"
    "\"payload\":{...}} (optional \"id\", \"correlation_id\",\n"
    "\"causation_id\", \"expected_version\"). Each line is decided by the\n"
    "department's rules against the state the lines before it leave, and\n"
    "the whole input commits atomically: one bad line (exit 2) or one\n"
    "refusal (exit 3, the message names the rule) and nothing is\n"
    "appended. Lines whose id is already in the log are not appended\n"
    "again (safe retries). Blank lines are skipped.\n"
    "Inputs of more than 100,000 events are submitted in chunks of\n"
    "100,000 lines, each atomic on its own; --atomic refuses them instead.\n"
    "--dry-run decides everything and writes nothing (one submission).",
    append_opts,
    1,
    "  $ svcledger append staff.ndjson\n"
    "  appended 9 events (seq 1..9)\n"
    "  $ svcledger append bad.ndjson\n"
    "  svcledger: append: line 2: payload.qty_milli: must be > 0, got -5\n"
    "  $ svcledger append clash.ndjson\n"
    "  svcledger: append: line 1: R-BIN-1: bin W1-A03-2-05 already holds part "
    "90915-YZZD4; one part number per bin\n"};

/* Where one submission's text starts and ends, and its first line. */
typedef struct chunk {
	const char *text;
	size_t len;
	size_t first_line;
	size_t events;
} chunk;

/* Cut the input into chunks of at most SVL_BATCH_MAX non-blank lines. */
static int split(const char *text, size_t len, chunk **out, size_t *n_out,
		 size_t *events)
{
	size_t cap = 4, n = 0, line = 0;
	chunk *c = malloc(cap * sizeof *c);
	if (!c)
		return -1;
	c[0] = (chunk){text, 0, 1, 0};
	*events = 0;
	for (const char *s = text, *end = text + len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *next = nl ? nl + 1 : end;
		line++;
		size_t k = 0, w = (size_t)(next - s);
		while (k < w && strchr(" \t\r\n", s[k]))
			k++;
		if (k < w && c[n].events == SVL_BATCH_MAX) {
			if (++n == cap) {
				chunk *nc = realloc(c, 2 * cap * sizeof *c);
				if (!nc) {
					free(c);
					return -1;
				}
				c = nc;
				cap *= 2;
			}
			c[n] = (chunk){s, 0, line, 0};
		}
		if (k < w) {
			c[n].events++;
			(*events)++;
		}
		c[n].len = (size_t)(next - c[n].text);
		s = next;
	}
	*out = c;
	*n_out = n + 1;
	return 0;
}

/* The submission's message with its chunk-relative "line N: " made
 * absolute. */
static void absolute_message(char *out, size_t cap, const chunk *c,
			     const svl_submit_result *r)
{
	size_t rel, skip = 0;
	int used = 0;
	if (r->failed == 0) { /* not a line's fault (a full disk, say) */
		snprintf(out, cap, "%s", r->message);
		return;
	}
	if (sscanf(r->message, "line %zu: %n", &rel, &used) == 1 && used > 0)
		skip = (size_t)used;
	snprintf(out, cap, "line %zu: %s", c->first_line + r->failed - 1,
		 r->message + skip);
}

typedef struct totals {
	size_t events, appended, duplicates, chunks_done;
	uint64_t first_seq, last_seq;
} totals;

static void add_result(totals *t, const svl_submit_result *r)
{
	t->appended += r->appended;
	t->duplicates += r->duplicates;
	if (r->first_seq && (!t->first_seq || r->first_seq < t->first_seq))
		t->first_seq = r->first_seq;
	if (r->last_seq > t->last_seq)
		t->last_seq = r->last_seq;
	t->chunks_done++;
}

static json_t *json_totals(const totals *t, int dry, size_t chunks)
{
	return json_pack("{s:b,s:b,s:I,s:I,s:I,s:I,s:I,s:I}", "ok", 1,
			 "dry_run", dry, "events", (json_int_t)t->events,
			 "appended", (json_int_t)t->appended, "duplicates",
			 (json_int_t)t->duplicates, "first_seq",
			 (json_int_t)t->first_seq, "last_seq",
			 (json_int_t)t->last_seq, "chunks", (json_int_t)chunks);
}

/* "12" or "10..12" */
static const char *seq_range(char *out, size_t cap, uint64_t first,
			     uint64_t last)
{
	if (first == last)
		snprintf(out, cap, "%llu", (unsigned long long)first);
	else
		snprintf(out, cap, "%llu..%llu", (unsigned long long)first,
			 (unsigned long long)last);
	return out;
}

static int report_ok(const cli_ctx *ctx, const totals *t, int dry,
		     size_t chunks, int json)
{
	char r[48];
	if (json)
		return cmd_json_done(ctx, json_totals(t, dry, chunks), 0);
	seq_range(r, sizeof r, t->first_seq, t->last_seq);
	if (dry)
		printf(_("dry run: %zu event%s decided, all accepted (%zu "
			 "already in the log); nothing was written\n"),
		       t->events, t->events == 1 ? "" : "s", t->duplicates);
	else if (t->events == 0)
		printf("%s", _("nothing to append (no events in the input)\n"));
	else if (t->appended == 0 && t->events == 1)
		printf(_("nothing appended: the event is already in the log "
			 "(seq %s)\n"),
		       r);
	else if (t->appended == 0)
		printf(_("nothing appended: all %zu events are already in the "
			 "log (seq %s)\n"),
		       t->events, r);
	else
		printf(_("appended %zu event%s (seq %s)%s\n"), t->appended,
		       t->appended == 1 ? "" : "s", r,
		       t->duplicates ? _("; the others were already in the log")
				     : "");
	return 0;
}

/* The refusal as data for --json: its message id and parameters. */
static void json_refusal(json_t *v, const svl_refusal_info *why)
{
	json_t *params = json_array();
	for (size_t k = 0; k < why->n_params; k++)
		json_array_append_new(params, json_string(why->params[k]));
	json_object_set_new(v, "message_id", json_string(why->msgid));
	json_object_set_new(v, "params", params);
}

/* A refusal in Chinese, when the tool speaks it: "第 N 行：R-...: ...". */
/* A refusal in the tool's language, from its structured form (the
 * library's catalog for the message, the tool's for the frame); tail:
 * what earlier chunks appended, already in that language. */
static int report_refusal_lang(const cli_ctx *ctx, int code, const chunk *c,
			       const svl_submit_result *r,
			       const svl_refusal_info *why, const char *tail)
{
	char line[1024], head[64] = "";
	if (svl_refusal_text(why, cli_lang(), line, sizeof line) < 0)
		return 0;
	if (r->failed)
		snprintf(head, sizeof head, _("line %zu: "),
			 c->first_line + r->failed - 1);
	return cli_error(ctx, code, "%s%s%s", head, line, tail);
}

static int report_fail(const cli_ctx *ctx, int rc, const totals *t,
		       const chunk *c, const svl_submit_result *r, int json)
{
	char msg[700], tail[160] = "";
	svl_refusal_info why;
	int refused = rc == SVL_EREFUSED && svl_refusal_last(&why) == SVL_OK;
	absolute_message(msg, sizeof msg, c, r);
	if (t->chunks_done)
		snprintf(tail, sizeof tail,
			 _(" (the %zu chunk%s before line %zu %s appended, "
			   "seq %llu..%llu)"),
			 t->chunks_done, t->chunks_done == 1 ? "" : "s",
			 c->first_line, t->chunks_done == 1 ? "was" : "were",
			 (unsigned long long)t->first_seq,
			 (unsigned long long)t->last_seq);
	int code = cli_exit_code(rc);
	if (json) {
		json_t *v = json_pack(
		    "{s:b,s:I,s:I,s:o,s:s,s:s,s:s}", "ok", 0, "events",
		    (json_int_t)t->events, "appended", (json_int_t)t->appended,
		    "line",
		    r->failed ? json_integer((json_int_t)(c->first_line +
							  r->failed - 1))
			      : json_null(),
		    "rule",
		    r->rule, "error", svl_strerror(rc), "message", msg);
		if (v && refused)
			json_refusal(v, &why);
		int pc = cli_json_print(ctx, v);
		if (pc)
			return pc;
	}
	if (refused && svl__lang_is_zh(cli_lang())) {
		int zc = report_refusal_lang(ctx, code, c, r, &why, tail);
		if (zc)
			return zc;
	}
	return cli_error(ctx, code, "%s%s", msg, tail);
}

static int submit_all(const cli_ctx *ctx, svl_ledger *l, const chunk *c,
		      size_t n, totals *t, unsigned flags, int json)
{
	cli_progress bar;
	cli_progress_start(&bar, "append", t->events);
	size_t done = 0;
	int code = 0;
	for (size_t i = 0; i < n && !code; i++) {
		svl_submit_result r;
		int rc =
		    svl_ledger_submit_json(l, c[i].text, c[i].len, flags, &r);
		if (rc != SVL_OK) {
			cli_progress_end(&bar);
			return report_fail(ctx, rc, t, &c[i], &r, json);
		}
		add_result(t, &r);
		done += c[i].events;
		cli_progress_update(&bar, done);
	}
	cli_progress_end(&bar);
	return report_ok(ctx, t, (flags & SVL_SUBMIT_DRY_RUN) != 0, n, json);
}

int cli_cmd_append(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &append_spec, argc, argv, &a, &code))
		return code;
	char *text;
	size_t len;
	if ((code = cmd_read_input(ctx, a.npos ? a.pos[0] : NULL, &text, &len)))
		return code;
	chunk *c = NULL;
	size_t n = 0;
	totals t;
	memset(&t, 0, sizeof t);
	unsigned flags = (a.val[AP_DRY] ? SVL_SUBMIT_DRY_RUN : 0u) |
			 (a.val[AP_ROLES] ? SVL_SUBMIT_ROLES_ONLY : 0u);
	svl_ledger *l = NULL;
	if (split(text, len, &c, &n, &t.events) != 0)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	else if (n > 1 && (a.val[AP_ATOMIC] || a.val[AP_DRY]))
		code = cli_error(ctx, CLI_EXIT_INPUT,
				 "%zu events are more than one submission "
				 "holds (%d); nothing was appended (%s)",
				 t.events, SVL_BATCH_MAX,
				 a.val[AP_DRY]
				     ? _("a dry run is one submission")
				     : _("drop --atomic to append in chunks"));
	else if (!(code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[AP_DIR]), 0,
					  &l)))
		code =
		    submit_all(ctx, l, c, n, &t, flags, a.val[AP_JSON] != NULL);
	svl_ledger_close(l);
	free(c);
	free(text);
	return code;
}
