/*
 * decide_index.c - the decider index: the few cross-stream facts that no
 * single stream holds, kept in the user table "decide.index" of the log's
 * own environment and updated in the transaction of every append made
 * through svl_decide_append().
 *
 * Keys (first byte = kind; strings are raw bytes, integers big-endian):
 *
 *   "#"                        -> "decide.index/1"  marker (finds the table)
 *   "@"                        -> u64 seq            last record folded
 *   'S' u64 slot_ms wo_id      -> ""                 a confirmed booking's
 *                                                    slot (R-BKG-4)
 *   'W' wo_id                  -> u64 slot_ms        the job's confirmed slot
 *   'B' bin                    -> part_no            bin owner (R-BIN-1)
 *   'P' part_no                -> bin                part's bin (R-BIN-1)
 *   'O' part 0 bin 0 u64 seq   -> u64 qty_milli      taken off the shelf by
 *                                                    the write-off approved
 *                                                    at seq (R-WOF-5)
 *   'A'                        -> ""                 a service_manager or
 *                                                    general_manager exists
 *   'L' wof_id 0 share         -> staff_id           a write-off share
 *                                                    charged (R-WOF-6)
 *   'H' wof_id                 -> u64 fen            charged to people for a
 *                                                    human-caused write-off
 *                                                    (R-WOF-3)
 *   'G' public key (64 hex)    -> staff_id           whose signing key it is
 *                                                    (R-KEY-1)
 *   'U' 'c'|'d' wo 0 part      -> u64 qty_milli      a job's old parts named
 *                                                    by its warranty claims
 *                                                    ('c') or disposed of by
 *                                                    the shop ('d') (R-OLD-1,
 *                                                    R-QC-2)
 *
 * Slots are kept by time, not by local day, so a count per day is a range
 * scan in whatever zone the options say. The index is a pure fold of the
 * log: "@" says how far; anything appended around the deciders (an import,
 * svl_log_append) is folded in by the next write transaction that needs it
 * (svl__index_open), and svl_decide_rebuild() refolds it from seq 1.
 *
 * Finding the table: table handles belong to the log handle and opening
 * one takes a transaction of its own, which must not happen inside the
 * caller's write transaction. svl_decide_prepare() opens it; here the
 * handle is found by probing the log's open tables for the marker (handles
 * are dense from 0), with a one-entry per-thread cache.
 */
#include <stdlib.h>

#include "decide_int.h"

#define TABLE_NAME "decide.index"
#define MARKER "decide.index/1"
#define KEY_MAX (1 + 8 + 2 * SVL_EV_ID_MAX + 2 + 8 + 8)

static _Thread_local struct {
	const svl_log *log;
	unsigned table;
} cache;

static int is_index(svl_txn *txn, unsigned table)
{
	const void *v;
	size_t n;
	int rc = svl_txn_get(txn, table, "#", 1, &v, &n);
	if (rc != SVL_OK)
		return rc == SVL_ENOTFOUND ? 0 : rc;
	return n == sizeof MARKER - 1 && memcmp(v, MARKER, n) == 0;
}

int svl__index_find(svl_txn *txn, unsigned *table)
{
	svl_log *log = svl_txn_log(txn);
	if (cache.log == log && is_index(txn, cache.table) == 1) {
		*table = cache.table;
		return SVL_OK;
	}
	/* Probe open handles; the first one that is not open ends the walk
	 * (its failure message is replaced below). */
	for (unsigned k = 0; k < SVL_TABLES_MAX; k++) {
		const void *v;
		size_t n;
		int rc = svl_txn_get(txn, k, "#", 1, &v, &n);
		if (rc == SVL_EMISUSE)
			break;
		if (rc == SVL_OK && n == sizeof MARKER - 1 &&
		    memcmp(v, MARKER, n) == 0) {
			cache.log = log;
			cache.table = k;
			*table = k;
			return SVL_OK;
		}
		if (rc != SVL_OK && rc != SVL_ENOTFOUND)
			return rc;
	}
	return svl_txn_fail(txn, SVL_EMISUSE,
			    "the decider index is not open: call "
			    "svl_decide_prepare() after opening the log");
}

/* ---- keys ---- */

static size_t key_str(uint8_t *k, char kind, const svl_value *a)
{
	k[0] = (uint8_t)kind;
	memcpy(k + 1, a->s, a->len);
	return 1 + a->len;
}

