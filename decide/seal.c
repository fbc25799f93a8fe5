/*
 * seal.c - period seals: the signed text of a seal, the digest over the
 * records it covers, and the decider of ledger_sealed (docs/trust.md).
 *
 *   R-SEAL-1  a seal continues the one before it: from_seq is the previous
 *             seal's to_seq + 1 (1 for the first), prev_digest is its
 *             digest (zeros for the first); to_seq is in the log; head_hash
 *             is record to_seq's hash and digest is the digest of the
 *             records from..to; ledger_id is this ledger's; sealed_at_ms is
 *             the event's occurred_at
 *   R-SEAL-2  the signature verifies with public_key over the seal text
 *   R-KEY-3   public_key signs for the sealer at sealed_at_ms (keys.c)
 *
 * The digest is BLAKE2b-256 (libsodium's crypto_generichash, no key) over
 * prev_digest (32 bytes), then for each record from..to: its seq as u64
 * big-endian, its length as u32 big-endian, and its bytes as stored
 * (envelope || XXH3 hash). Chaining the digests makes a seal cover all of
 * history before it, and BLAKE2b makes a second preimage of XXH3 useless.
 */
#include <sodium.h>
#include <stdio.h>

#include "trust_int.h"

int svl__seal_text(const svl__seal_fields *f, svl__text *out)
{
	char hex[2 * SVL__DIG + 1];
	svl__text_add(out, "svcledger seal 1\n", 17);
	svl__hex(hex, f->ledger_id, SVL_ID_SIZE);
	svl__text_addf(out, "ledger=%s\n", hex);
	svl__text_addf(out, "from_seq=%llu\nto_seq=%llu\n",
		       (unsigned long long)f->from_seq,
		       (unsigned long long)f->to_seq);
	svl__hex(hex, f->head_hash, SVL_HASH_SIZE);
	svl__text_addf(out, "head_hash=%s\n", hex);
	svl__hex(hex, f->prev_digest, SVL__DIG);
	svl__text_addf(out, "prev_digest=%s\n", hex);
	svl__hex(hex, f->digest, SVL__DIG);
	svl__text_addf(out, "digest=%s\n", hex);
	svl__text_addf(out, "sealed_at_ms=%lld\nperiod=",
		       (long long)f->sealed_at_ms);
	svl__text_quoted(out, f->period, f->period_len);
	svl__text_add(out, "\nstaff=", 7);
	svl__text_quoted(out, f->staff, f->staff_len);
	svl__text_add(out, "\nrole=", 6);
	svl__text_quoted(out, f->role, f->role_len);
	svl__hex(hex, f->public_key, SVL__PK);
	svl__text_addf(out, "\nkey=%s\n", hex);
	return out->oom ? SVL_ENOMEM : SVL_OK;
}

int svl__seal_digest(svl_txn *txn, uint64_t from, uint64_t to,
		     const uint8_t prev[SVL__DIG], uint8_t out[SVL__DIG],
		     uint8_t last_hash[16])
{
	crypto_generichash_state st;
	svl_iter *it;
	svl_record r;
	uint64_t want = from;
	if (svl__sodium() != SVL_OK)
		return svl_txn_fail(txn, SVL_EIO, "libsodium did not start");
	crypto_generichash_init(&st, NULL, 0, SVL__DIG);
	crypto_generichash_update(&st, prev, SVL__DIG);
	int rc = svl_txn_iter_seq(txn, from, to, &it);
	if (rc != SVL_OK)
		return rc == SVL_ENOTFOUND
			   ? svl_txn_fail(txn, rc, "the log ends before seq "
						   "%llu",
					  (unsigned long long)from)
			   : rc;
	while (want <= to && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		if (r.seq != want) {
			rc = svl_txn_fail(txn, SVL_ECORRUPT,
					  "seq %llu is missing from the log",
					  (unsigned long long)want);
			break;
		}
		uint8_t hdr[12];
		svl__be64_put(hdr, r.seq);
		hdr[8] = (uint8_t)(r.raw_len >> 24);
		hdr[9] = (uint8_t)(r.raw_len >> 16);
		hdr[10] = (uint8_t)(r.raw_len >> 8);
		hdr[11] = (uint8_t)r.raw_len;
		crypto_generichash_update(&st, hdr, sizeof hdr);
		crypto_generichash_update(&st, r.raw, r.raw_len);
		if (r.seq == to && last_hash)
			memcpy(last_hash, r.hash, SVL_HASH_SIZE);
		want++;
	}
	svl_iter_close(it);
	if (rc == SVL_ITEROVER || (rc == SVL_OK && want <= to))
		rc = svl_txn_fail(txn, SVL_ENOTFOUND,
				  "the log ends at seq %llu, before seq %llu",
				  (unsigned long long)(want - 1),
				  (unsigned long long)to);
	if (rc == SVL_OK)
		crypto_generichash_final(&st, out, SVL__DIG);
	return rc;
}

