/*
 * demo.h - the workload generator behind `svcledger demo`: a seeded,
 * deterministic quarter (2026-07-01..09-30, UTC+08:00) of the seed
 * manual's after-sales department, decided by the department's rules and
 * appended through svl_ledger_submit(), then a short tour of what the
 * ledger can answer (demo_tour.c).
 *
 * Files, by area (each exports the demo_* functions declared here):
 *   demo_emit.c    randomness, the calendar, the JSON payload builder, the
 *                  pending events and their submission, day by day
 *   demo_world.c   the staff of the seed's 11 posts, the parts catalog
 *                  with bins and opening stock, the customers' vehicles
 *   demo_book.c    bookings, reminders, the evening's bay reservations
 *                  and preparations, reception, warranty-warning hand-offs,
 *                  quotes, requisitions, delay notices, dispatch
 *   demo_work.c    pre-picks of booked jobs, picks with their signatures,
 *                  the work, QC and rework, settlement and delivery, old
 *                  parts handed back, warranty claims, monthly disposal
 *   demo_after.c   follow-up calls (quality problems with their
 *                  department), lost customers, complaints
 *   demo_parts.c   parts plans, purchase orders, receiving, reservations,
 *                  quarantine, discrepancy claims, invoices and payment
 *                  approvals, counter sales
 *   demo_stock.c   daily, monthly and quarterly counts, adjustments, the
 *                  report to the general manager and finance's book
 *                  adjustment, the write-offs and liability charges
 *   demo_tour.c    what is printed after the quarter
 *
 * Determinism (the invariants a run depends on):
 *  1. Every random choice comes from splitmix64 streams seeded from
 *     --seed (the business) or from a fixed constant (the world: staff,
 *     catalog, vehicles), in a fixed order; no clock, no rand(), no
 *     floating point.
 *  2. Business times come from the simulated calendar; events are
 *     submitted one local day at a time, sorted by business time (ties
 *     in generation order), so the log's order is the order things
 *     happened in.
 *  3. Event ids and recorded_at_ms derive from the seed and the event's
 *     position; recorded_at_ms never decreases. The same seed therefore
 *     gives the same log, byte for byte, and the same head hash.
 *
 * Why a model of stock lives here too: the generator must only propose
 * what a real warehouse could do (no issue beyond what is on the shelf and
 * not set aside for a booking). Its model mirrors the book of the deciders
 * (decide_parts.c); if the two ever disagree, the rules refuse the day's
 * batch and the demo stops with the rule's words: a generator bug, never
 * skipped.
 */
#ifndef SVL_TOOLS_DEMO_H
#define SVL_TOOLS_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "svcledger.h"

/* ---- the calendar -------------------------------------------------------- */

/* Demo days are local days of DEMO_TZ_MIN (model/calendar.h), day 0 the
 * first of the quarter, starting at DEMO_Q3_MS. */
#define DEMO_TZ_MIN 480 /* UTC+08:00 */
#define DEMO_MIN_MS INT64_C(60000)
#define DEMO_Q3_MS INT64_C(1782835200000) /* 2026-07-01 00:00 +08:00 */
#define DEMO_QUARTER_DAYS 92		  /* 2026-07-01 .. 09-30 */
#define DEMO_TAIL_DAYS 14		  /* at most, after the last day */
#define DEMO_DAYS_MAX (DEMO_QUARTER_DAYS + DEMO_TAIL_DAYS + 2)
#define DEMO_SEED_DEFAULT UINT64_C(20260930)

/* Local midnight of day d (0 = 2026-07-01; -1 = the day before). */
int64_t demo_day_ms(int day);
/* Local time hh:mm on day d. */
int64_t demo_at(int day, int hh, int mm);
/* The day of a time (floor). */
int demo_day_of(int64_t ms);
/* Minutes since local midnight. */
int demo_minute_of(int64_t ms);
/* 0 Monday .. 6 Sunday. */
int demo_weekday(int day);
/* 1 on the last day of a calendar month. */
int demo_month_end(int day);
/* Month 7, 8, 9, ... of day d. */
int demo_month(int day);
/* "2026-07-01" into out (>= 11 bytes). */
void demo_date(char *out, size_t cap, int day);
/* t plus `minutes` of shop time (08:30-18:00 local), skipping nights. */
int64_t demo_shop_add(int64_t t, int64_t minutes);

