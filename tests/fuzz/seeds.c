/*
 * seeds.c - writes the generated part of the fuzz seed corpora from the
 * event catalog's samples, so that every event type is a starting point:
 *
 *   event_line/gen-<type>     an NDJSON event line per type
 *   payload/gen-<type>        type (2 bytes BE), version (1), payload
 *   record/gen-<seq>          a stored record (envelope || hash) of a
 *                             small ledger holding one event per type
 *   import/gen-line-<seq>     that ledger's export, one record line each
 *   import/gen-export.ndjson  header and the first three lines
 *   import/gen-export.msgpack the same in the msgpack form
 *
 * Usage: fuzz-seeds CORPUS_DIR. Ids and recorded times are fixed, so the
 * output is the same on every run. Hand-written seeds (rule sets, count
 * sheets, docs/cli.md lines) and reproducers live beside these files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_xfer.h"
#include "svcledger.h"

#define T0_MS 1790733600000LL /* 2026-09-30T10:00:00+08:00 */

static const char *dir;

static int put(const char *sub, const char *name, const void *b, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, sub);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int bad = fwrite(b, 1, n, f) != n;
	bad |= fclose(f) != 0;
	return bad ? -1 : 0;
}

static const char *role_of(const svl_event_type *t)
{
	for (int r = 0; svl_role_name(r); r++)
		if (svl_event_type_allows(t, r))
			return svl_role_name(r);
	return "service_manager";
}

/* The sample of type t as an NDJSON line (malloc'd). */
static char *line_of(const svl_event_type *t, size_t i)
{
	const char *payload = svl_event_sample_json(t->id);
	size_t cap = strlen(payload) + 512;
	char *s = malloc(cap);
	if (s)
		snprintf(
		    s, cap,
		    "{\"type\":\"%s\",\"actor\":\"E%03zu\",\"role\":\"%s\","
		    "\"occurred_at_ms\":%lld,\"id\":\"%032zx\","
		    "\"payload\":%s}",
		    t->name, i % 20 + 1, role_of(t),
		    (long long)(T0_MS + 60000 * (long long)i), i + 1, payload);
	return s;
}

static int payload_seed(const svl_event_in *ev, const svl_event_type *t)
{
	uint8_t *b = malloc(3 + ev->payload_len);
	if (!b)
		return -1;
	b[0] = (uint8_t)(t->id >> 8);
	b[1] = (uint8_t)t->id;
	b[2] = (uint8_t)ev->schema_version;
	memcpy(b + 3, ev->payload, ev->payload_len);
	int rc = put("payload", t->name, b, 3 + ev->payload_len);
	free(b);
	return rc;
}

/* Parse every sample line, write the line and payload seeds, append the
 * events to log. */
static int fill(svl_log *log, svl_event_arena *arena)
{
	size_t n = svl_event_type_count();
	svl_event_in *evs = calloc(n, sizeof *evs);
	int rc = evs ? SVL_OK : SVL_ENOMEM;
	for (size_t i = 0; i < n && rc == SVL_OK; i++) {
		const svl_event_type *t = svl_event_type_at(i);
		char *line = line_of(t, i), name[128];
		svl_event_error err;
		rc = line ? svl_event_input_json(&evs[i], arena, line,
						 strlen(line), &err)
			  : SVL_ENOMEM;
		if (rc != SVL_OK)
			fprintf(stderr, "seeds: %s: %s\n", t->name, err.msg);
		snprintf(name, sizeof name, "gen-%s", t->name);
		if (rc == SVL_OK &&
		    (put("event_line", name, line, strlen(line)) ||
		     payload_seed(&evs[i], t)))
			rc = SVL_EIO;
		evs[i].recorded_at_ms = T0_MS + 1000 * (int64_t)(i + 1);
		free(line);
	}
	if (rc == SVL_OK)
		rc = svl_log_append(log, evs, n, NULL);
	free(evs);
	return rc;
}

/* The stored value of r: its envelope as export rebuilds it, its hash. */
static int record_seed(const svl_record *r, msgpack_sbuffer *sb)
{
	xfer_rec x;
	char name[64];
	xfer_from_record(&x, r);
	if (xfer_envelope(sb, &x))
		return -1;
	msgpack_sbuffer_write(sb, (const char *)r->hash, SVL_HASH_SIZE);
	snprintf(name, sizeof name, "gen-%03llu", (unsigned long long)r->seq);
	return put("record", name, sb->data, sb->size);
}

