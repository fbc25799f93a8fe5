/*
 * error.c - error strings and the one-line detail message.
 *
 * The detail lives in thread-local storage together with the handle it
 * belongs to, so that threads sharing one handle never see each other's
 * messages and no lock is needed on the error path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Every code once: its name and its description. */
static const struct {
	int rc;
	const char *name, *text;
} codes[] = {
#define C(code, text) {code, #code, text}
    C(SVL_OK, "ok"),
    C(SVL_EINVAL, "invalid argument or input"),
    C(SVL_ENOMEM, "out of memory"),
    C(SVL_EIO, "input/output error"),
    C(SVL_ECORRUPT, "ledger data is corrupt"),
    C(SVL_ECONFLICT, "conflict: a stream's version or an event id"),
    C(SVL_ENOTFOUND, "not found"),
    C(SVL_EREFUSED, "refused by a business rule"),
    C(SVL_ELIMIT, "limit exceeded"),
    C(SVL_EMISUSE, "API misuse"),
    C(SVL_EREADONLY, "ledger is open read-only"),
    C(SVL_EBUSY, "ledger is busy or already open"),
    C(SVL_EFORMAT, "unsupported ledger format"),
    C(SVL_ITEROVER, "no more records"),
    C(SVL_EEXISTS, "already exists"),
    C(SVL_ETIMEDOUT, "timed out"),
    C(SVL_EREADERS, "every reader slot is taken"),
#undef C
};

static int code_index(int rc)
{
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i].rc == rc)
			return (int)i;
	return -1;
}

const char *svl_strerror(int rc)
{
	int i = code_index(rc);
	return i < 0 ? "unknown error" : codes[i].text;
}

const char *svl_error_name(int rc)
{
	int i = code_index(rc);
	return i < 0 ? "SVL_EUNKNOWN" : codes[i].name;
}

void svl_free(void *p)
{
	free(p);
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
