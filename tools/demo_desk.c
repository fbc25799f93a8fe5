/*
 * demo_desk.c - a job at the front desk: what it needs (the customer's
 * items, the parts the inspection will confirm), reception (R-REC-1..3),
 * inspection (R-INS-1/2), the quote and its revisions (R-QUO-1..3), the
 * customer's signature (R-WO-1), and whether the work can start today.
 *
 * Stock held for a job: a line is promised to the job (committed) from
 * the moment the front desk counts on it, reserved on the booking shelf
 * the evening before a booked car comes (demo_parts.c), and issued when
 * the work starts (demo_work.c). Short lines go on the day's ad hoc plan
 * and the car waits for them overnight (R-QUO-3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "money.h"

#define R(x) SVL_ROLE_##x

/* ---- what each kind of job needs ------------------------------------------
 */

typedef struct fam_text {
	int64_t hours_milli;   /* labour to replace it */
	const char *fault;     /* what the customer says */
	const char *diagnosis; /* what the inspection found */
} fam_text;

/* clang-format off: one row per line reads as a table */
static const fam_text texts[FAM_N] = {
    [FAM_OIL_FILTER] = {1000, "scheduled service", "service due by mileage"},
    [FAM_AIR_FILTER] = {200, NULL, "air filter clogged"},
    [FAM_CABIN_FILTER] = {200, NULL, "cabin filter dirty, musty smell"},
    [FAM_SPARK_PLUG] = {600, NULL, "plugs at replacement interval"},
    [FAM_WIPER] = {100, NULL, "wiper blades streaking"},
    [FAM_FUEL_FILTER] = {500, NULL, "fuel filter at interval"},
    [FAM_BRAKE_FLUID] = {500, NULL, "brake fluid water content over 3%"},
    [FAM_COOLANT] = {400, NULL, "coolant at interval"},
    [FAM_WASHER] = {100, NULL, "washer fluid topped up"},
    [FAM_PAD_FRONT] = {800, "squeal from the front brakes when stopping",
		       "front pads at 2 mm, glazed"},
    [FAM_PAD_REAR] = {800, "grinding from the rear when braking",
		      "rear pads worn to the indicator"},
    [FAM_DISC_FRONT] = {1200, "steering wheel shakes when braking",
			"front discs warped, runout 0.12 mm"},
    [FAM_DISC_REAR] = {1100, "vibration from the rear when braking",
		       "rear discs scored"},
    [FAM_BELT] = {700, "squeal from the engine bay on a cold start",
		  "drive belt cracked and slipping"},
    [FAM_SHOCK] = {1600, "knocking over bumps at the front",
		   "front shock absorbers leaking"},
    [FAM_ARM] = {1300, "clunk from the front when turning",
		 "lower arm bushing split"},
    [FAM_LINK] = {600, "rattle over speed bumps", "stabilizer links worn"},
    [FAM_THERMOSTAT] = {1000, "temperature gauge stays low",
			"thermostat stuck open"},
    [FAM_COIL] = {500, "engine shakes at idle, check-engine light",
		  "misfire on cylinder 3, coil failed"},
    [FAM_ATF] = {1200, "harsh shift from 2nd to 3rd", "ATF dark and burnt"},
    [FAM_BATTERY] = {300, "slow cranking in the morning",
		     "battery at 38% health"},
    [FAM_BULB] = {200, "a lamp is out", "bulb failed"},
    [FAM_TYRE] = {600, "vibration at 100 km/h, tyres worn",
		  "tyres at 1.6 mm tread"},
    [FAM_WATER_PUMP] = {2200, "coolant leak under the engine",
			"water pump seal leaking"},
    [FAM_O2_SENSOR] = {700, "check-engine light on",
		       "upstream oxygen sensor slow (P0133)"},
    [FAM_ABS_SENSOR] = {600, "ABS warning light on",
			"front left wheel speed sensor open circuit"},
    [FAM_REGULATOR] = {1400, "rear window will not go up",
		       "window regulator cable snapped"},
    [FAM_COMPRESSOR] = {2800, "air conditioning blows warm air",
			"A/C compressor clutch failed"},
    [FAM_BUMPER] = {3500, "front-end collision", "front bumper cover cracked"},
    [FAM_REAR_BUMPER] = {3200, "rear-ended at a light",
			 "rear bumper cover split"},
    [FAM_HEADLAMP] = {1200, "front-end collision", "headlamp housing broken"},
    [FAM_TAIL_LAMP] = {700, "rear-ended at a light", "tail lamp lens broken"},
    [FAM_MIRROR] = {800, "mirror knocked off in a car park",
		    "door mirror housing broken"},
    [FAM_FENDER] = {4000, "side impact at the front wheel",
		    "front fender creased"},
    [FAM_GRILLE] = {900, "front-end collision", "grille broken"},
};
/* clang-format on */

