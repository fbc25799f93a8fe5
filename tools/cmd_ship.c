/*
 * cmd_ship.c - `svcledger ship`: publish the ledger's records, in seq
 * order, to the store's JetStream stream (ship.h, docs/group.md).
 *
 * The stream is the only state: its last message names the last record
 * it holds, so every run (and every retry inside a run) starts from
 * there, after checking that the ledger's record at that seq has the same
 * hash. A stream that disagrees belongs to another ledger or to a fork of
 * this one, and nothing is published to it.
 *
 * Records go out in windows of asynchronous publishes, each message
 * expecting the previous record's hash as the stream's last message id
 * (the first one expecting an empty stream): the stream accepts a record
 * only right after its predecessor, so a lost publish in the middle of a
 * window can never leave a gap or a reordering, only a shorter stream.
 * When a window does not come back whole, the run re-reads the stream's
 * last message and goes on from there; the record's hash as Nats-Msg-Id
 * makes a publish that did land but whose ack was lost a duplicate the
 * stream drops. A run gives up after SHIP_STALL_MS without progress.
 *
 * Every record is checked before it is shipped (its stored hash against
 * its envelope, its link to the one before): a damaged ledger stops the
 * ship with exit 4 rather than spreading.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "cmd_xfer.h"
#include "ship.h"

#define SHIP_WINDOW 1024	/* publishes in flight before a wait */
#define SHIP_STALL_MS 30000	/* no progress for this long: give up */
#define SHIP_FOLLOW_POLL_MS 250 /* how often --follow looks at signals */

static const cli_opt sh_opts[] = {
    CLI_OPT_LEDGER,
    {"nats", 0, "URL[,URL...]", "the NATS servers, with JetStream"},
    {"store", 0, "NAME", "the store the ledger belongs to (S017)"},
    {"group", 0, "NAME", "the dealer group (default: default)"},
    {"replicas", 0, "N", "copies of a stream created now (default 3)"},
    {"follow", 'f', NULL, "go on shipping new events until SIGINT/SIGTERM"},
    CLI_OPT_JSON,
    CLI_OPT_END};
enum { SH_DIR, SH_NATS, SH_STORE, SH_GROUP, SH_REPLICAS, SH_FOLLOW, SH_JSON };

static const cli_spec sh_spec = {
    "ship",
    "[-d DIR] --nats URL[,URL...] --store NAME [--group NAME] "
    "[--replicas N] [--follow] [--json]",
    "Publish every record the store's JetStream stream does not hold yet\n"
    "(stream SVL_<group>_<store>, subject svl.<group>.<store>.events,\n"
    "created with N replicas when missing; 1 on a server that is not\n"
    "clustered), in seq order: each message is the record's stored bytes\n"
    "with its hash as Nats-Msg-Id and its seq as Svl-Seq. The run starts\n"
    "after the stream's last message, whose record must be the ledger's\n"
    "at that seq (else exit 6: the stream holds another ledger or a fork,\n"
    "and nothing is published). Safe to kill and re-run: every record\n"
    "lands exactly once, in order. --follow then ships new events as they\n"
    "are appended, until SIGINT or SIGTERM.",
    sh_opts,
    0,
    "  $ svcledger ship -d ./ledger --nats nats://n1:4222,nats://n2:4222 "
    "--store S017\n"
    "  shipped 47 records (seq 1..47) to stream SVL_default_S017 in 12 ms "
    "(3,916 records/s); stream head seq 47\n"};

typedef struct shipper {
	const cli_ctx *ctx;
	ship_conn c;
	svl_ledger *l;
	svl_log *log;
	char ledger[CLI_HEX_SIZE(SVL_ID_SIZE)];
	uint64_t next;		     /* the next seq to publish */
	uint8_t prev[SVL_HASH_SIZE]; /* the hash of next - 1 */
	uint64_t start, end;	     /* the stream's head: at start, now */
	int64_t replicas;
	int code; /* a record that failed its check */
	/* written by the library's ack thread, read after a window */
	pthread_mutex_t mu;
	int failed;
	char why[256];
} shipper;

