/*
 * test_snapshot_read.c - svl_ledger_read_begin/_end: the queries a thread
 * makes between the two read one moment, whatever is appended meanwhile
 * (by this thread or another); nesting; misuse; a pin left open at close.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "svl_stock.h"
#include "svl_work_orders.h"
#include "svcledger.h"

static char *dir;
static svl_ledger *led;

#define STAFF(id, role)                                                        \
	"{\"type\":\"staff_role_assigned\",\"actor\":\"E001\",\"role\":"       \
	"\"service_manager\",\"occurred_at_ms\":1782835200000,\"payload\":{"   \
	"\"staff_id\":\"" id "\",\"role\":\"" role "\",\"from_at_ms\":"        \
	"1782835200000}}\n"

static void submit(svl_ledger *l, const char *ndjson)
{
	svl_submit_result r;
	cr_assert_eq(svl_ledger_submit_json(l, ndjson, strlen(ndjson), 0, &r),
		     SVL_OK, "%s", r.message);
}

/* Shelve qty units of P1 at W1-A01-1-01 (one event). */
static void shelve(svl_ledger *l, int qty)
{
	char buf[512];
	snprintf(buf, sizeof buf,
		 "{\"type\":\"parts_shelved\",\"actor\":\"E012\",\"role\":"
		 "\"warehouse_keeper\",\"occurred_at_ms\":1782900000000,"
		 "\"payload\":{\"part_no\":\"P1\",\"bin\":\"W1-A01-1-01\","
		 "\"qty_milli\":%d,\"unit_cost_fen\":100}}",
		 qty * 1000);
	submit(l, buf);
}

static int64_t on_hand(svl_ledger *l)
{
	svl_stock_card c;
	cr_assert_eq(svl_stock_card_get(l, "P1", NULL, NULL, &c), SVL_OK, "%s",
		     svl_ledger_errmsg(l));
	return c.f.on_hand_milli / 1000;
}

static void setup(void)
{
	dir = svl_test_mkdtemp();
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC | SVL_LOG_CREATE;
	cr_assert_eq(svl_ledger_open(&led, dir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	submit(led, STAFF("E001", "service_manager")
			STAFF("E012", "warehouse_keeper"));
	submit(led, "{\"type\":\"bin_assigned\",\"actor\":\"E012\",\"role\":"
		    "\"warehouse_keeper\",\"occurred_at_ms\":1782900000000,"
		    "\"payload\":{\"part_no\":\"P1\",\"bin\":\"W1-A01-1-01\"}}");
	shelve(led, 5);
}

static void teardown(void)
{
	svl_ledger_close(led);
	svl_test_rmdir(dir);
}

TestSuite(snapshot, .init = setup, .fini = teardown, .timeout = 60);

Test(snapshot, queries_between_begin_and_end_read_one_moment)
{
	uint64_t seq0 = 0, seq1 = 0;
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK);
	cr_assert_eq(on_hand(led), 5);
	cr_assert_eq(svl_ledger_seq_at(led, INT64_MAX, &seq0), SVL_OK);
	shelve(led, 7); /* this thread's own write is not seen */
	cr_assert_eq(on_hand(led), 5);
	cr_assert_eq(svl_ledger_seq_at(led, INT64_MAX, &seq1), SVL_OK);
	cr_assert_eq(seq1, seq0, "the head moved inside the snapshot");
	cr_assert_eq(svl_ledger_read_end(led), SVL_OK);
	cr_assert_eq(on_hand(led), 12, "after the end the write is seen");
}

static void *writer(void *p)
{
	shelve(p, 1);
	return NULL;
}

Test(snapshot, another_threads_writes_wait_for_no_one_and_stay_unseen)
{
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK);
	pthread_t th;
	cr_assert_eq(pthread_create(&th, NULL, writer, led), 0);
	cr_assert_eq(pthread_join(th, NULL), 0); /* the writer was not blocked */
	cr_assert_eq(on_hand(led), 5);
	cr_assert_eq(svl_ledger_read_end(led), SVL_OK);
	cr_assert_eq(on_hand(led), 6);
}

Test(snapshot, begin_nests_and_the_outermost_end_closes)
{
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK);
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK);
	shelve(led, 2);
	cr_assert_eq(svl_ledger_read_end(led), SVL_OK);
	cr_assert_eq(on_hand(led), 5, "the inner end closed the snapshot");
	cr_assert_eq(svl_ledger_read_end(led), SVL_OK);
	cr_assert_eq(on_hand(led), 7);
	cr_assert_eq(svl_ledger_read_end(led), SVL_EMISUSE,
		     "an end without a begin is misuse");
}

Test(snapshot, one_ledger_per_thread_and_null_is_misuse)
{
	char *d2 = svl_test_mkdtemp();
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC | SVL_LOG_CREATE;
	svl_ledger *other;
	cr_assert_eq(svl_ledger_open(&other, d2, &o), SVL_OK);
	cr_assert_eq(svl_ledger_read_begin(NULL), SVL_EMISUSE);
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK);
	cr_assert_eq(svl_ledger_read_begin(other), SVL_EMISUSE);
	cr_assert(strstr(svl_ledger_errmsg(other), "another ledger"), "%s",
		  svl_ledger_errmsg(other));
	cr_assert_eq(svl_ledger_read_end(other), SVL_EMISUSE);
	cr_assert_eq(svl_ledger_read_end(led), SVL_OK);
	cr_assert_eq(svl_ledger_read_begin(other), SVL_OK);
	cr_assert_eq(svl_ledger_read_end(other), SVL_OK);
	svl_ledger_close(other);
	svl_test_rmdir(d2);
}

Test(snapshot, close_ends_a_pin_left_open)
{
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK);
	svl_ledger_close(led); /* LeakSanitizer checks the snapshot is freed */
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	o.flags = SVL_LOG_NOSYNC;
	cr_assert_eq(svl_ledger_open(&led, dir, &o), SVL_OK);
	cr_assert_eq(svl_ledger_read_begin(led), SVL_OK,
		     "the thread's pin ended with the closed ledger");
	cr_assert_eq(on_hand(led), 5);
	cr_assert_eq(svl_ledger_read_end(led), SVL_OK);
}

Test(snapshot, a_held_log_snapshot_reads_one_head)
{
	svl_log *log = svl_ledger_log(led);
	svl_txn *t;
	svl_head h0, h1;
	cr_assert_eq(svl_log_snapshot_open(log, &t), SVL_OK);
	cr_assert_eq(svl_txn_head(t, &h0), SVL_OK);
	shelve(led, 1);
	cr_assert_eq(svl_txn_head(t, &h1), SVL_OK);
	cr_assert_eq(h1.seq, h0.seq);
	svl_log_snapshot_close(t);
	svl_log_snapshot_close(NULL);
	cr_assert_eq(svl_log_snapshot_open(NULL, &t), SVL_EMISUSE);
	cr_assert_null(t);
	cr_assert_eq(svl_log_snapshot_open(log, NULL), SVL_EMISUSE);
}
