/*
 * test_append.c - appending batches (engine/append.c): validation and
 * limits, optimistic concurrency, idempotent retries, the gap-free
 * sequence, map growth inside a batch, the append hook. The seeded
 * property test is in test_append_property.c.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <msgpack.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "append_suite.h"
#include "internal.h"
#include "fixture.h"

static void assert_verifies(void)
{
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log_, &rep), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	cr_assert(rep.ok, "verify: %s", rep.detail);
}

static void assert_head_is(const svl_head *before)
{
	svl_head now = head();
	cr_assert_eq(now.seq, before->seq, "head moved from %llu to %llu",
		     (unsigned long long)before->seq,
		     (unsigned long long)now.seq);
	cr_assert_eq(memcmp(now.hash, before->hash, SVL_HASH_SIZE), 0);
}

static uint64_t version_of(const char *stream)
{
	uint64_t v = 99;
	cr_assert_eq(svl_log_stream_version(log_, stream, strlen(stream), &v),
		     SVL_OK);
	return v;
}

static void append_ok(svl_event_in *ev, size_t n, svl_position *pos)
{
	cr_assert_eq(svl_log_append(log_, ev, n, pos), SVL_OK, "%s",
		     svl_log_errmsg(log_));
}

static int contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* ---- a bad event inside a batch ---- */

enum defect {
	EMPTY_STREAM,
	NULL_STREAM,
	LONG_STREAM,
	NON_MAP_PAYLOAD,
	EMPTY_PAYLOAD,
	TRAILING_BYTES,
	TRUNCATED_MAP,
	BIG_PAYLOAD,
	LONG_ACTOR,
	LONG_ROLE,
	ZERO_SCHEMA,
	BAD_EXPECTED,
	DEEP_PAYLOAD,
};

struct bad_case {
	enum defect defect;
	int rc;
	char field[24]; /* the message must name it */
};

ParameterizedTestParameters(append, bad_event_in_batch_leaves_nothing)
{
	static struct bad_case cases[] = {
	    {EMPTY_STREAM, SVL_EINVAL, "stream"},
	    {NULL_STREAM, SVL_EINVAL, "stream"},
	    {LONG_STREAM, SVL_ELIMIT, "stream"},
	    {NON_MAP_PAYLOAD, SVL_EINVAL, "payload"},
	    {EMPTY_PAYLOAD, SVL_EINVAL, "payload"},
	    {TRAILING_BYTES, SVL_EINVAL, "payload"},
	    {TRUNCATED_MAP, SVL_EINVAL, "payload"},
	    {BIG_PAYLOAD, SVL_ELIMIT, "payload"},
	    {LONG_ACTOR, SVL_ELIMIT, "actor"},
	    {LONG_ROLE, SVL_ELIMIT, "role"},
	    {ZERO_SCHEMA, SVL_EINVAL, "schema_version"},
	    {BAD_EXPECTED, SVL_EINVAL, "expected_version"},
	    {DEEP_PAYLOAD, SVL_ELIMIT, "payload"},
	};
	return cr_make_param_array(struct bad_case, cases,
				   sizeof cases / sizeof cases[0]);
}

/* {"d": {"d": ... {}}} with `levels` maps in all; returns the length. */
static size_t nested_payload(uint8_t *buf, int levels)
{
	size_t n = 0;
	for (int i = 0; i < levels - 1; i++) {
		buf[n++] = 0x81;
		buf[n++] = 0xa1;
		buf[n++] = 'd';
	}
	buf[n++] = 0x80;
	return n;
}

static void spoil(svl_event_in *ev, enum defect d, uint8_t *scratch)
{
	static char long_text[SVL_STREAM_MAX + 1];
	memset(long_text, 'x', sizeof long_text);
	switch (d) {
	case EMPTY_STREAM:
		ev->stream_len = 0;
		break;
	case NULL_STREAM:
		ev->stream = NULL;
		break;
	case LONG_STREAM:
		ev->stream = long_text;
		ev->stream_len = SVL_STREAM_MAX + 1;
		break;
	case NON_MAP_PAYLOAD:
		scratch[0] = 0x92; /* [1, 2] */
		scratch[1] = 0x01;
		scratch[2] = 0x02;
		ev->payload = scratch;
		ev->payload_len = 3;
		break;
	case EMPTY_PAYLOAD:
		ev->payload_len = 0;
		break;
	case TRAILING_BYTES:
		scratch[0] = 0x80; /* {} then a stray 1 */
		scratch[1] = 0x01;
		ev->payload = scratch;
		ev->payload_len = 2;
		break;
	case TRUNCATED_MAP:
		scratch[0] = 0x82; /* two pairs announced, one given */
		scratch[1] = 0xa1;
		scratch[2] = 'k';
		scratch[3] = 0x01;
		ev->payload = scratch;
		ev->payload_len = 4;
		break;
	case BIG_PAYLOAD:
		ev->payload_len =
		    svl_test_payload_sized(scratch, 7, SVL_PAYLOAD_MAX + 1);
		ev->payload = scratch;
		cr_assert_eq(ev->payload_len, SVL_PAYLOAD_MAX + 1);
		break;
	case LONG_ACTOR:
		ev->actor = long_text;
		ev->actor_len = SVL_ACTOR_MAX + 1;
		break;
	case LONG_ROLE:
		ev->role = long_text;
		ev->role_len = SVL_ROLE_MAX + 1;
		break;
	case ZERO_SCHEMA:
		ev->schema_version = 0;
		break;
	case BAD_EXPECTED:
		ev->expected_version = -2;
		break;
	case DEEP_PAYLOAD:
		ev->payload_len =
		    nested_payload(scratch, SVL_MSGPACK_DEPTH_MAX + 1);
		ev->payload = scratch;
		break;
	}
}