static size_t key_written_off(uint8_t *k, const svl_value *part,
			      const svl_value *bin)
{
	size_t n = key_str(k, 'O', part);
	k[n++] = 0;
	memcpy(k + n, bin->s, bin->len);
	n += bin->len;
	k[n++] = 0;
	return n;
}

static int get_u64(svl_txn *txn, unsigned t, const void *k, size_t kn,
		   uint64_t *out, int *found)
{
	const void *v;
	size_t n;
	*found = 0;
	int rc = svl_txn_get(txn, t, k, kn, &v, &n);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	if (n != 8)
		return svl_txn_fail(txn, SVL_ECORRUPT,
				    "decide.index: bad value");
	*out = svl__be64_get(v);
	*found = 1;
	return SVL_OK;
}

static int put_u64(svl_txn *txn, unsigned t, const void *k, size_t kn,
		   uint64_t val)
{
	uint8_t b[8];
	svl__be64_put(b, val);
	return svl_txn_put(txn, t, k, kn, b, 8);
}

static int del_quiet(svl_txn *txn, unsigned t, const void *k, size_t kn)
{
	int rc = svl_txn_del(txn, t, k, kn);
	return rc == SVL_ENOTFOUND ? SVL_OK : rc;
}

/* ---- folding one record into the index ---- */

static size_t key_slot(uint8_t *k, uint64_t slot_ms, const svl_value *wo)
{
	k[0] = 'S';
	svl__be64_put(k + 1, slot_ms);
	memcpy(k + 9, wo->s, wo->len);
	return 9 + wo->len;
}

/* Move (or with slot_ms 0, remove) the job's confirmed slot. */
static int set_slot(svl_txn *txn, unsigned t, const svl_value *wo,
		    uint64_t slot_ms, int only_if_confirmed)
{
	uint8_t kw[KEY_MAX], ks[KEY_MAX];
	uint64_t old;
	int found, rc;
	size_t nw = key_str(kw, 'W', wo);
	if ((rc = get_u64(txn, t, kw, nw, &old, &found)) != SVL_OK)
		return rc;
	if (!found && only_if_confirmed)
		return SVL_OK;
	if (found && (rc = del_quiet(txn, t, ks, key_slot(ks, old, wo))))
		return rc;
	if (slot_ms == 0)
		return del_quiet(txn, t, kw, nw);
	if ((rc = svl_txn_put(txn, t, ks, key_slot(ks, slot_ms, wo), "", 0)))
		return rc;
	return put_u64(txn, t, kw, nw, slot_ms);
}

static int apply_bin(svl_txn *txn, unsigned t, const svl_event_view *v)
{
	const svl_value *part = &v->v[SVL_F_BIN_ASSIGNED_PART_NO];
	const svl_value *bin = &v->v[SVL_F_BIN_ASSIGNED_BIN];
	uint8_t k[KEY_MAX], kb[KEY_MAX];
	const void *old;
	size_t n, kn = key_str(k, 'P', part);
	int rc = svl_txn_get(txn, t, k, kn, &old, &n);
	if (rc == SVL_OK) {
		kb[0] = 'B';
		memcpy(kb + 1, old, n);
		if ((rc = del_quiet(txn, t, kb, 1 + n)) != SVL_OK)
			return rc;
	} else if (rc != SVL_ENOTFOUND) {
		return rc;
	}
	if ((rc = svl_txn_put(txn, t, k, kn, bin->s, bin->len)) != SVL_OK)
		return rc;
	return svl_txn_put(txn, t, kb, key_str(kb, 'B', bin), part->s,
			   part->len);
}

static int apply_writeoff(svl_txn *txn, unsigned t, const svl_record *r,
			  const svl_event_view *v)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, v, SVL_F_WRITEOFF_APPROVED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		uint8_t k[KEY_MAX];
		uint64_t have = 0;
		int found;
		size_t n = key_written_off(
		    k, &el[SVL_F_WRITEOFF_APPROVED_LINES_PART_NO],
		    &el[SVL_F_WRITEOFF_APPROVED_LINES_BIN]);
		svl__be64_put(k + n, r->seq);
		n += 8;
		if ((rc = get_u64(txn, t, k, n, &have, &found)) != SVL_OK)
			return rc;
		have += (uint64_t)el[SVL_F_WRITEOFF_APPROVED_LINES_QTY_MILLI].i;
		rc = put_u64(txn, t, k, n, have);
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static size_t key_share(uint8_t *k, const svl_value *wof, int share)
{
	size_t n = key_str(k, 'L', wof);
	k[n++] = 0;
	k[n++] = (uint8_t)share;
	return n;
}

