/*
 * cmd_export.c - `svcledger export`: every record of the log with every
 * envelope field, as NDJSON or as a msgpack stream (cmd_xfer.h), so that
 * `svcledger import` can rebuild the same chain in a new ledger.
 *
 * Export reads one snapshot (the head when it starts) and checks each
 * record on the way: its rebuilt envelope must hash to its stored hash and
 * link to the record before. An export is therefore also a full verify of
 * the chain; a damaged ledger stops it with exit 4 rather than producing a
 * file that would import into something different. It works on the log
 * alone (like head, verify, log): no projection is needed or trusted.
 * With -o the file is written beside and renamed into place at the end, so
 * a failed export never leaves a half file under the name asked for.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_common.h"
#include "cmd_xfer.h"
#include "fmt.h"
#include "progress.h"

static const cli_opt ex_opts[] = {
    CLI_OPT_LEDGER,
    {"format", 0, "F", "ndjson (default) or msgpack"},
    {"output", 'o', "FILE", "write to FILE (default: stdout)"},
    {"json", 0, NULL, "with -o: print the summary as JSON"},
    CLI_OPT_END};
enum { EX_DIR, EX_FORMAT, EX_OUT, EX_JSON };

static const cli_spec ex_spec = {
    "export",
    "[-d DIR] [--format ndjson|msgpack] [-o FILE] [--json]",
    "Write every event with every envelope field (seq, id, stream and\n"
    "version, type, schema version, occurred and recorded times, actor,\n"
    "role, correlation and causation ids, the payload bytes exactly,\n"
    "previous hash and hash) after a header naming the ledger and its\n"
    "head. ndjson carries the payload as base64 (payload_b64) and a\n"
    "readable JSON copy; msgpack writes the stored envelopes byte for\n"
    "byte, each followed by its hash. Every record is checked on the way\n"
    "(its hash and its link): a damaged chain stops the export, exit 4.\n"
    "'svcledger import' reads either form into a new ledger with the same\n"
    "head hash.",
    ex_opts,
    0,
    "  $ svcledger export -o ledger.ndjson\n"
    "  exported 47 events (seq 1..47, head hash "
    "2e3dfaa4ac71ea64b224d11a3ce78cd5) to ledger.ndjson as ndjson in 1 ms\n"};

typedef struct out {
	FILE *f;
	int msgpack;
	msgpack_sbuffer env;
	msgpack_sbuffer mp; /* the msgpack form's buffer for one write */
	msgpack_packer pk;
} out;

static int write_head(out *o, const xfer_head *h)
{
	if (!o->msgpack) {
		json_t *j = xfer_head_json(h);
		int bad = !j || json_dumpf(j, o->f, JSON_COMPACT) ||
			  fputc('\n', o->f) < 0;
		json_decref(j);
		return bad ? -1 : 0;
	}
	msgpack_sbuffer_clear(&o->mp);
	if (xfer_head_pack(&o->pk, h))
		return -1;
	return fwrite(o->mp.data, 1, o->mp.size, o->f) == o->mp.size ? 0 : -1;
}

static int write_rec(out *o, const xfer_rec *r)
{
	if (!o->msgpack) {
		json_t *j = xfer_rec_json(r);
		int bad = !j || json_dumpf(j, o->f, JSON_COMPACT) ||
			  fputc('\n', o->f) < 0;
		json_decref(j);
		return bad ? -1 : 0;
	}
	static const uint8_t bin16[2] = {0xc4, 16};
	return fwrite(o->env.data, 1, o->env.size, o->f) != o->env.size ||
		       fwrite(bin16, 1, 2, o->f) != 2 ||
		       fwrite(r->hash, 1, SVL_HASH_SIZE, o->f) != SVL_HASH_SIZE
		   ? -1
		   : 0;
}

/* The record as read, checked: its rebuilt envelope hashes to its hash,
 * and it links to the previous record. */
static int check_rec(const cli_ctx *ctx, out *o, const xfer_rec *r,
		     const uint8_t *prev)
{
	uint8_t h[SVL_HASH_SIZE];
	if (xfer_envelope(&o->env, r))
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	xfer_hash(h, o->env.data, o->env.size);
	if (memcmp(h, r->hash, SVL_HASH_SIZE) != 0)
		return cli_error(
		    ctx, CLI_EXIT_INTEGRITY,
		    "seq %llu: the record does not hash to its "
		    "stored hash; export stopped (svcledger verify "
		    "shows the damage)",
		    (unsigned long long)r->seq);
	if (memcmp(prev, r->prev_hash, SVL_HASH_SIZE) != 0)
		return cli_error(
		    ctx, CLI_EXIT_INTEGRITY,
		    "seq %llu: the record does not link to the one "
		    "before it; export stopped",
		    (unsigned long long)r->seq);
	return 0;
}

