/*
 * svl_ledger.h - the dealership ledger: the event log (svl_log.h) with the
 * department's rules and its three projections (stock cards, work orders,
 * satisfaction metrics) kept up to date inside every append.
 *
 * Threads: one svl_ledger handle may be shared by the threads of a process;
 * every call is safe concurrently except svl_ledger_close(). Processes:
 * several may open the same ledger; each keeps the projections current for
 * the appends it makes, and catches up with other processes' appends
 * before it reads or writes projection state.
 */
#ifndef SVL_LEDGER_H
#define SVL_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "svl_decide.h"
#include "svl_error.h"
#include "svl_log.h"
#include "svl_rules.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct svl_ledger svl_ledger;

#define SVL_LEDGER_OPTIONS_VERSION 1

typedef struct svl_ledger_options {
	unsigned version;        /* SVL_LEDGER_OPTIONS_VERSION */
	unsigned flags;          /* SVL_LOG_CREATE, SVL_LOG_RDONLY, SVL_LOG_NOSYNC */
	size_t map_size_bytes;   /* 0 = default; the map grows by itself */
	/* Rules the projections of a NEW ledger are built under (NULL: the
	 * defaults). An existing ledger keeps the rules stored with its
	 * projections; change them with svl_ledger_rebuild(). */
	const svl_rules *rules;
	/* R-BKG-4: jobs a day can take; 0 = SVL_DECIDE_DAY_CAPACITY_DEFAULT. */
	uint32_t day_capacity_jobs;
	/* SVL_LOG_CREATE: the new ledger's id (svl_log_options.ledger_id) */
	const uint8_t *ledger_id;
	/* reader slots shared by every process that opens the ledger; 0 =
	 * 126. Every open read snapshot (a query, an iterator, an outbox
	 * walk) holds one while it lives; when all are taken a read fails
	 * with SVL_EREADERS. Takes effect when the lock file is created: the
	 * first open after every process closed the ledger */
	uint32_t max_readers;
	uint32_t reserved[7]; /* zero */
} svl_ledger_options;

#define SVL_LEDGER_OPTIONS_INIT {SVL_LEDGER_OPTIONS_VERSION, 0, 0, NULL, 0, NULL, 0, {0}}

/*
 * svl_ledger_open - open (or create) a ledger. Projections that lag the log
 * (appends made by a program that did not maintain them) are caught up, and
 * projections built by an older version of their code are rebuilt, before
 * this returns. A read-only open cannot write: it serves the projections as
 * they are, which may lag such appends (svl_ledger_projections shows each
 * checkpoint beside the log's head; the next writable open catches up). On failure *out is NULL and svl_log_last_error() has the
 * detail. Returns the codes of svl_log_open().
 */
SVL_API int svl_ledger_open(svl_ledger **out, const char *dir,
			    const svl_ledger_options *opts);

/* svl_ledger_close - NULL is a no-op. */
SVL_API void svl_ledger_close(svl_ledger *l);

/* svl_ledger_log - the underlying event log, owned by the ledger: for
 * reading, verifying and low-level appends. Lives as long as the ledger. */
SVL_API svl_log *svl_ledger_log(svl_ledger *l);

/* svl_ledger_errmsg - as svl_log_errmsg, for calls on this ledger. */
SVL_API const char *svl_ledger_errmsg(const svl_ledger *l);

/*
 * svl_ledger_read_begin - pin one read snapshot for the calling thread:
 * every query of this ledger the thread makes until svl_ledger_read_end
 * (work orders, stock cards, metrics, figures, reconcile, seq_at) reads
 * that one moment, so a screen showing a job's stock and its work order
 * never mixes two states while writers go on. It never blocks writers;
 * the thread's own submissions are not seen until the snapshot ends. One
 * ledger per thread at a time; calls nest on the same ledger and the
 * outermost end closes the snapshot. End it soon (a snapshot held for
 * long keeps old pages from being reused) and before svl_ledger_close on
 * another thread. Returns SVL_OK, SVL_EMISUSE (NULL; another ledger
 * pinned), SVL_EREADERS, SVL_ENOMEM.
 */
SVL_API int svl_ledger_read_begin(svl_ledger *l);
/* svl_ledger_read_end - end one svl_ledger_read_begin. SVL_EMISUSE when the
 * thread holds no snapshot of l. */
SVL_API int svl_ledger_read_end(svl_ledger *l);

/* svl_ledger_rules - the rule set the live projections were built under.
 * Copied into *out. */
