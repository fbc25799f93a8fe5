/*
 * group_store.c - one store of the group ledger (group.h): its replica,
 * its durable pull consumer, and each fetched batch checked, appended
 * through the xfer_appender (cmd_xfer.h, the appender `import` uses),
 * made durable, and only then acked.
 *
 * Invariants:
 *  1. The replica holds the store's records 1..head, each with the
 *     store's id, recorded time and hash: same chain, same head hash.
 *  2. A message is acked only once its record is in the replica, durably
 *     (or was already there, with the same hash).
 *  3. Message n of the stream carries record n (ship's rule, ship.h);
 *     one that does not, a record that does not link or hash, another
 *     ledger's record, or a redelivery whose hash is not the replica's,
 *     stops this store, and only this store, right before it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_common.h"
#include "group.h"

/* The store stops: its error printed (one line, naming it), its state
 * kept for the summary. Returns -1. */
static int stop(group_store *st, int code, const char *state)
{
	st->code = code;
	st->state = state;
	return -1;
}

/* A gap: the store stops before got. */
static int stop_gap(group_store *st, uint64_t want, uint64_t got)
{
	st->gap_want = want;
	st->gap_got = got;
	return stop(st, CLI_EXIT_INPUT, N_("gap"));
}

/* The replica open: its id, its head, an appender after it. */
static int replica_ready(group_store *st)
{
	svl_log *log = svl_ledger_log(st->l);
	cli_hex(st->ledger, svl_log_id(log), SVL_ID_SIZE);
	if (!st->ap && !(st->ap = calloc(1, sizeof *st->ap)))
		return cli_error(&st->ctx, CLI_EXIT_ERROR, "out of memory");
	int code = xfer_appender_init(st->ap, &st->ctx, log);
	if (!code)
		st->head = st->ap->next_seq - 1;
	return code;
}

int group_store_init(group_conn *g, group_store *st, const char *name,
		     const char *dir)
{
	struct stat sb;
	char data[4200];
	memset(st, 0, sizeof *st);
	snprintf(st->name, sizeof st->name, "%s", name);
	snprintf(st->cmd, sizeof st->cmd, "group: store %s", name);
	st->ctx.cmd = st->cmd;
	snprintf(st->stream, sizeof st->stream, "SVL_%s_%s", g->group, name);
	snprintf(st->subject, sizeof st->subject, "svl.%s.%s.events", g->group,
		 name);
	snprintf(st->dir, sizeof st->dir, "%s", dir);
	st->progress_ms = ship_now_ms();
	snprintf(data, sizeof data, "%s/data.mdb", dir);
	if (stat(data, &sb) != 0)
		return 0; /* made at its first record, with the store's id */
	int code = cmd_ledger_open(&st->ctx, dir, 0, &st->l);
	if (!code)
		code = replica_ready(st);
	if (code)
		stop(st, code, N_("its replica cannot be opened"));
	return code;
}

void group_store_close(group_store *st)
{
	if (st->sub) {
		natsSubscription_Destroy(st->sub);
		st->sub = NULL;
	}
	if (st->ap)
		xfer_appender_free(st->ap);
	free(st->ap);
	st->ap = NULL;
	svl_ledger_close(st->l);
	st->l = NULL;
}

/* ---- the consumer ---- */

/* Drop the subscription: the next pull binds (or makes) the durable
 * again. */
static void unbind(group_store *st)
{
	if (!st->sub)
		return;
	natsSubscription_Destroy(st->sub);
	st->sub = NULL;
}

/*
 * The durable, bound. One the replica's head does not explain (it
 * delivered past the head: a run died between delivery and append) is
 * made again to deliver from head + 1, so that what was lost in flight is
 * delivered first; its redeliveries are checked like any.
 */
