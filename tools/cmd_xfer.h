/*
 * cmd_xfer.h - the export format shared by `svcledger export` and
 * `svcledger import` (docs/cli.md "export and import" describes it for
 * people who read it without our code).
 *
 * Both forms start with a header (format, the source ledger's id, its
 * event count and head) and then carry every record with every envelope
 * field, the payload bytes exactly as stored, the previous hash and the
 * hash. So an import can check every record before it appends it (seq
 * run, link, XXH3-128 of the rebuilt envelope against the exported hash)
 * and, appending them with their ids and recorded times, reproduces the
 * same chain and the same head hash.
 *
 *   ndjson   line 1: {"svcledger_export":1,"format":1,"ledger_id":"<hex>",
 *                     "events":N,"head_seq":N,"head_hash":"<hex>"}
 *            then one object per record: seq, id, stream, stream_version,
 *            type, type_name, schema_version, occurred_at_ms,
 *            recorded_at_ms, actor, role, correlation_id, causation_id
 *            (hex or null), payload_b64 (the msgpack bytes, base64),
 *            payload (a readable JSON copy, ignored by import), prev_hash,
 *            hash (hex).
 *   msgpack  a stream of msgpack objects: the header as a map with the
 *            same keys (ids and hashes as bin 8), then per record its
 *            stored envelope (the 15-element array of docs/format.md,
 *            byte for byte) followed by its hash as a bin 8 of 16 bytes.
 */
#ifndef SVL_TOOLS_CMD_XFER_H
#define SVL_TOOLS_CMD_XFER_H

#include <msgpack.h>

#include "cli.h"
#include "progress.h"

#define XFER_FORMAT 1
#define XFER_BATCH 10000 /* records of one append (one transaction) */

/* The header: what the source ledger held when it was exported. */
typedef struct xfer_head {
	uint8_t ledger_id[SVL_ID_SIZE];
	uint64_t events;
	uint64_t head_seq;
	uint8_t head_hash[SVL_HASH_SIZE];
} xfer_head;

/* One record, every envelope field. Pointers are borrowed. */
typedef struct xfer_rec {
	uint64_t seq, stream_version;
	uint32_t type, schema_version;
	int64_t occurred_at_ms, recorded_at_ms;
	const char *stream, *actor, *role;
	size_t stream_len, actor_len, role_len;
	uint8_t id[SVL_ID_SIZE];
	int has_corr, has_caus;
	uint8_t corr[SVL_ID_SIZE], caus[SVL_ID_SIZE];
	const uint8_t *payload;
	size_t payload_len;
	uint8_t prev_hash[SVL_HASH_SIZE];
	uint8_t hash[SVL_HASH_SIZE];
} xfer_rec;

/* The record of a log reader as an xfer_rec (borrowing r's pointers). */
void xfer_from_record(xfer_rec *out, const svl_record *r);

/* The stored envelope of rec (docs/format.md) into sb (cleared first). */
int xfer_envelope(msgpack_sbuffer *sb, const xfer_rec *rec);

/* XXH3-128 of bytes in canonical (big-endian) form. */
void xfer_hash(uint8_t out[SVL_HASH_SIZE], const void *bytes, size_t n);

/* ---- ndjson ---- */

json_t *xfer_head_json(const xfer_head *h);
json_t *xfer_rec_json(const xfer_rec *r);

/* Bytes decoded while reading NDJSON live in blocks that never move
 * until reset, so a whole batch of records can point into them. */
typedef struct xfer_arena {
	uint8_t **blocks;
	size_t n_blocks, cap_blocks;
	size_t used; /* in the last block */
} xfer_arena;

/* n bytes that stay put until reset; NULL when out of memory. */
uint8_t *xfer_arena_alloc(xfer_arena *a, size_t n);
void xfer_arena_reset(xfer_arena *a);
void xfer_arena_free(xfer_arena *a);

/* Parse a header line / a record line. On error returns -1 with one line
 * in err ("seq: expected an integer"). Record strings and payload are
 * copied into the arena. */
int xfer_head_parse_json(xfer_head *out, const char *line, size_t len,
			 char *err, size_t errlen);
int xfer_rec_parse_json(xfer_rec *out, xfer_arena *arena, const char *line,
			size_t len, char *err, size_t errlen);

/*
 * The fast path for a record line: reads the flat object an export
 * writes without building a tree; strings borrow `line`, the payload is
 * decoded into the arena. Returns 1 when it read the line, 0 when the
 * line is anything else (then parse it with xfer_rec_parse_json, which
 * accepts every valid form and says what is wrong).
 */