/* ---- randomness ---------------------------------------------------------- */

typedef struct demo_rng {
	uint64_t s;
} demo_rng;

uint64_t demo_rand(demo_rng *r);
/* Uniform in [lo, hi] (lo <= hi). */
int64_t demo_between(demo_rng *r, int64_t lo, int64_t hi);
/* 1 with probability p/1000. */
int demo_chance(demo_rng *r, int permille);
/* Uniform index in [0, n) (n > 0). */
size_t demo_pick(demo_rng *r, size_t n);
/* An index drawn by weights w[0..n) (their sum > 0). */
size_t demo_weighted(demo_rng *r, const int *w, size_t n);

/* ---- staff (demo_world.c) ------------------------------------------------ */

/* The people. The seed's 11 posts, the vacancies filled during the
 * quarter, and the people outside the department the process needs
 * (general manager, purchaser, finance, cashier). */
enum demo_staff {
	ST_GM,
	ST_SM,
	ST_TD,
	ST_WM,
	ST_FDS,
	ST_SA1,
	ST_CS,
	ST_CLM,
	ST_PM,
	ST_WK,
	ST_T1,
	ST_T2,
	ST_T3,
	ST_T4,
	ST_T5,
	ST_T6,
	ST_T7,
	ST_T8,
	ST_BP1,
	ST_BP2,
	ST_T9,
	ST_SA2,
	ST_PUR,
	ST_FIN,
	ST_CASH,
	ST_N
};
#define DEMO_TECHS 11 /* ST_T1..ST_T9 with ST_BP1, ST_BP2 */

typedef struct demo_person {
	const char *id;
	const char *name;
	int role, role2; /* SVL_ROLE_...; role2 -1 when none */
	int from_day;	 /* holds the roles from this day */
	int until_day;	 /* ... until this day (exclusive); 0 = always */
	int group;	 /* technicians: 1 (technical director's) or 2 */
} demo_person;

const demo_person *demo_person_get(int who);
/* The technician index k (0..DEMO_TECHS-1) as a staff index. */
int demo_tech(int k);
/* 1 when `who` holds its roles on day d. */
int demo_on_staff(int who, int day);

/* ---- the parts catalog (demo_world.c) ------------------------------------ */

#define DEMO_MODELS 9

enum demo_use { /* which jobs use a part family */
		USE_MAINT,
		USE_MAINT_OPT,
		USE_REPAIR,
		USE_WARRANTY,
		USE_BODY,
		USE_NONE /* obsolete: discontinued model */
};

typedef struct demo_part {
	char no[16];
	char bin[16];
	char name[48];
	const char *unit; /* "piece", "set", "litre" */
	int family;
	int model;	       /* -1: fits every model */
	int use;	       /* enum demo_use */
	int supplier;	       /* index of demo_supplier() */
	int64_t cost_fen;      /* current purchase cost per unit */
	int64_t price_fen;     /* selling price per unit */
	int64_t std_qty_milli; /* quantity one job takes */
	/* the generator's model of the warehouse (see the top) */
	int64_t book_milli;	   /* sellable on hand, as the book says */
	int64_t phys_milli;	   /* what is really on the shelf */
	int64_t reserved_milli;	   /* on the dedicated shelf (R-BKG-6) */
	int64_t releasing_milli;   /* released today by a cancellation or a
				    * no-show: still on the shelf for today's
				    * other jobs (the release's time may be
				    * after theirs), free from the evening */
	int64_t committed_milli;   /* confirmed bookings, not yet reserved */
	int64_t incoming_milli;	   /* ordered, not yet shelved */
	int64_t quarantined_milli; /* separate ledger (R-BIN-3) */
	int64_t target_milli;	   /* the weekly plan orders up to this */
	int64_t reorder_milli;	   /* ... when below this */
	int moved_day;		   /* last day with a movement */
	int issues;		   /* parts_issued events, for the tour */
} demo_part;

typedef struct demo_supplier {
	const char *id;
	int out_of_town; /* R-PUR-1: delivery takes a day more */
} demo_supplier;

const demo_supplier *demo_supplier_get(int k);
#define DEMO_SUPPLIERS 4

/* ---- vehicles and their owners (demo_world.c) ---------------------------- */