static int export_seeds(svl_log *log)
{
	static const xfer_head head = {{0x5e, 0xed}, 3, 3, {0}};
	xfer_head h = head;
	msgpack_sbuffer sb, mp;
	svl_iter *it = NULL;
	svl_record r;
	char name[64], *nd = NULL;
	size_t nd_len = 0;
	FILE *ndf = open_memstream(&nd, &nd_len);
	msgpack_sbuffer_init(&sb);
	msgpack_sbuffer_init(&mp);
	int rc = ndf ? svl_log_iter_seq(log, 1, 0, &it) : SVL_ENOMEM;
	while (rc == SVL_OK && (rc = svl_iter_next(it, &r)) == SVL_OK) {
		xfer_rec x;
		xfer_from_record(&x, &r);
		json_t *o = xfer_rec_json(&x);
		char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		snprintf(name, sizeof name, "gen-line-%03llu",
			 (unsigned long long)r.seq);
		if (!line || record_seed(&r, &sb) ||
		    put("import", name, line, strlen(line)))
			rc = SVL_EIO;
		if (rc == SVL_OK && r.seq == 3)
			memcpy(h.head_hash, r.hash, SVL_HASH_SIZE);
		if (rc == SVL_OK && r.seq <= 3) {
			fprintf(ndf, "%s\n", line);
			/* the envelope, then its hash as a bin 8 */
			static const char bin16[2] = {(char)0xc4, 16};
			msgpack_sbuffer_write(&mp, sb.data,
					      sb.size - SVL_HASH_SIZE);
			msgpack_sbuffer_write(&mp, bin16, 2);
			msgpack_sbuffer_write(&mp, (const char *)r.hash,
					      SVL_HASH_SIZE);
		}
		free(line);
	}
	if (it)
		svl_iter_close(it);
	fclose(ndf);
	if (rc == SVL_ITEROVER) {
		/* the header goes first, once the head hash is known */
		msgpack_sbuffer hdr;
		msgpack_packer hp;
		json_t *hj = xfer_head_json(&h);
		char *hl = hj ? json_dumps(hj, JSON_COMPACT) : NULL;
		size_t hl_len = hl ? strlen(hl) : 0;
		char *all = hl ? malloc(hl_len + 1 + nd_len) : NULL;
		msgpack_sbuffer_init(&hdr);
		msgpack_packer_init(&hp, &hdr, msgpack_sbuffer_write);
		xfer_head_pack(&hp, &h);
		msgpack_sbuffer_write(&hdr, mp.data, mp.size);
		if (all) {
			memcpy(all, hl, hl_len);
			all[hl_len] = '\n';
			memcpy(all + hl_len + 1, nd, nd_len);
		}
		rc = !all ||
			     put("import", "gen-export.ndjson", all,
				 hl_len + 1 + nd_len) ||
			     put("import", "gen-export.msgpack", hdr.data,
				 hdr.size)
			 ? SVL_EIO
			 : SVL_OK;
		msgpack_sbuffer_destroy(&hdr);
		json_decref(hj);
		free(hl);
		free(all);
	}
	free(nd);
	msgpack_sbuffer_destroy(&sb);
	msgpack_sbuffer_destroy(&mp);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fuzz-seeds CORPUS_DIR\n");
		return 2;
	}
	dir = argv[1];
	char tmp[] = "/tmp/svl-seeds-XXXXXX";
	if (!mkdtemp(tmp))
		return 1;
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE | SVL_LOG_NOSYNC;
	svl_log *log = NULL;
	svl_event_arena arena = {malloc(1 << 22), 1 << 22, 0};
	int rc = arena.buf ? svl_log_open(&log, tmp, &o) : SVL_ENOMEM;
	if (rc == SVL_OK)
		rc = fill(log, &arena);
	if (rc == SVL_OK)
		rc = export_seeds(log);
	if (rc != SVL_OK)
		fprintf(stderr, "seeds: %s: %s\n", svl_strerror(rc),
			log ? svl_log_errmsg(log) : svl_log_last_error());
	svl_log_close(log);
	free(arena.buf);
	char path[64];
	snprintf(path, sizeof path, "%s/data.mdb", tmp);
	unlink(path);
	snprintf(path, sizeof path, "%s/lock.mdb", tmp);
	unlink(path);
	rmdir(tmp);
	return rc == SVL_OK ? 0 : 1;
}
