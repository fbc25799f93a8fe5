/*
 * keyfile.c - Ed25519 key pairs and their files (docs/trust.md "Keys").
 *
 * The secret key file holds the 32-byte seed the key pair is derived
 * from, as one line "svcledger-ed25519-secret-key <64 hex digits>", mode
 * 0600, created only if absent. The public key file "<path>.pub" holds the
 * public key as 64 hex digits: the form `--trust`, staff_key_registered
 * and the seal file use.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "svl_trust.h"
#include "trust_int.h"

#define SECRET_TAG "svcledger-ed25519-secret-key "
#define SECRET_LINE (sizeof SECRET_TAG - 1 + 64 + 1)

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int svl_key_generate(svl_keypair *out)
{
	if (!out)
		return SVL_EMISUSE;
	if (svl__sodium() != SVL_OK)
		return SVL_EIO;
	crypto_sign_keypair(out->public_key, out->secret_key);
	return SVL_OK;
}

int svl_key_from_seed(svl_keypair *out, const uint8_t seed[32])
{
	if (!out || !seed)
		return SVL_EMISUSE;
	if (svl__sodium() != SVL_OK)
		return SVL_EIO;
	crypto_sign_seed_keypair(out->public_key, out->secret_key, seed);
	return SVL_OK;
}

void svl_keypair_wipe(svl_keypair *k)
{
	if (k)
		sodium_memzero(k, sizeof *k);
}

void svl_key_hex(const uint8_t key[SVL_PUBLIC_KEY_SIZE],
		 char out[2 * SVL_PUBLIC_KEY_SIZE + 1])
{
	svl__hex(out, key, SVL_PUBLIC_KEY_SIZE);
}

/* Create `path` with `mode` (never over an existing file) holding `text`,
 * synced. */
static int write_new(const char *path, mode_t mode, const char *text,
		     size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return fail(err, errlen,
			    errno == EEXIST ? SVL_EEXISTS : SVL_EIO,
			    "%s: %s%s", path, strerror(errno),
			    errno == EEXIST ? " (a key file is never "
					      "overwritten)"
					    : "");
	ssize_t w = write(fd, text, len);
	int bad = w != (ssize_t)len || fsync(fd) != 0;
	int e = errno;
	if (close(fd) != 0 || bad) {
		unlink(path);
		return fail(err, errlen, SVL_EIO, "%s: %s", path,
			    strerror(bad ? e : errno));
	}
	return SVL_OK;
}

int svl_key_save(const svl_keypair *k, const char *path, char *err,
		 size_t errlen)
{
	if (!k || !path)
		return SVL_EMISUSE;
	char pub_path[4096], line[SECRET_LINE + 1], pub[2 * 32 + 2];
	if (snprintf(pub_path, sizeof pub_path, "%s.pub", path) >=
	    (int)sizeof pub_path)
		return fail(err, errlen, SVL_EINVAL, "%s: path too long", path);
	if (access(pub_path, F_OK) == 0)
		return fail(err, errlen, SVL_EEXISTS,
			    "%s: exists (a key file is never overwritten)",
			    pub_path);
	memcpy(line, SECRET_TAG, sizeof SECRET_TAG - 1);
	svl__hex(line + sizeof SECRET_TAG - 1, k->secret_key, 32); /* seed */
	line[SECRET_LINE - 1] = '\n';
	int rc = write_new(path, 0600, line, SECRET_LINE, err, errlen);
	sodium_memzero(line, sizeof line);
	if (rc != SVL_OK)
		return rc;
	svl__hex(pub, k->public_key, 32);
	pub[64] = '\n';
	if ((rc = write_new(pub_path, 0644, pub, 65, err, errlen)) != SVL_OK)
		unlink(path);
	return rc;
}

int svl_key_load(svl_keypair *out, const char *path, char *err, size_t errlen)
{
	if (!out || !path)
		return SVL_EMISUSE;
	if (svl__sodium() != SVL_OK)
		return SVL_EIO;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen,
			    errno == ENOENT ? SVL_ENOTFOUND : SVL_EIO, "%s: %s",
			    path, strerror(errno));
	struct stat st;
	char line[SECRET_LINE + 8];
	ssize_t n = fstat(fd, &st) == 0 ? read(fd, line, sizeof line) : -1;
	close(fd);
	int rc = SVL_OK;
	uint8_t seed[32];
	if (n < 0)
		rc = fail(err, errlen, SVL_EIO, "%s: %s", path, strerror(errno));
	else if (st.st_mode & 077)
		rc = fail(err, errlen, SVL_EINVAL,
			  "%s: others may read this secret key (mode %03o); "
			  "chmod 600 it",
			  path, (unsigned)(st.st_mode & 0777));
	else if ((size_t)n != SECRET_LINE ||
		 memcmp(line, SECRET_TAG, sizeof SECRET_TAG - 1) != 0 ||
		 line[SECRET_LINE - 1] != '\n' ||
		 !svl__unhex(seed, 32, line + sizeof SECRET_TAG - 1, 64))
		rc = fail(err, errlen, SVL_EINVAL,
			  "%s: not a secret key file of svcledger keygen",
			  path);
	else
		rc = svl_key_from_seed(out, seed);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(line, sizeof line);
	return rc;
}

int svl_key_public(uint8_t out[SVL_PUBLIC_KEY_SIZE], const char *arg,
		   char *err, size_t errlen)
{
	if (!out || !arg)
		return SVL_EMISUSE;
	size_t len = strlen(arg);
	if (svl__unhex(out, 32, arg, len))
		return SVL_OK;
	FILE *f = fopen(arg, "r");
	if (!f && errno == ENOENT && len > 0 &&
	    strspn(arg, "0123456789abcdefABCDEF") == len)
		return fail(err, errlen, SVL_EINVAL,
			    "%s: expected 64 lowercase hex digits (a public "
			    "key) or a .pub file",
			    arg);
	if (!f)
		return fail(err, errlen,
			    errno == ENOENT ? SVL_ENOTFOUND : SVL_EIO,
			    "%s: not 64 hex digits, and no such file", arg);
	char buf[80];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (!svl__unhex(out, 32, buf, n))
		return fail(err, errlen, SVL_EINVAL,
			    "%s: expected one line of 64 lowercase hex digits "
			    "(a .pub file of svcledger keygen)",
			    arg);
	return SVL_OK;
}