typedef struct demo_vehicle {
	char customer[16];
	char owner[32];
	char phone[24];
	char plate[24];
	char vin[18];
	int model;
	int last_day; /* last visit (reception), -1000 none */
	int32_t mileage_km;
	uint8_t visits;	   /* before the quarter: a customer file */
	uint8_t bad_phone; /* the file has a wrong number */
} demo_vehicle;

/* ---- jobs ---------------------------------------------------------------- */

#define DEMO_JOB_PARTS 6

typedef struct demo_line {
	int part;
	int64_t qty_milli;
} demo_line;

/* Where a job's line stands in the warehouse model. */
enum demo_line_state {
	LINE_FREE,     /* nothing set aside yet */
	LINE_HELD,     /* promised: counted in committed_milli */
	LINE_RESERVED, /* on the booking shelf: reserved_milli (R-BKG-6) */
};

enum demo_job_phase {
	JP_BOOKED,  /* booking confirmed, waits for its slot */
	JP_GONE,    /* cancelled or no-show */
	JP_WAITING, /* received; work (and parts) start on `start_day` */
	JP_DONE,    /* work generated to the end */
};

typedef struct demo_job {
	char wo[16];
	int vehicle;
	int kind;   /* SVL_JOB_KIND_... */
	int phase;  /* enum demo_job_phase */
	int booked; /* came through a booking */
	int advisor, tech, comeback;
	int booked_day; /* the day the booking was made */
	int slot_day;
	int64_t slot_ms;
	int start_day; /* JP_WAITING: the day work starts */
	int64_t received_ms, promised_ms;
	int64_t labor_min; /* estimated labour */
	int n_lines;
	demo_line lines[DEMO_JOB_PARTS];
	int quote_rev;
	uint8_t held[DEMO_JOB_PARTS];	    /* enum demo_line_state */
	uint8_t short_line[DEMO_JOB_PARTS]; /* not in stock at the quote */
	int parts_day;	       /* the short parts arrive this day */
	int64_t materials_fen; /* on the quote */
	int64_t signed_ms;     /* the customer signed the work order */
	char fault[96];
} demo_job;

/* A purchase order on its way (R-PUR-1), received on due_day. */
#define DEMO_PO_LINES 120

typedef struct demo_po {
	char id[16];
	char plan[24];
	int supplier, due_day, adhoc;
	int n;
	demo_line lines[DEMO_PO_LINES];
	int64_t price_fen[DEMO_PO_LINES];
} demo_po;

/* A comeback planned for `day`: the vehicle returns with the same fault. */
typedef struct demo_cb {
	int vehicle, day;
	char fault[96];
} demo_cb;

/* ---- pending events ------------------------------------------------------ */

typedef struct demo_ev {
	int64_t at_ms;
	uint64_t order; /* generation order: ties of the sort */
	uint32_t type;
	uint8_t who, role;
	uint16_t stream_len;
	uint32_t payload_len;
	uint8_t *data; /* stream bytes, then the payload */
} demo_ev;

/* ---- what the quarter contained (printed by the tour, docs/demo.md) ----- */

typedef struct demo_stats {
	uint64_t events, days, batches;
	uint64_t jobs, walk_ins, bookings, booking_moved, no_shows, cancelled;
	uint64_t rescheduled, waited_parts, revisions, findings, reworks;
	uint64_t delivered, fu_calls, fu_failed, complaints[4];
	uint64_t picks, issues, pos, receipts, rejected_lines, slips;
	uint64_t counts[3], count_lines, adjustments, shrinkage, quarantined;
	uint64_t comebacks;
} demo_stats;

/* ---- the generator ------------------------------------------------------- */

#define DEMO_JSON_MAX 16384
#define DEMO_ERR_MAX 1024
#define DEMO_SPOT_MAX 64

typedef struct demo_json {
	char buf[DEMO_JSON_MAX];
	size_t n;
	int depth;
	unsigned first; /* bit k: nothing written at depth k yet */
	char closer[8];
	int overflow;
} demo_json;