/* ---- the decider ---------------------------------------------------------- */

typedef struct last_seal {
	int found;
	uint64_t to_seq;
	uint8_t digest[SVL__DIG];
} last_seal;

static int last_step(void *st, const svl_record *r, const svl_event_view *v)
{
	last_seal *l = st;
	if (r->type != SVL_T_LEDGER_SEALED)
		return SVL_OK;
	const svl_value *d = &v->v[SVL_F_LEDGER_SEALED_DIGEST];
	l->found = 1;
	l->to_seq = (uint64_t)v->v[SVL_F_LEDGER_SEALED_TO_SEQ].i;
	if (!svl__unhex(l->digest, SVL__DIG, d->s, d->len))
		return SVL_ECORRUPT;
	return SVL_OK;
}

/* The proposed seal's fields, unhexed (the schema checked the lengths). */
typedef struct seal_in {
	uint8_t ledger[SVL_ID_SIZE], head[SVL_HASH_SIZE];
	uint8_t prev[SVL__DIG], digest[SVL__DIG];
	uint8_t pk[SVL__PK], sig[SVL__SIG];
	svl__seal_fields f;
} seal_in;

static int unhex_field(svl__dctx *c, uint8_t *out, size_t n, uint32_t f)
{
	const svl_value *v = SVL__F(c, f);
	return svl__unhex(out, n, v->s, v->len);
}

static int read_seal(svl__dctx *c, seal_in *s)
{
	if (!unhex_field(c, s->ledger, SVL_ID_SIZE,
			 SVL_F_LEDGER_SEALED_LEDGER_ID) ||
	    !unhex_field(c, s->head, SVL_HASH_SIZE,
			 SVL_F_LEDGER_SEALED_HEAD_HASH) ||
	    !unhex_field(c, s->prev, SVL__DIG,
			 SVL_F_LEDGER_SEALED_PREV_DIGEST) ||
	    !unhex_field(c, s->digest, SVL__DIG, SVL_F_LEDGER_SEALED_DIGEST) ||
	    !unhex_field(c, s->pk, SVL__PK, SVL_F_LEDGER_SEALED_PUBLIC_KEY) ||
	    !unhex_field(c, s->sig, SVL__SIG, SVL_F_LEDGER_SEALED_SIGNATURE))
		return svl__invalid(c, "ledger_sealed: a hex field is not hex");
	const svl_value *period = SVL__F(c, SVL_F_LEDGER_SEALED_PERIOD);
	s->f = (svl__seal_fields){
	    s->ledger,
	    (uint64_t)SVL__F(c, SVL_F_LEDGER_SEALED_FROM_SEQ)->i,
	    (uint64_t)SVL__F(c, SVL_F_LEDGER_SEALED_TO_SEQ)->i,
	    s->head,
	    s->prev,
	    s->digest,
	    SVL__F(c, SVL_F_LEDGER_SEALED_SEALED_AT_MS)->i,
	    period->present ? period->s : "",
	    c->ev->actor,
	    c->ev->role,
	    period->present ? period->len : 0,
	    c->ev->actor_len,
	    c->ev->role_len,
	    s->pk};
	return SVL_OK;
}

