/*
 * demo_seal.c - the managers' keys and the month-end seals of the demo
 * (docs/trust.md).
 *
 * The keys come from a fixed seed, so the same run gives the same keys,
 * signatures and head hash. The general manager registers the service,
 * parts and general managers' public keys before the quarter; at the end
 * of each month the service manager seals it. The key files are written
 * under the ledger's keys/ so that the tour can run `verify --seals`: a
 * real department keeps each secret key with its holder, never beside the
 * ledger.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_trust.h"
#include "demo.h"

#define KEY_SEED UINT64_C(0x5ea15ea15ea1c0de)

static const int holders[3] = {ST_SM, ST_PM, ST_GM};

void demo_keys(demo_gen *g)
{
	demo_rng r = {KEY_SEED};
	int64_t t = demo_at(-1, 9, 0);
	for (int k = 0; k < 3; k++) {
		uint8_t seed[32];
		char hex[2 * SVL_PUBLIC_KEY_SIZE + 1];
		for (int i = 0; i < 4; i++) {
			uint64_t x = demo_rand(&r);
			memcpy(seed + 8 * i, &x, 8);
		}
		svl_key_from_seed(&g->keys[k], seed);
		svl_key_hex(g->keys[k].public_key, hex);
		demo_json *j = dj_begin(g);
		dj_str(j, "staff_id", demo_person_get(holders[k])->id);
		dj_str(j, "public_key", hex);
		dj_int(j, "from_at_ms", demo_day_ms(-1));
		dj_str(j, "note", "demo key: kept by its holder in a real shop");
		demo_emit(g, t + k * DEMO_MIN_MS, SVL_T_STAFF_KEY_REGISTERED,
			  ST_GM, SVL_ROLE_GENERAL_MANAGER);
	}
}

void demo_ledger_id(uint64_t seed, uint8_t out[SVL_ID_SIZE])
{
	demo_rng r = {seed ^ KEY_SEED};
	uint64_t ms = (uint64_t)demo_day_ms(-1), x = demo_rand(&r);
	uint32_t y = (uint32_t)demo_rand(&r);
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)(ms >> (40 - 8 * i));
	for (int i = 0; i < 8; i++)
		out[6 + i] = (uint8_t)(x >> (8 * i));
	out[14] = (uint8_t)y;
	out[15] = (uint8_t)(y >> 8);
}

void demo_key_path(const demo_gen *g, char *out, size_t cap, int pub)
{
	snprintf(out, cap, "%s/keys/%s.key%s", g->dir,
		 demo_person_get(holders[0])->id, pub ? ".pub" : "");
}

int demo_seal_month(demo_gen *g, int day)
{
	if (!demo_month_end(day))
		return SVL_OK;
	char date[16], path[4096];
	demo_date(date, sizeof date, day);
	date[7] = '\0'; /* the month */
	int64_t at = demo_at(day, 23, 30);
	if (at <= g->last_recorded_ms)
		at = g->last_recorded_ms + 1;
	g->last_recorded_ms = at;
	svl_seal_options o = SVL_SEAL_OPTIONS_INIT;
	uint8_t id[SVL_ID_SIZE];
	demo_next_id(g, at, id);
	o.period = date;
	o.at_ms = at;
	o.event_id = id;
	svl_seal s;
	svl_submit_result res;
	int rc = svl_seal_append(g->ledger, &g->keys[0], &o, &s, &res);
	/* the demo's ledger is NOSYNC: the seal file must not get ahead */
	if (rc == SVL_OK)
		rc = svl_log_sync(svl_ledger_log(g->ledger));
	if (rc != SVL_OK) {
		demo_fail(g, "sealing %s: %s", date,
			  res.message[0] ? res.message : svl_strerror(rc));
		return rc;
	}
	snprintf(path, sizeof path, "%s/seals.ndjson", g->dir);
	int e = cmd_trust_append_seal(path, &s);
	if (e) {
		demo_fail(g, "%s: %s", path, strerror(e));
		return SVL_EIO;
	}
	g->n_seals++;
	return SVL_OK;
}

int demo_keys_write(demo_gen *g)
{
	char dir[4096], path[4200], err[512];
	snprintf(dir, sizeof dir, "%s/keys", g->dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		demo_fail(g, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof path, "%s/%s.key", dir,
			 demo_person_get(holders[k])->id);
		if (svl_key_save(&g->keys[k], path, err, sizeof err) != SVL_OK) {
			demo_fail(g, "%s", err);
			return -1;
		}
	}
	return 0;
}

int demo_unlink_files(const char *dir, char *err, size_t cap)
{
	char path[4096];
	for (int k = -1; k < 6; k++) {
		const char *id = k >= 0 ? demo_person_get(holders[k / 2])->id : "";
		if (k < 0)
			snprintf(path, sizeof path, "%s/seals.ndjson", dir);
		else
			snprintf(path, sizeof path, "%s/keys/%s.key%s", dir, id,
				 k % 2 ? ".pub" : "");
		if (unlink(path) != 0 && errno != ENOENT && errno != ENOTDIR) {
			snprintf(err, cap, "%s: %s", path, strerror(errno));
			return -1;
		}
	}
	snprintf(path, sizeof path, "%s/keys", dir);
	if (rmdir(path) != 0 && errno != ENOENT && errno != ENOTDIR) {
		snprintf(err, cap, "%s: %s (it holds more than the demo's keys)",
			 path, strerror(errno));
		return -1;
	}
	return 0;
}
