/*
 * cmd_import.c - `svcledger import`: an export (cmd_xfer.h) into a NEW
 * ledger, reproducing the same chain and the same head hash.
 *
 * Every record is checked before it is appended: its seq continues the
 * run (1, 2, 3, ...), it links to the record before, and its envelope
 * (rebuilt from the NDJSON fields, or the msgpack bytes as they are)
 * hashes to the exported hash. Records are then appended as they were,
 * with their ids and recorded times (the engine accepts recorded times
 * that never decrease), their stream versions enforced as expected
 * versions, through svl_log_append on the ledger's own log, so the
 * projections catch up inline, in the same transactions. After each batch
 * the new head must equal the exported hash of its last record. The checks
 * and appends are the xfer_appender's (cmd_xfer.h), which the group ledger
 * uses too, to append a store's shipped records to its replica.
 *
 * Speed: batches of XFER_BATCH events, the ledger opened with
 * SVL_LOG_NOSYNC and synced once at the end (docs/architecture.md
 * "Durability"): a machine crash during an import loses the import, never
 * a ledger that existed before. The ledger is built beside the target and
 * renamed into place when whole (newdir.h): nothing half-imported is ever
 * at the target.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd_common.h"
#include "cmd_xfer.h"
#include "fmt.h"
#include "newdir.h"
#include "progress.h"

static const cli_opt im_opts[] = {
    CLI_OPT_LEDGER,
    {"format", 0, "F", "ndjson or msgpack (default: from the first byte)"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { IM_DIR, IM_FORMAT, IM_JSON };

static const cli_spec im_spec = {
    "import",
    "[-d NEWDIR] [--format ndjson|msgpack] [--json] FILE|-",
    "Create a new ledger in NEWDIR from an export (svcledger export):\n"
    "every record is checked (seq run, link to the one before, hash of\n"
    "its envelope) and appended with its id and recorded time, so the new\n"
    "ledger has the same chain and the same head hash; the projections\n"
    "are built on the way. Batches of 10,000 events, no sync until one at\n"
    "the end. The ledger is built in a hidden directory beside NEWDIR and\n"
    "renamed into place when complete: NEWDIR must be new or empty (exit\n"
    "6), and a failure, a kill or a racing import never leaves half a\n"
    "ledger there. A bad record stops the import (exit 2 for bad input, 4\n"
    "for a hash or link that does not hold).",
    im_opts,
    1,
    "  $ svcledger import -d ./copy ledger.ndjson\n"
    "  imported 47 events into ./copy in 1 ms (31,564 events/s); head seq 47, "
    "hash 2e3dfaa4ac71ea64b224d11a3ce78cd5, as exported\n"};

/* The appender (cmd_xfer.h) and what one import adds to it: the
 * export's header, a buffer to rebuild NDJSON envelopes in, the bar. */
typedef struct importer {
	xfer_appender ap;
	msgpack_sbuffer env;
	cli_progress bar;
	xfer_head head;
} importer;

/* ---- the two forms ---- */

static int run_ndjson(importer *im, const char *data, size_t len)
{
	char err[256];
	size_t line = 0;
	int have_head = 0, code = 0;
	for (const char *s = data, *end = data + len; s < end && !code;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = (size_t)((nl ? nl : end) - s);
		line++;
		size_t k = 0;
		while (k < n && strchr(" \t\r", s[k]))
			k++;
		if (k < n && !have_head) {
			if (xfer_head_parse_json(&im->head, s, n, err,
						 sizeof err))
				code = cli_error(im->ap.ctx, CLI_EXIT_INPUT,
						 "line %zu: %s", line, err);
			have_head = 1;
			im->bar.total = im->head.events;
		} else if (k < n) {
			xfer_rec r;
			uint8_t h[SVL_HASH_SIZE];
			if (!xfer_rec_scan_json(&r, &im->ap.arena, s, n) &&
			    xfer_rec_parse_json(&r, &im->ap.arena, s, n, err,
						sizeof err))
				code = cli_error(im->ap.ctx, CLI_EXIT_INPUT,
						 "line %zu: %s", line, err);
			else if (xfer_envelope(&im->env, &r))
				code = cli_error(im->ap.ctx, CLI_EXIT_ERROR,
						 "out of memory");
			else {
				xfer_hash(h, im->env.data, im->env.size);
				code = xfer_appender_add(&im->ap, &r, h);
			}
		}
		s = nl ? nl + 1 : end;
	}
	if (!code && !have_head)
		code = cli_error(im->ap.ctx, CLI_EXIT_INPUT,
				 "the input is empty: not an export");
	return code;
}