/* A publish of the window failed (the first reason is kept): the window
 * is redone from the stream's head. Called from the library's thread. */
static void fail(shipper *sh, const char *why)
{
	pthread_mutex_lock(&sh->mu);
	if (!sh->failed++)
		snprintf(sh->why, sizeof sh->why, "%s", why);
	pthread_mutex_unlock(&sh->mu);
}

static void on_pub_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
	(void)js;
	fail(closure,
	     pae->ErrText ? pae->ErrText : natsStatus_GetText(pae->Err));
}

/* ---- the stream ---- */

static int create_stream(shipper *sh)
{
	jsStreamConfig cfg;
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	const char *subjects[1] = {sh->c.subject};
	jsStreamConfig_Init(&cfg);
	cfg.Name = sh->c.stream;
	cfg.Subjects = subjects;
	cfg.SubjectsLen = 1;
	cfg.Storage = js_FileStorage;
	cfg.Replicas = sh->replicas;
	/* a ledger's stream is append-only, like the ledger */
	cfg.DenyDelete = true;
	cfg.DenyPurge = true;
	natsStatus s = js_AddStream(&si, sh->c.js, &cfg, NULL, &jerr);
	if (s != NATS_OK && jerr == JSStreamReplicasNotSupportedErr &&
	    sh->replicas > 1) {
		/* a single server keeps one copy whatever is asked */
		sh->replicas = cfg.Replicas = 1;
		jerr = 0;
		s = js_AddStream(&si, sh->c.js, &cfg, NULL, &jerr);
	}
	if (si && si->Config)
		sh->replicas = si->Config->Replicas;
	jsStreamInfo_Destroy(si);
	if (s == NATS_OK || jerr == JSStreamNameExistErr)
		return 0;
	if (jerr == JSInsufficientResourcesErr || jerr == JSClusterNoPeersErr)
		return cli_error(sh->ctx, CLI_EXIT_ERROR,
				 "stream %s: the cluster cannot hold %lld "
				 "replicas (fewer servers with JetStream?): "
				 "give a smaller --replicas: %s",
				 sh->c.stream, (long long)cfg.Replicas,
				 ship_nats_error(s, jerr));
	return cli_error(sh->ctx, CLI_EXIT_ERROR,
			 "stream %s: cannot create: %s", sh->c.stream,
			 ship_nats_error(s, jerr));
}

static int ensure_stream(shipper *sh)
{
	jsStreamInfo *si;
	int code = ship_stream_info(sh->ctx, &sh->c, &si);
	if (code)
		return code;
	if (!si)
		return create_stream(sh);
	int ours = si->Config && si->Config->SubjectsLen == 1 &&
		   strcmp(si->Config->Subjects[0], sh->c.subject) == 0;
	if (si->Config)
		sh->replicas = si->Config->Replicas;
	jsStreamInfo_Destroy(si);
	return ours ? 0
		    : cli_error(sh->ctx, CLI_EXIT_CONFLICT,
				"stream %s exists but does not take exactly "
				"subject %s: it is not a ledger's stream",
				sh->c.stream, sh->c.subject);
}

/*
 * Where the stream ends, checked against the ledger: the record at the
 * stream's last seq must be ours (same ledger, same hash). Sets next and
 * prev to go on from there.
 */