typedef struct demo_gen {
	/* configuration */
	uint64_t seed;
	int days; /* simulated days from 2026-07-01 */
	svl_ledger *ledger;
	/* randomness: the business, and the world (fixed) */
	demo_rng rng, world;
	/* pending events, and what was submitted */
	demo_ev *ev;
	size_t n_ev, cap_ev;
	uint64_t order;
	int64_t last_recorded_ms;
	uint64_t submitted;
	uint8_t payload[SVL_PAYLOAD_MAX];
	demo_json j;		/* the payload being built */
	char err[DEMO_ERR_MAX]; /* the first generator error */
	/* the world */
	demo_part *parts;
	size_t n_parts;
	demo_vehicle *veh;
	size_t n_veh;
	/* jobs */
	demo_job *jobs;
	size_t n_jobs, cap_jobs;
	int booked_on[DEMO_DAYS_MAX]; /* confirmed slots per day (R-BKG-4) */
	int64_t tech_free_ms[DEMO_TECHS];
	demo_cb cb[512];
	int n_cb;
	/* parts flow */
	demo_po *pos;
	size_t n_pos, cap_pos;
	int n_po, n_plan, n_slip, n_pick, n_cmp, n_adj_spot;
	int adhoc_open; /* today's ad hoc plan has lines */
	demo_line adhoc[64];
	int n_adhoc;
	struct demo_spot { /* proposals awaiting approval */
		char stk[24];
		int adj_no, part;
		int64_t delta_milli;
	} spot[DEMO_SPOT_MAX];
	int n_spot;
	int q_coil, q_pads;	 /* quarantined for the write-offs */
	demo_line wof_lines[16]; /* the approved write-off, for disposal */
	int n_wof_lines;
	int wof_day;	    /* the day it was approved */
	int64_t wof_fen[2]; /* value of the approved and the rejected
			     * (human-caused) write-off */
	/* quarter end */
	char q_stk[24]; /* the quarterly count's id */
	int64_t q_count_at_ms;
	int q_part; /* a part with a quarterly variance */
	/* the managers' keys (demo_seal.c) and where the ledger is */
	svl_keypair keys[3];
	const char *dir;
	int n_seals;
	/* tour */
	char tour_wo[16];
	int tour_wo_score;
	demo_stats st;
} demo_gen;

/* ---- demo_seal.c: keys and month-end seals ------------------------------ */

/* The managers' key pairs, from a fixed seed, registered by the general
 * manager before the quarter. */
void demo_keys(demo_gen *g);
/* On a month's last day (after its events): the service manager seals
 * the month, into the ledger and g->dir/seals.ndjson. */
int demo_seal_month(demo_gen *g, int day);
/* The key files under g->dir/keys/ (secret 0600 and .pub), for the tour's
 * `verify --seals`; 0 or -1 (g->err says). */
int demo_keys_write(demo_gen *g);
/* The demo ledger's id: time-ordered like any (the day before the
 * quarter), the rest from the seed, so that its seals, which name it, are
 * the same on every run. */
void demo_ledger_id(uint64_t seed, uint8_t out[SVL_ID_SIZE]);
/* The service manager's key file, or with pub its .pub (the tour's
 * --trust). */
void demo_key_path(const demo_gen *g, char *out, size_t cap, int pub);
/* Remove what demo_seal_month and demo_keys_write left in dir (a demo run
 * starts afresh); 0, or -1 with err. */
int demo_unlink_files(const char *dir, char *err, size_t cap);

/* ---- demo_emit.c ----------------------------------------------------------
 */