int xfer_rec_scan_json(xfer_rec *out, xfer_arena *arena, const char *line,
		       size_t len);

/* Decode a base64 payload (n bytes of text) into the arena and set
 * r->payload. Returns 0, or -1 when it is not base64 of 1..64 KiB. */
int xfer_payload_b64(xfer_rec *r, xfer_arena *arena, const char *b64, size_t n);

/* ---- msgpack ---- */

int xfer_head_pack(msgpack_packer *pk, const xfer_head *h);
/* The msgpack header at the start of data: its declared counts checked
 * against the bytes there (msgpack-c would allocate what they claim),
 * unpacked and parsed; *off is set past it. Returns 0, -1 for bad input
 * or 1 when out of memory, with err set. */
int xfer_head_read_mp(xfer_head *out, const uint8_t *data, size_t len,
		      size_t *off, char *err, size_t errlen);
int xfer_head_parse_mp(xfer_head *out, const msgpack_object *o, char *err,
		       size_t errlen);
/*
 * Parse one record at data[*off..len): the envelope, then its hash (bin
 * 16). The record's pointers borrow data. *off moves past both.
 * env_hash gets the XXH3-128 of the envelope's bytes as they are (they
 * are the stored bytes), to compare with the record's hash.
 * Returns 0, or -1 with err.
 */
int xfer_rec_parse_mp(xfer_rec *out, const uint8_t *data, size_t len,
		      size_t *off, char *err, size_t errlen,
		      uint8_t env_hash[SVL_HASH_SIZE]);

/*
 * A record as a ledger stores it, and as a shipped message carries it
 * (docs/group.md): its envelope followed by its raw 16-byte hash, all of
 * data[0..len). As xfer_rec_parse_mp otherwise (pointers borrow data,
 * env_hash the XXH3-128 of the envelope's bytes). Returns 0, or -1 with
 * err.
 */
int xfer_rec_parse_stored(xfer_rec *out, const uint8_t *data, size_t len,
			  char *err, size_t errlen,
			  uint8_t env_hash[SVL_HASH_SIZE]);

/* ---- appending already-decided records (import, the group ledger) ---- */

/*
 * Records of another ledger appended to an open log as they were: each
 * checked first (its seq continues the log's, it links to the record
 * before, its envelope hashes to its hash), then appended in batches of
 * XFER_BATCH with its id and recorded time, its stream version enforced
 * as the expected version, through svl_log_append (so a ledger's
 * projections fold inline, in the same transaction). After each batch the
 * log's head must be the last record's hash: same chain, same head.
 *
 * The records' pointers are borrowed until the next flush (add flushes
 * when the batch is full): strings decoded for them belong in `arena`,
 * which a flush resets. Errors are printed (cli_error) and returned as
 * exit codes: 2 for a seq out of run or a repeated id, 4 for a link or
 * hash that does not hold, the engine's mapping for a failed append.
 * Large (XFER_BATCH events): allocate it, don't put it on the stack.
 */
typedef struct xfer_appender {
	const cli_ctx *ctx;
	svl_log *log;
	cli_progress *bar; /* updated with the head after a flush; NULL */
	svl_event_in batch[XFER_BATCH];
	svl_position pos[XFER_BATCH];
	size_t n;		     /* records waiting in batch */
	uint64_t next_seq;	     /* the seq the next record must have */
	uint8_t prev[SVL_HASH_SIZE]; /* the hash of next_seq - 1 */
	xfer_arena arena;
} xfer_appender;

/* Start after the head of log (borrowed; it must outlive ap). Returns 0
 * or prints the error and returns its exit code. */
int xfer_appender_init(xfer_appender *ap, const cli_ctx *ctx, svl_log *log);

/* Check r (env_hash: the hash of its envelope's bytes) and queue it; a
 * full batch is flushed. 0 or an exit code (nothing of r queued). */
int xfer_appender_add(xfer_appender *ap, const xfer_rec *r,
		      const uint8_t env_hash[SVL_HASH_SIZE]);

/* Append what is queued, in one transaction (durable unless the log was
 * opened with SVL_LOG_NOSYNC), and check the head. 0 or an exit code.
 * After an error of add or flush the appender is spent: re-init it from
 * the log's head to go on. */
int xfer_appender_flush(xfer_appender *ap);

/* Release the arena (not the log). */
void xfer_appender_free(xfer_appender *ap);

#endif /* SVL_TOOLS_CMD_XFER_H */
