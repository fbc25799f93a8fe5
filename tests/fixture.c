/* fixture.c - see fixture.h. */
#include "fixture.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mp.h"

char *svl_test_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = malloc(4096);
	if (!path)
		return NULL;
	snprintf(path, 4096, "%s/svl-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void svl_test_rmdir(char *path)
{
	if (!path)
		return;
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(path);
}

size_t svl_test_payload(uint8_t *buf, int64_t n)
{
	uint8_t *p = buf;
	p = svl__mp_put_map_hdr(p, 1);
	p = svl__mp_put_str(p, "n", 1);
	p = svl__mp_put_int(p, n);
	return (size_t)(p - buf);
}

svl_event_in svl_test_event(const char *stream, uint8_t *buf, int64_t n)
{
	svl_event_in ev;
	memset(&ev, 0, sizeof ev);
	ev.stream = stream;
	ev.stream_len = strlen(stream);
	ev.type = 1;
	ev.schema_version = 1;
	ev.occurred_at_ms = 1700000000000 + n;
	ev.actor = "E001";
	ev.actor_len = 4;
	ev.role = "tester";
	ev.role_len = 6;
	ev.payload = buf;
	ev.payload_len = svl_test_payload(buf, n);
	ev.expected_version = SVL_VERSION_ANY;
	return ev;
}