/* Set up g (allocations, seeds); 0 or -1 when out of memory. */
int demo_gen_init(demo_gen *g, uint64_t seed, int days, svl_ledger *l);
void demo_gen_free(demo_gen *g);
/* Record the first generator error (later ones are dropped). */
void demo_fail(demo_gen *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The id of an event submitted outside the day's batch (a seal), from
 * its recorded_at and the next serial. */
void demo_next_id(demo_gen *g, int64_t rec_ms, uint8_t out[SVL_ID_SIZE]);
/* The JSON payload builder: begin, fields, then demo_emit(). Strings are
 * escaped; nesting: dj_arr opens "key":[, dj_obj opens { in an array,
 * dj_end closes the innermost. */
demo_json *dj_begin(demo_gen *g);
void dj_str(demo_json *j, const char *key, const char *val);
void dj_int(demo_json *j, const char *key, int64_t v);
void dj_bool(demo_json *j, const char *key, int v);
void dj_date(demo_json *j, const char *key, int day);
void dj_arr(demo_json *j, const char *key);
void dj_obj(demo_json *j);
void dj_end(demo_json *j);

/* Turn the payload built in g->j into a pending event of `type`, made by
 * staff `who` in `role` (SVL_ROLE_...) at business time at_ms. */
void demo_emit(demo_gen *g, int64_t at_ms, uint32_t type, int who, int role);

/* Submit, in business-time order, every pending event before until_ms,
 * in one batch. Returns 0, or an svl error code with g->err set (which
 * event, the rule and why). */
int demo_flush(demo_gen *g, int64_t until_ms);

/* t plus lo..hi minutes and 0..59 seconds: when the next step happens. */
int64_t demo_later(demo_gen *g, int64_t t, int lo_min, int hi_min);

/* Sequential document ids: "WO2026-00042". */
void demo_docid(char *out, size_t cap, const char *prefix, int n, int width);

/* ---- demo_world.c ---------------------------------------------------------
 */

/* The staff appointments (from 2026-06-30), the catalog's bins and
 * opening balances: the events of day -1. Also builds g->parts, g->veh. */
int demo_world(demo_gen *g);
/* Parts of `family` that fit `model` (or every model); -1 when none. */
int demo_part_for(const demo_gen *g, int family, int model);
/* The families a job of each kind draws from (demo_world.c tables). */
int demo_family_count(void);
const char *demo_family_name(int family);
int demo_family_use(int family);
int demo_family_permille(int family);
const char *demo_family_code(int family);
int64_t demo_family_qty(int family);
/* The engine oil grade a model takes (a family index), and how much. */
int demo_oil_family(int model);
int64_t demo_oil_milli(int model);
const char *demo_model_name(int model);
/* Families by role in a maintenance job. */
enum demo_fam {
	FAM_OIL_FILTER,
	FAM_AIR_FILTER,
	FAM_CABIN_FILTER,
	FAM_SPARK_PLUG,
	FAM_WIPER,
	FAM_FUEL_FILTER,
	FAM_PAD_FRONT,
	FAM_PAD_REAR,
	FAM_DISC_FRONT,
	FAM_DISC_REAR,
	FAM_BELT,
	FAM_SHOCK,
	FAM_ARM,
	FAM_LINK,
	FAM_THERMOSTAT,
	FAM_COIL,
	FAM_WATER_PUMP,
	FAM_O2_SENSOR,
	FAM_ABS_SENSOR,
	FAM_REGULATOR,
	FAM_COMPRESSOR,
	FAM_BUMPER,
	FAM_REAR_BUMPER,
	FAM_HEADLAMP,
	FAM_TAIL_LAMP,
	FAM_MIRROR,
	FAM_FENDER,
	FAM_GRILLE,
	FAM_OIL_0W20,
	FAM_OIL_5W30,
	FAM_OIL_0W16,
	FAM_BRAKE_FLUID,
	FAM_COOLANT,
	FAM_ATF,
	FAM_GASKET,
	FAM_WASHER,
	FAM_BATTERY,
	FAM_BULB,
	FAM_TYRE,
	FAM_OBSOLETE,
	FAM_N
};

/* A vehicle for a new job: none with a visit in the last 40 days, so that
 * only the comebacks the generator plans count as comebacks. */
int demo_vehicle_pick(demo_gen *g, int day);

/* ---- demo_desk.c ----------------------------------------------------------
 */

/* What a job of its kind needs (the lines), and the customer's words. */
void demo_choose_lines(demo_gen *g, demo_job *j);
void demo_job_fault(demo_gen *g, demo_job *j);
/* Stock for the job's lines not yet set aside: all free? hold them
 * (committed), let them go, or order what is short for tomorrow (returns
 * the number of short lines). */
int demo_lines_free(const demo_gen *g, const demo_job *j);
void demo_hold_lines(demo_gen *g, demo_job *j);
void demo_unhold_lines(demo_gen *g, demo_job *j);
int demo_order_short(demo_gen *g, demo_job *j, int day);
int64_t demo_job_hours_milli(const demo_gen *g, const demo_job *j);
/* Reception to signature at time t of `day`, then the work or a night's
 * wait. */
void demo_receive(demo_gen *g, demo_job *j, int64_t t, int day);
/* Start the work from `from` if a technician can before 16:30. */
void demo_start_or_wait(demo_gen *g, demo_job *j, int day, int64_t from);

/* ---- demo_book.c ----------------------------------------------------------
 */

/* New booking requests (R-BKG-1..5) for the coming days, cancellations,
 * customer reschedules. */
void demo_bookings(demo_gen *g, int day);
/* Today's arrivals: booked jobs at their slots, walk-ins, comebacks;
 * reception, inspection, quote, signature, dispatch, then the work. */
void demo_arrivals(demo_gen *g, int day);
/* Jobs that waited overnight (for parts or a technician) start work. */
void demo_resume(demo_gen *g, int day);
demo_job *demo_job_new(demo_gen *g, int vehicle, int kind, int day);
/* Plan a comeback of job j's vehicle (first-time fix) on `day`. */
void demo_plan_comeback(demo_gen *g, const demo_job *j, int day);
/* A part of family f fitting the model (a random variant of universal
 * families); -1 when none. */
int demo_part_of(demo_gen *g, int family, int model);
/* Add a line to job j (not twice the same part); 1 when added. */
int demo_add_line(demo_job *j, int part, int64_t qty_milli);
/* Labour and parts of job j as quoted (and settled). */
int64_t demo_labor_fen(const demo_gen *g, const demo_job *j);
int64_t demo_parts_fen(const demo_gen *g, const demo_job *j);
/* Labour hours (thousandths) and operation of a job line's family. */
int64_t demo_hours_milli(int family);
/* Write the quote's "labor", "parts" and "materials" arrays and return
 * its total; short lines arrive on j->parts_day. */
int64_t demo_quote_lines(demo_gen *g, demo_json *jb, const demo_job *j);
#define DEMO_LABOR_RATE_FEN 30000 /* per hour */

/* ---- demo_work.c ----------------------------------------------------------
 */

/* The work of job j starting at start_ms: picks and issues (R-ISS-1..5),
 * findings (R-WO-4/5), completion, QC (R-QC-1), settlement, delivery. */
void demo_work(demo_gen *g, demo_job *j, int64_t start_ms);
/* ---- demo_after.c ---------------------------------------------------------
 */

/* Follow-up calls after delivery at delivered_ms (R-FU-1..6) and, now and
 * then, a complaint (R-CMP-1..4). *calls gets the number of calls. */
void demo_after(demo_gen *g, const demo_job *j, int64_t delivered_ms, int late,
		int *calls);
/* Complaints that name no job (a phone call about waiting, ...). */
void demo_loose_complaints(demo_gen *g, int day);

/* ---- demo_parts.c ---------------------------------------------------------
 */

/* Free stock for a new demand: on the shelf, not reserved, not promised
 * to a confirmed booking. */
int64_t demo_free_milli(const demo_part *p);
/* Morning: deliveries due today with their acceptances, shelving,
 * discrepancy slips; claims settled; quarantine findings. */
void demo_parts_morning(demo_gen *g, int day);
/* Put a line on today's ad hoc plan (it arrives tomorrow morning). */
void demo_adhoc_add(demo_gen *g, int part, int64_t qty_milli);
/* Evening: the ad hoc plan and order of the day, the weekly forward plan
 * on Mondays, reservations for tomorrow's bookings (R-BKG-6). */
void demo_parts_evening(demo_gen *g, int day);
/* Release job j's reserved lines (reason: SVL_RELEASE_REASON_...). */
void demo_release(demo_gen *g, demo_job *j, int64_t at_ms, int reason);
/* Release line k of job j only. */
void demo_release_line(demo_gen *g, demo_job *j, int k, int64_t at_ms,
		       int reason);

/* ---- demo_stock.c ---------------------------------------------------------
 */

/* Things that happen to goods without paperwork (a part that walks, an
 * unrecorded return): only a count finds them. */
void demo_shrinkage(demo_gen *g, int day);
/* Approvals of yesterday's write-ups (R-STK-2), in the morning. */
void demo_stock_morning(demo_gen *g, int day);
/* The day's count: a spot count, the monthly full count, or on the last
 * day the quarterly full count with finance, then the write-offs. */
void demo_counts(demo_gen *g, int day);
/* After the quarter: disposal of the written-off parts (R-WOF-5). */
void demo_stock_tail(demo_gen *g, int day);

/* ---- demo_tour.c ----------------------------------------------------------
 */

typedef struct demo_tour_opts {
	int json; /* one JSON document instead of text */
	const char *dir;
	double gen_ms; /* time the quarter took to generate */
	int quiet;     /* only the chain's summary line */
} demo_tour_opts;

/* Print the tour on stdout. Returns 0 or an svl error code (message in
 * g->err). */
int demo_tour(demo_gen *g, const demo_tour_opts *o);

#endif /* SVL_TOOLS_DEMO_H */
