/*
 * demo_emit.c - the generator's machinery: seeded randomness, the
 * simulated calendar, the JSON payload builder, and the pending events
 * that are submitted to the ledger one local day at a time.
 *
 * Why events wait in a pool instead of being submitted as they are made:
 * the generator writes a job's whole day at once (reception at 09:10,
 * delivery at 17:40, follow-up calls two days later), job after job, so
 * events are made out of time order. Each day the events of that day are
 * sorted by business time and submitted as one batch: the log then holds
 * them in the order they happened, the deciders judge each against exactly
 * the state before it, and one refusal stops the demo (nothing is
 * skipped). Ties keep generation order, which the generator makes causal.
 *
 * Event ids: 48 bits of recorded_at (ms), a 32-bit serial, 48 bits drawn
 * from the seed: deterministic, unique, and time-ordered like generated
 * ones. recorded_at is the business time plus a short entry delay, kept
 * strictly increasing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "demo.h"
#include "fmt.h"

#define ENTRY_DELAY_MS INT64_C(20000) /* typed in 20 s after the fact */

/* ---- randomness: splitmix64 (Steele, Lea, Flood 2014) ------------------- */

uint64_t demo_rand(demo_rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

size_t demo_pick(demo_rng *r, size_t n)
{
	/* the high 32 bits times n: no modulo bias worth the name for n far
	 * below 2^32, and no division */
	return (size_t)(((demo_rand(r) >> 32) * (uint64_t)n) >> 32);
}

int64_t demo_between(demo_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)demo_pick(r, (size_t)(hi - lo + 1));
}

int demo_chance(demo_rng *r, int permille)
{
	return (int)demo_pick(r, 1000) < permille;
}

size_t demo_weighted(demo_rng *r, const int *w, size_t n)
{
	int total = 0;
	for (size_t k = 0; k < n; k++)
		total += w[k];
	int x = (int)demo_pick(r, (size_t)total);
	for (size_t k = 0; k < n; k++) {
		if (x < w[k])
			return k;
		x -= w[k];
	}
	return n - 1;
}

int64_t demo_later(demo_gen *g, int64_t t, int lo_min, int hi_min)
{
	int64_t min = demo_between(&g->rng, lo_min, hi_min); /* in this order */
	int64_t sec = demo_between(&g->rng, 0, 59);
	return t + min * DEMO_MIN_MS + sec * 1000;
}

/* ---- the calendar ---------------------------------------------------------
 */

/* The demo's day 0, 2026-07-01, as a day number (calendar.h): demo days
 * are local days of DEMO_TZ_MIN counted from it. */
#define Q3_EPOCH_DAY 20635

int64_t demo_day_ms(int day)
{
	return svl__day_start_ms(Q3_EPOCH_DAY + day, DEMO_TZ_MIN);
}

int64_t demo_at(int day, int hh, int mm)
{
	return demo_day_ms(day) + ((int64_t)hh * 60 + mm) * DEMO_MIN_MS;
}

int demo_day_of(int64_t ms)
{
	return (int)(svl__local_day(ms, DEMO_TZ_MIN) - Q3_EPOCH_DAY);
}

int demo_minute_of(int64_t ms)
{
	return svl__local_minute(ms, DEMO_TZ_MIN);
}

int demo_weekday(int day)
{
	return svl__weekday(Q3_EPOCH_DAY + day);
}

int demo_month(int day)
{
	return (int)svl__civil_from_days(Q3_EPOCH_DAY + day).month;
}

int demo_month_end(int day)
{
	return demo_month(day + 1) != demo_month(day);
}

void demo_date(char *out, size_t cap, int day)
{
	svl__fmt_day(out, cap, Q3_EPOCH_DAY + day);
}

#define SHOP_OPEN_MIN (8 * 60 + 30)
#define SHOP_CLOSE_MIN (18 * 60)

