/*
 * ship.h - what `svcledger ship` and `svcledger restore` share: the NATS
 * connection, the JetStream stream of one store and its last message
 * (docs/group.md).
 *
 * One stream per store, named from the group and the store so that a
 * dealer group's streams never collide: stream SVL_<group>_<store>,
 * subject svl.<group>.<store>.events. Each message is one record of the
 * ledger, its stored bytes (envelope || hash, docs/format.md) exactly,
 * with the headers
 *
 *   Nats-Msg-Id   the record's hash, hex: a publish retried within the
 *                 stream's duplicate window is stored once
 *   Svl-Seq       the record's seq, decimal
 *   Svl-Ledger    the ledger's id, hex
 *
 * and stream sequence n holds record n: ship publishes each record
 * expecting the previous record's hash as the stream's last message id,
 * so the stream itself refuses a gap or a reordering.
 */
#ifndef SVL_TOOLS_SHIP_H
#define SVL_TOOLS_SHIP_H

#include <nats/nats.h>
#include <signal.h>

#include "cli.h"

#define SHIP_NAME_MAX 32 /* bytes of a group or store name */
#define SHIP_DEFAULT_GROUP "default"
#define SHIP_HDR_SEQ "Svl-Seq"
#define SHIP_HDR_LEDGER "Svl-Ledger"
#define SHIP_WAIT_MS 5000 /* one JetStream API request or ack */

typedef struct ship_conn {
	natsConnection *nc;
	jsCtx *js;
	char stream[8 + 2 * SHIP_NAME_MAX];
	char subject[16 + 2 * SHIP_NAME_MAX];
} ship_conn;

/* The stream's last message, as far as ship and restore need it. */
typedef struct ship_tail {
	uint64_t seq;		     /* its Svl-Seq; 0: the stream is
				      * empty */
	uint64_t stream_seq;	     /* its sequence in the stream */
	uint8_t hash[SVL_HASH_SIZE]; /* the record's hash (its last 16
				      * bytes) */
	char ledger[CLI_HEX_SIZE(SVL_ID_SIZE)]; /* its Svl-Ledger, hex */
} ship_tail;

/*
 * Connect to the servers of urls ("nats://h:4222,nats://h2:4222"), for the
 * stream of group and store (names checked: letters, digits, '-' and '_',
 * 1..SHIP_NAME_MAX), with a JetStream context of options jo (NULL: the
 * defaults with SHIP_WAIT_MS). Reconnects on its own while it runs.
 * Returns 0, or prints the error and returns its exit code (usage for a
 * bad name, error when no server answers); ship_close is safe either way.
 */
int ship_connect(const cli_ctx *ctx, ship_conn *c, const char *urls,
		 const char *group, const char *store, jsOptions *jo);

/* Close the connection and release the NATS library's threads. */
void ship_close(ship_conn *c);

/*
 * The stream's information (*out owned by the caller:
 * jsStreamInfo_Destroy), or *out NULL when there is no such stream.
 * Returns 0 or prints the error and returns its exit code.
 */
int ship_stream_info(const cli_ctx *ctx, ship_conn *c, jsStreamInfo **out);

/*
 * The stream's last message into *out (seq 0 when the stream is empty),
 * its bytes and headers checked: a message that is not a record of ours
 * is CLI_EXIT_CONFLICT. Returns 0 or prints the error and returns its
 * exit code; with why set, a failure to reach the stream (the only
 * CLI_EXIT_ERROR) is written there instead of printed, for a caller that
 * retries.
 */
int ship_last(const cli_ctx *ctx, ship_conn *c, ship_tail *out, char *why,
	      size_t why_size);

/* The detail of a failed NATS call: its status, and JetStream's error
 * code when there is one. Static storage, overwritten by the next call. */
const char *ship_nats_error(natsStatus s, jsErrCode jerr);

/* Read a record's seq and ledger id from the headers of m into *out; 0,
 * or -1 when one is missing or malformed. */
int ship_msg_tail(natsMsg *m, ship_tail *out);

/* Milliseconds of a monotonic clock. */
int64_t ship_now_ms(void);

/* A ledger id written as 32 hex digits (a Svl-Ledger header) into out;
 * 0, or -1 when hex is not one. */
int ship_unhex_id(uint8_t out[SVL_ID_SIZE], const char *hex);

/* --follow: from this call on, SIGINT or SIGTERM sets ship_stop to 1, and
 * the follow loop (ship's or group's) ends at its next turn. */
extern volatile sig_atomic_t ship_stop;
void ship_stop_on_signals(void);

#endif /* SVL_TOOLS_SHIP_H */