int64_t demo_hours_milli(int family)
{
	return texts[family].hours_milli;
}

int demo_add_line(demo_job *j, int part, int64_t qty)
{
	if (part < 0 || j->n_lines >= DEMO_JOB_PARTS)
		return 0;
	for (int k = 0; k < j->n_lines; k++)
		if (j->lines[k].part == part)
			return 0;
	j->lines[j->n_lines].part = part;
	j->lines[j->n_lines].qty_milli = qty;
	j->held[j->n_lines] = 0;
	j->short_line[j->n_lines] = 0;
	j->n_lines++;
	return 1;
}

/* A part of family f for the model: the model's own, or one of the
 * variants that fit every model. */
int demo_part_of(demo_gen *g, int f, int model)
{
	int cand[16], n = 0;
	for (size_t k = 0; k < g->n_parts && n < 16; k++) {
		const demo_part *p = &g->parts[k];
		if (p->family == f && (p->model == model || p->model < 0))
			cand[n++] = (int)k;
	}
	return n ? cand[demo_pick(&g->rng, (size_t)n)] : -1;
}

static int draw_family(demo_gen *g, int use)
{
	int w[FAM_N];
	for (int f = 0; f < FAM_N; f++)
		w[f] = demo_family_use(f) == use ? demo_family_permille(f) : 0;
	return (int)demo_weighted(&g->rng, w, FAM_N);
}

static void maintenance_lines(demo_gen *g, demo_job *j, int model)
{
	demo_add_line(j, demo_part_of(g, FAM_OIL_FILTER, model), 1000);
	demo_add_line(j, demo_part_of(g, demo_oil_family(model), model),
		      demo_oil_milli(model));
	demo_add_line(j, demo_part_of(g, FAM_GASKET, model), 1000);
	for (int f = 0; f < FAM_N; f++)
		if (demo_family_use(f) == USE_MAINT_OPT &&
		    demo_chance(&g->rng, demo_family_permille(f)))
			demo_add_line(j, demo_part_of(g, f, model),
				      demo_family_qty(f));
}

void demo_choose_lines(demo_gen *g, demo_job *j)
{
	int model = g->veh[j->vehicle].model, n = 1, use = USE_REPAIR;
	j->n_lines = 0;
	switch (j->kind) {
	case SVL_JOB_KIND_MAINTENANCE:
		maintenance_lines(g, j, model);
		return;
	case SVL_JOB_KIND_REPAIR:
		n = demo_chance(&g->rng, 250) ? 2 : 1;
		break;
	case SVL_JOB_KIND_WARRANTY:
		use = USE_WARRANTY;
		break;
	default:
		use = USE_BODY;
		n = (int)demo_between(&g->rng, 1, 3);
		break;
	}
	for (int k = 0; k < n; k++) {
		int f = draw_family(g, use);
		demo_add_line(j, demo_part_of(g, f, model), demo_family_qty(f));
	}
}

static int line_family(const demo_gen *g, const demo_job *j, int k)
{
	return g->parts[j->lines[k].part].family;
}

int64_t demo_job_hours_milli(const demo_gen *g, const demo_job *j)
{
	int64_t h = 0;
	for (int k = 0; k < j->n_lines; k++)
		h += texts[line_family(g, j, k)].hours_milli;
	return h;
}

int64_t demo_labor_fen(const demo_gen *g, const demo_job *j)
{
	return demo_job_hours_milli(g, j) * DEMO_LABOR_RATE_FEN / 1000;
}

int64_t demo_parts_fen(const demo_gen *g, const demo_job *j)
{
	int64_t fen = 0;
	for (int k = 0; k < j->n_lines; k++)
		fen +=
		    svl__line_value_fen(j->lines[k].qty_milli,
					g->parts[j->lines[k].part].price_fen);
	return fen;
}

/* ---- the quote (R-QUO-1, R-QUO-3) -----------------------------------------
 */

