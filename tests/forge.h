/*
 * forge.h - forgeries an insider with write access to a ledger's files can
 * make, for tests that prove the seals catch what the chain cannot.
 *
 * Each forgery leaves a ledger whose own XXH3 chain is consistent (except
 * where noted), so `svcledger verify` still says OK: the chain detects
 * damage, not a deliberate rewrite (docs/format.md, "What the chain does and
 * does not prove"). The forger works on the files with liblmdb and xxHash
 * alone, never through the project's library, so a bug of ours cannot make
 * a forgery look harder than it is.
 *
 * Rules for every function:
 *  - dir is a ledger directory (data.mdb, lock.mdb); the ledger must not be
 *    open in this process (LMDB forbids a second environment on the same
 *    files: closing ours would drop the other's locks), and no other
 *    process may hold it open either.
 *  - All changes of one call are one LMDB write transaction: on failure
 *    nothing is changed (forge_rollback_last_txn writes one meta page).
 *  - Returns 0, or -1 with a one-line message in err (err may be NULL or
 *    errlen 0 when the caller does not want it).
 *  - Projections (u.* tables) are left as they were: they still describe
 *    the ledger before the forgery.
 */
#ifndef SVL_TEST_FORGE_H
#define SVL_TEST_FORGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Overwrite len bytes at offset off of record seq's payload (element 13 of
 * the envelope: off 0 is the payload map's first header byte) with `bytes`,
 * then recompute the chain: the record's hash, every later record's
 * prev_hash and hash, and meta "head". The edit must lie wholly inside the
 * payload (off + len <= payload length) and len must be > 0. What the bytes
 * mean is the caller's business: replace digits inside a msgpack str or an
 * integer's bytes, keeping the payload well formed.
 */
int forge_edit_record(const char *dir, uint64_t seq, size_t off,
		      const void *bytes, size_t len, char *err, size_t errlen);

/*
 * Replace the first occurrence of `find` (len bytes) in record seq's
 * envelope (anywhere in it, header to prev_hash) with `repl` (the same len
 * bytes), then recompute the chain as forge_edit_record does. -1 when find
 * does not occur. An edit outside the payload (stream, id, ...) is made
 * as asked but leaves the `streams` and `ids` indexes as they were.
 */
int forge_replace_in_record(const char *dir, uint64_t seq, const void *find,
			    const void *repl, size_t len, char *err,
			    size_t errlen);

/*
 * Roll the ledger back by its last committed LMDB transaction: the txn id
 * of the newer of data.mdb's two meta pages is set to 0, so LMDB opens the
 * older one, and every change of that transaction (the last append batch
 * with its projection updates, say) is gone. Checked afterwards by opening
 * the environment: its last txn id must be one less than before. -1 when
 * there is nothing to roll back (no commit yet) or the older meta page is
 * not exactly one transaction older. For 64-bit LMDB 0.9 files.
 */
int forge_rollback_last_txn(const char *dir, char *err, size_t errlen);

/*
 * Delete the last n records (n > 0, at most all of them) with their
 * `streams` and `ids` entries, and rewrite meta "head" to the new last
 * record (seq 0 and the zero hash when none is left): a tail cut that the
 * head no longer shows. -1 when an index entry of a cut record is missing
 * or names another seq.
 */
int forge_cut_tail(const char *dir, uint64_t n, char *err, size_t errlen);

#endif
