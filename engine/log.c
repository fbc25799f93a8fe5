/*
 * log.c - opening and closing a log: the LMDB environment, its named
 * sub-databases, the meta records, and the user tables of upper layers.
 *
 * Invariants established here:
 *  1. A log directory is open at most once per process (LMDB forbids a
 *     second environment on the same files: closing it would drop the
 *     other's fcntl locks). A registry keyed by device and inode enforces it.
 *  2. Every descriptor the handle owns is close-on-exec.
 *  3. Reader slots of dead processes are cleared before first use.
 *  4. meta holds the format version and ledger id from creation on; a log
 *     of another format version is refused with SVL_EFORMAT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* ---- process registry (invariant 1) ---- */

#define SVL_OPEN_MAX 64

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	dev_t dev;
	ino_t ino;
} registry[SVL_OPEN_MAX];
static unsigned registry_n;

static int registry_add(const svl_log *log, const char *dir, dev_t dev,
			ino_t ino)
{
	int rc = SVL_OK;
	pthread_mutex_lock(&registry_lock);
	for (unsigned i = 0; i < registry_n; i++)
		if (registry[i].dev == dev && registry[i].ino == ino)
			rc = svl__fail(log, SVL_EBUSY,
				       "%s: already open in this process; share "
				       "the handle",
				       dir);
	if (rc == SVL_OK && registry_n == SVL_OPEN_MAX)
		rc = svl__fail(log, SVL_ELIMIT,
			       "%s: more than %d logs open in this process",
			       dir, SVL_OPEN_MAX);
	if (rc == SVL_OK) {
		registry[registry_n].dev = dev;
		registry[registry_n].ino = ino;
		registry_n++;
	}
	pthread_mutex_unlock(&registry_lock);
	return rc;
}