static natsStatus bind_durable(group_conn *g, group_store *st, jsErrCode *jerr)
{
	jsConsumerInfo *ci = NULL;
	natsStatus s = js_GetConsumerInfo(&ci, g->c.js, st->stream, g->consumer,
					  NULL, jerr);
	int keep = s == NATS_OK && ci->Delivered.Stream == st->head;
	jsConsumerInfo_Destroy(ci);
	ci = NULL;
	if (s != NATS_OK && s != NATS_NOT_FOUND &&
	    *jerr != JSConsumerNotFoundErr)
		return s;
	if (!keep) {
		if (s == NATS_OK &&
		    (s = js_DeleteConsumer(g->c.js, st->stream, g->consumer,
					   NULL, jerr)) != NATS_OK)
			return s;
		jsConsumerConfig cc;
		jsConsumerConfig_Init(&cc);
		cc.Durable = g->consumer;
		cc.AckPolicy = js_AckExplicit;
		cc.MaxAckPending = GROUP_MAX_ACK_PENDING;
		cc.DeliverPolicy = js_DeliverByStartSequence;
		cc.OptStartSeq = st->head + 1;
		*jerr = 0;
		s = js_AddConsumer(&ci, g->c.js, st->stream, &cc, NULL, jerr);
		jsConsumerInfo_Destroy(ci);
		if (s != NATS_OK)
			return s;
	}
	jsSubOptions so;
	jsSubOptions_Init(&so);
	so.Stream = st->stream;
	so.Consumer = g->consumer;
	*jerr = 0;
	return js_PullSubscribe(&st->sub, g->c.js, st->subject, g->consumer,
				NULL, &so, jerr);
}

/* ---- one message ---- */

/* The replica's hash of record seq (<= head). */
static int replica_hash(group_store *st, uint64_t seq,
			uint8_t out[SVL_HASH_SIZE])
{
	svl_log *log = svl_ledger_log(st->l);
	svl_iter *it;
	svl_record r;
	int rc = svl_log_iter_seq(log, seq, seq, &it);
	if (rc == SVL_OK) {
		if ((rc = svl_iter_next(it, &r)) == SVL_OK)
			memcpy(out, r.hash, SVL_HASH_SIZE);
		svl_iter_close(it);
	}
	return rc == SVL_OK ? 0
			    : cli_svl_error(&st->ctx, rc, svl_log_errmsg(log));
}

/* The replica made at the store's first record, with the store's id. */
static int replica_create(group_store *st, const char *ledger_hex)
{
	uint8_t id[SVL_ID_SIZE];
	if (ship_unhex_id(id, ledger_hex))
		return cli_error(&st->ctx, CLI_EXIT_INTEGRITY,
				 "stream %s: ledger id %s is not hex",
				 st->stream, ledger_hex);
	int code =
	    cmd_ledger_open_id(&st->ctx, st->dir, SVL_LOG_CREATE, id, &st->l);
	return code ? code : replica_ready(st);
}

/* A redelivery: the replica's record at that seq must be the message's. */
static int redelivered(group_store *st, const ship_tail *t)
{
	uint8_t h[SVL_HASH_SIZE];
	int code = replica_hash(st, t->seq, h);
	if (code)
		return stop(st, code, N_("its replica cannot be read"));
	if (memcmp(h, t->hash, SVL_HASH_SIZE) == 0)
		return 0;
	cli_error(&st->ctx, CLI_EXIT_CONFLICT,
		  "stream %s: record %llu is not the replica's (another "
		  "hash): the store's ledger forked from what the group "
		  "holds; this store stops",
		  st->stream, (unsigned long long)t->seq);
	return stop(st, CLI_EXIT_CONFLICT, N_("forked"));
}

