/*
 * test_append_property.c - a seeded property of append: random batches of
 * random streams (including names that are prefixes of each other and raw
 * bytes), payloads written with msgpack-c, planted duplicates and
 * conflicts, and a reopen halfway; what is read back by seq, by stream and
 * by id equals what was written, and the chain verifies. The seed is in
 * every assertion message; SVL_TEST_SEED repeats a run.
 */
#include <criterion/criterion.h>
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "append_suite.h"
#include "fixture.h"

/* ---- property: what is read back equals what was written ---- */

enum { P_STREAMS = 9, P_BATCHES = 70, P_MAX_BATCH = 40 };

typedef struct want {
	char stream[SVL_STREAM_MAX];
	size_t stream_len;
	uint32_t type, schema;
	int64_t occurred;
	char actor[SVL_ACTOR_MAX];
	size_t actor_len;
	char role[SVL_ROLE_MAX];
	size_t role_len;
	uint8_t id[SVL_ID_SIZE];
	int has_corr, has_caus;
	uint8_t corr[SVL_ID_SIZE], caus[SVL_ID_SIZE];
	uint8_t *payload;
	size_t payload_len;
	uint64_t seq, version;
} want;

typedef struct model {
	uint64_t seed, rng;
	want *w;
	size_t n, cap;
	char stream[P_STREAMS][SVL_STREAM_MAX];
	size_t stream_len[P_STREAMS];
	uint64_t version[P_STREAMS];
} model;

static void rand_bytes(model *m, void *out, size_t n)
{
	uint8_t *p = out;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)svl_test_rand(&m->rng);
}

static void pack_obj(model *m, msgpack_packer *pk, int depth)
{
	char text[48];
	size_t len = svl_test_below(&m->rng, sizeof text);
	rand_bytes(m, text, len);
	switch (svl_test_below(&m->rng, depth < 4 ? 11 : 9)) {
	case 0:
		msgpack_pack_nil(pk);
		break;
	case 1:
		msgpack_pack_true(pk);
		break;
	case 2:
		msgpack_pack_uint64(pk, svl_test_rand(&m->rng) >>
					    svl_test_below(&m->rng, 64));
		break;
	case 3:
		msgpack_pack_int64(
		    pk, -(int64_t)(svl_test_rand(&m->rng) >>
				   (1 + svl_test_below(&m->rng, 63))));
		break;
	case 4:
		msgpack_pack_double(pk, (double)svl_test_rand(&m->rng) / 7.0);
		break;
	case 5:
		msgpack_pack_float(pk, 1.5f);
		break;
	case 6:
		msgpack_pack_str(pk, len);
		msgpack_pack_str_body(pk, text, len);
		break;
	case 7:
		msgpack_pack_bin(pk, len);
		msgpack_pack_bin_body(pk, text, len);
		break;
	case 8:
		msgpack_pack_ext(pk, 1, 5);
		msgpack_pack_ext_body(pk, text, 1);
		break;
	case 9: {
		size_t k = svl_test_below(&m->rng, 4);
		msgpack_pack_array(pk, k);
		for (size_t i = 0; i < k; i++)
			pack_obj(m, pk, depth + 1);
		break;
	}
	default: {
		size_t k = svl_test_below(&m->rng, 4);
		msgpack_pack_map(pk, k);
		for (size_t i = 0; i < 2 * k; i++)
			pack_obj(m, pk, depth + 1);
		break;
	}
	}
}

/* A random payload map, written with msgpack-c (not our own writer). */
static void rand_payload(model *m, want *w)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	if (svl_test_below(&m->rng, 50) == 0) {
		/* now and then close to the size limit */
		size_t len =
		    SVL_PAYLOAD_MAX - 16 - svl_test_below(&m->rng, 4000);
		uint8_t *blob = malloc(len);
		cr_assert_not_null(blob);
		rand_bytes(m, blob, len);
		msgpack_pack_map(&pk, 1);
		msgpack_pack_str_with_body(&pk, "blob", 4);
		msgpack_pack_bin_with_body(&pk, blob, len);
		free(blob);
	} else {
		size_t k = svl_test_below(&m->rng, 6);
		msgpack_pack_map(&pk, k);
		for (size_t i = 0; i < k; i++) {
			char key[24];
			snprintf(key, sizeof key, "k%zu", i);
			msgpack_pack_str_with_body(&pk, key, strlen(key));
			pack_obj(m, &pk, 1);
		}
	}
	w->payload = (uint8_t *)sb.data; /* the model owns it now */
	w->payload_len = sb.size;
}