static int run_msgpack(importer *im, const uint8_t *data, size_t len)
{
	char err[256];
	size_t off = 0;
	int code = 0;
	int rc = xfer_head_read_mp(&im->head, data, len, &off, err, sizeof err);
	if (rc)
		code = cli_error(im->ap.ctx,
				 rc < 0 ? CLI_EXIT_INPUT : CLI_EXIT_ERROR, "%s",
				 err);
	im->bar.total = im->head.events;
	while (!code && off < len) {
		xfer_rec r;
		uint8_t h[SVL_HASH_SIZE];
		if (xfer_rec_parse_mp(&r, data, len, &off, err, sizeof err, h))
			code = cli_error(im->ap.ctx, CLI_EXIT_INPUT, "%s", err);
		else
			code = xfer_appender_add(&im->ap, &r, h);
	}
	return code;
}

/* ---- the new ledger (newdir.h: built beside NEWDIR, renamed in) ---- */

typedef struct target {
	newdir nd;
	svl_ledger *l;
} target;

/* The copy keeps the exported ledger's id (its seals name it); id NULL:
 * the header did not parse, which the import itself reports. */
static int create(const cli_ctx *ctx, target *t, const char *dir,
		  const uint8_t *id)
{
	int code = newdir_begin(ctx, &t->nd, dir);
	return code ? code
		    : cmd_ledger_open_id(ctx, t->nd.build,
					 SVL_LOG_CREATE | SVL_LOG_NOSYNC, id,
					 &t->l);
}


/* Remove what create made. */
static void discard(target *t)
{
	svl_ledger_close(t->l);
	t->l = NULL;
	newdir_discard(&t->nd);
}

