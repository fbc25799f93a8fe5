/*
 * svl_log.h - the engine: an embeddable, verifiable, append-only event log
 * on LMDB. It knows nothing of dealerships; the layers above it build
 * the ledger on top of it.
 *
 * A log is a directory holding one LMDB environment. Records are keyed by a
 * gap-free global sequence number starting at 1. Each record carries the
 * hash of its predecessor and its own hash (XXH3-128), so the whole log is a
 * chain that svl_log_verify() can check without trusting any derived state.
 * docs/format.md describes every byte.
 *
 * Threads: one svl_log handle may be shared by the threads of a process;
 * every function here is safe to call concurrently on one handle, except
 * svl_log_close(). An svl_iter and an svl_txn belong to the thread that made
 * them. Processes: several processes may open the same log and read and
 * append at once; writers are serialised by LMDB's lock file. Do not open
 * the same log twice in one process (SVL_EBUSY): share the handle instead.
 *
 * Memory: record pointers handed out by readers point into the memory map
 * (zero copy) and live until the iterator moves on or is closed, or until
 * the transaction that produced them ends. Copy what must outlive that.
 */
#ifndef SVL_LOG_H
#define SVL_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "svl_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Limits (all checked; exceeding one gives SVL_ELIMIT) ------------- */

#define SVL_STREAM_MAX 128         /* bytes in a stream id, >= 1 */
#define SVL_ACTOR_MAX 64           /* bytes in an actor id */
#define SVL_ROLE_MAX 32            /* bytes in a role name */
#define SVL_PAYLOAD_MAX 65536      /* bytes of one msgpack payload */
#define SVL_BATCH_MAX 100000       /* events in one append batch */
#define SVL_ID_SIZE 16             /* bytes in an event id */
#define SVL_HASH_SIZE 16           /* bytes in an XXH3-128 hash */
#define SVL_TABLE_NAME_MAX 48      /* bytes in a user table name */
#define SVL_TABLES_MAX 32          /* user tables per log */
#define SVL_MSGPACK_DEPTH_MAX 32   /* nesting depth accepted in a payload */

/* ---- Opening ---------------------------------------------------------- */

typedef struct svl_log svl_log;

enum svl_log_flags {
	SVL_LOG_CREATE = 1u << 0,   /* create the directory and log if absent */
	SVL_LOG_RDONLY = 1u << 1,   /* read only; appends give SVL_EREADONLY */
	/*
	 * Bulk import mode: commits are not synced to disk. A crash (of the
	 * machine, not the process) may lose or corrupt recent commits; call
	 * svl_log_sync() at the end of the import and verify. Never for live
	 * use. See docs/architecture.md "Durability".
	 */
	SVL_LOG_NOSYNC = 1u << 2,
};

#define SVL_LOG_OPTIONS_VERSION 1

typedef struct svl_log_options {
	unsigned version;        /* SVL_LOG_OPTIONS_VERSION */
	unsigned flags;          /* enum svl_log_flags */
	size_t map_size_bytes;   /* initial map size; 0 = 64 MiB. Grows itself */
	unsigned max_readers;    /* reader slots; 0 = 126. Takes effect when
				  * the lock file is created (first open after
				  * every process closed the log) */
	/* SVL_LOG_CREATE: the new log's ledger id (SVL_ID_SIZE bytes), for a
	 * copy of a ledger (import, restore); NULL: a new time-ordered id.
	 * Opening an existing log with another id is SVL_EEXISTS. */
	const uint8_t *ledger_id;
	uint32_t reserved[8]; /* zero */
} svl_log_options;

#define SVL_LOG_OPTIONS_INIT {SVL_LOG_OPTIONS_VERSION, 0, 0, 0, NULL, {0}}

/*
 * svl_log_open - open (or with SVL_LOG_CREATE create) the log in `dir`.
 * Stale reader slots left by dead processes are cleared. Every descriptor is
 * close-on-exec. `opts` may be NULL for the defaults (open existing, r/w).
 * On failure *out is NULL; the detail is in svl_log_last_error(), and a
 * creating open removes what it made. Before LMDB maps data.mdb, the file
 * is checked against its newest meta page: empty, without a meta page or
 * cut short is SVL_ECORRUPT (never a SIGBUS). A read-only open of files
 * whose lock.mdb the caller cannot write goes without it: consistent only
 * while no writer commits (docs/reliability.md, "Read-only files").
 * Returns SVL_OK, SVL_ENOTFOUND (no log and no CREATE), SVL_EFORMAT,
 * SVL_ECORRUPT, SVL_EREADONLY, SVL_EBUSY (already open in this process),
 * SVL_EIO, SVL_EINVAL.
 */
