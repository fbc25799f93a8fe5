/*
 * cmd_ledger.c - commands on the ledger as a whole: init, head, verify.
 *
 * init creates the ledger through svl_ledger_open, so that the projection
 * and decider tables exist before anything reads them. head and verify
 * open the log alone, read-only: they must work for an auditor
 * who may read the files but not write them, and they can never change
 * what they inspect.
 */
#include <string.h>
#include <time.h>

#include "cmd_common.h"

/* ---- init ---- */

static const cli_opt init_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON,
				    CLI_OPT_END};
enum { INIT_DIR, INIT_JSON };

static const cli_spec init_spec = {
	"init", "[-d DIR] [--json]",
	"Create a new, empty ledger in DIR (the directory is created if it\n"
	"does not exist), with its projections under the default rules.\n"
	"Fails with exit code 6 if DIR already holds one.",
	init_opts, 0,
	"  $ svcledger init\n"
	"  created ledger ./ledger (id 01a21c7583a8e624078452c5d85e62d0, "
	"rules 'default')\n"};

int cli_cmd_init(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &init_spec, argc, argv, &a, &code))
		return code;
	const char *dir = cli_ledger_dir(a.val[INIT_DIR]);
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_RDONLY;
	svl_log *log = NULL;
	int rc = svl_log_open(&log, dir, &o);
	if (rc == SVL_OK) {
		svl_log_close(log);
		return cli_error(ctx, cli_exit_code(SVL_EEXISTS),
				 "%s: a ledger already exists there; nothing "
				 "was changed",
				 dir);
	}
	if (rc != SVL_ENOTFOUND)
		return cli_svl_error(ctx, rc, svl_log_last_error());
	/* through the ledger, so that the projection and decider tables
	 * exist from the start: a read-only open needs them */
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, dir, SVL_LOG_CREATE, &l)) != 0)
		return code;
	char id[CLI_HEX_SIZE(SVL_ID_SIZE)];
	svl_rules rules;
	cli_hex(id, svl_log_id(svl_ledger_log(l)), SVL_ID_SIZE);
	rc = svl_ledger_rules(l, &rules);
	svl_ledger_close(l);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, "cannot read the new ledger's rules");
	if (a.val[INIT_JSON])
		return cli_json_print(ctx, json_pack("{s:s,s:s,s:s}", "dir", dir,
						     "ledger_id", id, "rules_id",
						     rules.id));
	printf("created ledger %s (id %s, rules '%s')\n", dir, id, rules.id);
	return CLI_EXIT_OK;
}

/* ---- head ---- */

static const cli_opt head_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON,
				    CLI_OPT_END};
enum { HEAD_DIR, HEAD_JSON };

static const cli_spec head_spec = {
	"head", "[-d DIR] [--json]",
	"Show the end of the chain: the last event's seq, its hash and when\n"
	"it was recorded. An empty ledger has seq 0 and the genesis hash.",
	head_opts, 0,
	"  $ svcledger head\n"
	"  head seq 42, hash 24b3fe68e574b72f1d43df0857c67ed3, recorded "
	"2026-11-27T10:03:13.263Z\n"};

static int print_head(const cli_ctx *ctx, svl_log *log, const svl_head *h,
		      int json)
{
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)], id[CLI_HEX_SIZE(SVL_ID_SIZE)];
	char iso[CLI_ISO_SIZE];
	cli_hex(hash, h->hash, SVL_HASH_SIZE);
	cli_hex(id, svl_log_id(log), SVL_ID_SIZE);
	if (json)
		return cli_json_print(
			ctx, json_pack("{s:I,s:s,s:I,s:s*,s:s}", "seq",
				       (json_int_t)h->seq, "hash", hash,
				       "recorded_at_ms",
				       (json_int_t)h->recorded_at_ms,
				       "recorded_at",
				       h->seq ? cli_iso_time(iso,
							     h->recorded_at_ms)
					      : NULL,
				       "ledger_id", id));
	if (h->seq == 0)
		printf("head seq 0 (empty ledger), hash %s\n", hash);
	else
		printf("head seq %llu, hash %s, recorded %s\n",
		       (unsigned long long)h->seq, hash,
		       cli_iso_time(iso, h->recorded_at_ms));
	return CLI_EXIT_OK;
}