static void model_init(model *m, uint64_t seed)
{
	memset(m, 0, sizeof *m);
	m->seed = m->rng = seed;
	/* prefix-related names, the longest allowed, and raw bytes */
	memcpy(m->stream[0], "a", 1);
	m->stream_len[0] = 1;
	memcpy(m->stream[1], "ab", 2);
	m->stream_len[1] = 2;
	memset(m->stream[2], 'z', SVL_STREAM_MAX);
	m->stream_len[2] = SVL_STREAM_MAX;
	for (int s = 3; s < P_STREAMS; s++) {
		m->stream_len[s] = 1 + svl_test_below(&m->rng, SVL_STREAM_MAX);
		rand_bytes(m, m->stream[s], m->stream_len[s]);
	}
}

static want *model_push(model *m)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->w = realloc(m->w, m->cap * sizeof *m->w);
		cr_assert_not_null(m->w);
	}
	want *w = &m->w[m->n++];
	memset(w, 0, sizeof *w);
	return w;
}

static void rand_event(model *m, want *w, int s)
{
	memcpy(w->stream, m->stream[s], m->stream_len[s]);
	w->stream_len = m->stream_len[s];
	w->type = (uint32_t)svl_test_rand(&m->rng);
	w->schema = 1 + (uint32_t)svl_test_below(&m->rng, UINT32_MAX);
	w->occurred =
	    (int64_t)svl_test_rand(&m->rng) >> svl_test_below(&m->rng, 63);
	w->actor_len = svl_test_below(&m->rng, SVL_ACTOR_MAX + 1);
	rand_bytes(m, w->actor, w->actor_len);
	w->role_len = svl_test_below(&m->rng, SVL_ROLE_MAX + 1);
	rand_bytes(m, w->role, w->role_len);
	if (svl_test_below(&m->rng, 2))
		rand_bytes(m, w->id, SVL_ID_SIZE); /* else generated */
	w->has_corr = (int)svl_test_below(&m->rng, 2);
	w->has_caus = (int)svl_test_below(&m->rng, 2);
	rand_bytes(m, w->corr, SVL_ID_SIZE);
	rand_bytes(m, w->caus, SVL_ID_SIZE);
	rand_payload(m, w);
}

static svl_event_in event_of(const want *w, int64_t expected)
{
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	ev.stream = w->stream;
	ev.stream_len = w->stream_len;
	ev.type = w->type;
	ev.schema_version = w->schema;
	ev.occurred_at_ms = w->occurred;
	ev.actor = w->actor;
	ev.actor_len = w->actor_len;
	ev.role = w->role;
	ev.role_len = w->role_len;
	memcpy(ev.id, w->id, SVL_ID_SIZE);
	ev.correlation_id = w->has_corr ? w->corr : NULL;
	ev.causation_id = w->has_caus ? w->caus : NULL;
	ev.payload = w->payload;
	ev.payload_len = w->payload_len;
	ev.expected_version = expected;
	return ev;
}