SVL_API int svl_ledger_rules(svl_ledger *l, svl_rules *out);

/* ---- pages of a list ---------------------------------------------------- */

#define SVL_PAGE_KEY_MAX 96 /* bytes of a page cursor */

/*
 * Paging of a list call (svl_work_orders_page...): the caller sets limit
 * and after, the call sets the rest. To walk a list page by page, pass
 * each page's `next` as the following call's `after` until it is "".
 * Cursors are opaque text: keep them, do not build them.
 */
typedef struct svl_page {
	size_t limit;	   /* at most this many items; 0 = all */
	const char *after; /* start after this cursor; NULL or "" = first */
	size_t total;	   /* out: items matching, on every page */
	size_t returned;   /* out: items on this page */
	char next[SVL_PAGE_KEY_MAX + 1]; /* out: cursor of the next page, ""
					  * when this page is the last */
} svl_page;

#define SVL_PAGE_INIT {0, NULL, 0, 0, ""}

/* ---- commands ----------------------------------------------------------- */

enum svl_submit_flags {
	SVL_SUBMIT_DRY_RUN = 1u << 0,    /* decide everything, append nothing */
	/* check who may record each event but not the state rules: for
	 * re-importing history that was decided when first recorded */
	SVL_SUBMIT_ROLES_ONLY = 1u << 1,
};

/* What a submission did, or why it did nothing. */
typedef struct svl_submit_result {
	size_t events;          /* events in the submission */
	size_t appended;        /* new events appended (0 on a dry run) */
	size_t duplicates;      /* already in the log: original positions */
	uint64_t first_seq;     /* seq of the first event (0 when none) */
	uint64_t last_seq;
	size_t failed;          /* 1-based line (NDJSON) or index + 1 of the
				 * first event refused or invalid; 0 if none */
	char rule[16];          /* the refusing rule ("R-ISS-3"), or "" */
	char message[512];      /* one line: "line 17: lines[0].qty_milli:
				 * must be > 0, got -5", or the refusal */
} svl_submit_result;

/*
 * svl_ledger_submit_json - submit commands as NDJSON text: one event per
 * line ({"type":..., "actor":..., "role":..., "occurred_at":...,
 * "payload":{...}}, see svl_event_input_json). Each event is decided
 * against the state left by the ones before it (svl_decide) and the whole
 * submission commits atomically: one bad line or one refusal and nothing
 * is appended. Returns SVL_OK, SVL_EINVAL (a line does not parse or
 * validate), SVL_EREFUSED (a rule said no), SVL_ECONFLICT, SVL_ELIMIT
 * (more than SVL_BATCH_MAX events), SVL_EIO; `res` (may be NULL) says
 * which line and why. Empty and blank lines are skipped.
 */
SVL_API int svl_ledger_submit_json(svl_ledger *l, const char *ndjson,
				   size_t len, unsigned flags,
				   svl_submit_result *res);

/* svl_ledger_submit - the same for events already parsed; out (may be
 * NULL) receives n positions. */
SVL_API int svl_ledger_submit(svl_ledger *l, const svl_event_in *events,
			      size_t n, unsigned flags, svl_position *out,
			      svl_submit_result *res);

/* svl_ledger_backup - svl_log_backup of the ledger's log: an online,
 * verified copy into the new directory dir, projections included. */
SVL_API int svl_ledger_backup(svl_ledger *l, const char *dir, unsigned flags,
			      svl_verify_report *report);

/* ---- following the log (an integrator's outbox) ----------------------- */

/* fn returns 0 to go on; anything else stops the walk and is returned. The
 * record's pointers live until fn returns. */
typedef int (*svl_record_fn)(const svl_record *r, void *payload);

/*
 * svl_ledger_events_after - deliver the events with seq > after_seq, in
 * order, at most max of them (0: all up to the head), from one snapshot.
 * *last_seq (may be NULL) gets the seq of the last event delivered
 * (after_seq when none): store it with your own commit, and pass it back
 * next time, for exactly-once delivery to your side. Returns SVL_OK, fn's
 * non-zero value, or a read error.
 */
SVL_API int svl_ledger_events_after(svl_ledger *l, uint64_t after_seq,
				    size_t max, svl_record_fn fn,
				    void *payload, uint64_t *last_seq);

/*
 * svl_ledger_wait - block until the log's head passes after_seq (appends of
 * any thread or process count) or timeout_ms passes (< 0: no limit).
 * Returns SVL_OK when there is something after after_seq, SVL_ETIMEDOUT
 * otherwise. A commit made through this handle (any thread of this
 * process) wakes the waiter at once; commits of other processes are seen
 * within 20 ms (LMDB has no cross-process notification: the head is read
 * every 20 ms, one short read snapshot each).
 */
