/*
 * cmd_figures.c - `svcledger figures`: the seed's figures that the
 * metrics do not fold (svl_figures.h), per day, ISO week or month, with
 * the seed's targets, and the jobs, movements, stocktakes, write-offs,
 * follow-up problems, complaints, lost customers and warranty warnings
 * behind each one.
 *
 * The report is read in full before anything is printed (the library's
 * result is the caller's), so output never holds a reader.
 */
#include <string.h>

#include "cmd_common.h"
#include "fmt_figures.h"

static const cli_opt f_opts[] = {
    CLI_OPT_LEDGER,
    {"period", 0, "P", "day, week (ISO, Monday to Sunday) or month"},
    {"from", 0, "DATE", "first day (default: the beginning)"},
    {"to", 0, "DATE", "last day, included (default: the end)"},
    {"max-lines", 0, "N", "items shown per list (default 20; 0: all)"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { F_DIR, F_PERIOD, F_FROM, F_TO, F_MAX, F_JSON };

static const cli_spec f_spec = {
    "figures",
    "--period day|week|month [-d DIR] [--from DATE] [--to DATE]\n"
    "                     [--max-lines N] [--json]",
    "The seed's figures beside the metrics, one row per period and a\n"
    "total: booked jobs whose parts were picked before the car came\n"
    "(R-WO-3, target 100%), confirmed bookings reminded an hour before\n"
    "the slot (R-BKG-8), stock movements entered on a later day than they\n"
    "happened (R-BIN-2: the same day), the accuracy of the ledger's own\n"
    "stocktakes (counted lines agreeing with the book as of the opening,\n"
    "as reconcile reads a sheet) and the write-off shares charged\n"
    "(R-WOF-6; overdue 30 days after the approval). Then each list behind\n"
    "them: jobs picked late, bookings not reminded, late entries,\n"
    "stocktakes, write-offs with who was charged each share.\n"
    "Then the after-care: follow-up calls, jobs reached and failed\n"
    "(R-FU-2, target 80%) and the quality problems found, by department\n"
    "(R-FU-7: the month's rows are the report due by the 3rd); complaints\n"
    "resolved on time against the general manager's deadline, lost\n"
    "customers by reason, satisfaction per department (R-FU-8);\n"
    "warranty-warning vehicles handed off or pending (R-BKG-7); and their\n"
    "lists: the problems day by day, the complaint-resolution table, the\n"
    "lost customers, the warning vehicles. Each item counts in the period\n"
    "of its reception, slot, movement, opening, approval, call, complaint\n"
    "or flag; days are the rule set's local days; --from and --to are\n"
    "both included. Reads the whole log once.",
    f_opts,
    0,
    "  $ svcledger figures -d demo-ledger --period month --max-lines 3\n"
    "  figures per month (times UTC+08:00; as the ledger stood at its las"
    "t event, seq 85349, 2026-10-09 10:30)\n"
    "  period   booked jobs  pre-picked  reminders due   reminded  stock "
    "moves  late entries  lines counted  stock accuracy  w/o shares cha"
    "rged  overdue\n"
    "  2026-06            0           -              0          -        "
    "  306       0.0% ok              0               -                "
    " 0/0        0\n"
    "  2026-07          501  0.0% below            509  100.0% ok        "
    "5,494       0.0% ok            526     98.1% below                "
    " 0/0        0\n"
    "  ...\n"};

static int parse_period(const cli_ctx *ctx, const char *s, int *out)
{
	static const char *const names[] = {"day", "week", "month"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return cli_error(ctx, CLI_EXIT_USAGE,
			 "--period: '%s' is not one of day, week, month", s);
}

static int parse_range(const cli_ctx *ctx, const cli_args *a, int32_t tz,
		       svl_figures_options *o)
{
	int code;
	o->from_ms = SVL_TIME_MIN_MS;
	o->to_ms = SVL_TIME_MAX_MS;
	if ((code = cli_opt_time(ctx, "from", a->val[F_FROM], tz, false,
				 &o->from_ms)) ||
	    (code = cli_opt_time(ctx, "to", a->val[F_TO], tz, true, &o->to_ms)))
		return code;
	if (o->from_ms >= o->to_ms)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--from must come before --to");
	return 0;
}

static int show(const cli_ctx *ctx, svl_ledger *l, const svl_figures_options *o,
		uint64_t max, int json)
{
	svl_figures *r;
	int rc = svl_figures_get(l, o, &r);
	if (rc != SVL_OK)
		return cli_svl_error(ctx, rc, svl_ledger_errmsg(l));
	int code = 0;
	if (json)
		code = cli_json_print(ctx, json_figures(r));
	else if (print_figures(stdout, r, (size_t)max))
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "out of memory or cannot write");
	svl_figures_free(r);
	return code;
}

int cli_cmd_figures(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code, period = SVL_METRICS_MONTH;
	uint64_t max = 20;
	if (!cli_parse(ctx, &f_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[F_PERIOD]) /* before opening anything */
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--period day|week|month is required");
	if ((code = parse_period(ctx, a.val[F_PERIOD], &period)) ||
	    (code = cli_opt_u64(ctx, "max-lines", a.val[F_MAX], &max)))
		return code;
	svl_ledger *l;
	if ((code = cmd_ledger_open(ctx, cli_ledger_dir(a.val[F_DIR]),
				    SVL_LOG_RDONLY, &l)))
		return code;
	svl_figures_options o = SVL_FIGURES_OPTIONS_INIT;
	o.period = (enum svl_metrics_period)period;
	if (!(code = parse_range(ctx, &a, cmd_ledger_tz(l), &o)))
		code = show(ctx, l, &o, max, a.val[F_JSON] != NULL);
	svl_ledger_close(l);
	return code;
}
