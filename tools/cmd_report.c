/*
 * cmd_report.c - `svcledger report`: the period as one self-contained
 * HTML page with charts (svl_report.h, docs/report.md).
 *
 * The page is written beside the output as FILE.partial and renamed into
 * place when whole, so a reader never opens half a report, and a failure
 * leaves any earlier report where it was.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "cmd_common.h"
#include "svl_report.h"

static const cli_opt r_opts[] = {
    CLI_OPT_LEDGER,
    {"output", 'o', "FILE", "write the page to FILE ('-': stdout)"},
    {"period", 0, "P", "a month YYYY-MM or a day YYYY-MM-DD"},
    {"from", 0, "DATE", "first day of the period (with --to)"},
    {"to", 0, "DATE", "last day of the period, included"},
    {"as-of", 0, "TIME", "the month to date, up to TIME"},
    {"trend-months", 0, "N", "months of KPI trend, 1 to 24 (default 12)"},
    {"generated-at", 0, "TIME",
     "the time the head shows (default: the "
     "ledger's last record)"},
    CLI_OPT_END};
enum { R_DIR, R_OUT, R_PERIOD, R_FROM, R_TO, R_ASOF, R_TREND, R_GEN };

static const cli_spec r_spec = {
    "report",
    "-o FILE [-d DIR] [--period YYYY-MM | --from DATE --to DATE]\n"
    "                     [--as-of TIME] [--trend-months N] [--lang zh-CN]",
    "Write the period's report as one HTML page that needs nothing but\n"
    "itself (inline style and SVG charts, no script, no network; prints\n"
    "on A4): the ledger's head, verify and seals, the rule set; the\n"
    "department's figures by week and month against the seed's targets,\n"
    "per advisor and per technician; the follow-up funnel and the\n"
    "complaints; stock value over the period, its movements and what is\n"
    "held apart; the last stocktake's variances and the movements that\n"
    "explain them; write-offs and their shares; the work in progress at\n"
    "the period's end. The same ledger and options give the same bytes.\n"
    "Default period: the month of the ledger's last record. --lang zh-CN\n"
    "writes it in Chinese.",
    r_opts,
    0,
    "  $ svcledger report -d demo-ledger --period 2026-09 -o report.html\n"
    "  report 2026-09 of ledger 0f3c2a91, head seq 92,357: report.html "
    "(1,234,567 bytes)\n"};

/* The period from the options into o (left 0, 0: the library's default). */
static int period(const cli_ctx *ctx, const cli_args *a, int32_t tz,
		  svl_report_options *o)
{
	int given = (a->val[R_PERIOD] != NULL) + (a->val[R_ASOF] != NULL) +
		    (a->val[R_FROM] || a->val[R_TO]);
	if (given > 1)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "give one of --period, --from/--to, --as-of");
	if (a->val[R_PERIOD]) {
		int64_t first, end;
		if (!svl__period_parse(a->val[R_PERIOD], &first, &end))
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--period: '%s' is not YYYY-MM or "
					 "YYYY-MM-DD",
					 a->val[R_PERIOD]);
		o->from_ms = svl__day_start_ms(first, tz);
		o->to_ms = svl__day_start_ms(end, tz);
	} else if (a->val[R_ASOF]) {
		int code = cli_opt_time(ctx, "as-of", a->val[R_ASOF], tz, false,
					&o->to_ms);
		if (code)
			return code;
		svl__civil c =
		    svl__civil_from_days(svl__local_day(o->to_ms, tz));
		o->from_ms = svl__day_start_ms(
		    svl__days_from_civil(c.year, c.month, 1), tz);
		o->to_ms += 1; /* up to and including TIME */
	} else if (a->val[R_FROM] || a->val[R_TO]) {
		int code;
		if (!a->val[R_FROM] || !a->val[R_TO])
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--from and --to go together");
		if ((code = cli_opt_time(ctx, "from", a->val[R_FROM], tz, false,
					 &o->from_ms)) ||
		    (code = cli_opt_time(ctx, "to", a->val[R_TO], tz, true,
					 &o->to_ms)))
			return code;
	}
	if ((o->from_ms || o->to_ms) && o->from_ms >= o->to_ms)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "the period must end after it starts");
	return 0;
}

static int write_page(const cli_ctx *ctx, svl_ledger *l,
		      const svl_report_options *o, const char *path)
{
	int to_stdout = !strcmp(path, "-");
	char tmp[4096];
	FILE *f = stdout;
	if (!to_stdout) {
		if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial", path) >=
		    sizeof tmp)
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--output: path too long");
		if (!(f = fopen(tmp, "wb")))
			return cli_error(ctx, CLI_EXIT_ERROR,
					 "%s: cannot create", tmp);
	}
	int rc = svl_report_write_file(l, o, f);
	int code = 0;
	if (rc != SVL_OK)
		code = cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	long size = to_stdout ? 0 : ftell(f);
	if (to_stdout) {
		if (fflush(stdout) != 0 && !code)
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "cannot write output");
		return code;
	}
	if (fclose(f) != 0 && !code)
		code = cli_error(ctx, CLI_EXIT_ERROR, "%s: cannot write", tmp);
	if (!code && rename(tmp, path) != 0)
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "%s: cannot rename into place", path);
	if (code) {
		unlink(tmp);
		return code;
	}
	svl_head h;
	char id[9];
	const uint8_t *lid = svl_log_id(svl_ledger_log(l));
	snprintf(id, sizeof id, "%02x%02x%02x%02x", lid[0], lid[1], lid[2],
		 lid[3]);
	if (svl_log_head(svl_ledger_log(l), &h) != SVL_OK)
		h.seq = 0;
	printf(_("report of ledger %s, head seq %llu: %s (%ld bytes)\n"), id,
	       (unsigned long long)h.seq, path, size);
	return 0;
}

int cli_cmd_report(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	uint64_t trend = 0;
	if (!cli_parse(ctx, &r_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[R_OUT])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "-o FILE is required ('-' for stdout)");
	if ((code = cli_opt_u64(ctx, "trend-months", a.val[R_TREND], &trend)))
		return code;
	if (a.val[R_TREND] && (trend < 1 || trend > 24))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--trend-months: %s is not 1 to 24",
				 a.val[R_TREND]);
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[R_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	svl_report_options o = SVL_REPORT_OPTIONS_INIT;
	o.lang = cli_lang_is_zh() ? "zh-CN" : "en";
	o.trend_months = (int32_t)trend;
	int32_t tz = cmd_ledger_tz(l);
	if (!(code = period(ctx, &a, tz, &o)) &&
	    !(code = cli_opt_time(ctx, "generated-at", a.val[R_GEN], tz, false,
				  &o.generated_at_ms)))
		code = write_page(ctx, l, &o, a.val[R_OUT]);
	svl_ledger_close(l);
	return code;
}