ParameterizedTest(struct bad_case *c, append, bad_event_in_batch_leaves_nothing)
{
	uint8_t bufs[7][16];
	svl_event_in pre[2] = {svl_test_event("a", bufs[5], 1),
			       svl_test_event("b", bufs[6], 2)};
	append_ok(pre, 2, NULL);
	svl_head before = head();

	svl_event_in ev[5];
	const char *streams[5] = {"a", "c", "b", "c", "a"};
	for (int i = 0; i < 5; i++) {
		ev[i] = svl_test_event(streams[i], bufs[i], 10 + i);
		svl_test_id(ev[i].id, 42, (uint64_t)i); /* to look up later */
	}
	uint8_t *scratch = malloc(SVL_PAYLOAD_MAX + 64);
	cr_assert_not_null(scratch);
	spoil(&ev[2], c->defect, scratch);

	svl_position pos[5];
	int rc = svl_log_append(log_, ev, 5, pos);
	cr_assert_eq(rc, c->rc, "defect %d: got %d (%s), want %d", c->defect,
		     rc, svl_log_errmsg(log_), c->rc);
	const char *msg = svl_log_errmsg(log_);
	cr_assert(contains(msg, "event index 2"), "message lacks the index: %s", msg);
	cr_assert(contains(msg, c->field), "message lacks '%s': %s", c->field,
		  msg);
	cr_assert_null(strchr(msg, '\n'));

	assert_head_is(&before);
	cr_assert_eq(version_of("a"), 1);
	cr_assert_eq(version_of("c"), 0);
	for (int i = 0; i < 5; i++) {
		uint64_t seq;
		cr_assert_eq(svl_log_find_id(log_, ev[i].id, &seq),
			     SVL_ENOTFOUND, "event %d's id was recorded", i);
	}
	assert_verifies();
	free(scratch);
}

/* ---- limits ---- */

static int append_one(svl_event_in *ev)
{
	return svl_log_append(log_, ev, 1, NULL);
}

Test(append, stream_actor_role_limits_give_elimit_at_max_plus_one)
{
	char text[SVL_STREAM_MAX + 1];
	memset(text, 's', sizeof text);
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("x", buf, 1);
	ev.stream = text;
	ev.stream_len = SVL_STREAM_MAX;
	cr_assert_eq(append_one(&ev), SVL_OK, "%s", svl_log_errmsg(log_));
	ev.stream_len = SVL_STREAM_MAX + 1;
	cr_assert_eq(append_one(&ev), SVL_ELIMIT);
	cr_assert(contains(svl_log_errmsg(log_), "limit 128"), "%s",
		  svl_log_errmsg(log_));

	ev = svl_test_event("x", buf, 1);
	ev.actor = text;
	ev.actor_len = SVL_ACTOR_MAX;
	cr_assert_eq(append_one(&ev), SVL_OK, "%s", svl_log_errmsg(log_));
	ev.actor_len = SVL_ACTOR_MAX + 1;
	cr_assert_eq(append_one(&ev), SVL_ELIMIT);
	cr_assert(contains(svl_log_errmsg(log_), "limit 64"), "%s",
		  svl_log_errmsg(log_));

	ev = svl_test_event("x", buf, 1);
	ev.role = text;
	ev.role_len = SVL_ROLE_MAX;
	cr_assert_eq(append_one(&ev), SVL_OK, "%s", svl_log_errmsg(log_));
	ev.role_len = SVL_ROLE_MAX + 1;
	cr_assert_eq(append_one(&ev), SVL_ELIMIT);
	cr_assert(contains(svl_log_errmsg(log_), "limit 32"), "%s",
		  svl_log_errmsg(log_));

	/* a NULL actor or role with a length is a misdescribed field */
	ev = svl_test_event("x", buf, 1);
	ev.actor = NULL;
	cr_assert_eq(append_one(&ev), SVL_EINVAL);
	cr_assert(contains(svl_log_errmsg(log_), "actor is NULL"), "%s",
		  svl_log_errmsg(log_));
	ev = svl_test_event("x", buf, 1);
	ev.role = NULL;
	cr_assert_eq(append_one(&ev), SVL_EINVAL);
	cr_assert(contains(svl_log_errmsg(log_), "role is NULL"), "%s",
		  svl_log_errmsg(log_));

	/* empty actor and role are allowed */
	ev = svl_test_event("x", buf, 1);
	ev.actor = NULL;
	ev.actor_len = 0;
	ev.role = NULL;
	ev.role_len = 0;
	cr_assert_eq(append_one(&ev), SVL_OK, "%s", svl_log_errmsg(log_));
	cr_assert_eq(head().seq, 4);
	assert_verifies();
}

Test(append, payload_size_limit_gives_elimit_at_max_plus_one)
{
	uint8_t *buf = malloc(SVL_PAYLOAD_MAX + 16);
	cr_assert_not_null(buf);
	svl_event_in ev = svl_test_event("p", buf, 1);
	ev.payload_len = svl_test_payload_sized(buf, 1, SVL_PAYLOAD_MAX);
	cr_assert_eq(ev.payload_len, SVL_PAYLOAD_MAX);
	cr_assert_eq(append_one(&ev), SVL_OK, "%s", svl_log_errmsg(log_));
	ev.payload_len = svl_test_payload_sized(buf, 1, SVL_PAYLOAD_MAX + 1);
	cr_assert_eq(ev.payload_len, SVL_PAYLOAD_MAX + 1);
	cr_assert_eq(append_one(&ev), SVL_ELIMIT);
	cr_assert(contains(svl_log_errmsg(log_), "limit 65536"), "%s",
		  svl_log_errmsg(log_));
	cr_assert_eq(head().seq, 1);
	assert_verifies();
	free(buf);
}

Test(append, nesting_depth_limit_gives_elimit_at_max_plus_one)
{
	uint8_t buf[4 * SVL_MSGPACK_DEPTH_MAX];
	svl_event_in ev = svl_test_event("d", buf, 1);
	ev.payload_len = nested_payload(buf, SVL_MSGPACK_DEPTH_MAX);
	cr_assert_eq(append_one(&ev), SVL_OK, "%s", svl_log_errmsg(log_));
	ev.payload_len = nested_payload(buf, SVL_MSGPACK_DEPTH_MAX + 1);
	cr_assert_eq(append_one(&ev), SVL_ELIMIT, "%s", svl_log_errmsg(log_));
	cr_assert(contains(svl_log_errmsg(log_), "32"), "%s",
		  svl_log_errmsg(log_));
	/* the deepest accepted payload reads back */
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 1, 1, &it), SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK, "%s", svl_log_errmsg(log_));
	cr_assert_eq(r.payload_len, nested_payload(buf, SVL_MSGPACK_DEPTH_MAX));
	svl_iter_close(it);
	assert_verifies();
}