static int resync(shipper *sh, int quiet)
{
	ship_tail t;
	svl_head h;
	int code = ship_last(sh->ctx, &sh->c, &t, quiet ? sh->why : NULL,
			     sizeof sh->why);
	if (code)
		return code;
	int rc = svl_log_head(sh->log, &h);
	if (rc != SVL_OK)
		return cli_svl_error(sh->ctx, rc, svl_log_errmsg(sh->log));
	if (t.seq && strcmp(t.ledger, sh->ledger) != 0)
		return cli_error(sh->ctx, CLI_EXIT_CONFLICT,
				 "stream %s holds ledger %s, this is ledger "
				 "%s: nothing published",
				 sh->c.stream, t.ledger, sh->ledger);
	if (t.seq > h.seq)
		return cli_error(sh->ctx, CLI_EXIT_CONFLICT,
				 "stream %s is ahead of the ledger (seq %llu, "
				 "the ledger's head is %llu): an older copy "
				 "of the ledger? nothing published",
				 sh->c.stream, (unsigned long long)t.seq,
				 (unsigned long long)h.seq);
	memcpy(sh->prev, svl_log_genesis_hash(), SVL_HASH_SIZE);
	if (t.seq) {
		svl_iter *it;
		svl_record r;
		if ((rc = svl_log_iter_seq(sh->log, t.seq, t.seq, &it)) ==
		    SVL_OK) {
			if ((rc = svl_iter_next(it, &r)) == SVL_OK)
				memcpy(sh->prev, r.hash, SVL_HASH_SIZE);
			svl_iter_close(it);
		}
		if (rc != SVL_OK)
			return cli_svl_error(sh->ctx, rc,
					     svl_log_errmsg(sh->log));
		if (memcmp(sh->prev, t.hash, SVL_HASH_SIZE) != 0)
			return cli_error(
			    sh->ctx, CLI_EXIT_CONFLICT,
			    "stream %s: its record seq %llu is not the "
			    "ledger's (another hash): the ledger forked from "
			    "what was shipped; nothing published",
			    sh->c.stream, (unsigned long long)t.seq);
	}
	sh->next = t.seq + 1;
	sh->end = t.seq;
	return 0;
}

/* ---- publishing ---- */

/* The record checked like export checks it, then published. */
static int publish(const svl_record *r, void *payload)
{
	shipper *sh = payload;
	uint8_t h[SVL_HASH_SIZE];
	if (r->seq != sh->next || r->raw_len <= SVL_HASH_SIZE ||
	    memcmp(r->prev_hash, sh->prev, SVL_HASH_SIZE) != 0)
		return sh->code = cli_error(
			   sh->ctx, CLI_EXIT_INTEGRITY,
			   "seq %llu: does not link to the record before it; "
			   "nothing more shipped (svcledger verify)",
			   (unsigned long long)r->seq);
	xfer_hash(h, r->raw, r->raw_len - SVL_HASH_SIZE);
	if (memcmp(h, r->hash, SVL_HASH_SIZE) != 0)
		return sh->code = cli_error(
			   sh->ctx, CLI_EXIT_INTEGRITY,
			   "seq %llu: the record does not hash to its stored "
			   "hash; nothing more shipped (svcledger verify)",
			   (unsigned long long)r->seq);
	char id[CLI_HEX_SIZE(SVL_HASH_SIZE)], last[CLI_HEX_SIZE(SVL_HASH_SIZE)];
	char seq[24];
	jsPubOptions po;
	natsMsg *m = NULL;
	jsPubOptions_Init(&po);
	po.MaxWait = SHIP_WAIT_MS;
	po.MsgId = cli_hex(id, r->hash, SVL_HASH_SIZE);
	if (r->seq == 1)
		po.ExpectNoMessage = true;
	else
		po.ExpectLastMsgId = cli_hex(last, r->prev_hash, SVL_HASH_SIZE);
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)r->seq);
	natsStatus s = natsMsg_Create(&m, sh->c.subject, NULL,
				      (const char *)r->raw, (int)r->raw_len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, SHIP_HDR_SEQ, seq);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, SHIP_HDR_LEDGER, sh->ledger);
	if (s == NATS_OK)
		s = js_PublishMsgAsync(sh->c.js, &m, &po);
	natsMsg_Destroy(m);
	if (s != NATS_OK) {
		/* the connection is down: the window is redone */
		fail(sh, ship_nats_error(s, 0));
		return 1;
	}
	memcpy(sh->prev, r->hash, SVL_HASH_SIZE);
	sh->next++;
	return 0;
}

