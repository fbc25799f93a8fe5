/*
 * test_cli_session.c - the session of docs/cli.md, run as a new user runs
 * it: the files of docs/examples/session copied into an empty directory,
 * then the commands in the page's order on the default ledger (./ledger).
 * It checks exit codes and the key lines the page shows, so that the
 * shipped files, the fixture (tests/cli_fixture.c, whose strings the files
 * copy, save walkin.ndjson: there the fixture's walk-in lacks what the full
 * rules ask of a job) and the page cannot drift apart silently.
 *
 * The files are found in $SVL_SESSION_DIR, else docs/examples/session
 * under the working directory (the repository root, as `make test` runs).
 *
 * Where the page and the shipped files disagree the files (the fixture's
 * content) win and the expected value here is the files' one; such lines
 * are marked "page:" below with what docs/cli.md shows.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_fixture.h"

#define last svl_cli_last
#define run svl_cli_run

static void copy_session_files(void)
{
	const char *e = getenv("SVL_SESSION_DIR");
	char src[4096], cmd[12288];
	if (!realpath(e && *e ? e : "docs/examples/session", src))
		cr_assert_fail("no session files at %s (set SVL_SESSION_DIR)",
			       e && *e ? e : "docs/examples/session");
	snprintf(cmd, sizeof cmd, "cp '%s'/* '%s'/", src, svl_cli_dir());
	int st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", cmd);
}

static void setup(void)
{
	svl_cli_setup();
	copy_session_files();
}

TestSuite(cli_session, .init = setup, .fini = svl_cli_teardown);

static void ok(const char *args, const char *out)
{
	cr_assert_eq(run("%s", args), 0, "%s: %s", args, last.err);
	if (out)
		cr_assert_str_eq(last.out, out, "%s", args);
}

static void fails(const char *args, int code, const char *err)
{
	cr_assert_eq(run("%s", args), code, "%s: exit %d: %s%s", args,
		     last.code, last.out, last.err);
	cr_assert_str_eq(last.err, err, "%s", args);
	cr_assert_str_eq(last.out, "", "%s", args);
}

Test(cli_session, the_pages_session_runs_from_the_shipped_files)
{
	cr_assert_eq(run("init"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "created ledger ./ledger (id ", 28) == 0,
		  "%s", last.out);

	/* ---- append ---- */
	ok("append staff.ndjson", "appended 9 events (seq 1..9)\n");
	ok("append stock.ndjson", "appended 6 events (seq 10..15)\n");
	fails("append bad.ndjson", 2,
	      "svcledger: append: line 2: payload.qty_milli: must be > 0, "
	      "got -5\n");
	fails("append clash.ndjson", 3,
	      "svcledger: append: line 1: R-BIN-1: bin W1-A03-2-05 already "
	      "holds part 90915-YZZD4; one part number per bin\n");
	fails("append --dry-run issue.ndjson", 3,
	      "svcledger: append: line 1: R-ISS-2: there is no signed pick "
	      "list PK-1: no goods on an IOU\n");
	ok("append --roles-only issue.ndjson", "appended 1 event (seq 16)\n");
	ok("append --json jobs.ndjson",
	   "{\"ok\":true,\"dry_run\":false,\"events\":15,\"appended\":15,"
	   "\"duplicates\":0,\"first_seq\":17,\"last_seq\":31,\"chunks\":1}"
	   "\n");
	/* The walk-in is a complete job under the full rules; its lines
	 * carry no ids, so the second append is a new reception, refused. */
	ok("append walkin.ndjson", "appended 13 events (seq 32..44)\n");
	fails("append walkin.ndjson", 3,
	      "svcledger: append: line 1: R-REC-2: the vehicle of job WO-2 "
	      "is already received\n");

	/* ---- head ---- */
	cr_assert_eq(run("head"), 0, "%s", last.err);
	cr_assert(strncmp(last.out, "head seq 44, hash ", 18) == 0, "%s",
		  last.out);
	cr_assert_eq(svl_cli_lines(last.out), 1);

	/* ---- the stock card ---- */
	ok("stock-card 90915-YZZD4", NULL);
	const char *o = last.out;
	static const char title[] = "stock card 90915-YZZD4 at W1-A03-2-05, "
				    "now (times UTC+08:00)\n";
	cr_assert(strncmp(o, title, sizeof title - 1) == 0, "%s", o);
	cr_assert(svl_cli_has(o, "\n  on hand                     6.5  448.50"
				 "  book quantity on the shelf\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "\n  received (total)            7.5\n"), "%s",
		  o);
	cr_assert(svl_cli_has(o, "\n  average cost 69.00, last receipt cost "
				 "71.00; 4 lines, last seq 28\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o,
			      "\n   16  2026-07-04 10:00  parts_issued       "
			      "PK-1  WO-1                 1      6.5      "
			      "69.00  448.50\n"),
		  "%s", o);
	fails("stock-card 90915-YZZD4 --as-of 2026-07-02T18:00", 2,
	      "svcledger: stock-card: no stock card for part 90915-YZZD4 as "
	      "the book stood at 2026-07-02 18:00 UTC+08:00\n");

	/* ---- the stocktake ---- */
	ok("append stk.ndjson", "appended 3 events (seq 45..47)\n");
	ok("reconcile count.csv --at 2026-07-05T17:30 --proposals "
	   "adjust.ndjson --stk-id STK-2607 --actor E010",
	   NULL);
	o = last.out;
	cr_assert(strncmp(o, "reconciliation of 3 count lines at 2026-07-05 "
			     "17:30 (UTC+08:00); book as of the count by "
			     "business time, read at seq 47\n", 119) == 0,
		  "%s", o);
	cr_assert(svl_cli_has(o,
			      "     2  W1-A03-2-05  90915-YZZD4   6.5        "
			      "6      -0.5      69.00  -34.50      34.50  "
			      "-7.7%  E012\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "  lines counted 3, agreeing with the book 1, "
				 "accuracy 33.3%\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "  gains 460.00, losses 34.50, net variance "
				 "425.50, absolute variance 494.50 (gains + "
				 "losses, never netted)\n"),
		  "%s", o);
	cr_assert(svl_cli_has(o, "wrote 2 adjustment proposals for stocktake "
				 "STK-2607 to adjust.ndjson; "),
		  "%s", o);
	ok("append adjust.ndjson", "appended 2 events (seq 48..49)\n");
	fails("reconcile badcount.csv --at 2026-07-05T17:30", 2,
	      "svcledger: reconcile: badcount.csv: line 2: counted: '6.0005' "
	      "has more than 3 decimals\n");
	fails("reconcile count.csv", 1,
	      "svcledger: reconcile: --at TIME is required: when was the "
	      "count made?\n");
}
