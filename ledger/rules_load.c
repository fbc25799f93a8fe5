/*
 * rules_load.c - a rule-set file read and parsed (svl_rules.h); the
 * parsing itself is the model's (model/rules.c), which reads no files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "svl_rules.h"

int svl_rules_load(const char *path, svl_rules *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? SVL_ENOTFOUND : SVL_EIO;
	}
	char buf[65536];
	size_t n = fread(buf, 1, sizeof buf, f);
	int too_big = !feof(f);
	fclose(f);
	if (too_big) {
		if (errlen)
			snprintf(err, errlen, "%s: larger than 64 KiB", path);
		return SVL_EINVAL;
	}
	return svl_rules_parse(buf, n, out, err, errlen);
}