Test(append, batch_size_limit_gives_elimit)
{
	size_t n = SVL_BATCH_MAX + 1;
	svl_event_in *ev = calloc(n, sizeof *ev);
	cr_assert_not_null(ev);
	uint8_t buf[16];
	for (size_t i = 0; i < n; i++)
		ev[i] = svl_test_event("b", buf, 1);
	cr_assert_eq(svl_log_append(log_, ev, n, NULL), SVL_ELIMIT);
	cr_assert(contains(svl_log_errmsg(log_), "limit 100000"), "%s",
		  svl_log_errmsg(log_));
	cr_assert_eq(head().seq, 0);
	free(ev);
}

Test(append, batch_of_exactly_the_limit_is_accepted)
{
	svl_log_close(log_);
	log_ = svl_test_open(dir, SVL_LOG_NOSYNC, 0);
	cr_assert_not_null(log_);
	size_t n = SVL_BATCH_MAX;
	svl_event_in *ev = calloc(n, sizeof *ev);
	cr_assert_not_null(ev);
	uint8_t buf[16];
	for (size_t i = 0; i < n; i++)
		ev[i] = svl_test_event(i % 2 ? "odd" : "even", buf, 1);
	cr_assert_eq(svl_log_append(log_, ev, n, NULL), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	cr_assert_eq(head().seq, SVL_BATCH_MAX);
	cr_assert_eq(version_of("odd"), SVL_BATCH_MAX / 2);
	free(ev);
}

Test(append, event_with_every_field_at_its_limit_round_trips)
{
	static char stream[SVL_STREAM_MAX], actor[SVL_ACTOR_MAX],
	    role[SVL_ROLE_MAX];
	memset(stream, 0xff, sizeof stream); /* bytes, not text */
	memset(actor, 'a', sizeof actor);
	memset(role, 'r', sizeof role);
	uint8_t *buf = malloc(SVL_PAYLOAD_MAX);
	cr_assert_not_null(buf);
	uint8_t corr[SVL_ID_SIZE], caus[SVL_ID_SIZE];
	memset(corr, 0xcc, sizeof corr);
	memset(caus, 0xca, sizeof caus);
	svl_event_in ev = svl_test_event("x", buf, 1);
	ev.stream = stream;
	ev.stream_len = sizeof stream;
	ev.actor = actor;
	ev.actor_len = sizeof actor;
	ev.role = role;
	ev.role_len = sizeof role;
	ev.type = UINT32_MAX;
	ev.schema_version = UINT32_MAX;
	ev.occurred_at_ms = INT64_MIN;
	ev.recorded_at_ms = 1700000000000; /* any past time */
	ev.correlation_id = corr;
	ev.causation_id = caus;
	memset(ev.id, 0xff, SVL_ID_SIZE);
	ev.payload_len =
	    svl_test_payload_sized(buf, INT64_MIN, SVL_PAYLOAD_MAX);
	cr_assert_eq(ev.payload_len, SVL_PAYLOAD_MAX);
	svl_position pos;
	append_ok(&ev, 1, &pos);
	svl_iter *it;
	svl_record r;
	cr_assert_eq(
	    svl_log_iter_stream(log_, stream, sizeof stream, 0, 0, &it),
	    SVL_OK);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK, "%s", svl_log_errmsg(log_));
	cr_assert_eq(r.type, UINT32_MAX);
	cr_assert_eq(r.schema_version, UINT32_MAX);
	cr_assert_eq(r.occurred_at_ms, INT64_MIN);
	cr_assert_eq(r.recorded_at_ms, 1700000000000);
	cr_assert_eq(r.actor_len, SVL_ACTOR_MAX);
	cr_assert_eq(r.role_len, SVL_ROLE_MAX);
	cr_assert_eq(memcmp(r.causation_id, caus, SVL_ID_SIZE), 0);
	cr_assert_eq(r.payload_len, SVL_PAYLOAD_MAX);
	cr_assert_eq(memcmp(r.payload, buf, SVL_PAYLOAD_MAX), 0);
	svl_iter_close(it);
	/* recorded time cannot go back from here: live appends keep it */
	uint8_t b2[16];
	svl_event_in next = svl_test_event("x", b2, 2);
	append_ok(&next, 1, NULL);
	cr_assert_gt(head().recorded_at_ms, 1700000000000); /* now */
	assert_verifies();
	free(buf);
}

struct id_thread {
	uint8_t ids[2000][SVL_ID_SIZE];
};

static void *gen_ids(void *p)
{
	struct id_thread *t = p;
	for (int i = 0; i < 2000; i++)
		svl_event_id_generate(t->ids[i]);
	return NULL;
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, SVL_ID_SIZE);
}

