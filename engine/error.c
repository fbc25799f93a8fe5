/*
 * error.c - error strings and the one-line detail message.
 *
 * The detail lives in thread-local storage together with the handle it
 * belongs to, so that threads sharing one handle never see each other's
 * messages and no lock is needed on the error path.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define SVL_ERRMSG_MAX 512

static _Thread_local char tls_msg[SVL_ERRMSG_MAX];
static _Thread_local const void *tls_owner;
static _Thread_local int tls_map_full;

/* Whether an LMDB call of this thread hit MDB_MAP_FULL since the last
 * call; clears the flag. The write loop uses it to grow and retry even when
 * a layer above turned the error into its own. */
int svl__map_full_take(void)
{
	int v = tls_map_full;
	tls_map_full = 0;
	return v;
}

const char *svl_strerror(int rc)
{
	switch (rc) {
	case SVL_OK: return "ok";
	case SVL_EINVAL: return "invalid argument or input";
	case SVL_ENOMEM: return "out of memory";
	case SVL_EIO: return "input/output error";
	case SVL_ECORRUPT: return "ledger data is corrupt";
	case SVL_ECONFLICT: return "conflict: a stream's version or an event id";
	case SVL_ENOTFOUND: return "not found";
	case SVL_EREFUSED: return "refused by a business rule";
	case SVL_ELIMIT: return "limit exceeded";
	case SVL_EMISUSE: return "API misuse";
	case SVL_EREADONLY: return "ledger is open read-only";
	case SVL_EBUSY: return "ledger is busy or already open";
	case SVL_EFORMAT: return "unsupported ledger format";
	case SVL_ITEROVER: return "no more records";
	case SVL_EEXISTS: return "already exists";
	case SVL_ETIMEDOUT: return "timed out";
	case SVL_EREADERS: return "every reader slot is taken";
	default: return "unknown error";
	}
}

int svl__vfail(const svl_log *log, int rc, const char *fmt, va_list ap)
{
	vsnprintf(tls_msg, sizeof tls_msg, fmt, ap);
	tls_owner = log;
	return rc;
}

int svl__fail(const svl_log *log, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	svl__vfail(log, rc, fmt, ap);
	va_end(ap);
	return rc;
}

void svl__clear_error(const svl_log *log)
{
	if (tls_owner == log)
		tls_msg[0] = '\0';
}

/* Map an LMDB (or errno) code onto our range, keeping the original text. */
int svl__lmdb(const svl_log *log, int mrc, const char *what)
{
	int rc;
	if (mrc == MDB_MAP_FULL)
		tls_map_full = 1;
	switch (mrc) {
	case MDB_NOTFOUND: rc = SVL_ENOTFOUND; break;
	case MDB_CORRUPTED:
	case MDB_PAGE_NOTFOUND:
	case MDB_INVALID:
	case MDB_BAD_TXN: rc = SVL_ECORRUPT; break;
	case MDB_VERSION_MISMATCH: rc = SVL_EFORMAT; break;
	case MDB_READERS_FULL:
		return svl__fail(log, SVL_EREADERS,
				 "%s: every reader slot is taken by open read "
				 "snapshots of this and other processes: close "
				 "long-lived iterators, or raise max_readers "
				 "(it takes effect once every process has "
				 "closed the ledger)",
				 what);
	case MDB_MAP_FULL:
	case MDB_DBS_FULL:
	case MDB_TXN_FULL:
	case MDB_BAD_VALSIZE: rc = SVL_ELIMIT; break;
	case ENOMEM: rc = SVL_ENOMEM; break;
	case EACCES:
	case EROFS: rc = SVL_EREADONLY; break;
	case ENOENT: rc = SVL_ENOTFOUND; break;
	case EBUSY:
	case EAGAIN: rc = SVL_EBUSY; break;
	default: rc = SVL_EIO; break;
	}
	return svl__fail(log, rc, "%s: %s", what, mdb_strerror(mrc));
}

const char *svl_log_errmsg(const svl_log *log)
{
	return tls_owner == log ? tls_msg : "";
}

const char *svl_log_last_error(void)
{
	return tls_msg;
}

int svl_txn_fail(svl_txn *txn, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	svl__vfail(txn ? txn->log : NULL, rc, fmt, ap);
	va_end(ap);
	return rc;
}