SVL_API int svl_log_open(svl_log **out, const char *dir,
			 const svl_log_options *opts);

/* svl_log_close - release the handle. NULL is a no-op. */
SVL_API void svl_log_close(svl_log *log);

/*
 * svl_log_errmsg - one line describing the last failure of a call made by
 * the calling thread on this handle ("" if none). Valid until the thread's
 * next call on any svl handle. Never free it.
 */
SVL_API const char *svl_log_errmsg(const svl_log *log);

/* svl_log_last_error - the calling thread's last detail message, for calls
 * that failed before a handle existed (svl_log_open). */
SVL_API const char *svl_log_last_error(void);

/* svl_log_sync - flush commits made in SVL_LOG_NOSYNC mode to disk. */
SVL_API int svl_log_sync(svl_log *log);

/* svl_log_id - the 16-byte ledger id chosen at creation. Borrowed; lives
 * as long as the handle. */
SVL_API const uint8_t *svl_log_id(const svl_log *log);

/* ---- Events in and out ------------------------------------------------ */

#define SVL_VERSION_ANY (-1)       /* expected_version: no check */
#define SVL_VERSION_NO_STREAM 0    /* expected_version: stream must be new */

/* One event to append. All pointers are borrowed for the call only. */
typedef struct svl_event_in {
	const char *stream;        /* stream id bytes, 1..SVL_STREAM_MAX */
	size_t stream_len;
	uint32_t type;             /* event type id, meaning given by the catalog */
	uint32_t schema_version;   /* version of the payload's schema, >= 1 */
	int64_t occurred_at_ms;    /* business time, UTC ms */
	int64_t recorded_at_ms;    /* 0 = now; set only when importing past
				    * history: never before the head's, at
				    * most 5 minutes ahead of the clock */
	const char *actor;         /* who did it, 0..SVL_ACTOR_MAX bytes */
	size_t actor_len;
	const char *role;          /* in which role, 0..SVL_ROLE_MAX bytes */
	size_t role_len;
	uint8_t id[SVL_ID_SIZE];   /* all zero = generate a time-ordered id */
	const uint8_t *correlation_id; /* NULL or SVL_ID_SIZE bytes */
	const uint8_t *causation_id;   /* NULL or SVL_ID_SIZE bytes */
	const uint8_t *payload;    /* one msgpack map, 1..SVL_PAYLOAD_MAX */
	size_t payload_len;
	/*
	 * The version the stream must be at just before this event, or
	 * SVL_VERSION_ANY. Inside a batch, earlier events of the same stream
	 * count: two events for a new stream expect 0 then 1.
	 */
	int64_t expected_version;
} svl_event_in;

/* An event to fill in: no stream check (SVL_VERSION_ANY, not 0, which
 * would mean "the stream must be new"), schema version 1, an id the log
 * generates. */
#define SVL_EVENT_IN_INIT                                                      \
	{NULL, 0, 0, 1, 0, 0, NULL, 0, NULL, 0, {0}, NULL, NULL, NULL, 0,      \
	 SVL_VERSION_ANY}

/* Where an appended (or already present) event sits. */
typedef struct svl_position {
	uint64_t seq;              /* global sequence number, from 1 */
	uint64_t stream_version;   /* version within its stream, from 1 */
	int duplicate;             /* 1: the id was already in the log */
	uint8_t id[SVL_ID_SIZE];   /* the event id (generated ones too) */
} svl_position;

/* A record read from the log. Pointers are zero-copy: see the top. */
typedef struct svl_record {
	uint64_t seq;
	const char *stream;
	size_t stream_len;
	uint64_t stream_version;
	uint32_t type;
	uint32_t schema_version;
	int64_t occurred_at_ms;
	int64_t recorded_at_ms;
	const char *actor;
	size_t actor_len;
	const char *role;
	size_t role_len;
	const uint8_t *id;             /* SVL_ID_SIZE bytes */
	const uint8_t *correlation_id; /* NULL or SVL_ID_SIZE bytes */
	const uint8_t *causation_id;   /* NULL or SVL_ID_SIZE bytes */
	const uint8_t *payload;        /* msgpack map */
	size_t payload_len;
	const uint8_t *prev_hash;      /* SVL_HASH_SIZE bytes */
	const uint8_t *hash;           /* SVL_HASH_SIZE bytes */
	const uint8_t *raw;            /* the record as stored: envelope ||
					* hash (what a seal's digest covers) */
	size_t raw_len;
} svl_record;