static int walk(const cli_ctx *ctx, svl_log *log, out *o, xfer_head *h)
{
	svl_head head;
	svl_iter *it = NULL;
	int rc = svl_log_head(log, &head);
	if (rc == SVL_OK && head.seq)
		rc = svl_log_iter_seq(log, 1, head.seq, &it);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_log_errmsg(log));
	memcpy(h->ledger_id, svl_log_id(log), SVL_ID_SIZE);
	h->events = h->head_seq = head.seq;
	memcpy(h->head_hash, head.hash, SVL_HASH_SIZE);
	if (write_head(o, h))
		return cli_error(ctx, CLI_EXIT_ERROR,
				 "cannot write the export");
	uint8_t prev[SVL_HASH_SIZE];
	memcpy(prev, svl_log_genesis_hash(), SVL_HASH_SIZE);
	cli_progress bar;
	cli_progress_start(&bar, "export", head.seq);
	svl_record r;
	int code = 0;
	while (!code && it && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		xfer_rec x;
		xfer_from_record(&x, &r);
		if (!(code = check_rec(ctx, o, &x, prev)) && write_rec(o, &x))
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "cannot write the export");
		memcpy(prev, r.hash, SVL_HASH_SIZE);
		if ((r.seq & 0x3fff) == 0)
			cli_progress_update(&bar, r.seq);
	}
	cli_progress_end(&bar);
	if (!code && it && rc != SVL_ITEROVER)
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_iter_close(it);
	return code;
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int summary(const cli_ctx *ctx, const cli_args *a, const xfer_head *h,
		   int64_t ms)
{
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)], n[FMT_NUM_SIZE];
	cli_hex(hash, h->head_hash, SVL_HASH_SIZE);
	const char *format = a->val[EX_FORMAT] ? a->val[EX_FORMAT] : "ndjson";
	if (a->val[EX_JSON])
		return cli_json_print(
		    ctx, json_pack("{s:I,s:I,s:s,s:s,s:s,s:I}", "events",
				   (json_int_t)h->events, "head_seq",
				   (json_int_t)h->head_seq, "head_hash", hash,
				   "format", format, "file", a->val[EX_OUT],
				   "elapsed_ms", (json_int_t)ms));
	printf(_("exported %s events (seq 1..%llu, head hash %s) to %s as %s "
		 "in %lld ms\n"),
	       fmt_count(n, (int64_t)h->events),
	       (unsigned long long)h->head_seq, hash, a->val[EX_OUT], format,
	       (long long)ms);
	return 0;
}

static int run(const cli_ctx *ctx, const cli_args *a, out *o)
{
	svl_log *log;
	int code =
	    cli_open(ctx, cli_ledger_dir(a->val[EX_DIR]), SVL_LOG_RDONLY, &log);
	if (code)
		return code;
	char tmp[4096];
	const char *path = a->val[EX_OUT];
	o->f = stdout;
	if (path) {
		snprintf(tmp, sizeof tmp, "%s.partial", path);
		if (!(o->f = fopen(tmp, "wb"))) {
			svl_log_close(log);
			return cli_error(ctx, CLI_EXIT_ERROR,
					 "%s: cannot create", tmp);
		}
	}
	xfer_head h;
	int64_t t0 = mono_ms();
	code = walk(ctx, log, o, &h);
	svl_log_close(log);
	if (path) {
		if (fclose(o->f) != 0 && !code)
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "%s: cannot write", tmp);
		if (!code && rename(tmp, path) != 0)
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "%s: cannot rename into place", path);
		if (code)
			unlink(tmp);
		else
			code = summary(ctx, a, &h, mono_ms() - t0);
	} else if (fflush(stdout) != 0 && !code) {
		code = cli_error(ctx, CLI_EXIT_ERROR, "cannot write output");
	}
	return code;
}

int cli_cmd_export(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &ex_spec, argc, argv, &a, &code))
		return code;
	const char *format = a.val[EX_FORMAT] ? a.val[EX_FORMAT] : "ndjson";
	if (strcmp(format, "ndjson") && strcmp(format, "msgpack"))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--format: '%s' is not ndjson or msgpack",
				 format);
	if (!a.val[EX_OUT] && strcmp(format, "msgpack") == 0 &&
	    isatty(STDOUT_FILENO))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "msgpack is binary: give -o FILE or send "
				 "stdout to a file or a pipe");
	if (a.val[EX_JSON] && !a.val[EX_OUT])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--json prints the summary of an export to a "
				 "file: give -o FILE");
	out o;
	memset(&o, 0, sizeof o);
	o.msgpack = strcmp(format, "msgpack") == 0;
	msgpack_sbuffer_init(&o.env);
	msgpack_sbuffer_init(&o.mp);
	msgpack_packer_init(&o.pk, &o.mp, msgpack_sbuffer_write);
	code = run(ctx, &a, &o);
	msgpack_sbuffer_destroy(&o.env);
	msgpack_sbuffer_destroy(&o.mp);
	return code;
}
