/*
 * backup.c - an online copy of a log: LMDB's copy of one read snapshot
 * (compacted: free pages left out), written beside the target, synced,
 * verified, then renamed into place. Writers go on meanwhile; the copy is
 * the log as of the moment the copy's snapshot began, with everything in
 * the same environment (the projections' and deciders' tables too).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* fsync a file or a directory by path. */
static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* The directory part of path ("." when none), into out. */
static void parent_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == path)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

static void remove_copy(const char *tmp)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof p, "%s/data.mdb", tmp);
	unlink(p);
	snprintf(p, sizeof p, "%s/lock.mdb", tmp);
	unlink(p);
	rmdir(tmp);
}

/* The copy in tmp, verified from seq 1 like any ledger. */
static int verify_copy(svl_log *log, const char *tmp, svl_verify_report *rep)
{
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	svl_log *copy;
	o.flags = SVL_LOG_RDONLY;
	int rc = svl_log_open(&copy, tmp, &o);
	if (rc != SVL_OK)
		return svl__fail(log, rc, "the copy does not open: %s",
				 svl_log_last_error());
	rc = svl_log_verify(copy, rep);
	if (rc == SVL_OK && !rep->ok)
		rc = svl__fail(log, SVL_ECORRUPT,
			       "the copy fails verify at seq %llu: %s",
			       (unsigned long long)rep->bad_seq, rep->detail);
	else if (rc != SVL_OK)
		rc = svl__fail(log, rc, "verifying the copy: %s",
			       svl_log_errmsg(copy));
	svl_log_close(copy);
	return rc;
}

int svl_log_backup(svl_log *log, const char *dir, unsigned flags,
		   svl_verify_report *report)
{
	svl_verify_report scratch;
	svl_verify_report *rep = report ? report : &scratch;
	char tmp[PATH_MAX], data[PATH_MAX + 16], parent[PATH_MAX];
	if (!log || !dir || !*dir)
		return svl__fail(log, SVL_EMISUSE, "a backup needs the log and a directory");
	memset(rep, 0, sizeof *rep);
	if (access(dir, F_OK) == 0)
		return svl__fail(log, SVL_EEXISTS,
				 "%s exists (a backup never replaces "
				 "anything)",
				 dir);
	if (snprintf(tmp, sizeof tmp, "%s.backup-XXXXXX", dir) >=
	    (int)sizeof tmp)
		return svl__fail(log, SVL_EINVAL, "%s: path too long",
				 dir);
	if (!mkdtemp(tmp))
		return svl__fail(log, SVL_EIO, "%s: %s", tmp,
				 strerror(errno));
	/* map growth waits for this snapshot, as for any transaction */
	pthread_rwlock_rdlock(&log->map_lock);
	int mrc = mdb_env_copy2(log->env, tmp,
				(flags & SVL_BACKUP_NO_COMPACT) ? 0
								: MDB_CP_COMPACT);
	pthread_rwlock_unlock(&log->map_lock);
	int rc = mrc ? svl__lmdb(log, mrc, "copying the snapshot") : SVL_OK;
	snprintf(data, sizeof data, "%s/data.mdb", tmp);
	if (rc == SVL_OK && (sync_path(data) != 0 || sync_path(tmp) != 0))
		rc = svl__fail(log, SVL_EIO, "sync %s: %s", tmp,
			       strerror(errno));
	if (rc == SVL_OK)
		rc = verify_copy(log, tmp, rep);
	if (rc == SVL_OK &&
	    renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE) != 0)
		rc = svl__fail(log, errno == EEXIST || errno == ENOTEMPTY
					? SVL_EEXISTS
					: SVL_EIO,
			       "rename to %s: %s", dir,
			       strerror(errno));
	if (rc != SVL_OK) {
		remove_copy(tmp);
		return rc;
	}
	parent_of(dir, parent, sizeof parent);
	if (sync_path(parent) != 0)
		return svl__fail(log, SVL_EIO, "sync %s: %s", parent,
				 strerror(errno));
	return SVL_OK;
}
