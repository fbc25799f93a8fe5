/*
 * internal.h - what the engine's files share: the handle, the transaction,
 * the envelope codec and the error helpers. Nothing here is public API.
 *
 * Sub-databases of one log (docs/format.md has the byte layouts):
 *   events   u64be seq               -> envelope || hash(16)
 *   streams  u8 len|stream|u64be ver -> u64be seq
 *   ids      event id (16)           -> u64be seq
 *   meta     ascii key               -> value (format, ledger id, head)
 *   u.<name> user tables of the layers above
 */
#ifndef SVL_ENGINE_INTERNAL_H
#define SVL_ENGINE_INTERNAL_H

#include <lmdb.h>
#include <pthread.h>
#include <stdarg.h>

#include "fail.h"
#include "mp.h"
#include "svl_log.h"

#define SVL_FORMAT_VERSION 1
#define SVL_ENVELOPE_FIELDS 15
#define SVL_DEFAULT_MAP_SIZE ((size_t)64 << 20)
#define SVL_DEFAULT_MAX_READERS 126
/* How far ahead of the clock a given recorded time may be (clocks of two
 * machines differ a little); beyond it, a client could push the ledger's
 * recorded clock (which never goes back) into the future for good. */
#define SVL_CLOCK_SKEW_MS INT64_C(300000)
/* Free space under which a failed write is put down to a full disk. */
#define SVL_DISK_LOW_BYTES (UINT64_C(1) << 20)
#define SVL_STREAM_KEY_MAX (1 + SVL_STREAM_MAX + 8)

/* Largest envelope: fixed fields plus the variable strings and payload. */
#define SVL_ENVELOPE_MAX                                                     \
	(5 + 16 * SVL_MP_UINT_MAX_BYTES + SVL_STREAM_MAX + SVL_ACTOR_MAX +   \
	 SVL_ROLE_MAX + 4 * (2 + SVL_ID_SIZE) + SVL_PAYLOAD_MAX + 64)
#define SVL_RECORD_MAX (SVL_ENVELOPE_MAX + SVL_HASH_SIZE)

_Static_assert(SVL_STREAM_MAX <= 255, "stream length is one key byte");
_Static_assert(SVL_HASH_SIZE == 16, "XXH3-128 is 16 bytes");
_Static_assert(SVL_STREAM_KEY_MAX <= 511, "LMDB's default key limit");

struct svl_log {
	MDB_env *env;
	MDB_dbi events, streams, ids, meta;
	unsigned flags;
	size_t map_size;
	uint8_t ledger_id[SVL_ID_SIZE];
	int id_given; /* ledger_id came from the options (a copy's) */
	char *path;
	dev_t dev;
	ino_t ino;
	/* Map growth needs every transaction of this process to be closed:
	 * transactions hold it shared, growth holds it exclusive. */
	pthread_rwlock_t map_lock;
	pthread_mutex_t table_lock;
	unsigned n_tables;
	MDB_dbi tables[SVL_TABLES_MAX];
	char table_names[SVL_TABLES_MAX][SVL_TABLE_NAME_MAX + 1];
	svl_append_hook hook;
	void *hook_payload;
	svl_commit_hook commit_hook;
	void *commit_payload;
};

/* Per-batch cache of stream versions (open addressing, grows). */
typedef struct svl_stream_cache {
	struct svl_stream_slot {
		uint64_t hash;
		uint64_t version;
		uint8_t len; /* 0 = empty slot */
		char id[SVL_STREAM_MAX];
	} *slots;
	size_t cap, used;
} svl_stream_cache;

struct svl_txn {
	svl_log *log;
	MDB_txn *txn;
	int write;
	/* state of appends in this transaction */
	uint64_t head_seq;
	uint8_t head_hash[SVL_HASH_SIZE];
	int64_t head_recorded_ms;
	int head_loaded;
	int64_t now_ms;
	uint8_t max_id[SVL_ID_SIZE]; /* largest id in the ids table */
	int max_id_loaded;
	/* A batch failed after putting part of itself into this transaction:
	 * its code. Such a transaction must not commit, or half a batch would
	 * (svl_log_write refuses, as LMDB refuses after a failed put). */
	int failed;
	int wrote; /* the running svl_txn_append has put a record */
	svl_stream_cache streams;
	uint8_t *buf; /* envelope scratch, SVL_RECORD_MAX bytes */
	svl_record *recs; /* records handed to the hook */
	size_t recs_cap;
};

/* ---- errors (error.c) ---- */
int svl__lmdb(const svl_log *log, int mrc, const char *what);
void svl__clear_error(const svl_log *log);
int svl__map_full_take(void);

/* ---- envelope (envelope.c) ---- */
/* Encode ev as record `seq` linked to prev; returns bytes written into buf
 * (envelope then hash). */
size_t svl__envelope_encode(uint8_t *buf, const svl_event_in *ev,
			    uint64_t seq, uint64_t stream_version,
			    int64_t recorded_ms, const uint8_t *id,
			    const uint8_t prev[SVL_HASH_SIZE]);
/* Decode a stored value into rec (pointers into val). false = undecodable,
 * with a short reason in *why. */
bool svl__record_decode(const uint8_t *val, size_t len, svl_record *rec,
			const char **why);
/* What svl__record_check found in a stored value. */
enum svl__record_status {
	SVL__RECORD_OK,
	SVL__RECORD_UNDECODABLE,   /* not an envelope of docs/format.md */
	SVL__RECORD_NOT_CANONICAL, /* an envelope, in a longer encoding */
};
/* svl__record_decode, telling an undecodable record from a non-canonical
 * one (verify reports them apart). *why is a static string. */
enum svl__record_status svl__record_check(const uint8_t *val, size_t len,
					  svl_record *rec, const char **why);
/* Whether the envelope at val, decoded into rec, is in the one canonical
 * encoding of docs/format.md (every element in its shortest msgpack form);
 * false names the first element that is not, in *why (a static string).
 * The single definition of "canonical": every reader applies it through
 * svl__record_decode, so verify, export and the iterators agree. */
bool svl__envelope_canonical(const uint8_t *val, const svl_record *rec,
			     const char **why);
void svl__hash(const void *data, size_t len, uint8_t out[SVL_HASH_SIZE]);
size_t svl__stream_key(uint8_t *key, const char *stream, size_t len,
		       uint64_t version);

/* ---- transactions (txn.c) ---- */
int svl__txn_begin(svl_log *log, int write, svl_txn *t);
void svl__txn_end(svl_txn *t);
int svl__txn_load_head(svl_txn *t);
int64_t svl__now_ms(void);

#endif /* SVL_ENGINE_INTERNAL_H */