Test(append, generated_ids_are_time_ordered_and_strictly_increasing)
{
	/* docs/format.md: bytes 0-5 are the UTC ms, and within one process
	 * each id is greater than the last, also within one millisecond */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t before =
	    (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	uint8_t prev[SVL_ID_SIZE] = {0}, id[SVL_ID_SIZE];
	for (int i = 0; i < 20000; i++) {
		svl_event_id_generate(id);
		cr_assert_gt(memcmp(id, prev, SVL_ID_SIZE), 0, "id %d", i);
		memcpy(prev, id, SVL_ID_SIZE);
	}
	uint64_t ms = 0;
	for (int i = 0; i < 6; i++)
		ms = ms << 8 | id[i];
	cr_assert_geq(ms, before);
	cr_assert_lt(ms, before + 60000);

	/* from several threads at once: all distinct */
	enum { T = 4 };
	struct id_thread *t = calloc(T, sizeof *t);
	pthread_t th[T];
	for (int i = 0; i < T; i++)
		pthread_create(&th[i], NULL, gen_ids, &t[i]);
	for (int i = 0; i < T; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < T; i++)
		for (int k = 1; k < 2000; k++)
			cr_assert_gt(
			    memcmp(t[i].ids[k], t[i].ids[k - 1], SVL_ID_SIZE),
			    0);
	qsort(t, T * 2000, SVL_ID_SIZE, cmp_id);
	uint8_t(*all)[SVL_ID_SIZE] = (void *)t;
	for (int k = 1; k < T * 2000; k++)
		cr_assert_neq(memcmp(all[k], all[k - 1], SVL_ID_SIZE), 0,
			      "two threads got the same id");
	free(t);
}

Test(append, empty_batch_is_ok_and_writes_nothing)
{
	cr_assert_eq(svl_log_append(log_, NULL, 0, NULL), SVL_OK);
	cr_assert_eq(head().seq, 0);
	assert_verifies();
}

/* ---- optimistic concurrency ---- */

Test(append, expected_version_conflict_names_stream_and_versions)
{
	uint8_t bufs[3][16];
	svl_event_in ev[2] = {svl_test_event("wo-17", bufs[0], 1),
			      svl_test_event("wo-17", bufs[1], 2)};
	append_ok(ev, 2, NULL);
	svl_head before = head();

	svl_event_in late = svl_test_event("wo-17", bufs[2], 3);
	late.expected_version = 1; /* the writer read version 1 */
	cr_assert_eq(append_one(&late), SVL_ECONFLICT);
	const char *msg = svl_log_errmsg(log_);
	cr_assert(contains(msg, "'wo-17'"), "%s", msg);
	cr_assert(contains(msg, "version 2"), "current version: %s", msg);
	cr_assert(contains(msg, "expected 1"), "expected version: %s", msg);
	assert_head_is(&before);

	late.expected_version = SVL_VERSION_NO_STREAM;
	cr_assert_eq(append_one(&late), SVL_ECONFLICT);
	assert_head_is(&before);

	late.expected_version = 2;
	cr_assert_eq(append_one(&late), SVL_OK, "%s", svl_log_errmsg(log_));
	cr_assert_eq(version_of("wo-17"), 3);

	svl_event_in fresh = svl_test_event("new", bufs[0], 9);
	fresh.expected_version = SVL_VERSION_NO_STREAM;
	cr_assert_eq(append_one(&fresh), SVL_OK, "%s", svl_log_errmsg(log_));
	assert_verifies();
}

Test(append, conflict_in_the_middle_of_a_batch_appends_nothing)
{
	uint8_t bufs[6][16];
	svl_event_in pre = svl_test_event("s", bufs[5], 0);
	append_ok(&pre, 1, NULL);
	svl_head before = head();

	svl_event_in ev[5];
	const char *streams[5] = {"t", "u", "s", "t", "v"};
	for (int i = 0; i < 5; i++) {
		ev[i] = svl_test_event(streams[i], bufs[i], i);
		svl_test_id(ev[i].id, 7, (uint64_t)i);
	}
	ev[0].expected_version = 0; /* right */
	ev[2].expected_version = 0; /* wrong: s is at 1 */
	cr_assert_eq(svl_log_append(log_, ev, 5, NULL), SVL_ECONFLICT);
	const char *msg = svl_log_errmsg(log_);
	cr_assert(contains(msg, "event index 2 of the batch"), "%s", msg);
	cr_assert(contains(msg, "'s'"), "%s", msg);
	assert_head_is(&before);
	for (int i = 0; i < 5; i++) {
		uint64_t seq;
		cr_assert_eq(svl_log_find_id(log_, ev[i].id, &seq),
			     SVL_ENOTFOUND, "event %d", i);
	}
	cr_assert_eq(version_of("t"), 0);
	assert_verifies();
}

Test(append, expected_versions_in_a_batch_count_earlier_events)
{
	uint8_t bufs[5][16];
	svl_event_in ev[5];
	const char *streams[5] = {"a", "b", "a", "a", "b"};
	int64_t expect[5] = {0, 0, 1, 2, 1};
	for (int i = 0; i < 5; i++) {
		ev[i] = svl_test_event(streams[i], bufs[i], i);
		ev[i].expected_version = expect[i];
	}
	svl_position pos[5];
	append_ok(ev, 5, pos);
	uint64_t want_ver[5] = {1, 1, 2, 3, 2};
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(pos[i].seq, (uint64_t)i + 1);
		cr_assert_eq(pos[i].stream_version, want_ver[i], "event %d", i);
		cr_assert_eq(pos[i].duplicate, 0);
	}

	/* two events both claiming to follow version 3 of a */
	svl_event_in twice[2] = {svl_test_event("a", bufs[0], 8),
				 svl_test_event("a", bufs[1], 9)};
	twice[0].expected_version = 3;
	twice[1].expected_version = 3;
	cr_assert_eq(svl_log_append(log_, twice, 2, NULL), SVL_ECONFLICT);
	const char *msg = svl_log_errmsg(log_);
	cr_assert(contains(msg, "event index 1 of the batch"), "%s", msg);
	cr_assert(contains(msg, "version 4, expected 3"), "%s", msg);
	cr_assert_eq(version_of("a"), 3);
}

/* ---- idempotency ---- */

Test(append, known_id_returns_original_position_and_appends_nothing)
{
	uint8_t bufs[4][16];
	svl_event_in first = svl_test_event("a", bufs[0], 1);
	svl_test_id(first.id, 1, 1);
	svl_position p1;
	append_ok(&first, 1, &p1);
	svl_event_in other[2] = {svl_test_event("a", bufs[1], 2),
				 svl_test_event("b", bufs[2], 3)};
	append_ok(other, 2, NULL);
	svl_head before = head();

	/* a retry resends the same event: its expected version may be
	 * stale now, it is not checked again */
	svl_event_in retry = first;
	retry.expected_version = 0;
	svl_position p2;
	append_ok(&retry, 1, &p2);
	cr_assert_eq(p2.duplicate, 1);
	cr_assert_eq(p2.seq, p1.seq);
	cr_assert_eq(p2.seq, 1);
	cr_assert_eq(p2.stream_version, 1);
	cr_assert_eq(memcmp(p2.id, first.id, SVL_ID_SIZE), 0);
	assert_head_is(&before);
	cr_assert_eq(p1.duplicate, 0);
	(void)bufs[3];
}

/* An idempotency key names one event: another event under an id already
 * in the log is a conflict naming the id and both seqs, not a silent
 * duplicate, and nothing of its batch is written. */
