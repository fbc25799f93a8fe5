/*
 * failshim.c - an LD_PRELOAD library for the reliability suite: it counts
 * the calls by which a process makes data durable (write, pwrite,
 * pwrite64, writev, pwritev, fsync, fdatasync, msync) and, at the Nth
 * one, either kills the process or makes the call fail as a full or
 * broken disk would.
 *
 * Environment (read once, at load):
 *   SVL_SHIM_MODE   count | kill | fail    (absent: count)
 *   SVL_SHIM_AT     N, 1-based: the call that kills or fails
 *   SVL_SHIM_ERRNO  ENOSPC (default) or EIO, for mode fail
 *   SVL_SHIM_ONCE   1: fail only call N; else call N and every later one
 *                   fails (a full disk stays full)
 *   SVL_SHIM_COUNT  a file that receives the number of calls seen, at
 *                   exit (how a test learns how many points there are)
 *
 * Invariants:
 *   1. Calls on descriptors 0, 1 and 2 are counted in every mode but are
 *      never failed: a full disk does not stop the terminal, so the
 *      tool's one-line error message still gets out.
 *   2. The kill is SIGKILL raised by the process itself at the call, so
 *      the call never happens: nothing after point N reaches the kernel.
 *   3. The real calls are made with syscall(2), not dlsym: no recursion
 *      through the dynamic linker, and the shim has no state but a
 *      counter.
 *
 * Why calls of the libraries only: glibc's own stdio writes do not go
 * through the PLT and are not seen; what matters here is LMDB's page and
 * meta writes and syncs, which are.
 *
 * The shim is used with the release tool only: ASan intercepts the same
 * symbols and refuses to be loaded after another preload.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum shim_mode { SHIM_COUNT, SHIM_KILL, SHIM_FAIL };

static enum shim_mode mode = SHIM_COUNT;
static long fail_at;
static int fail_errno = ENOSPC;
static int fail_once;
static atomic_long calls;
static const char *count_path;

__attribute__((constructor)) static void shim_init(void)
{
	const char *m = getenv("SVL_SHIM_MODE");
	const char *at = getenv("SVL_SHIM_AT");
	const char *e = getenv("SVL_SHIM_ERRNO");
	const char *once = getenv("SVL_SHIM_ONCE");
	if (m && strcmp(m, "kill") == 0)
		mode = SHIM_KILL;
	else if (m && strcmp(m, "fail") == 0)
		mode = SHIM_FAIL;
	fail_at = at ? strtol(at, NULL, 10) : 0;
	if (e && strcmp(e, "EIO") == 0)
		fail_errno = EIO;
	fail_once = once && strcmp(once, "1") == 0;
	count_path = getenv("SVL_SHIM_COUNT");
}

__attribute__((destructor)) static void shim_fini(void)
{
	char buf[32];
	if (!count_path)
		return;
	int n = snprintf(buf, sizeof buf, "%ld\n", atomic_load(&calls));
	FILE *f = fopen(count_path, "w");
	if (!f)
		return;
	fwrite(buf, 1, (size_t)n, f);
	fclose(f);
}

/* 1 when this call must fail (errno set); raises SIGKILL in kill mode. */
static int shim_point(int fd)
{
	long n = atomic_fetch_add(&calls, 1) + 1;
	if (mode == SHIM_KILL && n == fail_at) {
		raise(SIGKILL);
		for (;;)
			pause();
	}
	if (mode != SHIM_FAIL || (fd >= 0 && fd <= 2) || fail_at <= 0)
		return 0;
	if (n == fail_at || (!fail_once && n > fail_at)) {
		errno = fail_errno;
		return 1;
	}
	return 0;
}

ssize_t write(int fd, const void *buf, size_t count)
{
	if (shim_point(fd))
		return -1;
	return syscall(SYS_write, fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t off)
{
	if (shim_point(fd))
		return -1;
	return syscall(SYS_pwrite64, fd, buf, count, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t off)
{
	if (shim_point(fd))
		return -1;
	return syscall(SYS_pwrite64, fd, buf, count, off);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	if (shim_point(fd))
		return -1;
	return syscall(SYS_writev, fd, iov, iovcnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
	if (shim_point(fd))
		return -1;
	/* the kernel takes the offset as two longs, low word first */
	return syscall(SYS_pwritev, fd, iov, iovcnt, (long)off, 0L);
}

int fsync(int fd)
{
	if (shim_point(fd))
		return -1;
	return (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
	if (shim_point(fd))
		return -1;
	return (int)syscall(SYS_fdatasync, fd);
}

int msync(void *addr, size_t len, int flags)
{
	if (shim_point(-1))
		return -1;
	return (int)syscall(SYS_msync, addr, len, flags);
}