static int apply_liability(svl_txn *txn, unsigned t, const svl_event_view *v)
{
	const svl_value *wof = &v->v[SVL_F_LIABILITY_CHARGED_WOF_ID];
	const svl_value *staff = &v->v[SVL_F_LIABILITY_CHARGED_STAFF_ID];
	int64_t cause = v->v[SVL_F_LIABILITY_CHARGED_CAUSE].i;
	uint8_t k[KEY_MAX];
	if (!wof->present)
		return SVL_OK;
	if (cause == SVL_LIABILITY_CAUSE_WRITEOFF_SHARE) {
		svl__dctx c;
		int share;
		int64_t total;
		memset(&c, 0, sizeof c);
		c.txn = txn;
		c.table = t;
		c.table_ok = 1;
		c.rules = svl__rules_default(); /* the index is no rule set's */
		int rc = svl__writeoff_share_of(&c, wof, staff, &share, &total);
		if (rc != SVL_OK || share == 0)
			return rc;
		return svl_txn_put(txn, t, k, key_share(k, wof, share),
				   staff->s, staff->len);
	}
	if (cause != SVL_LIABILITY_CAUSE_CLAIM_NOT_PROCESSED &&
	    cause != SVL_LIABILITY_CAUSE_TECHNICIAN_MISUSE &&
	    cause != SVL_LIABILITY_CAUSE_POOR_STORAGE)
		return SVL_OK;
	uint64_t sum = 0;
	int found;
	size_t n = key_str(k, 'H', wof);
	int rc = get_u64(txn, t, k, n, &sum, &found);
	if (rc != SVL_OK)
		return rc;
	return put_u64(
	    txn, t, k, n,
	    sum + (uint64_t)v->v[SVL_F_LIABILITY_CHARGED_AMOUNT_FEN].i);
}

static size_t key_old(uint8_t *k, char what, const svl_value *wo,
		      const svl_value *part)
{
	k[0] = 'U';
	k[1] = (uint8_t)what;
	memcpy(k + 2, wo->s, wo->len);
	size_t n = 2 + wo->len;
	k[n++] = 0;
	memcpy(k + n, part->s, part->len);
	return n + part->len;
}

/* Add each line's quantity to the 'U' counter of its job and part: the
 * job is the event's (wo non-NULL) or the line's (field wo_sub). */
static int apply_old(svl_txn *txn, unsigned t, const svl_event_view *v,
		     char what, uint32_t arr, const svl_value *wo, int wo_sub,
		     int part_sub, int qty_sub)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	int rc = svl_event_array_begin(&it, v, arr);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		uint8_t k[KEY_MAX];
		uint64_t have = 0;
		int found;
		size_t n = key_old(k, what, wo ? wo : &el[wo_sub],
				   &el[part_sub]);
		if ((rc = get_u64(txn, t, k, n, &have, &found)) != SVL_OK)
			return rc;
		rc = put_u64(txn, t, k, n, have + (uint64_t)el[qty_sub].i);
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