SVL_API int svl_ledger_wait(svl_ledger *l, uint64_t after_seq,
			    int64_t timeout_ms);

/* ---- projections: state, rebuild, check -------------------------------- */

#define SVL_PROJECTIONS 4

typedef struct svl_projection_info {
	const char *name;        /* "stock", "work_orders", "metrics",
				  * "documents" (static) */
	uint64_t checkpoint;     /* last seq applied */
	uint8_t digest[16];      /* of the canonical state */
	uint64_t entries;        /* keys of state */
	char rules_id[SVL_RULES_ID_MAX + 1];
	uint8_t rules_hash[16];
	int live_slot;           /* 0 = a, 1 = b */
} svl_projection_info;

/* svl_ledger_projections - the live projections' state into out[0..n),
 * in the order above; n = SVL_PROJECTIONS gives them all. A smaller n
 * (a program built when there were fewer) gets the first n: projections
 * are only ever added at the end. */
SVL_API int svl_ledger_projections(svl_ledger *l, svl_projection_info *out,
				   size_t n);

/* Progress of long work: done of total events; eta_ms < 0 when unknown. */
typedef void (*svl_progress_fn)(uint64_t done, uint64_t total, int64_t eta_ms,
				void *payload);

/* One difference between the live projection and the rebuilt one. `what`
 * is one readable line ("stock P-1001@A-01-02-03: value_fen 12000 ->
 * 12100"); NULL for detail rows that are only counted. */
typedef struct svl_rebuild_diff {
	const char *projection;
	const char *what;
} svl_rebuild_diff;

typedef void (*svl_diff_fn)(const svl_rebuild_diff *d, void *payload);

enum svl_rebuild_flags {
	SVL_REBUILD_DIFF = 1u << 0,    /* report differences through diff_fn */
	SVL_REBUILD_SWITCH = 1u << 1,  /* make the rebuilt projections live */
};

#define SVL_REBUILD_OPTIONS_VERSION 2

typedef struct svl_rebuild_options {
	unsigned version;            /* SVL_REBUILD_OPTIONS_VERSION */
	unsigned flags;              /* enum svl_rebuild_flags */
	svl_progress_fn progress;    /* may be NULL */
	svl_diff_fn diff;            /* may be NULL */
	void *payload;               /* passed to both */
	/* version 2: room for SVL_PROJECTIONS counts of differing keys, one
	 * per projection in the order of svl_ledger_projections (NULL: the
	 * report's first three only). Version 1 options end before it. */
	uint64_t *changed;
} svl_rebuild_options;

#define SVL_REBUILD_OPTIONS_INIT                                               \
	{SVL_REBUILD_OPTIONS_VERSION, 0, NULL, NULL, NULL, NULL}

/* The report's layout is fixed (programs built against earlier headers
 * pass it): changed[] holds the first three projections (stock,
 * work_orders, metrics); every projection's count goes to the options'
 * `changed` when given. */
#define SVL_REBUILD_REPORT_PROJECTIONS 3

typedef struct svl_rebuild_report {
	uint64_t events;             /* events folded */
	uint64_t changed[SVL_REBUILD_REPORT_PROJECTIONS]; /* differing keys */
	int switched;                /* 1 when the new projections are live */
} svl_rebuild_report;

/*
 * svl_ledger_rebuild - build all projections from seq 1 under `rules`
 * (NULL: the live rules) beside the live ones, in short transactions, so
 * appends go on meanwhile and the live projections keep serving. Then, as
 * flags say, report the differences and switch: the switch is one
 * transaction that makes all three rebuilt projections live at once.
 */
SVL_API int svl_ledger_rebuild(svl_ledger *l, const svl_rules *rules,
			       const svl_rebuild_options *opts,
			       svl_rebuild_report *report);

/*
 * svl_ledger_check - recompute every projection from the log in memory's
 * stead (a scratch slot) and compare it with the live one; also recompute
 * each live digest from its table. *ok is 1 when all agree; otherwise
 * detail names the projection and the first key that differs (and, for
 * stock cards, the first event where they diverge).
 */
SVL_API int svl_ledger_check(svl_ledger *l, int *ok, char *detail,
			     size_t detail_len);

#ifdef __cplusplus
}
#endif
#endif /* SVL_LEDGER_H */