/* The end of the chain. An empty log has seq 0 and the genesis hash. */
typedef struct svl_head {
	uint64_t seq;
	uint8_t hash[SVL_HASH_SIZE];
	int64_t recorded_at_ms;
} svl_head;

/*
 * svl_log_append - append a batch of n events atomically: all of them
 * commit, or none. An event whose id is already in the log is a retry when
 * it is the same event (stream, type, schema version, occurred_at, actor,
 * role, correlation and causation ids and payload bytes): it is not
 * appended again and its original position is returned with duplicate = 1
 * (safe retries, also across reopen). Another event under that id is
 * SVL_ECONFLICT (detail names the id, what differs and both seqs): an id
 * names one event. `out` (may be NULL) receives n positions.
 * Returns SVL_OK, SVL_EINVAL / SVL_ELIMIT (detail names the event index
 * and field), SVL_ECONFLICT (a stream's expected version, detail naming
 * the stream and both versions; or a reused id), SVL_EREADONLY, SVL_EIO.
 * On any error nothing is appended.
 * Durable on return unless the log was opened with SVL_LOG_NOSYNC.
 */
SVL_API int svl_log_append(svl_log *log, const svl_event_in *events,
			   size_t n, svl_position *out);

/* svl_log_head - the last record's seq and hash (seq 0 when empty). */
SVL_API int svl_log_head(svl_log *log, svl_head *out);

/* svl_log_genesis_hash - the prev_hash of record 1 (16 zero bytes). */
SVL_API const uint8_t *svl_log_genesis_hash(void);

/* svl_event_id_generate - a fresh time-ordered id (48-bit UTC ms, then a
 * counter/random tail), strictly increasing within the process. */
SVL_API void svl_event_id_generate(uint8_t out[SVL_ID_SIZE]);

/* ---- Reading ---------------------------------------------------------- */

typedef struct svl_iter svl_iter;

/*
 * svl_log_iter_seq - iterate records with first_seq <= seq <= last_seq
 * (last_seq 0 = to the head as of the iterator's creation). The iterator
 * holds an LMDB read snapshot: it never blocks writers, and it does not see
 * appends made after it was created. Close it soon: a long-lived snapshot
 * keeps old pages from being reused and holds up map growth.
 */
SVL_API int svl_log_iter_seq(svl_log *log, uint64_t first_seq,
			     uint64_t last_seq, svl_iter **out);

/* svl_log_iter_stream - iterate one stream's records with first_version <=
 * version <= last_version (0 = to the end). */
SVL_API int svl_log_iter_stream(svl_log *log, const char *stream,
				size_t stream_len, uint64_t first_version,
				uint64_t last_version, svl_iter **out);

/*
 * svl_iter_next - the next record into *out. Returns SVL_OK, SVL_ITEROVER
 * at the end, or SVL_ECORRUPT if a record does not decode. The record's
 * pointers live until the next call on this iterator or its close.
 */
SVL_API int svl_iter_next(svl_iter *it, svl_record *out);

/* svl_iter_close - end the iterator and its snapshot. NULL is a no-op. */
SVL_API void svl_iter_close(svl_iter *it);

/* svl_iter_seek - read the record at `seq` from the iterator's snapshot
 * (any iterator of the log will do) and continue from there. Returns
 * SVL_OK, SVL_ENOTFOUND, SVL_ECORRUPT. Pointers live as for next. */
SVL_API int svl_iter_seek(svl_iter *it, uint64_t seq, svl_record *out);

/* svl_log_stream_version - the current version of a stream (0 if none). */
SVL_API int svl_log_stream_version(svl_log *log, const char *stream,
				   size_t stream_len, uint64_t *out);

/* svl_log_find_id - the position of an event id, or SVL_ENOTFOUND. */
SVL_API int svl_log_find_id(svl_log *log, const uint8_t id[SVL_ID_SIZE],
			    uint64_t *seq_out);

/* ---- Verification ----------------------------------------------------- */

enum svl_verify_problem {
	SVL_VERIFY_OK = 0,
	SVL_VERIFY_HASH_MISMATCH,   /* stored hash != hash of the envelope */
	SVL_VERIFY_BROKEN_LINK,     /* prev_hash != previous record's hash */
	SVL_VERIFY_SEQ_GAP,         /* keys are not 1, 2, 3, ... */
	SVL_VERIFY_SEQ_MISMATCH,    /* envelope seq differs from its key */
	SVL_VERIFY_UNDECODABLE,     /* the envelope is not valid */
	SVL_VERIFY_TRUNCATED,       /* the log ends before the recorded head */
	SVL_VERIFY_STREAM_INDEX,    /* stream index disagrees with the log */
	SVL_VERIFY_ID_INDEX,        /* idempotency index disagrees */
	SVL_VERIFY_TIME_ORDER,      /* recorded_at went backwards */
	SVL_VERIFY_NOT_CANONICAL,   /* an envelope not in its one encoding */
	SVL_VERIFY_LOOKUP,          /* a lookup by key misses the record */
	SVL_VERIFY_NO_HEAD,         /* records, but no readable meta head */
};