/* The next record: parsed from the message's bytes, checked, queued. */
static int append_next(group_store *st, natsMsg *m, const ship_tail *t)
{
	xfer_rec r;
	uint8_t h[SVL_HASH_SIZE];
	char err[256];
	int code;
	if (!st->l && (code = replica_create(st, t->ledger)))
		return stop(st, code, N_("its replica cannot be made"));
	int bad = xfer_rec_parse_stored(&r, (const uint8_t *)natsMsg_GetData(m),
					(size_t)natsMsg_GetDataLength(m), err,
					sizeof err, h);
	if (!bad && r.seq != t->seq)
		snprintf(err, sizeof err, "it holds seq %llu",
			 (unsigned long long)r.seq);
	if (bad || r.seq != t->seq) {
		cli_error(&st->ctx, CLI_EXIT_INTEGRITY,
			  "stream %s: message %llu is not record %llu of the "
			  "store's ledger (%s); this store stops",
			  st->stream, (unsigned long long)t->seq,
			  (unsigned long long)t->seq, err);
		return stop(st, CLI_EXIT_INTEGRITY, N_("damaged record"));
	}
	if (memcmp(r.prev_hash, st->ap->prev, SVL_HASH_SIZE) != 0 ||
	    memcmp(h, r.hash, SVL_HASH_SIZE) != 0) {
		if (memcmp(h, r.hash, SVL_HASH_SIZE) != 0)
			cli_error(&st->ctx, CLI_EXIT_INTEGRITY,
				  "stream %s: record %llu does not hash to "
				  "its hash; this store stops",
				  st->stream, (unsigned long long)t->seq);
		else
			cli_error(&st->ctx, CLI_EXIT_INTEGRITY,
				  "stream %s: record %llu does not link to "
				  "the replica's head; this store stops",
				  st->stream, (unsigned long long)t->seq);
		return stop(st, CLI_EXIT_INTEGRITY, N_("damaged record"));
	}
	if ((code = xfer_appender_add(st->ap, &r, h)))
		return stop(st, code, N_("its replica refused the record"));
	return 1;
}

/* A record beyond the next: the consumer skipped what the stream holds
 * (lost in flight: 1, bind again at the head), or the stream lacks it. */
static int beyond(group_conn *g, group_store *st, uint64_t got)
{
	uint64_t want = st->ap ? st->ap->next_seq : 1;
	natsMsg *m = NULL;
	ship_tail t;
	natsStatus s = js_GetMsg(&m, g->c.js, st->stream, want, NULL, NULL);
	int there = s == NATS_OK && ship_msg_tail(m, &t) == 0 && t.seq == want;
	natsMsg_Destroy(m);
	if (there || (s != NATS_OK && s != NATS_NOT_FOUND))
		return -2;
	cli_error(&st->ctx, CLI_EXIT_INPUT,
		  "stream %s: gap: expected record %llu, got record %llu; "
		  "this store stops at seq %llu",
		  st->stream, (unsigned long long)want, (unsigned long long)got,
		  (unsigned long long)(want - 1));
	return stop_gap(st, want, got);
}

/*
 * One message: 0 a redelivery recognised, 1 a record queued, -1 the
 * store stops (before it), -2 the consumer must be bound again (nothing
 * of the message taken).
 */
static int take(group_conn *g, group_store *st, natsMsg *m)
{
	ship_tail t;
	jsMsgMetaData *meta = NULL;
	uint64_t at = 0;
	if (natsMsg_GetMetaData(&meta, m) == NATS_OK)
		at = meta->Sequence.Stream;
	jsMsgMetaData_Destroy(meta);
	if (ship_msg_tail(m, &t)) {
		cli_error(&st->ctx, CLI_EXIT_INTEGRITY,
			  "stream %s: message %llu is not a ledger record "
			  "(no %s / %s headers); this store stops",
			  st->stream, (unsigned long long)at, SHIP_HDR_SEQ,
			  SHIP_HDR_LEDGER);
		return stop(st, CLI_EXIT_INTEGRITY, N_("not a record"));
	}
	uint64_t next = st->ap ? st->ap->next_seq : 1;
	if (t.seq != at) {
		cli_error(&st->ctx, CLI_EXIT_INPUT,
			  "stream %s: gap: expected record %llu, got record "
			  "%llu (stream message %llu); this store stops at "
			  "seq %llu",
			  st->stream, (unsigned long long)next,
			  (unsigned long long)t.seq, (unsigned long long)at,
			  (unsigned long long)(next - 1));
		return stop_gap(st, next, t.seq);
	}
	if (st->l && strcmp(t.ledger, st->ledger) != 0) {
		cli_error(&st->ctx, CLI_EXIT_CONFLICT,
			  "stream %s holds ledger %s, the replica is ledger "
			  "%s; this store stops",
			  st->stream, t.ledger, st->ledger);
		return stop(st, CLI_EXIT_CONFLICT, N_("another ledger"));
	}
	if (t.seq < next) {
		/* the record must be in the log to be compared */
		int code = st->ap->n ? xfer_appender_flush(st->ap) : 0;
		if (code)
			return stop(st, code,
				    N_("its replica refused the records"));
		return redelivered(st, &t);
	}
	if (t.seq == next)
		return append_next(st, m, &t);
	return beyond(g, st, t.seq);
}

