/*
 * seal_json.c - the seal file: one JSON object per line, one line per
 * seal, in seal order (docs/trust.md "The seal file").
 *
 *   {"seal":1,"ledger_id":"<32 hex>","seq":4813,"from_seq":1,
 *    "to_seq":4812,"head_hash":"<32 hex>","prev_digest":"<64 hex>",
 *    "digest":"<64 hex>","sealed_at_ms":1790755200000,"period":"2026-09",
 *    "staff_id":"E001","role":"service_manager","public_key":"<64 hex>",
 *    "signature":"<128 hex>"}
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>

#include "seals_int.h"

size_t svl_seal_to_json(const svl_seal *s, char *buf, size_t cap)
{
	char lid[33], head[33], prev[65], dig[65], pk[65], sig[129];
	svl__text t = {0};
	svl__hex(lid, s->ledger_id, SVL_ID_SIZE);
	svl__hex(head, s->head_hash, SVL_HASH_SIZE);
	svl__hex(prev, s->prev_digest, SVL__DIG);
	svl__hex(dig, s->digest, SVL__DIG);
	svl__hex(pk, s->public_key, SVL__PK);
	svl__hex(sig, s->signature, SVL__SIG);
	svl__text_addf(&t,
		       "{\"seal\":1,\"ledger_id\":\"%s\",\"seq\":%llu,"
		       "\"from_seq\":%llu,\"to_seq\":%llu,\"head_hash\":\"%s\",",
		       lid, (unsigned long long)s->seq,
		       (unsigned long long)s->from_seq,
		       (unsigned long long)s->to_seq, head);
	svl__text_addf(&t, "\"prev_digest\":\"%s\",\"digest\":\"%s\",", prev,
		       dig);
	svl__text_addf(&t, "\"sealed_at_ms\":%lld,\"period\":",
		       (long long)s->sealed_at_ms);
	svl__text_quoted(&t, s->period, strlen(s->period));
	svl__text_add(&t, ",\"staff_id\":", 12);
	svl__text_quoted(&t, s->staff_id, strlen(s->staff_id));
	svl__text_add(&t, ",\"role\":", 8);
	svl__text_quoted(&t, s->role, strlen(s->role));
	svl__text_addf(&t, ",\"public_key\":\"%s\",", pk);
	svl__text_addf(&t, "\"signature\":\"%s\"}", sig);
	size_t n = t.oom ? 0 : t.len;
	if (buf && cap) {
		size_t k = n < cap ? n : cap - 1;
		memcpy(buf, t.p ? t.p : "", k);
		buf[k] = '\0';
	}
	svl__text_free(&t);
	return n;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return SVL_EINVAL;
}

static int get_hex(json_t *o, const char *key, uint8_t *out, size_t n,
		   char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) ||
	    !svl__unhex(out, n, json_string_value(v), json_string_length(v)))
		return bad(err, errlen, "%s: expected %zu lowercase hex digits",
			   key, 2 * n);
	return SVL_OK;
}

static int get_u64(json_t *o, const char *key, int64_t min, int64_t *out,
		   char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < min)
		return bad(err, errlen, "%s: expected an integer >= %lld", key,
			   (long long)min);
	*out = json_integer_value(v);
	return SVL_OK;
}

static int get_str(json_t *o, const char *key, char *out, size_t cap,
		   char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) >= cap ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return bad(err, errlen, "%s: expected a string of at most %zu "
					"bytes", key, cap - 1);
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return SVL_OK;
}

static int fields(json_t *o, svl_seal *s, char *err, size_t errlen)
{
	int64_t seq = 0, from = 0, to = 0, at = 0, ver = 0;
	int rc = get_u64(o, "seal", 1, &ver, err, errlen);
	if (rc == SVL_OK && ver != 1)
		rc = bad(err, errlen, "seal: version %lld is not known",
			 (long long)ver);
	if (rc == SVL_OK)
		rc = get_u64(o, "seq", 1, &seq, err, errlen);
	if (rc == SVL_OK)
		rc = get_u64(o, "from_seq", 1, &from, err, errlen);
	if (rc == SVL_OK)
		rc = get_u64(o, "to_seq", 1, &to, err, errlen);
	if (rc == SVL_OK)
		rc = get_u64(o, "sealed_at_ms", 0, &at, err, errlen);
	s->seq = (uint64_t)seq;
	s->from_seq = (uint64_t)from;
	s->to_seq = (uint64_t)to;
	s->sealed_at_ms = at;
	if (rc == SVL_OK)
		rc = get_str(o, "period", s->period, sizeof s->period, err,
			     errlen);
	if (rc == SVL_OK)
		rc = get_str(o, "staff_id", s->staff_id, sizeof s->staff_id,
			     err, errlen);
	if (rc == SVL_OK)
		rc = get_str(o, "role", s->role, sizeof s->role, err, errlen);
	return rc;
}

int svl_seal_from_json(svl_seal *out, const char *line, size_t len, char *err,
		       size_t errlen)
{
	json_error_t je;
	if (!out || !line)
		return SVL_EMISUSE;
	memset(out, 0, sizeof *out);
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		return bad(err, errlen, "not a JSON object: %s",
			   o ? "another JSON value" : je.text);
	}
	int rc = fields(o, out, err, errlen);
	if (rc == SVL_OK)
		rc = get_hex(o, "ledger_id", out->ledger_id, SVL_ID_SIZE, err,
			     errlen);
	if (rc == SVL_OK)
		rc = get_hex(o, "head_hash", out->head_hash, SVL_HASH_SIZE, err,
			     errlen);
	if (rc == SVL_OK)
		rc = get_hex(o, "prev_digest", out->prev_digest, SVL__DIG, err,
			     errlen);
	if (rc == SVL_OK)
		rc = get_hex(o, "digest", out->digest, SVL__DIG, err, errlen);
	if (rc == SVL_OK)
		rc = get_hex(o, "public_key", out->public_key, SVL__PK, err,
			     errlen);
	if (rc == SVL_OK)
		rc = get_hex(o, "signature", out->signature, SVL__SIG, err,
			     errlen);
	json_decref(o);
	return rc;
}