static void assert_record_is(const svl_record *r, const want *w, uint64_t seed)
{
	unsigned long long sd = (unsigned long long)seed,
			   seq = (unsigned long long)w->seq;
	cr_assert_eq(r->seq, w->seq, "seed %llu seq %llu", sd, seq);
	cr_assert_eq(r->stream_len, w->stream_len, "seed %llu seq %llu", sd,
		     seq);
	cr_assert_eq(memcmp(r->stream, w->stream, w->stream_len), 0,
		     "seed %llu seq %llu: stream", sd, seq);
	cr_assert_eq(r->stream_version, w->version, "seed %llu seq %llu", sd,
		     seq);
	cr_assert_eq(r->type, w->type, "seed %llu seq %llu", sd, seq);
	cr_assert_eq(r->schema_version, w->schema, "seed %llu seq %llu", sd,
		     seq);
	cr_assert_eq(r->occurred_at_ms, w->occurred, "seed %llu seq %llu", sd,
		     seq);
	cr_assert_eq(r->actor_len, w->actor_len, "seed %llu seq %llu", sd, seq);
	cr_assert_eq(memcmp(r->actor, w->actor, w->actor_len), 0,
		     "seed %llu seq %llu: actor", sd, seq);
	cr_assert_eq(r->role_len, w->role_len, "seed %llu seq %llu", sd, seq);
	cr_assert_eq(memcmp(r->role, w->role, w->role_len), 0,
		     "seed %llu seq %llu: role", sd, seq);
	cr_assert_eq(memcmp(r->id, w->id, SVL_ID_SIZE), 0,
		     "seed %llu seq %llu: id", sd, seq);
	cr_assert_eq(r->correlation_id != NULL, w->has_corr,
		     "seed %llu seq %llu", sd, seq);
	if (w->has_corr)
		cr_assert_eq(memcmp(r->correlation_id, w->corr, SVL_ID_SIZE), 0,
			     "seed %llu seq %llu", sd, seq);
	cr_assert_eq(r->causation_id != NULL, w->has_caus, "seed %llu seq %llu",
		     sd, seq);
	if (w->has_caus)
		cr_assert_eq(memcmp(r->causation_id, w->caus, SVL_ID_SIZE), 0,
			     "seed %llu seq %llu", sd, seq);
	cr_assert_eq(r->payload_len, w->payload_len, "seed %llu seq %llu", sd,
		     seq);
	cr_assert_eq(memcmp(r->payload, w->payload, w->payload_len), 0,
		     "seed %llu seq %llu: payload", sd, seq);
}

/* One random batch; returns 1 if it was meant to conflict. */
static int run_batch(model *m, int b)
{
	size_t n = 1 + svl_test_below(&m->rng, P_MAX_BATCH);
	svl_event_in ev[P_MAX_BATCH];
	want *tmp = calloc(n, sizeof *tmp);
	size_t dup_of[P_MAX_BATCH]; /* index into m->w + 1, or 0 */
	uint64_t ver[P_STREAMS];
	int stream_of[P_MAX_BATCH];
	memcpy(ver, m->version, sizeof ver);
	int conflict_at = svl_test_below(&m->rng, 10) == 0
			      ? (int)svl_test_below(&m->rng, n)
			      : -1;
	for (size_t i = 0; i < n; i++) {
		dup_of[i] = 0;
		if (m->n && (int)i != conflict_at &&
		    svl_test_below(&m->rng, 12) == 0) {
			/* a retry of an event already in the log */
			dup_of[i] = 1 + svl_test_below(&m->rng, m->n);
			ev[i] = event_of(&m->w[dup_of[i] - 1], SVL_VERSION_ANY);
			continue;
		}
		int s = (int)svl_test_below(&m->rng, P_STREAMS);
		stream_of[i] = s;
		rand_event(m, &tmp[i], s);
		int64_t exp = SVL_VERSION_ANY;
		if ((int)i == conflict_at)
			exp = (int64_t)ver[s] + 1;
		else if (svl_test_below(&m->rng, 2))
			exp = (int64_t)ver[s];
		ver[s]++;
		ev[i] = event_of(&tmp[i], exp);
	}
	svl_position pos[P_MAX_BATCH];
	svl_head before = head();
	int rc = svl_log_append(log_, ev, n, pos);
	if (conflict_at >= 0) {
		cr_assert_eq(rc, SVL_ECONFLICT, "seed %llu batch %d: %d %s",
			     (unsigned long long)m->seed, b, rc,
			     svl_log_errmsg(log_));
		svl_head now = head();
		cr_assert_eq(now.seq, before.seq, "seed %llu batch %d",
			     (unsigned long long)m->seed, b);
		for (size_t i = 0; i < n; i++)
			free(tmp[i].payload);
		free(tmp);
		return 1;
	}
	cr_assert_eq(rc, SVL_OK, "seed %llu batch %d: %s",
		     (unsigned long long)m->seed, b, svl_log_errmsg(log_));
	for (size_t i = 0; i < n; i++) {
		if (dup_of[i]) {
			want *o = &m->w[dup_of[i] - 1];
			cr_assert_eq(pos[i].duplicate, 1, "seed %llu",
				     (unsigned long long)m->seed);
			cr_assert_eq(pos[i].seq, o->seq, "seed %llu",
				     (unsigned long long)m->seed);
			cr_assert_eq(pos[i].stream_version, o->version,
				     "seed %llu", (unsigned long long)m->seed);
			continue;
		}
		want *w = model_push(m);
		*w = tmp[i];
		memcpy(w->id, pos[i].id, SVL_ID_SIZE); /* generated ones */
		w->seq = m->n;
		w->version = ++m->version[stream_of[i]];
		cr_assert_eq(pos[i].duplicate, 0, "seed %llu",
			     (unsigned long long)m->seed);
		cr_assert_eq(pos[i].seq, w->seq, "seed %llu batch %d event %zu",
			     (unsigned long long)m->seed, b, i);
		cr_assert_eq(pos[i].stream_version, w->version, "seed %llu",
			     (unsigned long long)m->seed);
	}
	free(tmp);
	return 0;
}