int64_t demo_shop_add(int64_t t, int64_t minutes)
{
	for (int guard = 0; guard < 400; guard++) {
		int day = demo_day_of(t), m = demo_minute_of(t);
		if (m < SHOP_OPEN_MIN)
			t = demo_at(day, 8, 30);
		else if (m >= SHOP_CLOSE_MIN)
			t = demo_at(day + 1, 8, 30);
		m = demo_minute_of(t);
		int64_t left = SHOP_CLOSE_MIN - m;
		if (minutes <= left)
			return t + minutes * DEMO_MIN_MS;
		minutes -= left;
		t = demo_at(demo_day_of(t) + 1, 8, 30);
	}
	return t;
}

/* ---- errors and ids ---------------------------------------------------------
 */

void demo_fail(demo_gen *g, const char *fmt, ...)
{
	if (g->err[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->err, sizeof g->err, fmt, ap);
	va_end(ap);
}

void demo_docid(char *out, size_t cap, const char *prefix, int n, int width)
{
	snprintf(out, cap, "%s%0*d", prefix, width, n);
}

/* ---- the JSON payload builder -------------------------------------------- */

static void put(demo_json *j, const char *s, size_t n)
{
	if (j->n + n >= sizeof j->buf) {
		j->overflow = 1;
		return;
	}
	memcpy(j->buf + j->n, s, n);
	j->n += n;
	j->buf[j->n] = '\0';
}

static void puts_(demo_json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void put_string(demo_json *j, const char *s)
{
	put(j, "\"", 1);
	for (; *s; s++) {
		char esc[8];
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = *s;
			put(j, esc, 2);
		} else if ((unsigned char)*s < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)*s);
			puts_(j, esc);
		} else {
			put(j, s, 1);
		}
	}
	put(j, "\"", 1);
}

/* A comma unless first at this depth, then "key": when a key is given. */
static void field(demo_json *j, const char *key)
{
	unsigned bit = 1u << j->depth;
	if (!(j->first & bit))
		put(j, ",", 1);
	j->first &= ~bit;
	if (key) {
		put_string(j, key);
		put(j, ":", 1);
	}
}

static void open_(demo_json *j, const char *opener, char closer)
{
	puts_(j, opener);
	if (j->depth + 1 >= (int)sizeof j->closer) {
		j->overflow = 1;
		return;
	}
	j->closer[++j->depth] = closer;
	j->first |= 1u << j->depth;
}

demo_json *dj_begin(demo_gen *g)
{
	demo_json *j = &g->j;
	j->n = 0;
	j->depth = 0;
	j->first = 1;
	j->overflow = 0;
	j->buf[0] = '\0';
	open_(j, "{", '}');
	return j;
}

void dj_str(demo_json *j, const char *key, const char *val)
{
	field(j, key);
	put_string(j, val);
}

void dj_int(demo_json *j, const char *key, int64_t v)
{
	char num[32];
	field(j, key);
	snprintf(num, sizeof num, "%lld", (long long)v);
	puts_(j, num);
}

void dj_bool(demo_json *j, const char *key, int v)
{
	field(j, key);
	puts_(j, v ? "true" : "false");
}

void dj_date(demo_json *j, const char *key, int day)
{
	char d[16];
	demo_date(d, sizeof d, day);
	dj_str(j, key, d);
}

void dj_arr(demo_json *j, const char *key)
{
	field(j, key);
	open_(j, "[", ']');
}

void dj_obj(demo_json *j)
{
	field(j, NULL);
	open_(j, "{", '}');
}

void dj_end(demo_json *j)
{
	if (j->depth <= 0) {
		j->overflow = 1;
		return;
	}
	put(j, &j->closer[j->depth], 1);
	j->depth--;
}

/* ---- pending events --------------------------------------------------------
 */

static int ev_room(demo_gen *g)
{
	if (g->n_ev < g->cap_ev)
		return 0;
	size_t cap = g->cap_ev ? 2 * g->cap_ev : 4096;
	demo_ev *e = realloc(g->ev, cap * sizeof *e);
	if (!e)
		return -1;
	g->ev = e;
	g->cap_ev = cap;
	return 0;
}