Test(append, known_id_with_other_content_is_a_conflict)
{
	uint8_t bufs[3][16];
	svl_event_in first = svl_test_event("a", bufs[0], 1);
	svl_test_id(first.id, 1, 1);
	append_ok(&first, 1, NULL);
	svl_head before = head();
	svl_event_in ev[2] = {svl_test_event("b", bufs[1], 2),
			      svl_test_event("zzz", bufs[2], 99)};
	memcpy(ev[1].id, first.id, SVL_ID_SIZE);
	cr_assert_eq(svl_log_append(log_, ev, 2, NULL), SVL_ECONFLICT);
	const char *msg = svl_log_errmsg(log_);
	cr_assert(contains(msg, "is already the id of seq 1"), "%s", msg);
	cr_assert(contains(msg, "would have been seq 3"), "%s", msg);
	cr_assert(contains(msg, "stream differs"), "%s", msg);
	assert_head_is(&before);
	cr_assert_eq(version_of("zzz"), 0);
	cr_assert_eq(version_of("b"), 0);
	/* the same stream, another payload: still another event */
	svl_event_in other = svl_test_event("a", bufs[2], 7);
	other.occurred_at_ms = first.occurred_at_ms;
	memcpy(other.id, first.id, SVL_ID_SIZE);
	cr_assert_eq(svl_log_append(log_, &other, 1, NULL), SVL_ECONFLICT);
	cr_assert(contains(svl_log_errmsg(log_), "payload differs"), "%s",
		  svl_log_errmsg(log_));
	assert_head_is(&before);
}

Test(append, known_id_is_a_duplicate_after_close_and_reopen)
{
	uint8_t bufs[3][16];
	svl_event_in ev[3] = {svl_test_event("a", bufs[0], 1),
			      svl_test_event("b", bufs[1], 2),
			      svl_test_event("a", bufs[2], 3)};
	svl_test_id(ev[0].id, 5, 0);
	svl_test_id(ev[1].id, 5, 1);
	svl_test_id(ev[2].id, 3, 0); /* smaller than the others */
	svl_position p[3];
	append_ok(ev, 3, p);
	reopen(0);
	svl_head before = head();
	svl_position q[3];
	append_ok(ev, 3, q);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(q[i].duplicate, 1, "event %d", i);
		cr_assert_eq(q[i].seq, p[i].seq);
		cr_assert_eq(q[i].stream_version, p[i].stream_version);
	}
	assert_head_is(&before);
	assert_verifies();
}

Test(append, retried_batch_whose_streams_moved_on_succeeds_as_duplicates)
{
	uint8_t bufs[5][16];
	svl_event_in batch[3] = {svl_test_event("a", bufs[0], 1),
				 svl_test_event("a", bufs[1], 2),
				 svl_test_event("b", bufs[2], 3)};
	batch[0].expected_version = 0;
	batch[1].expected_version = 1;
	batch[2].expected_version = 0;
	svl_position first[3];
	append_ok(batch, 3, first);
	/* the ids were generated: a retry sends the same ones */
	for (int i = 0; i < 3; i++)
		memcpy(batch[i].id, first[i].id, SVL_ID_SIZE);
	/* meanwhile both streams moved on */
	svl_event_in later[2] = {svl_test_event("a", bufs[3], 4),
				 svl_test_event("b", bufs[4], 5)};
	append_ok(later, 2, NULL);
	svl_head before = head();

	svl_position again[3];
	append_ok(batch, 3, again);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(again[i].duplicate, 1);
		cr_assert_eq(again[i].seq, first[i].seq);
		cr_assert_eq(again[i].stream_version, first[i].stream_version);
	}
	assert_head_is(&before);
	cr_assert_eq(version_of("a"), 3);

	/* reopened too */
	reopen(0);
	append_ok(batch, 3, again);
	cr_assert_eq(again[2].duplicate, 1);
	assert_head_is(&before);
}

Test(append, generated_ids_are_fresh_increasing_and_returned)
{
	uint8_t bufs[4][16];
	svl_event_in ev[4];
	for (int i = 0; i < 4; i++)
		ev[i] = svl_test_event("g", bufs[i], i);
	svl_position p[4];
	append_ok(ev, 4, p);
	static const uint8_t zero[SVL_ID_SIZE];
	for (int i = 0; i < 4; i++) {
		cr_assert_neq(memcmp(p[i].id, zero, SVL_ID_SIZE), 0);
		if (i)
			cr_assert_gt(memcmp(p[i].id, p[i - 1].id, SVL_ID_SIZE),
				     0, "ids not increasing at %d", i);
		uint64_t seq;
		cr_assert_eq(svl_log_find_id(log_, p[i].id, &seq), SVL_OK);
		cr_assert_eq(seq, p[i].seq);
	}
}

Test(append, batch_mixing_known_and_new_ids_appends_only_the_new)
{
	uint8_t bufs[4][16];
	svl_event_in a = svl_test_event("m", bufs[0], 1);
	svl_test_id(a.id, 9, 9);
	append_ok(&a, 1, NULL);

	svl_event_in ev[4] = {svl_test_event("m", bufs[1], 2), a,
			      svl_test_event("m", bufs[2], 3), a};
	svl_test_id(ev[0].id, 9, 10);
	svl_test_id(ev[2].id, 1, 0);
	svl_position p[4];
	append_ok(ev, 4, p);
	cr_assert_eq(p[0].seq, 2);
	cr_assert_eq(p[0].stream_version, 2);
	cr_assert_eq(p[1].seq, 1);
	cr_assert_eq(p[1].duplicate, 1);
	cr_assert_eq(p[2].seq, 3);
	cr_assert_eq(p[2].stream_version, 3);
	cr_assert_eq(p[3].seq, 1);
	cr_assert_eq(p[3].duplicate, 1);
	cr_assert_eq(head().seq, 3);
	assert_verifies();
}

Test(append, same_new_id_twice_in_one_batch_is_appended_once)
{
	uint8_t bufs[3][16];
	svl_event_in ev[3] = {svl_test_event("x", bufs[0], 1),
			      svl_test_event("y", bufs[1], 2),
			      svl_test_event("x", bufs[2], 3)};
	svl_test_id(ev[0].id, 4, 4);
	svl_test_id(ev[1].id, 2, 2);
	memcpy(ev[2].id, ev[0].id, SVL_ID_SIZE);
	svl_position p[3];
	ev[2] = ev[0]; /* the very same event again */
	append_ok(ev, 3, p);
	cr_assert_eq(p[0].duplicate, 0);
	cr_assert_eq(p[2].duplicate, 1);
	cr_assert_eq(p[2].seq, p[0].seq);
	cr_assert_eq(head().seq, 2);
	assert_verifies();
	(void)bufs[2];
}

