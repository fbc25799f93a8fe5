/*
 * snapshot.c - one read snapshot for several queries (svl_ledger_read_begin
 * and _end): a screen that shows a job's stock and its work order reads
 * both at one moment.
 *
 * The pin is the calling thread's: every query of this ledger made by the
 * thread between begin and end runs in the pinned snapshot (through
 * svl__ledger_read); other threads, and the thread's writes, are not
 * affected. One ledger per thread at a time; begin may nest on the same
 * ledger (a library function that pins inside a caller's pin reads the
 * caller's moment), and the snapshot ends with the outermost end.
 */
#include "fail.h"
#include "ledger_int.h"

static __thread struct {
	svl_ledger *l;
	svl_txn *t;
	unsigned depth;
} pin;

int svl_ledger_read_begin(svl_ledger *l)
{
	if (!l)
		return svl__fail(NULL, SVL_EMISUSE, "read_begin: ledger is NULL");
	if (pin.l == l) {
		pin.depth++;
		return SVL_OK;
	}
	if (pin.l)
		return svl__fail(l->log, SVL_EMISUSE,
				 "read_begin: this thread already holds a "
				 "snapshot of another ledger; end it first");
	svl_txn *t;
	int rc = svl_log_snapshot_open(l->log, &t);
	if (rc != SVL_OK)
		return rc;
	pin.l = l;
	pin.t = t;
	pin.depth = 1;
	return SVL_OK;
}

int svl_ledger_read_end(svl_ledger *l)
{
	if (!l || pin.l != l)
		return svl__fail(l ? l->log : NULL, SVL_EMISUSE,
				 "read_end: this thread holds no snapshot of "
				 "this ledger");
	if (--pin.depth == 0) {
		svl_log_snapshot_close(pin.t);
		pin.l = NULL;
		pin.t = NULL;
	}
	return SVL_OK;
}

int svl__ledger_read(svl_ledger *l, svl_txn_fn fn, void *payload)
{
	if (l && pin.l == l)
		return fn(pin.t, payload);
	return svl_log_read(l ? l->log : NULL, fn, payload);
}

void svl__ledger_unpin(svl_ledger *l)
{
	if (pin.l == l) {
		svl_log_snapshot_close(pin.t);
		pin.l = NULL;
		pin.t = NULL;
		pin.depth = 0;
	}
}