int cli_cmd_head(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &head_spec, argc, argv, &a, &code))
		return code;
	svl_log *log;
	if ((code = cli_open(ctx, cli_ledger_dir(a.val[HEAD_DIR]),
			     SVL_LOG_RDONLY, &log)) != 0)
		return code;
	svl_head h;
	int rc = svl_log_head(log, &h);
	if (rc == SVL_OK)
		code = print_head(ctx, log, &h, a.val[HEAD_JSON] != NULL);
	else
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_log_close(log);
	return code;
}

/* ---- verify ---- */

static const cli_opt verify_opts[] = {CLI_OPT_LEDGER, CLI_OPT_JSON,
				      CLI_OPT_END};
enum { VERIFY_DIR, VERIFY_JSON };

static const cli_spec verify_spec = {
	"verify", "[-d DIR] [--json]",
	"Walk the whole log from seq 1: recompute every event's XXH3-128\n"
	"hash, check every link of the chain, the sequence, the recorded head\n"
	"and that the stream and id indexes say exactly what the log says.\n"
	"Exit code 0 when all holds, 4 at the first problem found.",
	verify_opts, 0,
	"  $ svcledger verify\n"
	"  OK: 42 events, head seq 42, hash "
	"24b3fe68e574b72f1d43df0857c67ed3\n"
	"  $ svcledger verify   (after one byte of a payload was changed)\n"
	"  FAILED at seq 12: hash mismatch: seq 12: stored hash is not the "
	"hash of its envelope\n"};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int print_verify(const cli_ctx *ctx, const svl_verify_report *r,
			int64_t elapsed_ms, int json)
{
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)];
	cli_hex(hash, r->head.hash, SVL_HASH_SIZE);
	int code = r->ok ? CLI_EXIT_OK : CLI_EXIT_INTEGRITY;
	if (json) {
		int pc = cli_json_print(
			ctx, json_pack("{s:b,s:I,s:I,s:s,s:s,s:I,s:s,s:I}",
				       "ok", r->ok, "events",
				       (json_int_t)r->events, "head_seq",
				       (json_int_t)r->head.seq, "head_hash",
				       hash, "problem",
				       svl_verify_problem_name(r->problem),
				       "bad_seq", (json_int_t)r->bad_seq,
				       "detail", r->detail, "elapsed_ms",
				       (json_int_t)elapsed_ms));
		return pc ? pc : code;
	}
	if (r->ok)
		printf("OK: %llu events, head seq %llu, hash %s\n",
		       (unsigned long long)r->events,
		       (unsigned long long)r->head.seq, hash);
	else
		printf("FAILED at seq %llu: %s: %s\n",
		       (unsigned long long)r->bad_seq,
		       svl_verify_problem_name(r->problem), r->detail);
	return code;
}

int cli_cmd_verify(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &verify_spec, argc, argv, &a, &code))
		return code;
	svl_log *log;
	if ((code = cli_open(ctx, cli_ledger_dir(a.val[VERIFY_DIR]),
			     SVL_LOG_RDONLY, &log)) != 0)
		return code;
	svl_verify_report rep;
	int64_t t0 = mono_ms();
	int rc = svl_log_verify(log, &rep);
	int64_t elapsed = mono_ms() - t0;
	if (rc == SVL_OK)
		code = print_verify(ctx, &rep, elapsed,
				    a.val[VERIFY_JSON] != NULL);
	else
		code = cli_svl_error(ctx, rc, svl_log_errmsg(log));
	svl_log_close(log);
	return code;
}
