/*
 * newdir.c - see newdir.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "newdir.h"

static int split_target(const cli_ctx *ctx, newdir *t)
{
	size_t n = strlen(t->dir);
	while (n > 1 && t->dir[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && t->dir[b - 1] != '/')
		b--;
	if (n - b == 0 || n - b >= sizeof t->base ||
	    (n - b == 1 && t->dir[b] == '.') ||
	    (n - b == 2 && t->dir[b] == '.' && t->dir[b + 1] == '.'))
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "%s: needs the name of a new directory",
				 t->dir);
	memcpy(t->base, t->dir + b, n - b);
	t->base[n - b] = '\0';
	snprintf(t->parent, sizeof t->parent, "%.*s", (int)(b ? b : 1),
		 b ? t->dir : ".");
	return 0;
}

/* Whether the target can still be made: absent, or an empty directory. */
static int target_free(const cli_ctx *ctx, const newdir *t)
{
	struct stat st;
	if (stat(t->dir, &st) != 0)
		return errno == ENOENT ? 0
				       : cli_error(ctx, CLI_EXIT_ERROR, "%s: %s",
						   t->dir, strerror(errno));
	DIR *d = S_ISDIR(st.st_mode) ? opendir(t->dir) : NULL;
	struct dirent *e;
	int used = !d;
	while (d && !used && (e = readdir(d)))
		used = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	if (!used)
		return 0;
	char path[4200];
	snprintf(path, sizeof path, "%s/data.mdb", t->dir);
	return cli_error(ctx, CLI_EXIT_CONFLICT,
			 stat(path, &st) == 0
			     ? _("%s: a ledger already exists there; "
				 "nothing was changed")
			     : _("%s: not an empty directory; a new ledger "
				 "goes into a new or empty one (nothing was "
				 "changed)"),
			 t->dir);
}

/* Remove a build directory (the ledger's two files, then itself). Only
 * async-signal-safe calls: it also runs from the signal handler. */
static void remove_build(const char *build)
{
	static const char *const files[] = {"/data.mdb", "/lock.mdb"};
	char path[NEWDIR_BUILD_MAX + 16];
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(build), m = strlen(files[i]);
		if (n + m >= sizeof path)
			return;
		memcpy(path, build, n);
		memcpy(path + n, files[i], m + 1);
		unlink(path);
	}
	rmdir(build);
}

/* Build directories of dead commands for the same target. */
static void remove_stale_builds(const newdir *t)
{
	char prefix[300], path[4096 + 256 + 2];
	snprintf(prefix, sizeof prefix, ".%s.new-", t->base);
	DIR *d = opendir(t->parent);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", t->parent, e->d_name);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			remove_build(path);
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
}

static char signal_build[NEWDIR_BUILD_MAX];

static void on_signal(int sig)
{
	remove_build(signal_build);
	_exit(128 + sig);
}

static void catch_signals(int on)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on ? on_signal : SIG_DFL;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

/* The build directory, locked. It is made under a name no one scans,
 * locked, then given the scanned name: a ".new-" directory is locked from
 * its first moment on. */
static int make_build(const cli_ctx *ctx, newdir *t)
{
	char made[NEWDIR_BUILD_MAX];
	snprintf(made, sizeof made, "%s/.%s.tmp-XXXXXX", t->parent, t->base);
	if (!mkdtemp(made))
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", t->parent,
				 strerror(errno));
	snprintf(t->build, sizeof t->build, "%s/.%s.new-%s", t->parent,
		 t->base, made + strlen(made) - 6);
	mode_t mask = umask(0); /* mkdtemp makes it 0700; a ledger is 0755 */
	umask(mask);
	t->build_fd = open(made, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->build_fd < 0 || fchmod(t->build_fd, 0755 & ~mask) != 0 ||
	    flock(t->build_fd, LOCK_EX) != 0 ||
	    rename(made, t->build) != 0) {
		int code = cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", made,
				     strerror(errno));
		rmdir(made);
		t->build[0] = '\0';
		return code;
	}
	return 0;
}

int newdir_begin(const cli_ctx *ctx, newdir *t, const char *dir)
{
	memset(t, 0, sizeof *t);
	t->dir = dir;
	t->build_fd = -1;
	int code = split_target(ctx, t);
	if (code || (code = target_free(ctx, t)))
		return code;
	remove_stale_builds(t);
	/* signals wait until the handler knows what to remove */
	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	code = make_build(ctx, t);
	if (code == 0) {
		memcpy(signal_build, t->build, sizeof signal_build);
		catch_signals(1);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return code;
}

void newdir_discard(newdir *t)
{
	if (t->build[0])
		remove_build(t->build);
	t->build[0] = '\0';
	catch_signals(0);
	if (t->build_fd >= 0)
		close(t->build_fd);
	t->build_fd = -1;
}

int newdir_commit(const cli_ctx *ctx, newdir *t)
{
	int code = 0;
	if (rename(t->build, t->dir) != 0)
		code = errno == ENOTEMPTY || errno == EEXIST
			   ? cli_error(ctx, CLI_EXIT_CONFLICT,
				       "%s: another command made a ledger there "
				       "meanwhile; this one was discarded",
				       t->dir)
			   : cli_error(ctx, CLI_EXIT_ERROR, "%s: %s", t->dir,
				       strerror(errno));
	else
		t->build[0] = '\0';
	int pfd = code ? -1
		       : open(t->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0 && fsync(pfd) != 0) {
		/* not durable: take it back, so that what the exit says holds */
		code = cli_error(ctx, CLI_EXIT_ERROR, "%s: sync: %s",
				 t->parent, strerror(errno));
		snprintf(t->build, sizeof t->build, "%s/.%s.new-undo",
			 t->parent, t->base);
		if (rename(t->dir, t->build) != 0)
			t->build[0] = '\0';
	}
	if (pfd >= 0)
		close(pfd);
	newdir_discard(t);
	return code;
}