static void labor_op(demo_gen *g, demo_json *jb, const demo_job *j, int f)
{
	char code[16], what[96];
	int64_t h = texts[f].hours_milli;
	if (h == 0)
		return;
	if (f == FAM_OIL_FILTER) {
		int km = (g->veh[j->vehicle].mileage_km + 2500) / 5000 * 5;
		km = km < 5 ? 5 : km;
		snprintf(code, sizeof code, "M%dK", km);
		snprintf(what, sizeof what, "%d,000 km service", km);
	} else {
		snprintf(code, sizeof code, "R-%s", demo_family_code(f));
		snprintf(what, sizeof what, "replace %s", demo_family_name(f));
	}
	dj_obj(jb);
	dj_str(jb, "op_code", code);
	dj_str(jb, "description", what);
	dj_int(jb, "hours_milli", h);
	dj_int(jb, "amount_fen", h * DEMO_LABOR_RATE_FEN / 1000);
	dj_end(jb);
}

int64_t demo_quote_lines(demo_gen *g, demo_json *jb, const demo_job *j)
{
	dj_arr(jb, "labor");
	for (int k = 0; k < j->n_lines; k++)
		labor_op(g, jb, j, line_family(g, j, k));
	dj_end(jb);
	dj_arr(jb, "parts");
	for (int k = 0; k < j->n_lines; k++) {
		const demo_part *p = &g->parts[j->lines[k].part];
		dj_obj(jb);
		dj_str(jb, "part_no", p->no);
		dj_str(jb, "description", p->name);
		dj_int(jb, "qty_milli", j->lines[k].qty_milli);
		dj_int(jb, "unit_price_fen", p->price_fen);
		dj_bool(jb, "in_stock", !j->short_line[k]);
		if (j->short_line[k])
			dj_date(jb, "arrival_date", j->parts_day);
		dj_end(jb);
	}
	dj_end(jb);
	if (j->materials_fen > 0) {
		dj_arr(jb, "materials");
		dj_obj(jb);
		dj_str(jb, "description",
		       j->kind == SVL_JOB_KIND_ACCIDENT
			   ? "paint, clear coat and filler"
			   : "shop supplies");
		dj_int(jb, "amount_fen", j->materials_fen);
		dj_end(jb);
		dj_end(jb);
	}
	return demo_labor_fen(g, j) + demo_parts_fen(g, j) + j->materials_fen;
}

/* ---- jobs and stock held for them ------------------------------------------
 */

static int pick_advisor(demo_gen *g, int day)
{
	static const int who[3] = {ST_SA1, ST_SA2, ST_FDS};
	static const int w3[3] = {40, 36, 24};
	if (demo_on_staff(ST_SA2, day))
		return who[demo_weighted(&g->rng, w3, 3)];
	return demo_chance(&g->rng, 560) ? ST_SA1 : ST_FDS;
}

void demo_job_fault(demo_gen *g, demo_job *j)
{
	const demo_vehicle *v = &g->veh[j->vehicle];
	int f = j->n_lines ? line_family(g, j, 0) : FAM_OIL_FILTER;
	if (j->kind == SVL_JOB_KIND_MAINTENANCE)
		snprintf(j->fault, sizeof j->fault, "%d,000 km service, %s",
			 (v->mileage_km + 2500) / 5000 * 5,
			 demo_model_name(v->model));
	else if (texts[f].fault)
		snprintf(j->fault, sizeof j->fault, "%s", texts[f].fault);
	else
		snprintf(j->fault, sizeof j->fault, "inspection requested");
}

demo_job *demo_job_new(demo_gen *g, int vehicle, int kind, int day)
{
	if (g->n_jobs >= g->cap_jobs) {
		demo_fail(g, "generator: more than %zu jobs", g->cap_jobs);
		return NULL;
	}
	demo_job *j = &g->jobs[g->n_jobs++];
	memset(j, 0, sizeof *j);
	demo_docid(j->wo, sizeof j->wo, "WO2026-", (int)g->n_jobs, 5);
	j->vehicle = vehicle;
	j->kind = kind;
	j->advisor = pick_advisor(g, day);
	j->tech = -1;
	j->parts_day = -1;
	g->st.jobs++;
	return j;
}