static int apply(svl_txn *txn, unsigned t, const svl_record *r,
		 const svl_event_view *v)
{
	switch (r->type) {
	case SVL_T_BOOKING_CONFIRMED:
		return set_slot(
		    txn, t, &v->v[SVL_F_BOOKING_CONFIRMED_WO_ID],
		    (uint64_t)v->v[SVL_F_BOOKING_CONFIRMED_SLOT_AT_MS].i, 0);
	case SVL_T_BOOKING_RESCHEDULED:
		return set_slot(
		    txn, t, &v->v[SVL_F_BOOKING_RESCHEDULED_WO_ID],
		    (uint64_t)v->v[SVL_F_BOOKING_RESCHEDULED_SLOT_AT_MS].i, 1);
	case SVL_T_BOOKING_CANCELLED:
		return set_slot(txn, t, &v->v[SVL_F_BOOKING_CANCELLED_WO_ID], 0,
				1);
	case SVL_T_BIN_ASSIGNED:
		return apply_bin(txn, t, v);
	case SVL_T_WRITEOFF_APPROVED: {
		int rc = apply_writeoff(txn, t, r, v);
		return rc ? rc : svl__stockidx_apply(txn, t, r->type, v);
	}
	case SVL_T_LIABILITY_CHARGED:
		return apply_liability(txn, t, v);
	case SVL_T_WARRANTY_CLAIM_FILED:
		return apply_old(txn, t, v, 'c', SVL_F_WARRANTY_CLAIM_FILED_LINES,
				 &v->v[SVL_F_WARRANTY_CLAIM_FILED_WO_ID], -1,
				 SVL_F_WARRANTY_CLAIM_FILED_LINES_PART_NO,
				 SVL_F_WARRANTY_CLAIM_FILED_LINES_QTY_MILLI);
	case SVL_T_OLD_PARTS_DISPOSED:
		return apply_old(txn, t, v, 'd', SVL_F_OLD_PARTS_DISPOSED_LINES,
				 NULL, SVL_F_OLD_PARTS_DISPOSED_LINES_WO_ID,
				 SVL_F_OLD_PARTS_DISPOSED_LINES_PART_NO,
				 SVL_F_OLD_PARTS_DISPOSED_LINES_QTY_MILLI);
	case SVL_T_STAFF_KEY_REGISTERED: {
		uint8_t k[KEY_MAX];
		const svl_value *staff =
		    &v->v[SVL_F_STAFF_KEY_REGISTERED_STAFF_ID];
		size_t n = key_str(k, 'G',
				   &v->v[SVL_F_STAFF_KEY_REGISTERED_PUBLIC_KEY]);
		return svl_txn_put(txn, t, k, n, staff->s, staff->len);
	}
	case SVL_T_STAFF_ROLE_ASSIGNED: {
		int64_t role = v->v[SVL_F_STAFF_ROLE_ASSIGNED_ROLE].i;
		if (role == SVL_ROLE_SERVICE_MANAGER ||
		    role == SVL_ROLE_GENERAL_MANAGER)
			return svl_txn_put(txn, t, "A", 1, "", 0);
		return SVL_OK;
	}
	default:
		return svl__stockidx_type(r->type)
			   ? svl__stockidx_apply(txn, t, r->type, v)
			   : SVL_OK;
	}
}

static int indexed_type(uint32_t type)
{
	if (svl__stockidx_type(type))
		return 1;
	return type == SVL_T_BOOKING_CONFIRMED ||
	       type == SVL_T_BOOKING_RESCHEDULED ||
	       type == SVL_T_BOOKING_CANCELLED || type == SVL_T_BIN_ASSIGNED ||
	       type == SVL_T_WRITEOFF_APPROVED ||
	       type == SVL_T_LIABILITY_CHARGED ||
	       type == SVL_T_WARRANTY_CLAIM_FILED ||
	       type == SVL_T_OLD_PARTS_DISPOSED ||
	       type == SVL_T_STAFF_ROLE_ASSIGNED ||
	       type == SVL_T_STAFF_KEY_REGISTERED;
}

/* Fold one record; the payload is copied first, because table writes may
 * invalidate pointers into the map. */
static int fold_record(svl_txn *txn, unsigned t, const svl_record *r,
		       uint8_t *buf)
{
	svl_event_view v;
	svl_record copy = *r;
	memcpy(buf, r->payload, r->payload_len);
	copy.payload = buf;
	int rc = svl_event_decode(&v, copy.type, copy.schema_version, buf,
				  copy.payload_len);
	if (rc != SVL_OK)
		return svl_txn_fail(txn, SVL_ECORRUPT,
				    "decide.index: seq %llu does not decode",
				    (unsigned long long)r->seq);
	return apply(txn, t, &copy, &v);
}