static void registry_remove(dev_t dev, ino_t ino)
{
	pthread_mutex_lock(&registry_lock);
	for (unsigned i = 0; i < registry_n; i++) {
		if (registry[i].dev == dev && registry[i].ino == ino) {
			registry[i] = registry[--registry_n];
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
}

/* ---- meta ---- */

static int meta_init(svl_log *log, MDB_txn *txn)
{
	MDB_val k = {6, "format"}, v;
	int mrc = mdb_get(txn, log->meta, &k, &v);
	if (mrc == MDB_SUCCESS) {
		if (v.mv_size != 4 ||
		    svl__be32_get(v.mv_data) != SVL_FORMAT_VERSION)
			return svl__fail(log, SVL_EFORMAT,
					 "%s: ledger format %u, this library "
					 "reads format %d",
					 log->path,
					 v.mv_size == 4
						 ? svl__be32_get(v.mv_data)
						 : 0u,
					 SVL_FORMAT_VERSION);
		MDB_val ik = {9, "ledger_id"}, iv;
		mrc = mdb_get(txn, log->meta, &ik, &iv);
		if (mrc != MDB_SUCCESS || iv.mv_size != SVL_ID_SIZE)
			return svl__fail(log, SVL_ECORRUPT,
					 "%s: meta has no ledger id", log->path);
		if (log->id_given &&
		    memcmp(log->ledger_id, iv.mv_data, SVL_ID_SIZE) != 0)
			return svl__fail(log, SVL_EEXISTS,
					 "%s: holds another ledger (its id is "
					 "not the one asked for)",
					 log->path);
		memcpy(log->ledger_id, iv.mv_data, SVL_ID_SIZE);
		return SVL_OK;
	}
	if (mrc != MDB_NOTFOUND)
		return svl__lmdb(log, mrc, "read meta");
	if (log->flags & SVL_LOG_RDONLY)
		return svl__fail(log, SVL_ECORRUPT, "%s: meta has no format",
				 log->path);
	uint8_t fmt[4];
	svl__be32_put(fmt, SVL_FORMAT_VERSION);
	v.mv_size = 4;
	v.mv_data = fmt;
	if ((mrc = mdb_put(txn, log->meta, &k, &v, 0)) != MDB_SUCCESS)
		return svl__lmdb(log, mrc, "write meta");
	if (!log->id_given)
		svl_event_id_generate(log->ledger_id);
	MDB_val ik = {9, "ledger_id"}, iv = {SVL_ID_SIZE, log->ledger_id};
	if ((mrc = mdb_put(txn, log->meta, &ik, &iv, 0)) != MDB_SUCCESS)
		return svl__lmdb(log, mrc, "write meta");
	return SVL_OK;
}

static int open_dbs(svl_log *log)
{
	int rdonly = (log->flags & SVL_LOG_RDONLY) != 0;
	unsigned cflag = rdonly ? 0 : MDB_CREATE;
	MDB_txn *txn;
	int mrc = mdb_txn_begin(log->env, NULL, rdonly ? MDB_RDONLY : 0, &txn);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(log, mrc, "begin open transaction");
	struct {
		const char *name;
		MDB_dbi *dbi;
	} dbs[] = {{"events", &log->events},
		   {"streams", &log->streams},
		   {"ids", &log->ids},
		   {"meta", &log->meta}};
	for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
		mrc = mdb_dbi_open(txn, dbs[i].name, cflag, dbs[i].dbi);
		if (mrc != MDB_SUCCESS) {
			mdb_txn_abort(txn);
			if (mrc == MDB_NOTFOUND)
				return svl__fail(log, SVL_EFORMAT,
						 "%s: not a svcledger log (no "
						 "'%s' table)",
						 log->path, dbs[i].name);
			return svl__lmdb(log, mrc, "open table");
		}
	}
	int rc = meta_init(log, txn);
	if (rc != SVL_OK) {
		mdb_txn_abort(txn);
		return rc;
	}
	if ((mrc = mdb_txn_commit(txn)) != MDB_SUCCESS)
		return svl__lmdb(log, mrc, "commit open transaction");
	return SVL_OK;
}

static int check_options(const svl_log_options *o)
{
	if (o->version != SVL_LOG_OPTIONS_VERSION)
		return svl__fail(NULL, SVL_EMISUSE,
				 "options version %u, expected %d (use "
				 "SVL_LOG_OPTIONS_INIT)",
				 o->version, SVL_LOG_OPTIONS_VERSION);
	if ((o->flags & SVL_LOG_CREATE) && (o->flags & SVL_LOG_RDONLY))
		return svl__fail(NULL, SVL_EINVAL,
				 "CREATE and RDONLY exclude each other");
	return SVL_OK;
}

/* ---- the files, checked before LMDB maps them ----
 *
 * LMDB maps data.mdb and trusts it: a file cut short (an interrupted copy)
 * whose meta page names pages past its end makes the first read of them a
 * SIGBUS, and an empty one is taken for a new log. And it maps lock.mdb
 * after only an ftruncate: on a full disk, touching its pages is a SIGBUS
 * too. So the data file's size is checked against the newest meta page
 * (MDB_meta of LMDB 0.9: docs/format.md, "The LMDB file"), and a new
 * lock file gets its blocks before LMDB sees it.
 */

#define LMDB_MAGIC 0xBEEFC0DEu
#define META_AT 16		/* page header, then MDB_meta */
#define META_PSIZE (META_AT + 24)	/* mm_dbs[FREE_DBI].md_pad */
#define META_LAST_PG (META_AT + 120)
#define META_TXNID (META_AT + 128)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Meta page `which` of fd: 1 with its bytes needed and txn id, 0 if it is
 * not a meta page. */
static int meta_read(int fd, uint32_t psize, int which, uint64_t *need,
		     uint64_t *txnid)
{
	uint8_t m[META_TXNID + 8];
	if (pread(fd, m, sizeof m, (off_t)which * psize) != (ssize_t)sizeof m ||
	    le32(m + META_AT) != LMDB_MAGIC || le32(m + META_AT + 4) != 1)
		return 0;
	*need = (le64(m + META_LAST_PG) + 1) * (uint64_t)psize;
	*txnid = le64(m + META_TXNID);
	return 1;
}

static int data_file_check(const char *dir, const char *data)
{
	int fd = open(data, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return svl__fail(NULL, e == EACCES ? SVL_EREADONLY : SVL_EIO,
				 "%s: %s", data, strerror(e));
	}
	uint8_t head[META_PSIZE + 4];
	uint32_t psize = 0;
	uint64_t need[2] = {0, 0}, txn[2] = {0, 0};
	int ok[2] = {0, 0};
	if (pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head)
		psize = le32(head + META_PSIZE);
	if (psize >= 512 && psize <= 65536 && (psize & (psize - 1)) == 0)
		for (int i = 0; i < 2; i++)
			ok[i] = meta_read(fd, psize, i, &need[i], &txn[i]);
	close(fd);
	(void)dir;
	if (st.st_size == 0)
		return svl__fail(NULL, SVL_ECORRUPT,
				 "%s: empty (0 bytes): not a ledger (cut short, "
				 "or never written)",
				 data);
	if (!ok[0] && !ok[1])
		return svl__fail(NULL, SVL_ECORRUPT,
				 "%s: no LMDB meta page: not a ledger, or its "
				 "first pages are damaged (%lld bytes)",
				 data, (long long)st.st_size);
	int newest = ok[0] && ok[1] ? txn[1] > txn[0] : ok[1];
	if ((uint64_t)st.st_size < need[newest])
		return svl__fail(NULL, SVL_ECORRUPT,
				 "%s: cut short: %lld bytes, but its last "
				 "transaction reaches %llu (an interrupted "
				 "copy?); restore the whole file",
				 data, (long long)st.st_size,
				 (unsigned long long)need[newest]);
	return SVL_OK;
}

/* lock.mdb for a first opener: created with its blocks allocated, so that
 * a full disk is an error here, not a SIGBUS in LMDB. *made says whether
 * this call created it. */
static int lock_file_prepare(const char *lock, unsigned max_readers,
			     int *made)
{
	*made = 0;
	int fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST || errno == EACCES || errno == EROFS
			       ? SVL_OK /* LMDB decides (and says why) */
			       : svl__fail(NULL, SVL_EIO, "%s: %s", lock,
					   strerror(errno));
	*made = 1;
	/* LMDB 0.9's reader table, the size it would give the file itself:
	 * 64-byte slots after a 128-byte header (a larger file would give it
	 * more slots than max_readers) */
	off_t size = (off_t)(128 + (uint64_t)max_readers * 64);
	int e = posix_fallocate(fd, 0, size);
	close(fd);
	if (e == 0)
		return SVL_OK;
	unlink(lock);
	*made = 0;
	return svl__fail(NULL, SVL_EIO, "%s: %s", lock, strerror(e));
}

/* What a creating open made, to be removed again when it fails (a full
 * disk must not leave half a ledger behind). Two processes creating the
 * same new log at once are not told apart here: the tool builds each new
 * ledger in a directory of its own and renames it into place. */
typedef struct made_files {
	int dir, data, lock;
	char data_path[4096], lock_path[4096];
} made_files;

static void made_files_end(made_files *m, const char *dir, int failed)
{
	if (failed && m->lock)
		unlink(m->lock_path);
	if (failed && m->data)
		unlink(m->data_path);
	if (failed && m->dir)
		rmdir(dir);
}

static int prepare_dir(const char *dir, unsigned flags, struct stat *st,
		       made_files *m)
{
	int made = (flags & SVL_LOG_CREATE) ? mkdir(dir, 0755) == 0 : 0;
	if ((flags & SVL_LOG_CREATE) && !made && errno != EEXIST)
		return svl__fail(NULL, SVL_EIO, "%s: cannot create: %s", dir,
				 strerror(errno));
	m->dir = made;
	if (snprintf(m->data_path, sizeof m->data_path, "%s/data.mdb", dir) >=
		(int)sizeof m->data_path ||
	    snprintf(m->lock_path, sizeof m->lock_path, "%s/lock.mdb", dir) >=
		(int)sizeof m->lock_path)
		return svl__fail(NULL, SVL_EINVAL, "%s: path too long", dir);
	struct stat ds;
	int have = stat(m->data_path, &ds) == 0;
	if (!have && errno != ENOENT && errno != ENOTDIR)
		return svl__fail(NULL, errno == EACCES ? SVL_EREADONLY : SVL_EIO,
				 "%s: %s", m->data_path, strerror(errno));
	if (!(flags & SVL_LOG_CREATE) && !have)
		return svl__fail(NULL, SVL_ENOTFOUND,
				 "%s: no ledger here (svcledger init creates "
				 "one)",
				 dir);
	m->data = !have;
	if (stat(dir, st) != 0)
		return svl__fail(NULL, errno == ENOENT ? SVL_ENOTFOUND : SVL_EIO,
				 "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st->st_mode))
		return svl__fail(NULL, SVL_EINVAL, "%s: not a directory", dir);
	/* a new log may start over an empty file; an existing one is checked */
	if (have && !((flags & SVL_LOG_CREATE) && ds.st_size == 0))
		return data_file_check(dir, m->data_path);
	return SVL_OK;
}

/* Read-only files: LMDB needs lock.mdb writable even to read. When it
 * cannot be written, a read-only open goes without it (MDB_NOLOCK): its
 * snapshot is then consistent only while no writer commits at the same
 * time (docs/reliability.md, "Read-only files"). */
static int lock_unwritable(const char *dir, const char *lock)
{
	return access(lock, F_OK) == 0 ? access(lock, W_OK) != 0
				       : access(dir, W_OK) != 0;
}

static int env_open(svl_log *log, const svl_log_options *o, made_files *m)
{
	unsigned readers = o->max_readers ? o->max_readers
					  : SVL_DEFAULT_MAX_READERS;
	unsigned mflags = MDB_NOTLS;
	if (o->flags & SVL_LOG_RDONLY)
		mflags |= MDB_RDONLY;
	if (o->flags & SVL_LOG_NOSYNC)
		mflags |= MDB_NOSYNC;
	if ((o->flags & SVL_LOG_RDONLY) &&
	    lock_unwritable(log->path, m->lock_path))
		mflags |= MDB_NOLOCK;
	int rc = (mflags & MDB_RDONLY)
		     ? SVL_OK
		     : lock_file_prepare(m->lock_path, readers, &m->lock);
	if (rc != SVL_OK)
		return rc;
	int mrc = mdb_env_create(&log->env);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(log, mrc, "create environment");
	mdb_env_set_maxdbs(log->env, 4 + SVL_TABLES_MAX);
	mdb_env_set_maxreaders(log->env, readers);
	mdb_env_set_mapsize(log->env, o->map_size_bytes ? o->map_size_bytes
							: SVL_DEFAULT_MAP_SIZE);
	mrc = mdb_env_open(log->env, log->path, mflags, 0644);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(log, mrc, log->path);
	int fd;
	if (mdb_env_get_fd(log->env, &fd) == MDB_SUCCESS) /* invariant 2 */
		(void)fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	int dead = 0;
	if (!(mflags & MDB_NOLOCK))
		mdb_reader_check(log->env, &dead); /* invariant 3 */
	MDB_envinfo info;
	mdb_env_info(log->env, &info);
	log->map_size = info.me_mapsize;
	return SVL_OK;
}

int svl_log_open(svl_log **out, const char *dir, const svl_log_options *opts)
{
	svl_log_options defaults = SVL_LOG_OPTIONS_INIT;
	const svl_log_options *o = opts ? opts : &defaults;
	struct stat st;
	made_files made = {0};
	int rc;
	if (!out || !dir)
		return svl__fail(NULL, SVL_EMISUSE, "out and dir are required");
	*out = NULL;
	if ((rc = check_options(o)) != SVL_OK ||
	    (rc = prepare_dir(dir, o->flags, &st, &made)) != SVL_OK) {
		made_files_end(&made, dir, 1);
		return rc;
	}
	svl_log *log = calloc(1, sizeof *log);
	if (!log || !(log->path = strdup(dir))) {
		free(log);
		made_files_end(&made, dir, 1);
		return svl__fail(NULL, SVL_ENOMEM, "open %s: out of memory", dir);
	}
	log->flags = o->flags;
	if (o->ledger_id) {
		memcpy(log->ledger_id, o->ledger_id, SVL_ID_SIZE);
		log->id_given = 1;
	}
	log->dev = st.st_dev;
	log->ino = st.st_ino;
	pthread_rwlock_init(&log->map_lock, NULL);
	pthread_mutex_init(&log->table_lock, NULL);
	if ((rc = registry_add(NULL, dir, st.st_dev, st.st_ino)) != SVL_OK) {
		log->ino = 0;
		log->dev = 0;
		goto out_close;
	}
	if ((rc = env_open(log, o, &made)) != SVL_OK ||
	    (rc = open_dbs(log)) != SVL_OK)
		goto out_close;
	made_files_end(&made, dir, 0);
	*out = log;
	return SVL_OK;
out_close:
	/* the detail stays readable through svl_log_last_error() */
	svl_log_close(log);
	made_files_end(&made, dir, 1);
	return rc;
}

void svl_log_close(svl_log *log)
{
	if (!log)
		return;
	if (log->env)
		mdb_env_close(log->env);
	if (log->ino || log->dev)
		registry_remove(log->dev, log->ino);
	pthread_rwlock_destroy(&log->map_lock);
	pthread_mutex_destroy(&log->table_lock);
	free(log->path);
	free(log);
}

int svl_log_sync(svl_log *log)
{
	if (!log)
		return svl__fail(NULL, SVL_EMISUSE, "sync: log is NULL");
	if (log->flags & SVL_LOG_RDONLY)
		return SVL_OK;
	int mrc = mdb_env_sync(log->env, 1);
	return mrc == MDB_SUCCESS ? SVL_OK : svl__lmdb(log, mrc, "sync");
}

const uint8_t *svl_log_id(const svl_log *log)
{
	return log->ledger_id;
}

/* ---- user tables ---- */

static int table_create(svl_log *log, const char *name, MDB_dbi *dbi)
{
	char full[SVL_TABLE_NAME_MAX + 3];
	snprintf(full, sizeof full, "u.%s", name);
	int rdonly = (log->flags & SVL_LOG_RDONLY) != 0;
	MDB_txn *txn;
	pthread_rwlock_rdlock(&log->map_lock);
	int mrc = mdb_txn_begin(log->env, NULL, rdonly ? MDB_RDONLY : 0, &txn);
	if (mrc == MDB_SUCCESS) {
		mrc = mdb_dbi_open(txn, full, rdonly ? 0 : MDB_CREATE, dbi);
		if (mrc == MDB_SUCCESS)
			mrc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	pthread_rwlock_unlock(&log->map_lock);
	if (mrc == MDB_NOTFOUND)
		return svl__fail(log, SVL_ENOTFOUND, "table %s does not exist",
				 name);
	return mrc == MDB_SUCCESS ? SVL_OK : svl__lmdb(log, mrc, full);
}

int svl_log_table(svl_log *log, const char *name, unsigned *out)
{
	size_t len = name ? strlen(name) : 0;
	if (!log || !out || len == 0)
		return svl__fail(log, SVL_EMISUSE, "table: log, name and out "
						   "are required");
	if (len > SVL_TABLE_NAME_MAX)
		return svl__fail(log, SVL_ELIMIT,
				 "table name '%s' longer than %d bytes", name,
				 SVL_TABLE_NAME_MAX);
	int rc = SVL_OK;
	pthread_mutex_lock(&log->table_lock);
	unsigned i;
	for (i = 0; i < log->n_tables; i++)
		if (strcmp(log->table_names[i], name) == 0)
			break;
	if (i == log->n_tables) {
		if (i == SVL_TABLES_MAX)
			rc = svl__fail(log, SVL_ELIMIT,
				       "more than %d tables", SVL_TABLES_MAX);
		else if ((rc = table_create(log, name, &log->tables[i])) ==
			 SVL_OK) {
			memcpy(log->table_names[i], name, len + 1);
			log->n_tables++;
		}
	}
	pthread_mutex_unlock(&log->table_lock);
	if (rc == SVL_OK)
		*out = i;
	return rc;
}

void svl_log_set_commit_hook(svl_log *log, svl_commit_hook fn, void *payload)
{
	if (!log)
		return;
	log->commit_hook = fn;
	log->commit_payload = payload;
}

void svl_log_set_append_hook(svl_log *log, svl_append_hook fn, void *payload)
{
	log->hook = fn;
	log->hook_payload = payload;
}