typedef struct svl_verify_report {
	int ok;                      /* 1 when every check passed */
	uint64_t events;             /* records walked */
	svl_head head;               /* last good record */
	enum svl_verify_problem problem;
	uint64_t bad_seq;            /* first bad seq (0 when ok) */
	char detail[256];            /* one line: what is wrong, where */
} svl_verify_report;

/*
 * svl_log_verify - walk the whole log from seq 1: recompute every hash,
 * check every link, the sequence, the envelopes, the recorded head, and
 * that the stream and id indexes say exactly what the log says. Returns
 * SVL_OK with report->ok set either way when the walk itself could run;
 * an error code only when it could not (I/O). Never trusts derived state:
 * envelopes must be canonical, and every record must also be found by a
 * lookup of its key, not only by the walk.
 * It runs in the calling process and never forks. A page damaged so that
 * liblmdb's own assertions fail aborts the process (liblmdb asserts, it
 * does not return an error): a caller that must survive that runs verify
 * in a child process, as `svcledger verify` does.
 */
SVL_API int svl_log_verify(svl_log *log, svl_verify_report *report);

enum svl_backup_flags {
	SVL_BACKUP_NO_COMPACT = 1u << 0, /* copy free pages too (faster) */
};

/*
 * svl_log_backup - an online backup: the log as of one read snapshot,
 * copied (compacted, unless SVL_BACKUP_NO_COMPACT) into a new directory
 * `dir` that must not exist, written beside it, synced, verified from
 * seq 1 (*report, may be NULL) and renamed into place; writers go on
 * meanwhile. Everything in the environment is copied: a ledger's
 * projections and decider index too, so the copy opens as a ledger at
 * once. Files outside the environment (a seal file) are not. Returns
 * SVL_OK, SVL_EEXISTS (dir exists), SVL_ECORRUPT (the copy failed verify:
 * nothing is left at dir), SVL_EIO. Restore: with no process having the
 * ledger open, move the backup directory into the ledger's place.
 */
SVL_API int svl_log_backup(svl_log *log, const char *dir, unsigned flags,
			   svl_verify_report *report);

SVL_API const char *svl_verify_problem_name(enum svl_verify_problem p);

/* ---- Tables and transactions: the hooks for the layers above ---------
 *
 * Layers built on the log (projections, rule state) keep their own key/value
 * tables in the same LMDB environment, so that an append and the updates
 * derived from it commit in one transaction. Keys are compared as raw bytes
 * (memcmp), so store integers big-endian.
 */

typedef struct svl_txn svl_txn;

/* svl_log_table - open (creating it in a writable log) the user table
 * `name` and give its handle in *out. Handles are stable for the log's life;
 * opening the same name twice gives the same handle. Open tables before
 * writing: creating one runs its own write transaction, so calling this
 * inside svl_log_write (or an append hook) would wait for itself. */
SVL_API int svl_log_table(svl_log *log, const char *name, unsigned *out);

/* svl_log_table_drop - empty the table (del=0) or delete it (del=1). */
SVL_API int svl_log_table_drop(svl_log *log, unsigned table, int del);

typedef int (*svl_txn_fn)(svl_txn *txn, void *payload);

/*
 * svl_log_write - run fn inside one write transaction and commit it if fn
 * returns SVL_OK; otherwise abort it and return fn's code (nothing written).
 * When the map fills up, the transaction is aborted, the map grown and fn
 * run again from the start: fn must have no effect outside the transaction
 * that a second run would repeat. Writers of all threads and processes are
 * serialised; the append hook (below) runs inside the same transaction.
 */
SVL_API int svl_log_write(svl_log *log, svl_txn_fn fn, void *payload);

/* svl_log_read - run fn inside one read snapshot (never blocks writers). */
SVL_API int svl_log_read(svl_log *log, svl_txn_fn fn, void *payload);