/* Can every line not yet set aside be taken from free stock? */
int demo_lines_free(const demo_gen *g, const demo_job *j)
{
	for (int k = 0; k < j->n_lines; k++)
		if (j->held[k] == LINE_FREE &&
		    demo_free_milli(&g->parts[j->lines[k].part]) <
			j->lines[k].qty_milli)
			return 0;
	return 1;
}

/* Promise the lines to this job (committed until issued). */
void demo_hold_lines(demo_gen *g, demo_job *j)
{
	for (int k = 0; k < j->n_lines; k++)
		if (j->held[k] == LINE_FREE) {
			g->parts[j->lines[k].part].committed_milli +=
			    j->lines[k].qty_milli;
			j->held[k] = LINE_HELD;
		}
}

void demo_unhold_lines(demo_gen *g, demo_job *j)
{
	for (int k = 0; k < j->n_lines; k++)
		if (j->held[k] == LINE_HELD) {
			g->parts[j->lines[k].part].committed_milli -=
			    j->lines[k].qty_milli;
			j->held[k] = LINE_FREE;
		}
}

/* Order what is short on today's ad hoc plan (R-QUO-3, R-BKG-3); the
 * rest is held. Returns the number of short lines. */
int demo_order_short(demo_gen *g, demo_job *j, int day)
{
	int n = 0;
	for (int k = 0; k < j->n_lines; k++) {
		demo_part *p = &g->parts[j->lines[k].part];
		j->short_line[k] = 0;
		if (j->held[k] != LINE_FREE ||
		    demo_free_milli(p) >= j->lines[k].qty_milli)
			continue;
		j->short_line[k] = 1;
		demo_adhoc_add(g, j->lines[k].part, j->lines[k].qty_milli);
		n++;
	}
	if (n) {
		j->parts_day = day + 1;
		demo_hold_lines(g, j);
	}
	return n;
}

/* ---- reception, inspection, quote, signature -------------------------------
 */

static const struct {
	const char *area, *damage, *note;
} findings[] = {
    {"rear bumper left", "scratch", "20 cm, paint only"},
    {"windscreen", "chip", NULL},
    {"front right door", "dent", "coin-sized"},
    {"driver seat", "stain", NULL},
    {"rear right wheel", "scratch", "kerb rash"},
    {"bonnet", "chip", "stone chips"},
};

static const struct {
	const char *item;
	int count;
} valuables[] = {
    {"dash camera", 1}, {"umbrella", 1},       {"sunglasses", 1},
    {"child seat", 1},	{"charging cable", 2}, {"parking card", 1},
};

static void received_extras(demo_gen *g, demo_json *jb)
{
	if (demo_chance(&g->rng, 300)) {
		dj_arr(jb, "findings");
		for (int n = (int)demo_between(&g->rng, 1, 2); n > 0; n--) {
			size_t k = demo_pick(&g->rng, 6);
			dj_obj(jb);
			dj_str(jb, "area", findings[k].area);
			dj_str(jb, "damage", findings[k].damage);
			if (findings[k].note)
				dj_str(jb, "note", findings[k].note);
			dj_end(jb);
		}
		dj_end(jb);
	}
	if (demo_chance(&g->rng, 400)) {
		size_t k = demo_pick(&g->rng, 6);
		dj_arr(jb, "valuables");
		dj_obj(jb);
		dj_str(jb, "item", valuables[k].item);
		dj_int(jb, "count", valuables[k].count);
		dj_end(jb);
		dj_end(jb);
	}
}

static int front_desk(const demo_job *j)
{
	return j->kind == SVL_JOB_KIND_ACCIDENT ? ST_CLM : j->advisor;
}

static int desk_role(int who)
{
	return who == ST_CLM ? R(CLAIMS_SPECIALIST) : R(SERVICE_ADVISOR);
}

