/*
 * cmd_bench_raw.c - the raw limits `svcledger bench` compares the engine
 * with: a durable 4 KiB write, plain LMDB appends and cursor scans, and a
 * description of the machine the figures come from.
 *
 * These loops do the least work that the engine's matching figure cannot
 * avoid: the fdatasync floor under a durable commit, MDB_APPEND puts with
 * no encoding, indexing or hashing, and a cursor walk with (or without)
 * the one hash per record that verify needs. The engine's figure over the
 * raw figure is then the cost of everything the engine adds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>
#include <msgpack.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "bench.h"
#include "cli.h"
#include "svcledger.h"

#define RAW_BLOCK 4096
#define RAW_BLOCKS 1024 /* the preallocated file is 4 MiB */

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- latencies ---- */

void bench_lat_add(bench_lat *l, double us)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? 2 * l->cap : 4096;
		double *nu = realloc(l->us, ncap * sizeof *nu);
		if (!nu)
			return; /* percentiles then cover fewer samples */
		l->us = nu;
		l->cap = ncap;
	}
	l->us[l->n++] = us;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_lat_pct(bench_lat *l, double p)
{
	if (l->n == 0)
		return 0;
	qsort(l->us, l->n, sizeof *l->us, cmp_double);
	size_t i = (size_t)(p / 100.0 * (double)(l->n - 1) + 0.5);
	return l->us[i < l->n ? i : l->n - 1];
}

void bench_lat_free(bench_lat *l)
{
	free(l->us);
	memset(l, 0, sizeof *l);
}

/* ---- the disk ---- */

static int prealloc(int fd, uint8_t *block)
{
	for (int i = 0; i < RAW_BLOCKS; i++)
		if (pwrite(fd, block, RAW_BLOCK, (off_t)i * RAW_BLOCK) !=
		    RAW_BLOCK)
			return -1;
	return fsync(fd);
}

int bench_raw_fsync(const char *dir, uint64_t max_ops, double max_s,
		    bench_rate *out)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fsync.bin", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	static uint8_t block[RAW_BLOCK];
	memset(block, 0xa5, sizeof block);
	bench_lat lat = {0};
	int rc = prealloc(fd, block); /* so that syncs carry no allocation */
	memset(out, 0, sizeof *out);
	double t0 = bench_now(), t = t0;
	while (rc == 0 && out->ops < max_ops && t - t0 < max_s) {
		block[0] = (uint8_t)out->ops;
		off_t at = (off_t)(out->ops % RAW_BLOCKS) * RAW_BLOCK;
		if (pwrite(fd, block, RAW_BLOCK, at) != RAW_BLOCK ||
		    fdatasync(fd) != 0)
			rc = -1;
		double t2 = bench_now();
		bench_lat_add(&lat, (t2 - t) * 1e6);
		t = t2;
		out->ops++;
	}
	out->secs = t - t0;
	out->bytes = out->ops * RAW_BLOCK;
	out->p50_us = bench_lat_pct(&lat, 50);
	out->p99_us = bench_lat_pct(&lat, 99);
	bench_lat_free(&lat);
	int e = errno;
	close(fd);
	unlink(path);
	errno = e;
	return rc;
}

/* ---- LMDB ---- */

static int raw_env(const char *dir, size_t map_size, unsigned flags,
		   MDB_env **env)
{
	int mrc = mdb_env_create(env);
	if (mrc)
		return mrc;
	mdb_env_set_maxdbs(*env, 8);
	if (map_size)
		mdb_env_set_mapsize(*env, map_size);
	if ((mrc = mdb_env_open(*env, dir, flags, 0644)) != 0) {
		mdb_env_close(*env);
		*env = NULL;
	}
	return mrc;
}

/* One transaction of `count` appends starting at key `first`. */
static int put_txn(MDB_env *env, MDB_dbi *dbi, uint64_t first,
		   uint64_t count, uint8_t *val, size_t val_size)
{
	MDB_txn *txn;
	int mrc = mdb_txn_begin(env, NULL, 0, &txn);
	if (mrc)
		return mrc;
	if (!*dbi && (mrc = mdb_dbi_open(txn, "events", MDB_CREATE, dbi))) {
		mdb_txn_abort(txn);
		return mrc;
	}
	for (uint64_t s = first; s < first + count && !mrc; s++) {
		uint8_t kb[8];
		for (int i = 0; i < 8; i++)
			kb[i] = (uint8_t)(s >> (56 - 8 * i));
		memcpy(val, kb, 8); /* values differ, as records do */
		MDB_val k = {8, kb}, v = {val_size, val};
		mrc = mdb_put(txn, *dbi, &k, &v, MDB_APPEND);
	}
	if (mrc) {
		mdb_txn_abort(txn);
		return mrc;
	}
	return mdb_txn_commit(txn);
}