static void store(demo_gen *g, int64_t at_ms, uint32_t type, int who, int role,
		  const char *stream, size_t slen, size_t plen)
{
	uint8_t *data = malloc(slen + plen);
	if (!data || ev_room(g) != 0) {
		free(data);
		demo_fail(g, "out of memory");
		return;
	}
	memcpy(data, stream, slen);
	memcpy(data + slen, g->payload, plen);
	demo_ev *e = &g->ev[g->n_ev++];
	e->at_ms = at_ms;
	e->order = g->order++;
	e->type = type;
	e->who = (uint8_t)who;
	e->role = (uint8_t)role;
	e->stream_len = (uint16_t)slen;
	e->payload_len = (uint32_t)plen;
	e->data = data;
}

void demo_emit(demo_gen *g, int64_t at_ms, uint32_t type, int who, int role)
{
	demo_json *j = &g->j;
	svl_event_error err;
	char stream[SVL_STREAM_MAX + 1];
	size_t plen = 0, slen = 0;
	const svl_event_type *t = svl_event_type_get(type);
	while (j->depth > 0 && !j->overflow)
		dj_end(j);
	if (g->err[0])
		return;
	if (!t || j->overflow) {
		demo_fail(g, "generator: type %u: %s", type,
			  t ? "payload too long" : "unknown type");
		return;
	}
	int rc = svl_event_from_json_text(g->payload, sizeof g->payload, &plen,
					  type, j->buf, j->n, &err);
	if (rc == SVL_OK)
		rc = svl_event_stream_of(stream, sizeof stream, &slen, type,
					 t->version, g->payload, plen);
	if (rc != SVL_OK) {
		demo_fail(g, "generator: %s payload does not validate: %s: %s",
			  t->name, err.msg, j->buf);
		return;
	}
	store(g, at_ms, type, who, role, stream, slen, plen);
}

/* ---- submission ------------------------------------------------------------
 */