static void emit_received(demo_gen *g, demo_job *j, int64_t t)
{
	demo_vehicle *v = &g->veh[j->vehicle];
	int who = front_desk(j);
	v->mileage_km += (int32_t)demo_between(&g->rng, 300, 9000);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_str(jb, "customer_id", v->customer);
	dj_str(jb, "plate", v->plate);
	dj_str(jb, "vin", v->vin);
	dj_str(jb, "job_kind",
	       svl_event_type_get(SVL_T_VEHICLE_RECEIVED)
		   ->fields[SVL_F_VEHICLE_RECEIVED_JOB_KIND]
		   .enum_def->values[j->kind]);
	dj_int(jb, "mileage_km", v->mileage_km);
	dj_int(jb, "fuel_pct", demo_between(&g->rng, 10, 95));
	dj_int(jb, "covers_laid", 3); /* R-REC-1 */
	dj_bool(jb, "first_visit", v->visits == 0);
	dj_str(jb, "fault_description", j->fault);
	received_extras(g, jb);
	dj_int(jb, "est_amount_fen",
	       60000 + 1000 * demo_between(&g->rng, 0, 90));
	dj_int(jb, "est_ready_at_ms", demo_at(demo_day_of(t), 17, 30));
	dj_bool(jb, "customer_confirmed", 1);
	dj_bool(jb, "warranty_warning", demo_chance(&g->rng, 40));
	demo_emit(g, t, SVL_T_VEHICLE_RECEIVED, who, desk_role(who));
	v->visits++;
}

static void emit_inspection(demo_gen *g, const demo_job *j, int64_t t)
{
	static const char *const steps[7] = {"hood",
					     "plate_vin",
					     "engine_bay_fluids",
					     "body_walkaround",
					     "spare_tire",
					     "gauges_interior_electrics",
					     "valuables"};
	int f = j->n_lines
		    ? line_family(g, j,
				  j->n_lines > 1 &&
					  j->kind == SVL_JOB_KIND_MAINTENANCE
				      ? j->n_lines - 1
				      : 0)
		    : FAM_OIL_FILTER;
	int diag = j->kind == SVL_JOB_KIND_WARRANTY;
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_arr(jb, "checklist");
	for (int k = 0; k < 7; k++) { /* R-INS-1, in this order */
		dj_obj(jb);
		dj_str(jb, "step", steps[k]);
		dj_bool(jb, "ok", 1);
		dj_end(jb);
	}
	dj_end(jb);
	dj_str(jb, "diagnosis",
	       texts[f].diagnosis ? texts[f].diagnosis : "service items due");
	dj_bool(jb, "fault_reproduced", j->kind != SVL_JOB_KIND_MAINTENANCE);
	dj_bool(jb, "road_test", j->kind == SVL_JOB_KIND_REPAIR);
	if (diag)
		dj_str(jb, "instruments", "diagnostic scanner, multimeter");
	demo_emit(g, t, SVL_T_INSPECTION_RECORDED, diag ? ST_TD : j->advisor,
		  diag ? R(TECHNICAL_DIRECTOR) : R(SERVICE_ADVISOR));
}

static int quoter(const demo_job *j)
{
	return j->kind == SVL_JOB_KIND_ACCIDENT ||
		       j->kind == SVL_JOB_KIND_WARRANTY
		   ? ST_CLM
		   : j->advisor;
}

static int pick_tech(demo_gen *g, const demo_job *j, int day, int64_t from,
		     int64_t *start);

/* R-QUO-1: the promised time. The advisor asks the workshop when a
 * technician can start (tomorrow morning when the parts come then), and
 * adds the labour with a quarter's margin and an hour and a half for the
 * checks and the car's preparation. */
static int64_t promise(demo_gen *g, const demo_job *j, int64_t t)
{
	int64_t start = j->parts_day >= 0 ? demo_at(j->parts_day, 8, 45)
					  : t + 30 * DEMO_MIN_MS;
	int day = demo_day_of(start);
	int64_t free_at;
	if (pick_tech(g, j, day, start, &free_at) >= 0)
		start = free_at;
	if (start > demo_at(day, 16, 30))
		start = demo_at(day + 1, 8, 45);
	int64_t min = demo_job_hours_milli(g, j) * 60 / 1000 +
		      (j->kind == SVL_JOB_KIND_ACCIDENT ? 420 : 0);
	int64_t p = demo_shop_add(start, min * 5 / 4 + 90 +
					     demo_between(&g->rng, 0, 30));
	int64_t half = 30 * DEMO_MIN_MS;
	return (p - demo_day_ms(demo_day_of(p)) + half - 1) / half * half +
	       demo_day_ms(demo_day_of(p));
}

static void emit_quote(demo_gen *g, demo_job *j, int64_t t, const char *why)
{
	int who = quoter(j);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	if (why) {
		dj_int(jb, "revision", ++j->quote_rev);
		dj_str(jb, "reason", why);
	} else {
		j->quote_rev = 1;
	}
	int64_t total = demo_quote_lines(g, jb, j);
	dj_int(jb, "total_fen", total);
	dj_int(jb, "promised_at_ms", j->promised_ms);
	dj_bool(jb, "customer_agreed", 1);
	demo_emit(g, t, why ? SVL_T_QUOTE_REVISED : SVL_T_QUOTE_ISSUED, who,
		  desk_role(who));
}