/* One window: up to SHIP_WINDOW records after next - 1, and their acks.
 * Returns 0 whole, -1 to be redone, or an exit code. */
static int window(shipper *sh, uint64_t *sent)
{
	uint64_t first = sh->next, last = 0;
	pthread_mutex_lock(&sh->mu);
	sh->failed = 0;
	pthread_mutex_unlock(&sh->mu);
	int rc = svl_ledger_events_after(sh->l, first - 1, SHIP_WINDOW, publish,
					 sh, &last);
	if (rc != SVL_OK && rc != 1 && !sh->code)
		return cli_svl_error(sh->ctx, rc, svl_ledger_errmsg(sh->l));
	/* the records before a damaged one are waited for too: the stream
	 * then ends right before the damage */
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MaxWait = 3 * SHIP_WAIT_MS;
	natsStatus s = js_PublishAsyncComplete(sh->c.js, &po);
	if (s != NATS_OK) {
		/* the ones never acked are dropped: the resync decides */
		natsMsgList lost;
		if (js_PublishAsyncGetPendingList(&lost, sh->c.js) == NATS_OK)
			natsMsgList_Destroy(&lost);
		char why[sizeof sh->why];
		snprintf(why, sizeof why, "acks did not come back: %s",
			 ship_nats_error(s, 0));
		fail(sh, why);
	}
	pthread_mutex_lock(&sh->mu);
	int failed = sh->failed;
	pthread_mutex_unlock(&sh->mu);
	if (sh->code)
		return sh->code;
	if (failed)
		return -1;
	*sent = sh->next - first;
	sh->end = sh->next - 1;
	return 0;
}

/* Everything up to the ledger's head, resyncing after a failed window;
 * gives up after SHIP_STALL_MS without a whole window. */
static int catch_up(shipper *sh)
{
	int64_t since = ship_now_ms(), backoff_ms = 100;
	for (;;) {
		uint64_t sent = 0;
		int code = sh->next ? window(sh, &sent) : -1;
		if (code > 0)
			return code;
		/* stopped, or all sent: what is not confirmed goes next time */
		if (ship_stop || (code == 0 && sent == 0))
			return 0;
		if (code == 0) {
			since = ship_now_ms();
			backoff_ms = 100;
			continue;
		}
		if (ship_now_ms() - since > SHIP_STALL_MS)
			return cli_error(sh->ctx, CLI_EXIT_ERROR,
					 "stream %s: no progress for %d s at "
					 "seq %llu: %s (re-run to resume)",
					 sh->c.stream, SHIP_STALL_MS / 1000,
					 (unsigned long long)sh->end + 1,
					 sh->why);
		nats_Sleep(backoff_ms);
		backoff_ms = backoff_ms < 1600 ? 2 * backoff_ms : backoff_ms;
		/* the stream may hold more (or less) than the acks said; a
		 * stream that cannot be read yet is one more retry */
		if ((code = resync(sh, 1)) == CLI_EXIT_ERROR)
			sh->next = 0;
		else if (code)
			return code;
	}
}

static int follow(shipper *sh)
{
	ship_stop_on_signals();
	int code = 0;
	while (!code && !ship_stop) {
		int rc =
		    svl_ledger_wait(sh->l, sh->next - 1, SHIP_FOLLOW_POLL_MS);
		if (rc == SVL_OK)
			code = catch_up(sh);
		else if (rc != SVL_ETIMEDOUT)
			code = cli_svl_error(sh->ctx, rc,
					     svl_ledger_errmsg(sh->l));
	}
	return code;
}