static int ev_cmp(const void *a, const void *b)
{
	const demo_ev *x = a, *y = b;
	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void make_id(uint8_t id[SVL_ID_SIZE], int64_t ms, uint64_t serial,
		    uint64_t seed)
{
	demo_rng r = {seed ^ (serial * UINT64_C(0xd1342543de82ef95))};
	uint64_t tail = demo_rand(&r);
	for (int i = 5; i >= 0; i--, ms >>= 8)
		id[i] = (uint8_t)(ms & 0xff);
	for (int i = 0; i < 4; i++)
		id[6 + i] = (uint8_t)(serial >> (24 - 8 * i));
	for (int i = 0; i < 6; i++)
		id[10 + i] = (uint8_t)(tail >> (8 * i));
}

void demo_next_id(demo_gen *g, int64_t rec_ms, uint8_t out[SVL_ID_SIZE])
{
	make_id(out, rec_ms, ++g->submitted, g->seed);
}

static void fill_in(demo_gen *g, const demo_ev *e, svl_event_in *in,
		    uint64_t serial)
{
	const demo_person *p = demo_person_get(e->who);
	const char *role = svl_role_name(e->role);
	int64_t rec = e->at_ms + ENTRY_DELAY_MS;
	if (rec <= g->last_recorded_ms)
		rec = g->last_recorded_ms + 1;
	g->last_recorded_ms = rec;
	memset(in, 0, sizeof *in);
	in->stream = (const char *)e->data;
	in->stream_len = e->stream_len;
	in->type = e->type;
	in->schema_version = svl_event_type_get(e->type)->version;
	in->occurred_at_ms = e->at_ms;
	in->recorded_at_ms = rec;
	in->actor = p->id;
	in->actor_len = strlen(p->id);
	in->role = role;
	in->role_len = strlen(role);
	make_id(in->id, rec, serial, g->seed);
	in->payload = e->data + e->stream_len;
	in->payload_len = e->payload_len;
	in->expected_version = SVL_VERSION_ANY;
}

/* One line saying which generated event the rules refused, and why. */
static void describe_refusal(demo_gen *g, const svl_event_in *in,
			     const svl_submit_result *res, size_t n)
{
	char when[FMT_TIME_SIZE], *json = NULL;
	svl_event_error err;
	const svl_event_type *t = svl_event_type_get(in->type);
	const char *why = res->message;
	if (strncmp(why, "event ", 6) == 0 && strstr(why, ": "))
		why = strstr(why, ": ") + 2; /* the position is said below */
	if (svl_event_to_json_text(&json, in->type, in->schema_version,
				   in->payload, in->payload_len,
				   &err) != SVL_OK)
		json = NULL;
	demo_fail(g,
		  "the rules refused a generated event (a generator or "
		  "decider bug): event %zu of %zu in the batch, %s %s by %.*s "
		  "as %.*s on %.*s: %s; payload %s",
		  res->failed, n,
		  fmt_time(when, in->occurred_at_ms, DEMO_TZ_MIN), t->name,
		  (int)in->actor_len, in->actor, (int)in->role_len, in->role,
		  (int)in->stream_len, in->stream, why, json ? json : "?");
	free(json);
}

/* Move the events before until_ms to the front, sorted; returns their
 * number. */
static size_t take_due(demo_gen *g, int64_t until_ms)
{
	size_t due = 0;
	for (size_t k = 0; k < g->n_ev; k++) {
		if (g->ev[k].at_ms >= until_ms)
			continue;
		demo_ev tmp = g->ev[due];
		g->ev[due++] = g->ev[k];
		g->ev[k] = tmp;
	}
	qsort(g->ev, due, sizeof *g->ev, ev_cmp);
	return due;
}

static void drop_front(demo_gen *g, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(g->ev[k].data);
	memmove(g->ev, g->ev + n, (g->n_ev - n) * sizeof *g->ev);
	g->n_ev -= n;
}

int demo_flush(demo_gen *g, int64_t until_ms)
{
	if (g->err[0])
		return SVL_EINVAL;
	size_t n = take_due(g, until_ms);
	if (n == 0)
		return SVL_OK;
	svl_event_in *in = calloc(n, sizeof *in);
	if (!in) {
		demo_fail(g, "out of memory");
		return SVL_ENOMEM;
	}
	for (size_t k = 0; k < n; k++)
		fill_in(g, &g->ev[k], &in[k], g->submitted + k + 1);
	svl_submit_result res;
	int rc = svl_ledger_submit(g->ledger, in, n, 0, NULL, &res);
	if (rc != SVL_OK && res.failed >= 1 && res.failed <= n)
		describe_refusal(g, &in[res.failed - 1], &res, n);
	else if (rc != SVL_OK)
		demo_fail(g, "submit: %s", svl_ledger_errmsg(g->ledger));
	free(in);
	if (rc == SVL_OK) {
		g->submitted += n;
		g->st.events += n;
		g->st.batches++;
		drop_front(g, n);
	}
	return rc;
}

/* ---- set up
 * ------------------------------------------------------------------ */

#define WORLD_SEED UINT64_C(0x5eed4f0a90c7cbee) /* the seed manual's world */

int demo_gen_init(demo_gen *g, uint64_t seed, int days, svl_ledger *l)
{
	memset(g, 0, sizeof *g);
	g->seed = seed;
	g->days = days;
	g->ledger = l;
	g->rng.s = seed;
	g->world.s = WORLD_SEED;
	g->tour_wo_score = -1;
	g->q_part = -1;
	g->q_coil = g->q_pads = -1;
	return 0;
}

void demo_gen_free(demo_gen *g)
{
	for (size_t k = 0; k < g->n_ev; k++)
		free(g->ev[k].data);
	free(g->ev);
	free(g->parts);
	free(g->veh);
	free(g->jobs);
	free(g->pos);
	for (int k = 0; k < 3; k++)
		svl_keypair_wipe(&g->keys[k]);
	memset(g, 0, sizeof *g);
}