Test(append, same_new_id_for_two_events_in_one_batch_is_a_conflict)
{
	uint8_t bufs[2][16];
	svl_event_in ev[2] = {svl_test_event("x", bufs[0], 1),
			      svl_test_event("x", bufs[1], 3)};
	svl_test_id(ev[0].id, 4, 4);
	memcpy(ev[1].id, ev[0].id, SVL_ID_SIZE);
	cr_assert_eq(svl_log_append(log_, ev, 2, NULL), SVL_ECONFLICT);
	cr_assert(contains(svl_log_errmsg(log_), "would have been seq 2"),
		  "%s", svl_log_errmsg(log_));
	cr_assert_eq(head().seq, 0, "nothing of the batch");
}

/* ---- sequence and versions ---- */

Test(append, seq_is_gap_free_from_1_and_stream_versions_from_1)
{
	const char *streams[] = {"p", "q", "r"};
	uint64_t expect_seq = 1, ver[3] = {0, 0, 0};
	for (int b = 0; b < 12; b++) {
		uint8_t bufs[7][16];
		svl_event_in ev[7];
		size_t n = (size_t)(b % 7) + 1;
		for (size_t i = 0; i < n; i++)
			ev[i] = svl_test_event(streams[(b + (int)i) % 3],
					       bufs[i], b * 10 + (int)i);
		svl_position p[7];
		append_ok(ev, n, p);
		for (size_t i = 0; i < n; i++) {
			int s = (b + (int)i) % 3;
			cr_assert_eq(p[i].seq, expect_seq++);
			cr_assert_eq(p[i].stream_version, ++ver[s]);
		}
	}
	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	uint64_t seq = 0;
	while (svl_iter_next(it, &r) == SVL_OK)
		cr_assert_eq(r.seq, ++seq, "gap before seq %llu",
			     (unsigned long long)r.seq);
	svl_iter_close(it);
	cr_assert_eq(seq, expect_seq - 1);
	for (int s = 0; s < 3; s++) {
		cr_assert_eq(
		    svl_log_iter_stream(log_, streams[s], 1, 0, 0, &it),
		    SVL_OK);
		uint64_t v = 0;
		while (svl_iter_next(it, &r) == SVL_OK)
			cr_assert_eq(r.stream_version, ++v);
		svl_iter_close(it);
		cr_assert_eq(v, ver[s]);
	}
}

/* ---- recorded time ---- */

Test(append, recorded_time_never_goes_back)
{
	uint8_t bufs[3][16];
	svl_event_in imp = svl_test_event("i", bufs[0], 1);
	int64_t later = svl__now_ms() + 60000; /* within the clock skew */
	imp.recorded_at_ms = later;
	append_ok(&imp, 1, NULL);
	svl_event_in live = svl_test_event("i", bufs[1], 2);
	append_ok(&live, 1, NULL);
	svl_head h = head();
	cr_assert_geq(h.recorded_at_ms, later);

	svl_event_in past = svl_test_event("i", bufs[2], 3);
	past.recorded_at_ms = later - 1;
	cr_assert_eq(append_one(&past), SVL_EINVAL);
	cr_assert(contains(svl_log_errmsg(log_), "event index 0: recorded_at"), "%s",
		  svl_log_errmsg(log_));
	cr_assert_eq(head().seq, 2);
	assert_verifies();
}

/* A recorded time ahead of the clock would move the ledger's recorded
 * clock (which never goes back) into the future for good: refused. */
Test(append, recorded_time_ahead_of_the_clock_is_refused)
{
	uint8_t buf[16];
	svl_event_in ev = svl_test_event("i", buf, 1);
	ev.recorded_at_ms = 4102444800000; /* 2100-01-01 */
	cr_assert_eq(append_one(&ev), SVL_EINVAL);
	cr_assert(contains(svl_log_errmsg(log_), "ahead of this machine's "
						 "clock"),
		  "%s", svl_log_errmsg(log_));
	cr_assert_eq(head().seq, 0);
	ev.recorded_at_ms = 0; /* the ledger's own time is fine */
	append_ok(&ev, 1, NULL);
	cr_assert_lt(head().recorded_at_ms, 4102444800000);
}

/* ---- map growth ---- */

Test(append, map_grows_in_the_middle_of_a_batch)
{
	reopen(1 << 20); /* 1 MiB; the batch needs several */
	enum { N = 4000, PAYLOAD = 1000 };
	svl_event_in *ev = calloc(N, sizeof *ev);
	uint8_t *bufs = malloc((size_t)N * PAYLOAD);
	svl_position *pos = calloc(N, sizeof *pos);
	cr_assert(ev && bufs && pos);
	const char *streams[] = {"g1", "g2", "g3"};
	for (int i = 0; i < N; i++) {
		uint8_t *b = bufs + (size_t)i * PAYLOAD;
		ev[i] = svl_test_event(streams[i % 3], b, i);
		ev[i].payload_len = svl_test_payload_sized(b, i, PAYLOAD);
		cr_assert_eq(ev[i].payload_len, PAYLOAD);
	}
	append_ok(ev, N, pos);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(pos[i].seq, (uint64_t)i + 1);
		cr_assert_eq(pos[i].stream_version, (uint64_t)i / 3 + 1);
	}
	cr_assert_eq(head().seq, N);

	svl_iter *it;
	svl_record r;
	cr_assert_eq(svl_log_iter_seq(log_, 0, 0, &it), SVL_OK);
	int n = 0;
	while (svl_iter_next(it, &r) == SVL_OK) {
		cr_assert_eq(r.payload_len, PAYLOAD);
		cr_assert_eq(memcmp(r.payload, ev[n].payload, PAYLOAD), 0,
			     "payload of seq %llu", (unsigned long long)r.seq);
		cr_assert_eq(memcmp(r.id, pos[n].id, SVL_ID_SIZE), 0);
		n++;
	}
	svl_iter_close(it);
	cr_assert_eq(n, N);
	assert_verifies();

	/* reopening with the small size again adopts the grown file */
	reopen(1 << 20);
	uint8_t b[16];
	svl_event_in more = svl_test_event("g1", b, -1);
	append_ok(&more, 1, NULL);
	cr_assert_eq(head().seq, N + 1);
	assert_verifies();
	free(ev);
	free(bufs);
	free(pos);
}

/* ---- the append hook ---- */

typedef struct seen {
	int calls;
	size_t n;
	uint64_t seq[64];
	uint64_t version[64];
	int64_t payload_n[64];
	char stream[64][8];
	unsigned table;
	int fail;
} seen;

