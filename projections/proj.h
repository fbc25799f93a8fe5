/*
 * proj.h - the projection framework (internal to the library).
 *
 * A projection is a pure fold: state' = apply(state, event, rules). Its
 * state lives in one LMDB table of the ledger ("slot"), so the append of a
 * batch and the projection updates derived from it commit together. Each
 * projection has two slots, A and B: one is live, the other is where a
 * rebuild under new rules is built beside it; switching is one write of the
 * live-slot byte.
 *
 * Apply functions read and write state only through svl__proj_get/put/del.
 * These go through a write-back overlay (a hash map flushed in key order
 * at the end of each batch), which makes folds of many events cheap, and
 * they keep the slot's digest: the sum, over every (key, value) in the
 * table, of XXH3-128(len(key) || key || value), two 64-bit lanes, mod 2^64.
 * A sum of hashes does not depend on the order the state was reached in,
 * so an incremental projection and a rebuild from seq 1 have equal digests
 * exactly when their tables are equal (up to hash collisions). Pure means:
 * no clock, no environment, nothing but the state, the event and the rules.
 */
#ifndef SVL_PROJ_H
#define SVL_PROJ_H

#include <stdio.h>

#include "svl_log.h"
#include "svl_rules.h"

#define SVL_PROJ_MAX 4
#define SVL_PROJ_KEY_MAX 256

typedef struct svl_proj_ctx svl_proj_ctx;
typedef struct svl_overlay svl_overlay;

typedef struct svl_proj_def {
	const char *name;       /* table names: p.<name>.a / p.<name>.b */
	uint32_t code_version;  /* bump when apply changes meaning */
	int (*apply)(svl_proj_ctx *c, const svl_record *r);
	/* One line describing a changed key for rebuild diffs, or 0 to skip
	 * the key (detail rows such as card lines are counted, not shown). */
	int (*describe)(const void *key, size_t key_len, const void *old_v,
			size_t old_len, const void *new_v, size_t new_len,
			char *out, size_t out_len);
} svl_proj_def;

/* The persistent state of one slot, in table "proj". */
typedef struct svl_proj_state {
	uint64_t checkpoint;    /* last seq applied */
	uint32_t code_version;
	uint64_t digest[2];
	uint64_t entries;       /* keys in the table */
	svl_rules rules;
} svl_proj_state;

struct svl_proj_ctx {
	svl_txn *txn;
	const svl_proj_def *def;
	unsigned table;
	svl_proj_state st;
	svl_overlay *ov;
};

int svl__proj_get(svl_proj_ctx *c, const void *key, size_t key_len,
		  const void **val, size_t *val_len);
int svl__proj_put(svl_proj_ctx *c, const void *key, size_t key_len,
		  const void *val, size_t val_len);
int svl__proj_del(svl_proj_ctx *c, const void *key, size_t key_len);
/* Move an index entry (value: msgpack nil) from old_key to new_key; either
 * may be absent (has_old, has_new); nothing when they are the same. */
int svl__proj_reindex(svl_proj_ctx *c, const void *old_key, size_t old_len,
		      int has_old, const void *new_key, size_t new_len,
		      int has_new);
/* A put of a key the fold knows is not in the table yet (history keyed by
 * seq): the flush need not look up what it replaces. */
int svl__proj_put_new(svl_proj_ctx *c, const void *key, size_t key_len,
		      const void *val, size_t val_len);

/* ---- the overlay (overlay.c) ---- */
int svl__overlay_flush(svl_proj_ctx *c);
size_t svl__overlay_size(const svl_proj_ctx *c);
void svl__overlay_free(svl_proj_ctx *c);

/* ---- slots and their state (proj.c) ---- */

typedef struct svl_proj_slot {
	const svl_proj_def *def;
	unsigned table[2];      /* slot tables a and b */
	unsigned meta;          /* table "proj" */
} svl_proj_slot;

int svl__proj_slot_open(svl_log *log, const svl_proj_def *def,
			svl_proj_slot *out);
int svl__proj_live(svl_txn *t, const svl_proj_slot *s, int *live);
int svl__proj_set_live(svl_txn *t, const svl_proj_slot *s, int live);
int svl__proj_load(svl_txn *t, const svl_proj_slot *s, int which,
		   svl_proj_state *out, int *exists);
int svl__proj_save(svl_txn *t, const svl_proj_slot *s, int which,
		   const svl_proj_state *st);
/* Like svl__proj_load, without failing the transaction: *status is 0
 * (no state), 1 (out filled) or -1 (the state does not decode). */
int svl__proj_probe(svl_txn *t, const svl_proj_slot *s, int which,
		    svl_proj_state *out, int *status);
/* Empty a slot and give it fresh state under rules (checkpoint 0). */
int svl__proj_reset(svl_txn *t, const svl_proj_slot *s, int which,
		    const svl_rules *rules);

/*
 * Apply records to a slot inside t: the slot must be at recs[0].seq - 1;
 * when it is behind, the missing records are read from the log first.
 * Flushes the overlay and saves the state.
 */
int svl__proj_apply(svl_txn *t, const svl_proj_slot *s, int which,
		    const svl_record *recs, size_t n);
/* Bring a slot up to the head of t's view, at most max events. Sets *done
 * when the slot reached the head. */
int svl__proj_catch_up(svl_txn *t, const svl_proj_slot *s, int which,
		       uint64_t max, int *done);

/* Recompute a slot's digest and entry count by a full scan. */
int svl__proj_scan_digest(svl_txn *t, unsigned table, uint64_t digest[2],
			  uint64_t *entries);

/*
 * Compare two slots key by key. For every differing key, cb gets the key
 * and both values (NULL when absent). Returns the number of differing keys
 * in *n_diff.
 */
typedef int (*svl_proj_diff_fn)(const svl_kv *old_kv, const svl_kv *new_kv,
				void *payload);
int svl__proj_diff(svl_txn *t, unsigned old_table, unsigned new_table,
		   svl_proj_diff_fn cb, void *payload, uint64_t *n_diff);

#endif /* SVL_PROJ_H */