static int summary(const shipper *sh, int64_t ms, int json)
{
	char n[FMT_NUM_SIZE], r[FMT_NUM_SIZE];
	uint64_t shipped = sh->end - sh->start;
	int64_t rate =
	    ms > 0 ? (int64_t)((double)shipped * 1000.0 / (double)ms) : 0;
	if (json)
		return cli_json_print(
		    sh->ctx,
		    json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "stream",
			      sh->c.stream, "subject", sh->c.subject, "shipped",
			      (json_int_t)shipped, "first_seq",
			      (json_int_t)(shipped ? sh->start + 1 : 0),
			      "last_seq", (json_int_t)(shipped ? sh->end : 0),
			      "stream_head_seq", (json_int_t)sh->end,
			      "replicas", (json_int_t)sh->replicas,
			      "elapsed_ms", (json_int_t)ms));
	if (shipped)
		printf(_("shipped %s records (seq %llu..%llu) to stream %s in "
			 "%lld ms (%s records/s); stream head seq %llu\n"),
		       fmt_count(n, (int64_t)shipped),
		       (unsigned long long)sh->start + 1,
		       (unsigned long long)sh->end, sh->c.stream, (long long)ms,
		       fmt_count(r, rate), (unsigned long long)sh->end);
	else
		printf(_("shipped 0 records to stream %s: it already holds "
			 "the ledger up to seq %llu\n"),
		       sh->c.stream, (unsigned long long)sh->end);
	return 0;
}

static int ship(shipper *sh, const cli_args *a)
{
	jsOptions jo;
	jsOptions_Init(&jo);
	jo.Wait = SHIP_WAIT_MS;
	jo.PublishAsync.MaxPending = 4 * SHIP_WINDOW;
	jo.PublishAsync.ErrHandler = on_pub_error;
	jo.PublishAsync.ErrHandlerClosure = sh;
	int code = cmd_ledger_open(sh->ctx, cli_ledger_dir(a->val[SH_DIR]),
				   SVL_LOG_RDONLY, &sh->l);
	if (!code)
		code = ship_connect(sh->ctx, &sh->c, a->val[SH_NATS],
				    a->val[SH_GROUP] ? a->val[SH_GROUP]
						     : SHIP_DEFAULT_GROUP,
				    a->val[SH_STORE], &jo);
	if (code)
		return code;
	sh->log = svl_ledger_log(sh->l);
	cli_hex(sh->ledger, svl_log_id(sh->log), SVL_ID_SIZE);
	int64_t t0 = ship_now_ms();
	if ((code = ensure_stream(sh)) || (code = resync(sh, 0)))
		return code;
	sh->start = sh->end;
	code = catch_up(sh);
	if (!code && a->val[SH_FOLLOW])
		code = follow(sh);
	if (code)
		return code;
	return summary(sh, ship_now_ms() - t0, a->val[SH_JSON] != NULL);
}

int cli_cmd_ship(const cli_ctx *ctx, int argc, char **argv)
{
	cli_args a;
	int code;
	uint64_t replicas = 3;
	if (!cli_parse(ctx, &sh_spec, argc, argv, &a, &code))
		return code;
	if ((code =
		 cli_opt_u64(ctx, "--replicas", a.val[SH_REPLICAS], &replicas)))
		return code;
	if (replicas < 1 || replicas > 5)
		return cli_error(ctx, CLI_EXIT_USAGE,
				 "--replicas: 1 to 5 (JetStream's limit)");
	shipper *sh = calloc(1, sizeof *sh);
	if (!sh)
		return cli_error(ctx, CLI_EXIT_ERROR, "out of memory");
	sh->ctx = ctx;
	sh->replicas = (int64_t)replicas;
	pthread_mutex_init(&sh->mu, NULL);
	code = ship(sh, &a);
	ship_close(&sh->c);
	svl_ledger_close(sh->l);
	pthread_mutex_destroy(&sh->mu);
	free(sh);
	return code;
}