static void emit_signed(demo_gen *g, demo_job *j, int64_t t)
{
	int who = quoter(j);
	demo_json *jb = dj_begin(g);
	dj_str(jb, "wo_id", j->wo);
	dj_int(jb, "quote_revision", j->quote_rev);
	dj_bool(jb, "customer_signed", 1);
	dj_int(jb, "total_fen",
	       demo_labor_fen(g, j) + demo_parts_fen(g, j) + j->materials_fen);
	dj_int(jb, "promised_at_ms", j->promised_ms);
	demo_emit(g, t, SVL_T_WORK_ORDER_CONFIRMED, who, desk_role(who));
	j->signed_ms = t;
}

/* R-QUO-2: at the counter the customer adds wiper blades: a revision,
 * agreed again before signing. */
static void maybe_revise(demo_gen *g, demo_job *j, int64_t t)
{
	if (j->kind != SVL_JOB_KIND_MAINTENANCE ||
	    j->n_lines >= DEMO_JOB_PARTS || !demo_chance(&g->rng, 50))
		return;
	int p = demo_part_of(g, FAM_WIPER, g->veh[j->vehicle].model);
	int before = j->n_lines;
	demo_add_line(j, p, 1000);
	if (j->n_lines == before)
		return;
	if (demo_free_milli(&g->parts[p]) < 1000) {
		j->n_lines--; /* none on the shelf: not offered */
		return;
	}
	g->parts[p].committed_milli += 1000;
	j->held[j->n_lines - 1] = LINE_HELD;
	emit_quote(g, j, t, "customer added wiper blades at the counter");
	g->st.revisions++;
}

/* Pick the technician free first (body and paint for accident jobs); 0
 * with *start, or -1 when nobody is. */
static int pick_tech(demo_gen *g, const demo_job *j, int day, int64_t from,
		     int64_t *start)
{
	int best = -1;
	for (int k = 0; k < DEMO_TECHS; k++) {
		int who = demo_tech(k);
		int body = who == ST_BP1 || who == ST_BP2;
		if (body != (j->kind == SVL_JOB_KIND_ACCIDENT) ||
		    !demo_on_staff(who, day) || !demo_on_staff(who, day + 3))
			continue;
		if (best < 0 || g->tech_free_ms[k] < g->tech_free_ms[best])
			best = k;
	}
	if (best < 0)
		return -1;
	*start = g->tech_free_ms[best] > from ? g->tech_free_ms[best] : from;
	return best;
}

/* Start the work now, or keep the car overnight when no technician can
 * start it before 16:30 (its parts stay promised to it). */
void demo_start_or_wait(demo_gen *g, demo_job *j, int day, int64_t from)
{
	int64_t start = 0;
	int k = pick_tech(g, j, day, from, &start);
	if (k < 0 || start > demo_at(day, 16, 30)) {
		demo_hold_lines(g, j);
		j->phase = JP_WAITING;
		j->start_day = day + 1;
		return;
	}
	j->tech = demo_tech(k);
	demo_work(g, j, start);
}

void demo_receive(demo_gen *g, demo_job *j, int64_t t, int day)
{
	emit_received(g, j, t);
	j->materials_fen = j->kind == SVL_JOB_KIND_ACCIDENT
			       ? 100 * demo_between(&g->rng, 300, 1500)
			   : demo_chance(&g->rng, 300) ? 1500
						       : 0;
	j->received_ms = t;
	t = demo_later(g, t, 8, 15);
	emit_inspection(g, j, t);
	int shrt = demo_order_short(g, j, day);
	g->st.waited_parts += shrt > 0;
	t = demo_later(g, t, 10, 20);
	j->promised_ms = promise(g, j, t);
	emit_quote(g, j, t, NULL);
	if (!shrt)
		maybe_revise(g, j, t = demo_later(g, t, 2, 5));
	emit_signed(g, j, t = demo_later(g, t, 4, 9));
	if (shrt) {
		j->phase = JP_WAITING;
		j->start_day = day + 1;
		return;
	}
	demo_start_or_wait(g, j, day, t + 10 * DEMO_MIN_MS);
}
