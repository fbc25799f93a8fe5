/*
 * ship_restore.c - `svcledger restore`: a store's ledger rebuilt from its
 * JetStream stream alone (ship.h, docs/group.md).
 *
 * The stream's messages are the ledger's stored records, so the stream
 * read in order is a msgpack export (cmd_xfer.h) once each record's hash
 * is framed as the bin 8 an export writes: restore writes that export
 * into an unlinked temporary file beside the new ledger and hands it to
 * `svcledger import`, which checks every record (seq run, link, hash),
 * appends them with their ids and recorded times, and builds the ledger
 * in a hidden directory renamed into place when whole. One import path
 * for both, one set of checks and exit codes.
 *
 * The export's header comes from the stream's last message as it was
 * when the restore began (its seq, hash and ledger id): messages shipped
 * while the restore runs are left for the next one.
 */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_xfer.h"
#include "ship.h"

#define RESTORE_STALL_MS 2000 /* a consumer silent this long has stalled */
#define RESTORE_DIRECT 4096   /* records then asked of the leader */

static const cli_opt rs_opts[] = {
    {"ledger", 'd', "NEWDIR", "the ledger to create (new or empty)"},
    {"nats", 0, "URL[,URL...]", "the NATS servers, with JetStream"},
    {"store", 0, "NAME", "the store whose ledger it is (S017)"},
    {"group", 0, "NAME", "the dealer group (default: default)"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { RS_DIR, RS_NATS, RS_STORE, RS_GROUP, RS_JSON };

static const cli_spec rs_spec = {
    "restore",
    "-d NEWDIR --nats URL[,URL...] --store NAME [--group NAME] [--json]",
    "Rebuild the store's ledger in NEWDIR from its JetStream stream alone\n"
    "(svcledger ship): every message up to the stream's last one when the\n"
    "restore starts, in order, through 'svcledger import': each record is\n"
    "checked (seq run, link to the one before, hash) and appended with its\n"
    "id and recorded time, so the new ledger has the same ledger id, the\n"
    "same chain and the same head hash. The exit codes are import's: 6\n"
    "when NEWDIR is not new or empty, 2 for a stream that is empty or not\n"
    "whole, 4 for a record whose hash or link does not hold.",
    rs_opts,
    0,
    "  $ svcledger restore -d ./S017 --nats nats://n1:4222 --store S017\n"
    "  imported 47 events into ./S017 in 3 ms (15,666 events/s); head seq "
    "47, hash 2e3dfaa4ac71ea64b224d11a3ce78cd5, as exported\n"};

/* An unlinked file beside dir (on its file system), open for writing;
 * -1 with errno when there is none. */
static int temp_beside(const char *dir)
{
	char copy[4096], path[4096 + 32];
	snprintf(copy, sizeof copy, "%s", dir);
	snprintf(path, sizeof path, "%s/.svl-restore-XXXXXX", dirname(copy));
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

static int write_head(FILE *f, const ship_tail *t)
{
	xfer_head h;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	memset(&h, 0, sizeof h);
	if (ship_unhex_id(h.ledger_id, t->ledger))
		return -1;
	h.events = h.head_seq = t->seq;
	memcpy(h.head_hash, t->hash, SVL_HASH_SIZE);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	int bad = xfer_head_pack(&pk, &h) ||
		  fwrite(sb.data, 1, sb.size, f) != sb.size;
	msgpack_sbuffer_destroy(&sb);
	return bad ? -1 : 0;
}

/* One message as an export's record: the envelope, then its hash as the
 * bin 8 of 16 bytes that an export writes. */
static int write_rec(FILE *f, natsMsg *m)
{
	static const uint8_t bin16[2] = {0xc4, SVL_HASH_SIZE};
	const char *d = natsMsg_GetData(m);
	size_t n = (size_t)natsMsg_GetDataLength(m) - SVL_HASH_SIZE;
	return fwrite(d, 1, n, f) != n || fwrite(bin16, 1, 2, f) != 2 ||
		       fwrite(d + n, 1, SVL_HASH_SIZE, f) != SVL_HASH_SIZE
		   ? -1
		   : 0;
}

/* The message that should hold record seq: in its place in the stream,
 * and a record of this ledger. */
static int check_msg(const cli_ctx *ctx, ship_conn *c, natsMsg *m, uint64_t seq,
		     const ship_tail *last)
{
	ship_tail t;
	jsMsgMetaData *meta = NULL;
	/* a consumer's message says where it sits in its metadata, one
	 * got from the leader by its sequence */
	uint64_t at = natsMsg_GetSequence(m);
	if (natsMsg_GetMetaData(&meta, m) == NATS_OK)
		at = meta->Sequence.Stream;
	jsMsgMetaData_Destroy(meta);
	if (ship_msg_tail(m, &t) || strcmp(t.ledger, last->ledger) != 0)
		return cli_error(ctx, CLI_EXIT_INPUT,
				 "stream %s: message %llu is not a record of "
				 "ledger %s",
				 c->stream, (unsigned long long)at,
				 last->ledger);
	if (at != seq || t.seq != seq)
		return cli_error(ctx, CLI_EXIT_INPUT,
				 "stream %s: message %llu holds record %llu "
				 "where record %llu was expected: the records "
				 "must run 1, 2, 3, ... without gaps",
				 c->stream, (unsigned long long)at,
				 (unsigned long long)t.seq,
				 (unsigned long long)seq);
	return 0;
}

/*
 * Where the records come from: an ephemeral ordered consumer (no acks,
 * nothing left on the servers), which is fast; but the servers may place
 * it on a replica that lags behind the stream's leader (one restarted and
 * still catching up), where it stalls. Then the next RESTORE_DIRECT
 * records are asked of the leader one by one (js_GetMsg) and a new
 * consumer starts after them, wherever the servers place it this time.
 */
typedef struct reader {
	ship_conn *c;
	natsSubscription *sub;
	int direct_left; /* records still to get from the leader */
} reader;

static natsStatus subscribe(reader *rd, uint64_t from)
{
	jsSubOptions so;
	jsSubOptions_Init(&so);
	so.Stream = rd->c->stream;
	so.Ordered = true;
	so.Config.DeliverPolicy = js_DeliverByStartSequence;
	so.Config.OptStartSeq = from;
	return js_SubscribeSync(&rd->sub, rd->c->js, rd->c->subject, NULL, &so,
				NULL);
}

static void unsubscribe(reader *rd)
{
	if (!rd->sub)
		return;
	natsSubscription_Unsubscribe(rd->sub);
	natsSubscription_Destroy(rd->sub);
	rd->sub = NULL;
}

/* The message of record seq (the reader is at seq). */
static natsStatus next_msg(reader *rd, uint64_t seq, natsMsg **m,
			   jsErrCode *jerr)
{
	*m = NULL;
	if (!rd->sub && !rd->direct_left && subscribe(rd, seq) != NATS_OK)
		rd->direct_left = RESTORE_DIRECT;
	if (rd->sub) {
		natsStatus s =
		    natsSubscription_NextMsg(m, rd->sub, RESTORE_STALL_MS);
		if (s == NATS_OK)
			return s;
		unsubscribe(rd);
		rd->direct_left = RESTORE_DIRECT;
	}
	rd->direct_left--;
	return js_GetMsg(m, rd->c->js, rd->c->stream, seq, NULL, jerr);
}

/* Every record up to last, in order, into f. */
static int consume(const cli_ctx *ctx, ship_conn *c, const ship_tail *last,
		   FILE *f)
{
	reader rd = {c, NULL, 0};
	int code = 0;
	for (uint64_t seq = 1; !code && seq <= last->seq; seq++) {
		natsMsg *m = NULL;
		jsErrCode jerr = 0;
		natsStatus s = next_msg(&rd, seq, &m, &jerr);
		if (s != NATS_OK)
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "stream %s: cannot read record %llu "
					 "of %llu: %s",
					 c->stream, (unsigned long long)seq,
					 (unsigned long long)last->seq,
					 ship_nats_error(s, jerr));
		else if (!(code = check_msg(ctx, c, m, seq, last)) &&
			 write_rec(f, m))
			code = cli_error(ctx, CLI_EXIT_ERROR,
					 "cannot write the temporary export: "
					 "%s",
					 strerror(errno));
		natsMsg_Destroy(m);
	}
	unsubscribe(&rd);
	return code;
}

/* The stream into f as an export; the last record's tail in *last. */
static int fetch(const cli_ctx *ctx, const cli_args *a, ship_tail *last,
		 FILE *f)
{
	ship_conn c;
	jsStreamInfo *si = NULL;
	const char *group =
	    a->val[RS_GROUP] ? a->val[RS_GROUP] : SHIP_DEFAULT_GROUP;
	int code = ship_connect(ctx, &c, a->val[RS_NATS], group,
				a->val[RS_STORE], NULL);
	if (!code)
		code = ship_stream_info(ctx, &c, &si);
	if (!code && !si)
		code = cli_error(ctx, CLI_EXIT_INPUT,
				 "no stream %s (group %s, store %s): nothing "
				 "was shipped there",
				 c.stream, group, a->val[RS_STORE]);
	if (!code && (si->State.FirstSeq > 1 || si->State.NumDeleted ||
		      si->State.Msgs != si->State.LastSeq))
		code =
		    cli_error(ctx, CLI_EXIT_INPUT,
			      "stream %s does not hold every record from "
			      "seq 1 (first %llu, %llu messages, last "
			      "%llu): it cannot rebuild the ledger",
			      c.stream, (unsigned long long)si->State.FirstSeq,
			      (unsigned long long)si->State.Msgs,
			      (unsigned long long)si->State.LastSeq);
	jsStreamInfo_Destroy(si);
	if (!code)
		code = ship_last(ctx, &c, last, NULL, 0);
	if (!code && last->seq == 0)
		code = cli_error(ctx, CLI_EXIT_INPUT,
				 "stream %s is empty: nothing to restore",
				 c.stream);
	if (!code && write_head(f, last))
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "cannot write the temporary export");
	if (!code)
		code = consume(ctx, &c, last, f);
	ship_close(&c);
	return code;
}

int cli_cmd_restore(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	if (!cli_parse(ctx, &rs_spec, argc, argv, &a, &code))
		return code;
	if (!a.val[RS_DIR])
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "where to? give -d NEWDIR");
	int fd = temp_beside(a.val[RS_DIR]);
	FILE *f = fd >= 0 ? fdopen(dup(fd), "wb") : NULL;
	if (!f) {
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "%s: cannot make a temporary file beside "
				 "it: %s",
				 a.val[RS_DIR], strerror(errno));
		if (fd >= 0)
			close(fd);
		return code;
	}
	ship_tail last;
	code = fetch(ctx, &a, &last, f);
	if (fclose(f) != 0 && !code)
		code = cli_error(ctx, CLI_EXIT_ERROR,
				 "cannot write the temporary export: %s",
				 strerror(errno));
	if (!code) {
		char path[64], dir_opt[4200];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		snprintf(dir_opt, sizeof dir_opt, "%s", a.val[RS_DIR]);
		char *im[8] = {"import", "-d", dir_opt, "--format", "msgpack"};
		int n = 5;
		if (a.val[RS_JSON])
			im[n++] = "--json";
		im[n++] = path;
		code = cli_cmd_import(ctx, n, im);
	}
	close(fd);
	return code;
}