/* R-SEAL-1 without the digest: identity, time, and the chain of seals. */
static int check_chain(svl__dctx *c, const seal_in *s)
{
	static const uint8_t zero[SVL__DIG];
	if (memcmp(s->ledger, svl_log_id(svl_txn_log(c->txn)), SVL_ID_SIZE))
		return svl__refuse(c, "R-SEAL-1",
				   "the seal names another ledger");
	if (s->f.sealed_at_ms != c->ev->occurred_at_ms)
		return svl__refuse(c, "R-SEAL-1",
				   "sealed_at_ms is not the event's "
				   "occurred_at");
	last_seal l = {0};
	int rc = svl__fold(c, "seal", SVL__F(c, SVL_F_LEDGER_SEALED_LEDGER_ID),
			   0, last_step, &l);
	if (rc != SVL_OK)
		return rc;
	uint64_t from = l.found ? l.to_seq + 1 : 1;
	if (s->f.from_seq != from)
		return svl__refuse(c, "R-SEAL-1",
				   "the seal starts at seq %llu; the %s seal "
				   "must start at seq %llu",
				   (unsigned long long)s->f.from_seq,
				   l.found ? "next" : "first",
				   (unsigned long long)from);
	if (memcmp(s->prev, l.found ? l.digest : zero, SVL__DIG))
		return svl__refuse(c, "R-SEAL-1",
				   "prev_digest is not the previous seal's "
				   "digest");
	svl_head h;
	if ((rc = svl_txn_head(c->txn, &h)) != SVL_OK)
		return rc;
	if (s->f.to_seq < s->f.from_seq || s->f.to_seq > h.seq)
		return svl__refuse(c, "R-SEAL-1",
				   "to_seq %llu is not in %llu..%llu (the "
				   "log's head)",
				   (unsigned long long)s->f.to_seq,
				   (unsigned long long)s->f.from_seq,
				   (unsigned long long)h.seq);
	return SVL_OK;
}

/* R-SEAL-1's digest and head hash, recomputed from the records. */
static int check_digest(svl__dctx *c, const seal_in *s)
{
	uint8_t d[SVL__DIG], last[SVL_HASH_SIZE];
	int rc = svl__seal_digest(c->txn, s->f.from_seq, s->f.to_seq, s->prev,
				  d, last);
	if (rc != SVL_OK)
		return rc;
	if (memcmp(last, s->head, SVL_HASH_SIZE))
		return svl__refuse(c, "R-SEAL-1",
				   "head_hash is not the hash of seq %llu",
				   (unsigned long long)s->f.to_seq);
	if (memcmp(d, s->digest, SVL__DIG))
		return svl__refuse(c, "R-SEAL-1",
				   "digest is not the digest of seq "
				   "%llu..%llu",
				   (unsigned long long)s->f.from_seq,
				   (unsigned long long)s->f.to_seq);
	return SVL_OK;
}

int svl__decide_seal(svl__dctx *c)
{
	if (c->ev->type != SVL_T_LEDGER_SEALED)
		return SVL_OK;
	seal_in s;
	int rc = read_seal(c, &s);
	if (rc == SVL_OK)
		rc = check_chain(c, &s);
	if (rc == SVL_OK)
		rc = svl__check_key(c, c->ev->actor, c->ev->actor_len,
				    SVL__F(c, SVL_F_LEDGER_SEALED_PUBLIC_KEY)->s,
				    s.f.sealed_at_ms, "ledger_sealed");
	if (rc != SVL_OK)
		return rc;
	svl__text t = {0};
	rc = svl__seal_text(&s.f, &t);
	if (rc == SVL_OK && (rc = svl__sodium()) == SVL_OK &&
	    crypto_sign_verify_detached(s.sig, (const unsigned char *)t.p,
					t.len, s.pk) != 0)
		rc = svl__refuse(c, "R-SEAL-2",
				 "the seal's signature does not verify with "
				 "its public_key");
	svl__text_free(&t);
	return rc == SVL_OK ? check_digest(c, &s) : rc;
}