/*
 * svl_log_snapshot_open - a read snapshot the caller holds, for several
 * reads that must see one state: pass it to the in-transaction calls below
 * (svl_txn_get, svl_txn_head...) as many times as needed, then close it
 * with svl_log_snapshot_close. Like an iterator it never blocks writers
 * and does not see appends made after it was opened; close it soon (a
 * long-lived snapshot keeps old pages from being reused). It is not tied
 * to the opening thread but must be used by one thread at a time, and
 * closed before the log. Returns SVL_OK, SVL_EMISUSE, SVL_ENOMEM,
 * SVL_EREADERS (every reader slot is taken), SVL_EIO.
 */
SVL_API int svl_log_snapshot_open(svl_log *log, svl_txn **out);
/* svl_log_snapshot_close - end the snapshot. NULL is a no-op. */
SVL_API void svl_log_snapshot_close(svl_txn *snapshot);

/* Inside a transaction: the same operations as the handle-level calls. A
 * batch that fails after part of it was written leaves the transaction
 * unable to commit: svl_log_write then returns that failure, so that half a
 * batch never commits even when fn goes on and returns SVL_OK. */
SVL_API int svl_txn_append(svl_txn *txn, const svl_event_in *events,
			   size_t n, svl_position *out);
SVL_API int svl_txn_head(svl_txn *txn, svl_head *out);
SVL_API int svl_txn_stream_version(svl_txn *txn, const char *stream,
				   size_t stream_len, uint64_t *out);
SVL_API int svl_txn_record(svl_txn *txn, uint64_t seq, svl_record *out);
/* Iterators over the transaction's own view (they see its appends). Close
 * them before the transaction function returns. */
SVL_API int svl_txn_iter_seq(svl_txn *txn, uint64_t first_seq,
			     uint64_t last_seq, svl_iter **out);
SVL_API int svl_txn_iter_stream(svl_txn *txn, const char *stream,
				size_t stream_len, uint64_t first_version,
				uint64_t last_version, svl_iter **out);
SVL_API svl_log *svl_txn_log(svl_txn *txn);
SVL_API int svl_txn_is_write(const svl_txn *txn);

/* Set the detail message of the failing call (printf style), keeping code. */
SVL_API int svl_txn_fail(svl_txn *txn, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Table access. Values returned by get and cursors point into the map and
 * live until the transaction ends or the next write to that table. */
SVL_API int svl_txn_get(svl_txn *txn, unsigned table, const void *key,
			size_t key_len, const void **val, size_t *val_len);
SVL_API int svl_txn_put(svl_txn *txn, unsigned table, const void *key,
			size_t key_len, const void *val, size_t val_len);
SVL_API int svl_txn_del(svl_txn *txn, unsigned table, const void *key,
			size_t key_len);
/* Remove every key of the table; the handle stays valid. */
SVL_API int svl_txn_table_clear(svl_txn *txn, unsigned table);

typedef struct svl_cursor svl_cursor;

typedef struct svl_kv {
	const void *key;
	size_t key_len;
	const void *val;
	size_t val_len;
} svl_kv;

SVL_API int svl_cursor_open(svl_txn *txn, unsigned table, svl_cursor **out);
/* first key >= key (key NULL: the first); SVL_ITEROVER when none */
SVL_API int svl_cursor_seek(svl_cursor *cur, const void *key, size_t key_len,
			    svl_kv *out);
/* last key <= key (key NULL: the last); SVL_ITEROVER when none */
SVL_API int svl_cursor_seek_le(svl_cursor *cur, const void *key,
			       size_t key_len, svl_kv *out);
SVL_API int svl_cursor_next(svl_cursor *cur, svl_kv *out);
SVL_API int svl_cursor_prev(svl_cursor *cur, svl_kv *out);
SVL_API void svl_cursor_close(svl_cursor *cur);

/*
 * svl_log_set_append_hook - fn is called inside the write transaction after
 * each svl_txn_append / svl_log_append with the records just appended
 * (duplicates excluded). A non-OK return aborts the whole transaction. One
 * hook per handle; NULL removes it. Set it before sharing the handle.
 */
typedef int (*svl_append_hook)(svl_txn *txn, const svl_record *records,
			       size_t n, void *payload);
SVL_API void svl_log_set_append_hook(svl_log *log, svl_append_hook fn,
				     void *payload);

/*
 * svl_log_set_commit_hook - fn is called after each write transaction of
 * this handle commits (outside it: it may read the log, not write), in the
 * committing thread: what wakes in-process waiters at once. One hook per
 * handle; NULL removes it. Set it before sharing the handle.
 */
typedef void (*svl_commit_hook)(svl_log *log, void *payload);
SVL_API void svl_log_set_commit_hook(svl_log *log, svl_commit_hook fn,
				     void *payload);

#ifdef __cplusplus
}
#endif
#endif /* SVL_LOG_H */
