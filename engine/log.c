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

static int prepare_dir(const char *dir, unsigned flags, struct stat *st)
{
	if ((flags & SVL_LOG_CREATE) && mkdir(dir, 0755) != 0 &&
	    errno != EEXIST)
		return svl__fail(NULL, SVL_EIO, "%s: cannot create: %s", dir,
				 strerror(errno));
	char data[4096];
	if (snprintf(data, sizeof data, "%s/data.mdb", dir) >=
	    (int)sizeof data)
		return svl__fail(NULL, SVL_EINVAL, "%s: path too long", dir);
	if (!(flags & SVL_LOG_CREATE) && access(data, F_OK) != 0)
		return svl__fail(NULL, SVL_ENOTFOUND,
				 "%s: no ledger here (svcledger init creates "
				 "one)",
				 dir);
	if (stat(dir, st) != 0)
		return svl__fail(NULL, errno == ENOENT ? SVL_ENOTFOUND : SVL_EIO,
				 "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st->st_mode))
		return svl__fail(NULL, SVL_EINVAL, "%s: not a directory", dir);
	return SVL_OK;
}

static int env_open(svl_log *log, const svl_log_options *o)
{
	int mrc = mdb_env_create(&log->env);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(log, mrc, "create environment");
	mdb_env_set_maxdbs(log->env, 4 + SVL_TABLES_MAX);
	mdb_env_set_maxreaders(log->env, o->max_readers ? o->max_readers
						       : SVL_DEFAULT_MAX_READERS);
	mdb_env_set_mapsize(log->env, o->map_size_bytes ? o->map_size_bytes
							: SVL_DEFAULT_MAP_SIZE);
	unsigned mflags = MDB_NOTLS;
	if (o->flags & SVL_LOG_RDONLY)
		mflags |= MDB_RDONLY;
	if (o->flags & SVL_LOG_NOSYNC)
		mflags |= MDB_NOSYNC;
	mrc = mdb_env_open(log->env, log->path, mflags, 0644);
	if (mrc != MDB_SUCCESS)
		return svl__lmdb(log, mrc, log->path);
	int fd;
	if (mdb_env_get_fd(log->env, &fd) == MDB_SUCCESS) /* invariant 2 */
		(void)fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	int dead = 0;
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
	int rc;
	if (!out || !dir)
		return svl__fail(NULL, SVL_EMISUSE, "out and dir are required");
	*out = NULL;
	if ((rc = check_options(o)) != SVL_OK ||
	    (rc = prepare_dir(dir, o->flags, &st)) != SVL_OK)
		return rc;
	svl_log *log = calloc(1, sizeof *log);
	if (!log || !(log->path = strdup(dir))) {
		free(log);
		return svl__fail(NULL, SVL_ENOMEM, "open %s: out of memory", dir);
	}
	log->flags = o->flags;
	log->dev = st.st_dev;
	log->ino = st.st_ino;
	pthread_rwlock_init(&log->map_lock, NULL);
	pthread_mutex_init(&log->table_lock, NULL);
	if ((rc = registry_add(NULL, dir, st.st_dev, st.st_ino)) != SVL_OK) {
		log->ino = 0;
		log->dev = 0;
		goto out_close;
	}
	if ((rc = env_open(log, o)) != SVL_OK || (rc = open_dbs(log)) != SVL_OK)
		goto out_close;
	*out = log;
	return SVL_OK;
out_close:
	/* the detail stays readable through svl_log_last_error() */
	svl_log_close(log);
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

void svl_log_set_append_hook(svl_log *log, svl_append_hook fn, void *payload)
{
	log->hook = fn;
	log->hook_payload = payload;
}