int svl__index_catch_up(svl_txn *txn, unsigned t)
{
	svl_head head;
	uint64_t done = 0;
	int found;
	int rc = get_u64(txn, t, "@", 1, &done, &found);
	if (rc == SVL_OK)
		rc = svl_txn_head(txn, &head);
	if (rc != SVL_OK || done == head.seq)
		return rc;
	if (done > head.seq) /* a different log than the index was built on */
		return svl_txn_fail(txn, SVL_ECORRUPT,
				    "decide.index is at seq %llu, the log at "
				    "%llu: run svl_decide_rebuild()",
				    (unsigned long long)done,
				    (unsigned long long)head.seq);
	uint8_t *buf = malloc(SVL_PAYLOAD_MAX);
	svl_iter *it;
	if (!buf)
		return svl_txn_fail(txn, SVL_ENOMEM, "decide.index: no memory");
	if ((rc = svl_txn_iter_seq(txn, done + 1, 0, &it)) == SVL_OK) {
		svl_record r;
		while ((rc = svl_iter_next(it, &r)) == SVL_OK)
			if (indexed_type(r.type) &&
			    (rc = fold_record(txn, t, &r, buf)) != SVL_OK)
				break;
		svl_iter_close(it);
	}
	free(buf);
	if (rc == SVL_ITEROVER || rc == SVL_ENOTFOUND)
		rc = put_u64(txn, t, "@", 1, head.seq);
	return rc;
}

/* ---- opening, preparing, rebuilding ---- */

int svl__index_open(svl__dctx *c)
{
	if (c->table_ok)
		return SVL_OK;
	int rc = svl__index_find(c->txn, &c->table);
	if (rc == SVL_OK && svl_txn_is_write(c->txn))
		rc = svl__index_catch_up(c->txn, c->table);
	if (rc == SVL_OK && !svl_txn_is_write(c->txn)) {
		uint64_t done = 0;
		int found;
		svl_head head;
		if ((rc = get_u64(c->txn, c->table, "@", 1, &done, &found)) ||
		    (rc = svl_txn_head(c->txn, &head)))
			return rc;
		if (done != head.seq)
			return svl_txn_fail(c->txn, SVL_EMISUSE,
					    "the decider index is behind the "
					    "log; open it for writing once "
					    "(svl_decide_prepare)");
	}
	c->table_ok = rc == SVL_OK;
	return rc;
}

static int init_fn(svl_txn *txn, void *payload)
{
	const unsigned *arg = payload; /* table, clear */
	int rc = SVL_OK;
	if (arg[1])
		rc = svl_txn_table_clear(txn, arg[0]);
	if (rc == SVL_OK)
		rc =
		    svl_txn_put(txn, arg[0], "#", 1, MARKER, sizeof MARKER - 1);
	if (rc == SVL_OK)
		rc = svl__index_catch_up(txn, arg[0]);
	return rc;
}

static int prepare(svl_log *log, int clear)
{
	unsigned arg[2] = {0, (unsigned)clear};
	if (!log)
		return SVL_EMISUSE;
	int rc = svl_log_table(log, TABLE_NAME, &arg[0]);
	if (rc == SVL_ENOTFOUND) /* read-only, never prepared: no deciders */
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	/* Read-only: use the table as it is (svl__index_open checks it). */
	rc = svl_log_write(log, init_fn, arg);
	return rc == SVL_EREADONLY && !clear ? SVL_OK : rc;
}

int svl_decide_prepare(svl_log *log)
{
	return prepare(log, 0);
}

int svl_decide_rebuild(svl_log *log)
{
	return prepare(log, 1);
}

/* ---- queries ---- */