static int finish(importer *im)
{
	int code = xfer_appender_flush(&im->ap);
	uint64_t got = im->ap.next_seq - 1;
	if (!code && (got != im->head.events || got != im->head.head_seq))
		code = cli_error(im->ap.ctx, CLI_EXIT_INPUT,
				 "the export's header says %llu events, the "
				 "input holds %llu: it is truncated",
				 (unsigned long long)im->head.events,
				 (unsigned long long)got);
	if (!code && memcmp(im->ap.prev, im->head.head_hash, SVL_HASH_SIZE))
		code = cli_error(im->ap.ctx, CLI_EXIT_INTEGRITY,
				 "the last record's hash is not the header's "
				 "head hash");
	int rc = code ? SVL_OK : svl_log_sync(im->ap.log);
	if (rc != SVL_OK)
		code =
		    cli_svl_error(im->ap.ctx, rc, svl_log_errmsg(im->ap.log));
	return code;
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int report(const cli_ctx *ctx, const importer *im, const char *dir,
		  int64_t us, int json)
{
	char hash[CLI_HEX_SIZE(SVL_HASH_SIZE)], n[FMT_NUM_SIZE],
	    r[FMT_NUM_SIZE];
	uint64_t events = im->ap.next_seq - 1;
	int64_t rate =
	    us > 0 ? (int64_t)((double)events * 1e6 / (double)us) : 0;
	cli_hex(hash, im->ap.prev, SVL_HASH_SIZE);
	if (json)
		return cli_json_print(
		    ctx, json_pack("{s:s,s:I,s:I,s:s,s:I,s:I}", "dir", dir,
				   "events", (json_int_t)events, "head_seq",
				   (json_int_t)events, "head_hash", hash,
				   "elapsed_ms", (json_int_t)(us / 1000),
				   "events_per_s", (json_int_t)rate));
	printf(_("imported %s events into %s in %lld ms (%s events/s); head "
		 "seq %llu, hash %s, as exported\n"),
	       fmt_count(n, (int64_t)events), dir, (long long)(us / 1000),
	       fmt_count(r, rate), (unsigned long long)events, hash);
	return 0;
}

/* The input: mapped when it is a file, read when it is stdin. */
typedef struct input {
	const uint8_t *data;
	size_t len;
	void *map;
	char *buf;
} input;

static int open_input(const cli_ctx *ctx, const char *path, input *in)
{
	memset(in, 0, sizeof *in);
	if (strcmp(path, "-") == 0)
		return cmd_read_input(ctx, NULL, &in->buf, &in->len) ||
			       !(in->data = (const uint8_t *)in->buf)
			   ? CLI_EXIT_INPUT
			   : 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		int e = fd < 0 ? errno : EINVAL;
		if (fd >= 0)
			close(fd);
		return cli_error(ctx, CLI_EXIT_INPUT, "%s: %s", path,
				 fd < 0 ? strerror(e)
					: _("not a regular file"));
	}
	in->len = (size_t)st.st_size;
	if (in->len)
		in->map = mmap(NULL, in->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (in->map == MAP_FAILED)
		return cli_error(ctx, CLI_EXIT_ERROR, "%s: cannot map: %s",
				 path, strerror(errno));
	in->data = in->map ? in->map : (const uint8_t *)"";
	return 0;
}

static void close_input(input *in)
{
	if (in->map && in->map != MAP_FAILED)
		munmap(in->map, in->len);
	free(in->buf);
}

static int detect(const cli_ctx *ctx, const char *opt, const input *in,
		  int *msgpack)
{
	if (opt) {
		if (strcmp(opt, "ndjson") && strcmp(opt, "msgpack"))
			return cli_error(ctx, CLI_EXIT_USAGE,
					 "--format: '%s' is not ndjson or "
					 "msgpack",
					 opt);
		*msgpack = strcmp(opt, "msgpack") == 0;
		return 0;
	}
	size_t i = 0;
	while (i < in->len && strchr(" \t\r\n", in->data[i]))
		i++;
	*msgpack = i < in->len && in->data[i] != '{';
	return 0;
}

/* The export's header, read ahead of the import (1 if it parses). */
static int peek_head(const input *in, int msgpack, xfer_head *h)
{
	char err[256];
	size_t off = 0, i = 0;
	if (msgpack)
		return xfer_head_read_mp(h, in->data, in->len, &off, err,
					 sizeof err) == 0;
	const char *s = (const char *)in->data;
	while (i < in->len && strchr(" \t\r\n", s[i]))
		i++;
	const char *nl = memchr(s + i, '\n', in->len - i);
	size_t n = (size_t)((nl ? nl : s + in->len) - (s + i));
	return xfer_head_parse_json(h, s + i, n, err, sizeof err) == 0;
}

static int import(const cli_ctx *ctx, const cli_args *a, importer *im,
		  const input *in, int msgpack)
{
	target t = {.l = NULL};
	xfer_head h;
	int code = create(ctx, &t, cli_ledger_dir(a->val[IM_DIR]),
			  peek_head(in, msgpack, &h) ? h.ledger_id : NULL);
	if (code) {
		discard(&t);
		return code;
	}
	if ((code = xfer_appender_init(&im->ap, ctx, svl_ledger_log(t.l)))) {
		discard(&t);
		return code;
	}
	im->ap.bar = &im->bar;
	int64_t t0 = mono_us();
	cli_progress_start(&im->bar, "import", 0);
	code = msgpack ? run_msgpack(im, in->data, in->len)
		       : run_ndjson(im, (const char *)in->data, in->len);
	if (!code)
		code = finish(im);
	cli_progress_end(&im->bar);
	int64_t us = mono_us() - t0;
	if (code) {
		discard(&t);
		return code;
	}
	svl_ledger_close(t.l);
	if ((code = newdir_commit(ctx, &t.nd)))
		return code;
	return report(ctx, im, t.nd.dir, us, a->val[IM_JSON] != NULL);
}

int cli_cmd_import(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &im_spec, argc, argv, &a, &code))
		return code;
	if (a.npos < 1)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "which export? (svcledger import -d NEWDIR "
				 "FILE, or - for stdin)");
	input in;
	int msgpack = 0;
	if ((code = open_input(ctx, a.pos[0], &in)))
		return code;
	importer *im = calloc(1, sizeof *im);
	if (!im)
		code = cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	else if (!(code = detect(ctx, a.val[IM_FORMAT], &in, &msgpack))) {
		im->ap.ctx = ctx;
		msgpack_sbuffer_init(&im->env);
		code = import(ctx, &a, im, &in, msgpack);
		msgpack_sbuffer_destroy(&im->env);
		xfer_appender_free(&im->ap);
	}
	free(im);
	close_input(&in);
	return code;
}