int bench_raw_lmdb_put(const char *dir, uint64_t n, size_t val_size,
		       size_t per_txn, size_t map_size, bench_rate *out)
{
	MDB_env *env;
	memset(out, 0, sizeof *out);
	int mrc = raw_env(dir, map_size, MDB_NOSYNC, &env);
	if (mrc)
		return mrc;
	uint8_t *val = malloc(val_size < 8 ? 8 : val_size);
	if (!val) {
		mdb_env_close(env);
		return ENOMEM;
	}
	for (size_t i = 0; i < val_size; i++)
		val[i] = (uint8_t)(i * 131 + 7);
	MDB_dbi dbi = 0;
	double t0 = bench_now();
	for (uint64_t s = 1; s <= n && !mrc; s += per_txn) {
		uint64_t count = n - s + 1 < per_txn ? n - s + 1 : per_txn;
		mrc = put_txn(env, &dbi, s, count, val, val_size);
		out->ops += mrc ? 0 : count;
	}
	out->secs = bench_now() - t0;
	out->bytes = out->ops * val_size;
	free(val);
	mdb_env_close(env);
	return mrc;
}

static int scan_txn(MDB_txn *txn, const char *db, int hash, bench_rate *out)
{
	MDB_dbi dbi;
	MDB_cursor *c;
	int mrc = mdb_dbi_open(txn, db, 0, &dbi);
	if (mrc || (mrc = mdb_cursor_open(txn, dbi, &c)))
		return mrc;
	MDB_val k, v;
	uint64_t sink = 0;
	double t0 = bench_now();
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == 0;
	     mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		out->ops++;
		out->bytes += v.mv_size;
		if (hash)
			sink += XXH3_128bits(v.mv_data, v.mv_size).low64;
	}
	out->secs = bench_now() - t0;
	mdb_cursor_close(c);
	/* keep the hashes observable so that they cannot be optimised out */
	if (sink == 42)
		fputc(' ', stderr);
	return mrc == MDB_NOTFOUND ? 0 : mrc;
}

int bench_raw_scan(const char *dir, const char *db, int hash,
		   bench_rate *out)
{
	MDB_env *env;
	MDB_txn *txn;
	memset(out, 0, sizeof *out);
	int mrc = raw_env(dir, 0, MDB_RDONLY, &env);
	if (mrc)
		return mrc;
	if ((mrc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) == 0) {
		mrc = scan_txn(txn, db, hash, out);
		mdb_txn_abort(txn);
	}
	mdb_env_close(env);
	return mrc;
}

/* ---- the machine ---- */

static const char *fs_name(const char *dir)
{
	struct statfs s;
	if (statfs(dir, &s) != 0)
		return "unknown";
	switch ((unsigned long)s.f_type) {
	case 0xef53: return "ext4";
	case 0x58465342: return "xfs";
	case 0x9123683e: return "btrfs";
	case 0x01021994: return "tmpfs (syncs cost nothing: not a disk)";
	case 0x794c7630: return "overlayfs";
	case 0x2fc12fc1: return "zfs";
	case 0x6969: return "nfs";
	case 0xf2f52010: return "f2fs";
	default: return "other";
	}
}

static void cpu_model(char *out, size_t size)
{
	snprintf(out, size, "unknown CPU");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(out, size, "%s", colon + 2);
			out[strcspn(out, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
}

const char *bench_describe_machine(const char *dir, FILE *f)
{
	char cpu[256];
	struct utsname u;
	int maj, min, pat;
	cpu_model(cpu, sizeof cpu);
	if (uname(&u) != 0)
		snprintf(u.release, sizeof u.release, "?");
	mdb_version(&maj, &min, &pat);
	double ram = (double)sysconf(_SC_PHYS_PAGES) *
		     (double)sysconf(_SC_PAGESIZE) / (1 << 30);
	const char *fs = fs_name(dir);
	double load[1] = {-1};
	(void)getloadavg(load, 1);
	fprintf(f,
		_("machine   %ld cores online (%s), %.1f GiB RAM, %s %s, "
		  "load average %.2f at start\n"),
		sysconf(_SC_NPROCESSORS_ONLN), cpu, ram, u.sysname, u.release,
		load[0]);
	unsigned xv = XXH_versionNumber();
	fprintf(f,
		_("software  libsvcledger %s, LMDB %d.%d.%d, xxHash %u.%u.%u, "
		  "msgpack-c %s, %s build\n"),
		svl_version_string(), maj, min, pat, xv / 10000, xv / 100 % 100,
		xv % 100, msgpack_version(),
#if defined(__SANITIZE_ADDRESS__)
		"SANITIZER (figures not representative)"
#elif defined(__OPTIMIZE__)
		"optimised"
#else
		"UNOPTIMISED (figures not representative)"
#endif
	);
	fprintf(f, _("bench dir %s on %s\n"), dir, fs);
	return fs;
}

char *bench_count(char *buf, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	int o = 0;
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}