int svl__index_jobs_between(svl__dctx *c, int64_t from_ms, int64_t to_ms,
			    const svl_value *except_wo, uint32_t *out)
{
	uint8_t k[9];
	svl_cursor *cur;
	svl_kv kv;
	*out = 0;
	int rc = svl__index_open(c);
	if (rc != SVL_OK)
		return rc;
	if ((rc = svl_cursor_open(c->txn, c->table, &cur)) != SVL_OK)
		return rc;
	k[0] = 'S';
	svl__be64_put(k + 1, (uint64_t)from_ms);
	for (rc = svl_cursor_seek(cur, k, 9, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		const uint8_t *key = kv.key;
		if (kv.key_len < 9 || key[0] != 'S' ||
		    svl__be64_get(key + 1) >= (uint64_t)to_ms)
			break;
		svl_value wo = {0, (const char *)key + 9,
				(uint32_t)(kv.key_len - 9), 1};
		if (!except_wo || !svl__veq(&wo, except_wo))
			(*out)++;
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || rc == SVL_OK ? SVL_OK : rc;
}

int svl__index_written_off(svl__dctx *c, const svl_value *part_no,
			   const svl_value *bin, uint64_t upto_seq,
			   int64_t *out)
{
	uint8_t k[KEY_MAX];
	svl_cursor *cur;
	svl_kv kv;
	*out = 0;
	int rc = svl__index_open(c);
	if (rc != SVL_OK)
		return rc;
	size_t n = key_written_off(k, part_no, bin);
	if ((rc = svl_cursor_open(c->txn, c->table, &cur)) != SVL_OK)
		return rc;
	for (rc = svl_cursor_seek(cur, k, n, &kv); rc == SVL_OK;
	     rc = svl_cursor_next(cur, &kv)) {
		if (kv.key_len != n + 8 || memcmp(kv.key, k, n) != 0)
			break;
		uint64_t seq = svl__be64_get((const uint8_t *)kv.key + n);
		if (kv.val_len == 8 && (!upto_seq || seq <= upto_seq))
			*out += (int64_t)svl__be64_get(kv.val);
	}
	svl_cursor_close(cur);
	return rc == SVL_ITEROVER || rc == SVL_OK ? SVL_OK : rc;
}

int svl__index_old_parts(svl__dctx *c, char what, const svl_value *wo,
			 const svl_value *part, int64_t *out)
{
	uint8_t k[KEY_MAX];
	uint64_t sum = 0;
	int found;
	*out = 0;
	int rc = svl__index_open(c);
	if (rc == SVL_OK)
		rc = get_u64(c->txn, c->table, k, key_old(k, what, wo, part),
			     &sum, &found);
	*out = (int64_t)sum;
	return rc;
}

int svl__index_has_manager(svl__dctx *c, int *out)
{
	const void *v;
	size_t n;
	*out = 0;
	int rc = svl__index_open(c);
	if (rc != SVL_OK)
		return rc;
	rc = svl_txn_get(c->txn, c->table, "A", 1, &v, &n);
	*out = rc == SVL_OK;
	return rc == SVL_ENOTFOUND ? SVL_OK : rc;
}

int svl__index_share_charged(svl__dctx *c, const svl_value *wof, int share,
			     int *out)
{
	uint8_t k[KEY_MAX];
	const void *v;
	size_t n;
	*out = 0;
	int rc = svl__index_open(c);
	if (rc != SVL_OK)
		return rc;
	rc = svl_txn_get(c->txn, c->table, k, key_share(k, wof, share), &v, &n);
	*out = rc == SVL_OK;
	return rc == SVL_ENOTFOUND ? SVL_OK : rc;
}

int svl__index_human_charged(svl__dctx *c, const svl_value *wof, int64_t *out)
{
	uint8_t k[KEY_MAX];
	uint64_t sum = 0;
	int found;
	*out = 0;
	int rc = svl__index_open(c);
	if (rc == SVL_OK)
		rc = get_u64(c->txn, c->table, k, key_str(k, 'H', wof), &sum,
			     &found);
	*out = (int64_t)sum;
	return rc;
}

/* The string stored under kind `kind` and key `a`, into out. */
static int get_str(svl__dctx *c, char kind, const svl_value *a, char *out,
		   size_t cap, int *found)
{
	uint8_t k[KEY_MAX];
	const void *v;
	size_t n;
	*found = 0;
	int rc = svl__index_open(c);
	if (rc != SVL_OK)
		return rc;
	rc = svl_txn_get(c->txn, c->table, k, key_str(k, kind, a), &v, &n);
	if (rc == SVL_ENOTFOUND)
		return SVL_OK;
	if (rc != SVL_OK)
		return rc;
	svl_value b = {0, v, (uint32_t)n, 1};
	svl__vcopy(out, cap, &b);
	*found = 1;
	return SVL_OK;
}

int svl__index_part_bin(svl__dctx *c, const svl_value *part, char *bin,
			size_t cap, int *found)
{
	return get_str(c, 'P', part, bin, cap, found);
}

int svl__index_bin_owner(svl__dctx *c, const svl_value *bin, char *part,
			 size_t cap, int *found)
{
	return get_str(c, 'B', bin, part, cap, found);
}

int svl__index_key_owner(svl__dctx *c, const svl_value *pk, char *staff,
			 size_t cap, int *found)
{
	return get_str(c, 'G', pk, staff, cap, found);
}
