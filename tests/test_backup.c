/*
 * test_backup.c - online backups (engine/backup.c, `svcledger backup`): a
 * copy taken while a writer appends is one moment of the ledger, verifies,
 * opens as a ledger whose projections equal a fold of its log, and never
 * replaces anything.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "cli_fixture.h"
#include "fixture.h"
#include "ledger_fixture.h"
#include "svcledger.h"

typedef struct writer {
	svl_log *log;
	atomic_int stop, done;
	int rc;
	atomic_ullong appended;
} writer;

static void *write_loop(void *arg)
{
	writer *w = arg;
	uint8_t bufs[10][16];
	for (int64_t k = 0; !atomic_load(&w->stop); k++) {
		svl_event_in ev[10];
		for (int i = 0; i < 10; i++)
			ev[i] = svl_test_event(i % 2 ? "s-odd" : "s-even",
					       bufs[i], k * 10 + i);
		if ((w->rc = svl_log_append(w->log, ev, 10, NULL)) != SVL_OK)
			break;
		atomic_fetch_add(&w->appended, 10);
	}
	atomic_store(&w->done, 1);
	return NULL;
}

Test(backup, a_copy_taken_while_writing_is_one_verified_moment)
{
	char *dir, path[4200];
	svl_ledger *l = svl_test_ledger(&dir, NULL);
	writer w = {svl_ledger_log(l), 0, 0, SVL_OK, 0};
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, write_loop, &w), 0);
	while (atomic_load(&w.appended) < 2000 && !atomic_load(&w.done))
		sched_yield(); /* let it write a while */
	cr_assert_eq(w.rc, SVL_OK, "%s", svl_log_errmsg(w.log));
	snprintf(path, sizeof path, "%s-copy", dir);
	svl_verify_report rep;
	int rc = svl_ledger_backup(l, path, 0, &rep);
	atomic_store(&w.stop, 1);
	pthread_join(th, NULL);
	cr_assert_eq(rc, SVL_OK, "%s", svl_ledger_errmsg(l));
	cr_assert_eq(w.rc, SVL_OK);
	cr_assert(rep.ok && rep.events >= 2000, "%llu events",
		  (unsigned long long)rep.events);
	/* the copy is the source's first rep.events records, to the hash */
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(svl_ledger_log(l), rep.head.seq,
				      rep.head.seq, &it),
		     SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(memcmp(r.hash, rep.head.hash, SVL_HASH_SIZE), 0);
	svl_iter_close(it);
	svl_ledger *copy = svl_test_ledger_reopen(path);
	int ok = 0;
	char detail[512];
	cr_assert_eq(svl_ledger_check(copy, &ok, detail, sizeof detail),
		     SVL_OK);
	cr_assert(ok, "the copy's projections equal a fold of its log: %s",
		  detail);
	svl_head h;
	cr_assert_eq(svl_log_head(svl_ledger_log(copy), &h), SVL_OK);
	cr_assert_eq(h.seq, rep.head.seq);
	svl_ledger_close(copy);
	svl_ledger_close(l);
	svl_test_rmdir(dir);
}

Test(backup, never_replaces_anything_and_leaves_nothing_on_failure)
{
	char *dir, *other = svl_test_mkdtemp();
	svl_ledger *l = svl_test_ledger(&dir, NULL);
	cr_assert_eq(svl_ledger_backup(l, other, 0, NULL), SVL_EEXISTS);
	cr_assert(strstr(svl_ledger_errmsg(l), "never replaces"), "%s",
		  svl_ledger_errmsg(l));
	char bad[4200];
	snprintf(bad, sizeof bad, "%s/no/such/parent/copy", other);
	cr_assert_neq(svl_ledger_backup(l, bad, 0, NULL), SVL_OK);
	svl_ledger_close(l);
	svl_test_rmdir(dir);
	svl_test_rmdir(other);
}

TestSuite(backup_cli, .init = svl_cli_setup, .fini = svl_cli_teardown);

Test(backup_cli, backup_prints_what_it_copied_and_refuses_an_existing_dir)
{
	char head[64], copy_head[64];
	svl_cli_stock_ledger("L");
	cr_assert_eq(svl_cli_run("backup -d L --out C"), 0, "%s",
		     svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.out, "verified"), "%s",
		  svl_cli_last.out);
	svl_cli_head("L", head);
	svl_cli_head("C", copy_head);
	cr_assert_str_eq(head, copy_head);
	cr_assert_eq(svl_cli_run("verify -d C"), 0, "%s", svl_cli_last.err);
	cr_assert_eq(svl_cli_run("backup -d L --out C"), 6);
	cr_assert_eq(svl_cli_lines(svl_cli_last.err), 1, "%s",
		     svl_cli_last.err);
	cr_assert(svl_cli_has(svl_cli_last.err, "never replaces"), "%s",
		  svl_cli_last.err);
	cr_assert_eq(svl_cli_run("backup -d L"), 1, "--out is required");
}
