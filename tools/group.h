/*
 * group.h - the group ledger's consumer (`svcledger group`, docs/group.md
 * "Group ledger"): each store's JetStream stream (ship.h) read through a
 * durable pull consumer into the store's replica, a whole svcledger
 * ledger at G/stores/<store>/ with the store's ledger id, records, chain
 * and head hash.
 *
 * The replica's head is the only state that decides anything: a message
 * at or below it is a redelivery (its hash must be the replica's record
 * there, else the stream forked from what was consumed), the one right
 * after it is appended (checked: link, hash), one further on is a gap.
 * Messages are acked only after the batch that holds them is durably
 * appended, so a crash between the two causes redeliveries the first rule
 * absorbs, never a loss. The consumer's own position is advisory: when it
 * disagrees with the replica's head (a crash left messages delivered but
 * never appended), the consumer is made again at the head.
 */
#ifndef SVL_TOOLS_GROUP_H
#define SVL_TOOLS_GROUP_H

#include "cmd_xfer.h"
#include "ship.h"

/* a text translated where it is shown (tests/tool_msgs.sh extracts it) */
#ifndef N_
#define N_(s) s
#endif

#define GROUP_FETCH 1000	    /* messages of one fetch, one append */
#define GROUP_STALL_MS 30000	    /* no progress this long: the store stops */
#define GROUP_MAX_ACK_PENDING 65536 /* delivered, not yet acked */
#define GROUP_CONSUMER_MAX 48	    /* bytes of the durable's name */
#define GROUP_STORES_MAX 1024	    /* stores of one group */

/* One store of the group: its stream, its replica, its consumer. */
typedef struct group_store {
	cli_ctx ctx; /* "group: store S017": errors name the store */
	char cmd[16 + SHIP_NAME_MAX];
	char name[SHIP_NAME_MAX + 1];
	char stream[8 + 2 * SHIP_NAME_MAX];
	char subject[16 + 2 * SHIP_NAME_MAX];
	char dir[4096]; /* G/stores/<name> */
	svl_ledger *l;	/* the replica; NULL until its first record */
	char ledger[CLI_HEX_SIZE(SVL_ID_SIZE)]; /* its id, hex; "" */
	xfer_appender *ap;			/* after the replica's head */
	natsSubscription *sub; /* bound to the durable; NULL: make it */
	uint64_t head;	       /* the replica's head seq */
	uint64_t added;	       /* records appended by this run */
	uint64_t target;       /* without --follow: the stream's last seq */
	int64_t progress_ms;   /* when it last moved (or started) */
	int code;	       /* != 0: stopped, with this exit code */
	const char *state;     /* why it stopped (English, N_()), or NULL */
	uint64_t gap_want, gap_got; /* a gap: the seq expected, the one got */
} group_store;

/* What every store shares: the connection and the consumer's name. */
typedef struct group_conn {
	const cli_ctx *ctx;
	ship_conn c;
	const char *group;
	char consumer[GROUP_CONSUMER_MAX]; /* the durable in every stream */
} group_conn;

/*
 * Set up st for store `name` of g's group, its replica in dir (opened
 * when it exists). Returns 0, or an exit code when the replica cannot be
 * opened (printed; st->code set too).
 */
int group_store_init(group_conn *g, group_store *st, const char *name,
		     const char *dir);

/*
 * One fetch of up to GROUP_FETCH messages (waiting up to wait_ms), each
 * checked and appended or recognised, the batch made durable, then acked.
 * Makes the consumer first when there is none. Returns the number of
 * records appended (0 when nothing came); a store that must stop has
 * st->code set (its error printed). A failure of the servers is not a
 * stop: the consumer is made again on the next call, and only
 * GROUP_STALL_MS without progress stops the store (exit 5).
 */
uint64_t group_store_pull(group_conn *g, group_store *st, int wait_ms,
			  int behind);

/*
 * Without --follow: everything the stream holds when this starts (its
 * last seq, read first), pulled until the replica's head reaches it or
 * the store stops. Returns the records appended.
 */
uint64_t group_store_catch_up(group_conn *g, group_store *st);

/* Release the subscription (the durable stays), the replica, the
 * appender. */
void group_store_close(group_store *st);

#endif /* SVL_TOOLS_GROUP_H */