static void check_model(model *m)
{
	unsigned long long sd = (unsigned long long)m->seed;
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK, "seed %llu",
		     sd);
	size_t k = 0;
	int64_t last_ms = INT64_MIN;
	while (svl_iter_next(it, &r) == SVL_OK) {
		cr_assert_lt(k, m->n, "seed %llu: extra records", sd);
		assert_record_is(&r, &m->w[k++], m->seed);
		cr_assert_geq(r.recorded_at_ms, last_ms, "seed %llu", sd);
		last_ms = r.recorded_at_ms;
	}
	svl_iter_close(it);
	cr_assert_eq(k, m->n, "seed %llu: %zu records read, %zu written", sd, k,
		     m->n);
	for (int s = 0; s < P_STREAMS; s++) {
		cr_assert_eq(svl_log_iter_stream(log_, m->stream[s],
						 m->stream_len[s], 0, 0, &it),
			     SVL_OK, "seed %llu", sd);
		size_t w = 0;
		uint64_t v = 0;
		while (svl_iter_next(it, &r) == SVL_OK) {
			while (w < m->n &&
			       (m->w[w].stream_len != m->stream_len[s] ||
				memcmp(m->w[w].stream, m->stream[s],
				       m->stream_len[s]) != 0))
				w++;
			cr_assert_lt(w, m->n, "seed %llu stream %d: extra", sd,
				     s);
			assert_record_is(&r, &m->w[w++], m->seed);
			v++;
		}
		svl_iter_close(it);
		cr_assert_eq(v, m->version[s], "seed %llu stream %d", sd, s);
		uint64_t cur;
		cr_assert_eq(svl_log_stream_version(log_, m->stream[s],
						    m->stream_len[s], &cur),
			     SVL_OK, "seed %llu", sd);
		cr_assert_eq(cur, m->version[s], "seed %llu stream %d", sd, s);
	}
	for (size_t i = 0; i < m->n; i++) {
		uint64_t seq;
		cr_assert_eq(svl_log_find_id(log_, m->w[i].id, &seq), SVL_OK,
			     "seed %llu", sd);
		cr_assert_eq(seq, m->w[i].seq, "seed %llu", sd);
	}
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log_, &rep), SVL_OK);
	cr_assert(rep.ok, "seed %llu: %s", sd, rep.detail);
	cr_assert_eq(rep.events, m->n, "seed %llu", sd);
}

Test(append, property_random_batches_read_back_exactly)
{
	model m;
	uint64_t seed = svl_test_seed();
	cr_log_info("append property seed %llu (SVL_TEST_SEED=%llu to "
		    "repeat)",
		    (unsigned long long)seed, (unsigned long long)seed);
	model_init(&m, seed);
	int conflicts = 0;
	for (int b = 0; b < P_BATCHES; b++) {
		conflicts += run_batch(&m, b);
		if (b == P_BATCHES / 2) {
			check_model(&m);
			reopen(0);
		}
	}
	check_model(&m);
	for (size_t i = 0; i < m.n; i++)
		free(m.w[i].payload);
	free(m.w);
	(void)conflicts;
}