/* ---- a pull ---- */

static void ack(natsMsg **msgs, int n)
{
	for (int i = 0; i < n; i++)
		natsMsg_Ack(msgs[i], NULL);
}

/* A pull that got nothing or failed: a stop after GROUP_STALL_MS of it
 * (only while the store is known to be behind, or when the servers
 * fail). */
static void stalled(group_store *st, const char *why)
{
	if (ship_now_ms() - st->progress_ms <= GROUP_STALL_MS)
		return;
	cli_error(&st->ctx, CLI_EXIT_ERROR,
		  "stream %s: no progress for %d s at seq %llu: %s (re-run "
		  "to resume)",
		  st->stream, GROUP_STALL_MS / 1000,
		  (unsigned long long)st->head + 1, why);
	stop(st, CLI_EXIT_ERROR, N_("no progress"));
}

uint64_t group_store_pull(group_conn *g, group_store *st, int wait_ms,
			  int behind)
{
	natsMsgList list = {NULL, 0};
	jsErrCode jerr = 0;
	natsStatus s = st->sub ? NATS_OK : bind_durable(g, st, &jerr);
	if (s == NATS_OK)
		s = natsSubscription_Fetch(&list, st->sub, GROUP_FETCH, wait_ms,
					   &jerr);
	if (s != NATS_OK) {
		/* nothing there (a timeout) is the normal end when caught
		 * up; anything else, or a timeout while behind, binds again */
		if (s != NATS_TIMEOUT || behind)
			unbind(st);
		if (s != NATS_TIMEOUT)
			stalled(st, ship_nats_error(s, jerr));
		else if (behind)
			stalled(st, _("no messages delivered"));
		return 0;
	}
	int took = 0, rc = 0;
	uint64_t before = st->head;
	while (took < list.Count && (rc = take(g, st, list.Msgs[took])) >= 0)
		took++;
	int code = st->ap ? xfer_appender_flush(st->ap) : 0;
	if (code && !st->code)
		stop(st, code, N_("its replica refused the records"));
	if (!code) {
		ack(list.Msgs, took);
		st->head = st->ap ? st->ap->next_seq - 1 : 0;
	}
	natsMsgList_Destroy(&list);
	if (rc == -2)
		unbind(st);
	if (st->head > before || took)
		st->progress_ms = ship_now_ms();
	st->added += st->head - before;
	return st->head - before;
}

/* The stream's last seq into st->target; 0, or -1 when the stream cannot
 * be read now (why in why). */
static int target(group_conn *g, group_store *st, char *why, size_t size)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, g->c.js, st->stream, NULL, &jerr);
	if (s == NATS_OK)
		st->target = si->State.LastSeq;
	else
		snprintf(why, size, "%s", ship_nats_error(s, jerr));
	jsStreamInfo_Destroy(si);
	return s == NATS_OK ? 0 : -1;
}

uint64_t group_store_catch_up(group_conn *g, group_store *st)
{
	char why[320];
	uint64_t added = 0;
	int known = 0;
	while (!st->code) {
		if (!known && target(g, st, why, sizeof why)) {
			stalled(st, why);
			nats_Sleep(200);
			continue;
		}
		known = 1;
		if (st->head >= st->target)
			break;
		added += group_store_pull(g, st, 2000, 1);
	}
	return added;
}