static int64_t payload_n(const svl_record *r)
{
	/* {"n": n} as written by svl_test_payload, n a positive fixint */
	return r->payload_len == 4 ? r->payload[3] : -1;
}

static int hook(svl_txn *txn, const svl_record *recs, size_t n, void *p)
{
	seen *s = p;
	s->calls++;
	for (size_t i = 0; i < n && s->n < 64; i++, s->n++) {
		s->seq[s->n] = recs[i].seq;
		s->version[s->n] = recs[i].stream_version;
		s->payload_n[s->n] = payload_n(&recs[i]);
		snprintf(s->stream[s->n], 8, "%.*s", (int)recs[i].stream_len,
			 recs[i].stream);
	}
	/* what a projection does: write derived state in the same txn */
	uint8_t key[8];
	svl_test_be64(key, recs[n - 1].seq);
	int rc = svl_txn_put(txn, s->table, "last", 4, key, 8);
	if (rc == SVL_OK && s->fail)
		return svl_txn_fail(txn, SVL_EREFUSED, "hook says no (%d)",
				    s->fail);
	return rc;
}

static int read_last(svl_txn *txn, void *p)
{
	seen *s = p;
	const void *v;
	size_t vl;
	int rc = svl_txn_get(txn, s->table, "last", 4, &v, &vl);
	if (rc != SVL_OK)
		return rc;
	return vl == 8 ? (int)svl_test_get_be64(v) : SVL_ECORRUPT;
}

Test(append, hook_sees_exactly_the_new_records)
{
	seen s = {0};
	cr_assert_eq(svl_log_table(log_, "hooked", &s.table), SVL_OK);
	uint8_t bufs[5][16];
	svl_event_in a = svl_test_event("h1", bufs[0], 1);
	svl_test_id(a.id, 1, 1);
	append_ok(&a, 1, NULL); /* before the hook: not seen */
	svl_log_set_append_hook(log_, hook, &s);

	svl_event_in ev[4] = {svl_test_event("h2", bufs[1], 2), a,
			      svl_test_event("h1", bufs[2], 3),
			      svl_test_event("h2", bufs[3], 4)};
	svl_test_id(ev[0].id, 2, 0);
	svl_test_id(ev[2].id, 2, 1);
	svl_test_id(ev[3].id, 2, 2);
	append_ok(ev, 4, NULL);
	cr_assert_eq(s.calls, 1);
	cr_assert_eq(s.n, 3, "hook saw %zu records", s.n);
	uint64_t want_seq[3] = {2, 3, 4}, want_ver[3] = {1, 2, 2};
	int64_t want_n[3] = {2, 3, 4};
	const char *want_stream[3] = {"h2", "h1", "h2"};
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(s.seq[i], want_seq[i]);
		cr_assert_eq(s.version[i], want_ver[i]);
		cr_assert_eq(s.payload_n[i], want_n[i]);
		cr_assert_str_eq(s.stream[i], want_stream[i]);
	}
	cr_assert_eq(svl_log_read(log_, read_last, &s), 4);

	/* a batch of duplicates only: nothing new, the hook is not called */
	append_ok(ev, 4, NULL);
	cr_assert_eq(s.calls, 1);
	cr_assert_eq(head().seq, 4);
	svl_log_set_append_hook(log_, NULL, NULL);
	svl_event_in after = svl_test_event("h3", bufs[4], 5);
	append_ok(&after, 1, NULL);
	cr_assert_eq(s.calls, 1, "a removed hook was called");
}

Test(append, failing_hook_aborts_the_whole_batch)
{
	seen s = {0};
	cr_assert_eq(svl_log_table(log_, "hooked", &s.table), SVL_OK);
	uint8_t bufs[4][16];
	svl_event_in pre = svl_test_event("f", bufs[3], 0);
	append_ok(&pre, 1, NULL);
	svl_head before = head();
	svl_log_set_append_hook(log_, hook, &s);
	s.fail = 7;
	svl_event_in ev[3];
	for (int i = 0; i < 3; i++) {
		ev[i] = svl_test_event("f", bufs[i], i + 1);
		svl_test_id(ev[i].id, 77, (uint64_t)i);
	}
	cr_assert_eq(svl_log_append(log_, ev, 3, NULL), SVL_EREFUSED);
	cr_assert_str_eq(svl_log_errmsg(log_), "hook says no (7)");
	cr_assert_eq(s.calls, 1);
	assert_head_is(&before);
	cr_assert_eq(version_of("f"), 1);
	for (int i = 0; i < 3; i++) {
		uint64_t seq;
		cr_assert_eq(svl_log_find_id(log_, ev[i].id, &seq),
			     SVL_ENOTFOUND);
	}
	cr_assert_eq(svl_log_read(log_, read_last, &s), SVL_ENOTFOUND,
		     "the hook's own write survived the abort");
	assert_verifies();

	s.fail = 0;
	s.n = 0;
	append_ok(ev, 3, NULL);
	cr_assert_eq(s.n, 3);
	cr_assert_eq(s.seq[0], 2);
	cr_assert_eq(svl_log_read(log_, read_last, &s), 4);
}

/* ---- inside a caller's transaction ---- */

struct swallow {
	svl_event_in *ev;
	int expect[3]; /* code of each of the three appends */
	int got[3];
};

/* Three appends in one transaction; the second fails midway and the
 * function swallows the error and asks for a commit anyway. */
static int swallow_fn(svl_txn *txn, void *p)
{
	struct swallow *a = p;
	a->got[0] = svl_txn_append(txn, &a->ev[0], 2, NULL);
	a->got[1] = svl_txn_append(txn, &a->ev[2], 3, NULL);
	a->got[2] = svl_txn_append(txn, &a->ev[5], 1, NULL);
	return SVL_OK;
}

static void six_events(svl_event_in ev[6], uint8_t bufs[6][16])
{
	const char *streams[6] = {"k", "k", "m", "m", "k", "n"};
	for (int i = 0; i < 6; i++) {
		ev[i] = svl_test_event(streams[i], bufs[i], i + 1);
		svl_test_id(ev[i].id, 66, (uint64_t)i);
	}
}

Test(append, batch_failing_midway_in_a_transaction_cannot_be_committed)
{
	/* svl_txn_append is the same operation as svl_log_append: on any
	 * error nothing of the batch is appended, even if the caller goes on
	 * and asks for a commit */
	uint8_t bufs[6][16];
	svl_event_in ev[6];
	six_events(ev, bufs);
	ev[4].expected_version = 0; /* "k" is at 2 by then: conflict */
	struct swallow a = {ev, {0}, {0}};
	int rc = svl_log_write(log_, swallow_fn, &a);
	cr_assert_eq(a.got[0], SVL_OK);
	cr_assert_eq(a.got[1], SVL_ECONFLICT);
	cr_assert_eq(rc, SVL_ECONFLICT,
		     "a transaction holding half a batch was committed");
	cr_assert_eq(head().seq, 0);
	cr_assert_eq(version_of("m"), 0);
	assert_verifies();
}

Test(append, batch_refused_before_writing_leaves_the_transaction_usable)
{
	/* bad input is found before anything is written: the caller may
	 * handle it and commit the rest */
	uint8_t bufs[6][16];
	svl_event_in ev[6];
	six_events(ev, bufs);
	ev[2].expected_version = 5; /* the batch's first event conflicts */
	struct swallow a = {ev, {0}, {0}};
	cr_assert_eq(svl_log_write(log_, swallow_fn, &a), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	cr_assert_eq(a.got[1], SVL_ECONFLICT);
	cr_assert_eq(head().seq, 3, "the first and last appends commit");
	cr_assert_eq(version_of("m"), 0);
	assert_verifies();
}

static int fail_second_batch_hook(svl_txn *txn, const svl_record *recs,
				  size_t n, void *p)
{
	(void)txn;
	(void)n;
	int *calls = p;
	++*calls;
	return recs[0].stream[0] == 'm'
		   ? svl_txn_fail(txn, SVL_EREFUSED, "no m")
		   : SVL_OK;
}

Test(append, batch_whose_hook_failed_cannot_be_committed)
{
	uint8_t bufs[6][16];
	svl_event_in ev[6];
	six_events(ev, bufs);
	int calls = 0;
	svl_log_set_append_hook(log_, fail_second_batch_hook, &calls);
	struct swallow a = {ev, {0}, {0}};
	cr_assert_eq(svl_log_write(log_, swallow_fn, &a), SVL_EREFUSED);
	cr_assert_eq(a.got[1], SVL_EREFUSED);
	cr_assert_eq(head().seq, 0);
	assert_verifies();
}

struct big_batch {
	svl_event_in *ev;
	size_t n;
	int calls;
	char first_msg[512];
};

static int big_batch_fn(svl_txn *txn, void *p)
{
	struct big_batch *b = p;
	int rc = svl_txn_append(txn, b->ev, b->n, NULL);
	if (rc != SVL_OK && b->calls++ == 0)
		snprintf(b->first_msg, sizeof b->first_msg, "%s",
			 svl_log_errmsg(svl_txn_log(txn)));
	return rc;
}

Test(append, full_map_failure_keeps_its_own_message)
{
	/* the first run meets a full map; its detail must say so, not name
	 * a follow-on error of the failed transaction */
	reopen(1 << 20);
	enum { N = 3000, PAYLOAD = 1000 };
	svl_event_in *ev = calloc(N, sizeof *ev);
	uint8_t *bufs = malloc((size_t)N * PAYLOAD);
	cr_assert(ev && bufs);
	for (int i = 0; i < N; i++) {
		uint8_t *b = bufs + (size_t)i * PAYLOAD;
		ev[i] = svl_test_event("full", b, i);
		ev[i].payload_len = svl_test_payload_sized(b, i, PAYLOAD);
	}
	struct big_batch b = {ev, N, 0, ""};
	cr_assert_eq(svl_log_write(log_, big_batch_fn, &b), SVL_OK, "%s",
		     svl_log_errmsg(log_));
	cr_assert_geq(b.calls, 1, "the map never filled up");
	cr_assert(contains(b.first_msg, "MDB_MAP_FULL"), "%s", b.first_msg);
	cr_assert_eq(head().seq, N);
	free(ev);
	free(bufs);
}

/* ---- NOSYNC ---- */

Test(append, nosync_mode_appends_and_syncs_on_request)
{
	svl_log_close(log_);
	log_ = svl_test_open(dir, SVL_LOG_NOSYNC, 0);
	cr_assert_not_null(log_, "%s", svl_log_last_error());
	uint8_t bufs[8][16];
	svl_event_in ev[8];
	for (int i = 0; i < 8; i++)
		ev[i] = svl_test_event("n", bufs[i], i);
	append_ok(ev, 8, NULL);
	cr_assert_eq(svl_log_sync(log_), SVL_OK);
	reopen(0);
	cr_assert_eq(head().seq, 8);
	assert_verifies();
}

/* SVL_EVENT_IN_INIT checks no version: an event filled from it appends to
 * a stream that already has events (a zeroed struct would demand a new
 * stream). A version conflict names the stream and both versions once,
 * and the event's place only in a batch of several. */
Test(append, event_in_init_checks_no_version_and_conflicts_are_named_once)
{
	uint8_t bufs[3][16];
	svl_event_in first = svl_test_event("s", bufs[0], 1);
	append_ok(&first, 1, NULL);
	svl_event_in ev = SVL_EVENT_IN_INIT;
	ev.stream = "s";
	ev.stream_len = 1;
	ev.type = 1;
	ev.occurred_at_ms = 1700000000002;
	ev.actor = "E001";
	ev.actor_len = 4;
	ev.payload = bufs[1];
	ev.payload_len = svl_test_payload(bufs[1], 2);
	append_ok(&ev, 1, NULL);
	cr_assert_eq(version_of("s"), 2);
	svl_event_in stale = svl_test_event("s", bufs[2], 3);
	stale.expected_version = 0;
	cr_assert_eq(svl_log_append(log_, &stale, 1, NULL), SVL_ECONFLICT);
	cr_assert_str_eq(svl_log_errmsg(log_),
			 "stream 's' is at version 2, expected 0");
	svl_event_in two[2] = {svl_test_event("t", bufs[0], 4), stale};
	cr_assert_eq(svl_log_append(log_, two, 2, NULL), SVL_ECONFLICT);
	cr_assert_str_eq(svl_log_errmsg(log_),
			 "stream 's' is at version 2, expected 0 (event index 1 "
			 "of the batch)");
}
