/*
 * demo_world.c - the dealership before the quarter starts: its people,
 * its parts catalog with a bin for every part number, the opening
 * balances, and the customers' vehicles.
 *
 * The staff is the seed manual's staffing table (domain.md section 1):
 * manager 1; technical director 1 and workshop manager 1, each leading a
 * repair group; front desk supervisor 1, who also covers the vacant second
 * service-advisor post until it is filled on 1 September; customer
 * service 1; claims 1; parts manager 1; parts clerk (warehouse keeper) 1;
 * technicians 3, mid-level 3, junior 3 (one post vacant until 17 August;
 * a mid-level technician leaves on 16 September), body and paint 2. The
 * process also needs people outside the department: the general manager
 * (who appoints the service manager: the ledger's bootstrap, R-ROLE-3),
 * the purchaser (R-RCV-1 first acceptance), finance (R-STK-1 quarterly
 * count) and the cashier (R-SET-1).
 *
 * The world is drawn from a fixed seed (demo_gen.world), not from --seed:
 * part numbers, bins and vehicles stay the same from run to run, and only
 * the quarter's business changes with the seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

/* ---- staff -----------------------------------------------------------------
 */

#define R(x) SVL_ROLE_##x
#define AUG17 47
#define SEP01 62
#define SEP16 77

/* clang-format off: one row per line reads as a table */
static const demo_person staff[ST_N] = {
    [ST_GM] = {"G001", "Ma Jun", R(GENERAL_MANAGER), -1, -1, 0, 0},
    [ST_SM] = {"E001", "Chen Jianguo", R(SERVICE_MANAGER), -1, -1, 0, 0},
    [ST_TD] = {"E002", "Wang Hao", R(TECHNICAL_DIRECTOR), -1, -1, 0, 1},
    [ST_WM] = {"E003", "Liu Qiang", R(WORKSHOP_MANAGER), -1, -1, 0, 2},
    [ST_FDS] = {"E004", "Zhao Li", R(FRONT_DESK_SUPERVISOR), R(SERVICE_ADVISOR),
		-1, 0, 0},
    [ST_SA1] = {"E005", "Sun Yan", R(SERVICE_ADVISOR), -1, -1, 0, 0},
    [ST_CS] = {"E006", "Zhou Min", R(CUSTOMER_SERVICE), -1, -1, 0, 0},
    [ST_CLM] = {"E007", "Wu Jing", R(CLAIMS_SPECIALIST), -1, -1, 0, 0},
    [ST_PM] = {"E008", "Xu Gang", R(PARTS_MANAGER), -1, -1, 0, 0},
    [ST_WK] = {"E009", "Zhang Min", R(WAREHOUSE_KEEPER), -1, -1, 0, 0},
    [ST_T1] = {"E010", "Huang Wei", R(TECHNICIAN), -1, -1, 0, 1},
    [ST_T2] = {"E011", "Luo Bin", R(TECHNICIAN), -1, -1, 0, 1},
    [ST_T3] = {"E012", "Zheng Kai", R(TECHNICIAN), -1, -1, 0, 1},
    [ST_T4] = {"E013", "Feng Tao", R(TECHNICIAN), -1, -1, 0, 1},
    [ST_T5] = {"E014", "Deng Jie", R(TECHNICIAN), -1, -1, 0, 1},
    [ST_T6] = {"E015", "Cao Yong", R(TECHNICIAN), -1, -1, SEP16, 2},
    [ST_T7] = {"E016", "Peng Fei", R(TECHNICIAN), -1, -1, 0, 2},
    [ST_T8] = {"E017", "Xie Lei", R(TECHNICIAN), -1, -1, 0, 2},
    [ST_BP1] = {"E018", "Tang Hui", R(TECHNICIAN), -1, -1, 0, 2},
    [ST_BP2] = {"E019", "Han Dong", R(TECHNICIAN), -1, -1, 0, 2},
    [ST_T9] = {"E020", "Yu Chen", R(TECHNICIAN), -1, AUG17, 0, 2},
    [ST_SA2] = {"E021", "Gao Lin", R(SERVICE_ADVISOR), -1, SEP01, 0, 0},
    [ST_PUR] = {"P001", "Lin Tao", R(PURCHASER), -1, -1, 0, 0},
    [ST_FIN] = {"F001", "Huang Lei", R(FINANCE), -1, -1, 0, 0},
    [ST_CASH] = {"F002", "He Fang", R(CASHIER), -1, -1, 0, 0},
};
/* clang-format on */

const demo_person *demo_person_get(int who)
{
	return &staff[who];
}

int demo_tech(int k)
{
	return ST_T1 + k;
}

int demo_on_staff(int who, int day)
{
	const demo_person *p = &staff[who];
	return day >= p->from_day && (p->until_day == 0 || day < p->until_day);
}

static void assign(demo_gen *g, int who, int role, int by, int64_t at)
{
	const demo_person *p = &staff[who];
	demo_json *j = dj_begin(g);
	dj_str(j, "staff_id", p->id);
	dj_str(j, "role", svl_role_name(role));
	dj_int(j, "from_at_ms", demo_day_ms(p->from_day));
	dj_str(j, "name", p->name);
	demo_emit(g, at, SVL_T_STAFF_ROLE_ASSIGNED, by, staff[by].role);
}

/* The appointments: the general manager first (an empty ledger accepts its
 * first manager), who appoints the service manager, who appoints the rest;
 * later starters on their first day, the leaver's end on his last. */
static void appoint_staff(demo_gen *g)
{
	int64_t t = demo_at(-1, 8, 0);
	assign(g, ST_GM, R(GENERAL_MANAGER), ST_GM, t);
	assign(g, ST_SM, R(SERVICE_MANAGER), ST_GM, t + DEMO_MIN_MS);
	for (int who = ST_TD; who < ST_N; who++) {
		const demo_person *p = &staff[who];
		int64_t at = p->from_day < 0 ? t + (who + 1) * DEMO_MIN_MS
					     : demo_at(p->from_day, 8, 5);
		assign(g, who, p->role, ST_SM, at);
		if (p->role2 >= 0)
			assign(g, who, p->role2, ST_SM, at + 30000);
		if (p->until_day == 0)
			continue;
		demo_json *j = dj_begin(g);
		dj_str(j, "staff_id", p->id);
		dj_str(j, "role", svl_role_name(p->role));
		dj_int(j, "until_at_ms", demo_day_ms(p->until_day));
		dj_str(j, "reason", "resigned; last shift on the day before");
		demo_emit(g, demo_at(p->until_day - 1, 18, 30),
			  SVL_T_STAFF_ROLE_REVOKED, ST_SM, R(SERVICE_MANAGER));
	}
}

/* ---- the catalog -----------------------------------------------------------
 */

static const char *const model_names[DEMO_MODELS] = {
    "Camry", "Corolla", "RAV4",	   "Highlander", "Levin",
    "C-HR",  "Prado",	"Yaris L", "Crown"};
/* share of the fleet, percent */
static const int model_share[DEMO_MODELS] = {20, 17, 16, 10, 12, 8, 6, 7, 4};
static const int oil_of[DEMO_MODELS] = {
    FAM_OIL_0W20, FAM_OIL_0W16, FAM_OIL_0W20, FAM_OIL_5W30, FAM_OIL_0W16,
    FAM_OIL_0W20, FAM_OIL_5W30, FAM_OIL_0W16, FAM_OIL_0W20};
static const int64_t oil_milli[DEMO_MODELS] = {4500, 4200, 4500, 5700, 4200,
					       4300, 6500, 3800, 4800};

typedef struct fam_def {
	const char *name, *code, *unit;
	int per_model, use;
	int cost_yuan;
	int64_t qty_milli; /* one job's quantity */
	int per_mille;	   /* of the jobs of its use that take it */
	int supplier, bulky;
	const char *variants; /* "|"-separated, families for every model */
} fam_def;

#define PM 1 /* one part number per model */
#define ALL 0

/* clang-format off: one row per line reads as a table */
static const fam_def fams[FAM_N] = {
    [FAM_OIL_FILTER] = {"oil filter", "90915", "piece", PM, USE_MAINT, 45, 1000,
			1000, 0, 0, NULL},
    [FAM_AIR_FILTER] = {"air filter", "17801", "piece", PM, USE_MAINT_OPT, 88,
			1000, 350, 0, 0, NULL},
    [FAM_CABIN_FILTER] = {"cabin air filter", "87139", "piece", PM,
			  USE_MAINT_OPT, 96, 1000, 300, 0, 0, NULL},
    [FAM_SPARK_PLUG] = {"spark plug", "90919", "piece", PM, USE_MAINT_OPT, 72,
			4000, 70, 0, 0, NULL},
    [FAM_WIPER] = {"wiper blade set", "85222", "set", PM, USE_MAINT_OPT, 118,
		   1000, 90, 0, 0, NULL},
    [FAM_FUEL_FILTER] = {"fuel filter", "23300", "piece", PM, USE_MAINT_OPT,
			 135, 1000, 50, 0, 0, NULL},
    [FAM_PAD_FRONT] = {"front brake pads", "04465", "set", PM, USE_REPAIR, 420,
		       1000, 230, 0, 0, NULL},
    [FAM_PAD_REAR] = {"rear brake pads", "04466", "set", PM, USE_REPAIR, 360,
		      1000, 140, 0, 0, NULL},
    [FAM_DISC_FRONT] = {"front brake disc", "43512", "piece", PM, USE_REPAIR,
			610, 2000, 70, 0, 1, NULL},
    [FAM_DISC_REAR] = {"rear brake disc", "42431", "piece", PM, USE_REPAIR, 540,
		       2000, 40, 0, 1, NULL},
    [FAM_BELT] = {"drive belt", "90916", "piece", PM, USE_REPAIR, 265, 1000, 80,
		  0, 0, NULL},
    [FAM_SHOCK] = {"front shock absorber", "48510", "piece", PM, USE_REPAIR,
		   860, 2000, 60, 0, 1, NULL},
    [FAM_ARM] = {"front lower control arm", "48068", "piece", PM, USE_REPAIR,
		 740, 1000, 50, 0, 1, NULL},
    [FAM_LINK] = {"stabilizer link", "48820", "piece", PM, USE_REPAIR, 180,
		  2000, 60, 0, 0, NULL},
    [FAM_THERMOSTAT] = {"thermostat", "16031", "piece", PM, USE_REPAIR, 260,
			1000, 40, 0, 0, NULL},
    [FAM_COIL] = {"ignition coil", "90080", "piece", PM, USE_REPAIR, 390, 1000,
		  50, 0, 0, NULL},
    [FAM_WATER_PUMP] = {"water pump", "16100", "piece", PM, USE_WARRANTY, 1120,
			1000, 200, 0, 0, NULL},
    [FAM_O2_SENSOR] = {"oxygen sensor", "89465", "piece", PM, USE_WARRANTY, 690,
		       1000, 250, 0, 0, NULL},
    [FAM_ABS_SENSOR] = {"ABS wheel speed sensor", "89542", "piece", PM,
			USE_WARRANTY, 410, 1000, 250, 0, 0, NULL},
    [FAM_REGULATOR] = {"window regulator", "69801", "piece", PM, USE_WARRANTY,
		       620, 1000, 200, 0, 0, NULL},
    [FAM_COMPRESSOR] = {"A/C compressor", "88310", "piece", PM, USE_WARRANTY,
			3650, 1000, 100, 0, 1, NULL},
    [FAM_BUMPER] = {"front bumper cover", "52119", "piece", PM, USE_BODY, 1780,
		    1000, 400, 0, 1, NULL},
    [FAM_REAR_BUMPER] = {"rear bumper cover", "52159", "piece", PM, USE_BODY,
			 1620, 1000, 250, 0, 1, NULL},
    [FAM_HEADLAMP] = {"headlamp assembly", "81145", "piece", PM, USE_BODY, 2580,
		      1000, 250, 0, 1, NULL},
    [FAM_TAIL_LAMP] = {"tail lamp assembly", "81551", "piece", PM, USE_BODY,
		       1340, 1000, 200, 0, 1, NULL},
    [FAM_MIRROR] = {"door mirror", "87910", "piece", PM, USE_BODY, 960, 1000,
		    250, 0, 0, NULL},
    [FAM_FENDER] = {"front fender", "53811", "piece", PM, USE_BODY, 1210, 1000,
		    200, 0, 1, NULL},
    [FAM_GRILLE] = {"radiator grille", "53111", "piece", PM, USE_BODY, 540,
		    1000, 150, 0, 1, NULL},
    [FAM_OIL_0W20] = {"engine oil", "08880", "litre", ALL, USE_NONE, 62, 0, 0,
		      1, 0, "0W-20 SP"},
    [FAM_OIL_5W30] = {"engine oil", "08880", "litre", ALL, USE_NONE, 56, 0, 0,
		      1, 0, "5W-30 SN"},
    [FAM_OIL_0W16] = {"engine oil", "08880", "litre", ALL, USE_NONE, 66, 0, 0,
		      1, 0, "0W-16 SP"},
    [FAM_BRAKE_FLUID] = {"brake fluid", "08823", "litre", ALL, USE_MAINT_OPT,
			 86, 1000, 100, 1, 0, "DOT 4"},
    [FAM_COOLANT] = {"long life coolant", "08889", "litre", ALL, USE_MAINT_OPT,
		     38, 2000, 80, 1, 0, "super LLC"},
    [FAM_ATF] = {"automatic transmission fluid", "08886", "litre", ALL,
		 USE_REPAIR, 95, 4000, 50, 1, 0, "WS"},
    [FAM_GASKET] = {"drain plug gasket", "90430", "piece", PM, USE_MAINT, 3,
		    1000, 1000, 0, 0, NULL},
    [FAM_WASHER] = {"washer fluid", "08885", "litre", ALL, USE_MAINT_OPT, 12,
		    2000, 150, 1, 0, "all season"},
    [FAM_BATTERY] = {"battery", "28800", "piece", ALL, USE_REPAIR, 620, 1000,
		     140, 2, 1, "55B24L|80D26L|H6 70Ah"},
    [FAM_BULB] = {"bulb", "90981", "piece", ALL, USE_REPAIR, 35, 1000, 120, 0,
		  0, "H11|H4|W5W|P21W|D4S"},
    [FAM_TYRE] = {"tyre", "42611", "piece", ALL, USE_REPAIR, 780, 2000, 160, 3,
		  1, "205/55R16|215/55R17|225/65R17|235/55R19"},
    [FAM_OBSOLETE] =
	{"", "52119", "piece", ALL, USE_NONE, 0, 1000, 0, 0, 1,
	 "front bumper cover, Previa 2014|headlamp assembly, Previa 2014|tail "
	 "lamp assembly, Reiz 2013|door trim panel, Reiz 2013|wheel cap, Vios "
	 "2012|radiator grille, Previa 2014"},
};
/* clang-format on */

static const int obsolete_cost_yuan[] = {1820, 2410, 1150, 680, 95, 520};

static const demo_supplier suppliers[DEMO_SUPPLIERS] = {{"SUP-GZ-TOYOTA", 0},
							{"SUP-GZ-LUBE", 0},
							{"SUP-FS-BATTERY", 0},
							{"SUP-SZ-TYRE", 1}};

const demo_supplier *demo_supplier_get(int k)
{
	return &suppliers[k];
}

int demo_family_count(void)
{
	return FAM_N;
}

const char *demo_family_name(int f)
{
	return fams[f].name;
}

int demo_family_use(int f)
{
	return fams[f].use;
}

int demo_oil_family(int model)
{
	return oil_of[model];
}

const char *demo_model_name(int m)
{
	return m >= 0 && m < DEMO_MODELS ? model_names[m] : "";
}

int64_t demo_oil_milli(int model)
{
	return oil_milli[model];
}

int demo_part_for(const demo_gen *g, int family, int model)
{
	for (size_t k = 0; k < g->n_parts; k++) {
		const demo_part *p = &g->parts[k];
		if (p->family == family && (p->model == model || p->model < 0))
			return (int)k;
	}
	return -1;
}

/* Share (permille) of the quarter's jobs that are of a use's kind. */
static int use_share(int use)
{
	switch (use) {
	case USE_MAINT:
	case USE_MAINT_OPT:
		return 570;
	case USE_REPAIR:
		return 290;
	case USE_WARRANTY:
		return 95;
	case USE_BODY:
		return 45;
	default:
		return 0;
	}
}

#define JOBS_PER_WEEK 205

/* Expected units a week, in thousandths, for a part of family f fitting
 * model m (or every model: -1, spread over the variants). */
static int64_t weekly_milli(int f, int m, int variants)
{
	const fam_def *x = &fams[f];
	int64_t share = m >= 0 ? model_share[m] : 100 / variants;
	int64_t qty = x->qty_milli, rate = x->per_mille;
	if (f == FAM_OIL_0W20 || f == FAM_OIL_5W30 || f == FAM_OIL_0W16) {
		/* oil: every maintenance job of the models taking the grade */
		share = 0;
		for (int k = 0; k < DEMO_MODELS; k++)
			if (oil_of[k] == f)
				share += model_share[k];
		qty = 4800;
		rate = 1000;
		return JOBS_PER_WEEK * 560 / 1000 * share * qty / 100;
	}
	return JOBS_PER_WEEK * use_share(x->use) / 1000 * rate / 1000 * share *
	       qty / 100;
}

static void set_levels(demo_gen *g, demo_part *p, int variants)
{
	int64_t week = weekly_milli(p->family, p->model, variants);
	int64_t unit = p->std_qty_milli > 1000 && p->family != FAM_TYRE
			   ? 1000
			   : p->std_qty_milli;
	int64_t target = week * 5 / 2 + 2 * unit;
	int64_t reorder = week * 3 / 2 + unit;
	if (p->use == USE_NONE && p->family == FAM_OBSOLETE) {
		target = reorder = 0;
	}
	/* whole units, as goods come */
	p->target_milli = (target + 999) / 1000 * 1000;
	p->reorder_milli = (reorder + 999) / 1000 * 1000;
	int64_t open = p->target_milli * demo_between(&g->world, 70, 110) / 100;
	if (p->family == FAM_OBSOLETE)
		open = demo_between(&g->world, 1, 4) * 1000;
	p->book_milli = p->phys_milli = (open + 999) / 1000 * 1000;
}

static const char alnum[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

static void part_number(demo_gen *g, demo_part *p, const char *code)
{
	for (int tries = 0; tries < 100; tries++) {
		char suffix[6];
		for (int i = 0; i < 5; i++)
			suffix[i] =
			    alnum[demo_pick(&g->world, sizeof alnum - 1)];
		suffix[5] = '\0';
		snprintf(p->no, sizeof p->no, "%.5s-%s", code, suffix);
		int dup = 0;
		for (size_t k = 0; k < g->n_parts && !dup; k++)
			dup = strcmp(g->parts[k].no, p->no) == 0;
		if (!dup)
			return;
	}
}

/* Bins: small parts in warehouse W1 racks A01.., bulky ones in W2 racks
 * C01..; 5 shelves of 8 positions each, filled in catalog order. */
static void bin_for(demo_part *p, int *next_small, int *next_bulky, int bulky)
{
	int *n = bulky ? next_bulky : next_small;
	unsigned k = (unsigned)(*n)++ % 3200; /* 80 racks: far more than used */
	snprintf(p->bin, sizeof p->bin, "%s-%c%02u-%u-%02u",
		 bulky ? "W2" : "W1", bulky ? 'C' : 'A', k / 40 + 1,
		 k / 8 % 5 + 1, k % 8 + 1);
}

static void variant_name(const char *list, int k, char *out, size_t cap)
{
	const char *s = list;
	for (int i = 0; i < k && s; i++)
		if ((s = strchr(s, '|')))
			s++;
	size_t n = s ? strcspn(s, "|") : 0;
	snprintf(out, cap, "%.*s", (int)n, s ? s : "");
}

static int count_variants(const char *list)
{
	int n = 1;
	for (const char *s = list; s && *s; s++)
		n += *s == '|';
	return n;
}

static void add_part(demo_gen *g, int f, int model, int variant, int *bins)
{
	const fam_def *x = &fams[f];
	demo_part *p = &g->parts[g->n_parts];
	char v[64];
	memset(p, 0, sizeof *p);
	p->family = f;
	p->model = model;
	p->use = x->use;
	p->unit = x->unit;
	p->supplier = x->supplier;
	p->std_qty_milli = x->qty_milli;
	p->moved_day = -1;
	int64_t cost = x->cost_yuan;
	if (model >= 0) {
		cost = cost * (85 + 5 * model % 40) / 100;
		snprintf(p->name, sizeof p->name, "%s, %s", x->name,
			 model_names[model]);
	} else if (f == FAM_OBSOLETE) {
		variant_name(x->variants, variant, v, sizeof v);
		cost = obsolete_cost_yuan[variant];
		snprintf(p->name, sizeof p->name, "%.47s", v);
	} else {
		variant_name(x->variants, variant, v, sizeof v);
		cost = cost * (100 + 12 * variant) / 100;
		snprintf(p->name, sizeof p->name, "%.30s %.16s", x->name, v);
	}
	p->cost_fen = cost * 100;
	p->price_fen = cost * 140 / 100 * 100; /* a 40% markup, whole yuan */
	part_number(g, p, x->code);
	bin_for(p, &bins[0], &bins[1], x->bulky);
	g->n_parts++;
	set_levels(g, p, model >= 0 ? 1 : count_variants(x->variants));
}

static int build_catalog(demo_gen *g)
{
	int bins[2] = {0, 0};
	g->parts = calloc(400, sizeof *g->parts);
	if (!g->parts)
		return -1;
	for (int f = 0; f < FAM_N; f++) {
		if (fams[f].per_model) {
			for (int m = 0; m < DEMO_MODELS; m++)
				add_part(g, f, m, 0, bins);
			continue;
		}
		int nv = count_variants(fams[f].variants);
		for (int v = 0; v < nv; v++)
			add_part(g, f, -1, v, bins);
	}
	return 0;
}

/* Every part gets its bin (R-BIN-1) and its opening balance, carried over
 * from the previous system (shelved without a purchase order). */
static void open_catalog(demo_gen *g)
{
	int64_t t = demo_at(-1, 10, 0);
	for (size_t k = 0; k < g->n_parts; k++) {
		demo_part *p = &g->parts[k];
		demo_json *j = dj_begin(g);
		dj_str(j, "part_no", p->no);
		dj_str(j, "bin", p->bin);
		dj_str(j, "description", p->name);
		dj_str(j, "unit", p->unit);
		demo_emit(g, t, SVL_T_BIN_ASSIGNED, ST_WK, R(WAREHOUSE_KEEPER));
		if (p->book_milli > 0) {
			j = dj_begin(g);
			dj_str(j, "part_no", p->no);
			dj_str(j, "bin", p->bin);
			dj_int(j, "qty_milli", p->book_milli);
			dj_int(j, "unit_cost_fen", p->cost_fen);
			demo_emit(g, t + 30000, SVL_T_PARTS_SHELVED, ST_WK,
				  R(WAREHOUSE_KEEPER));
		}
		t += 60000;
	}
}

/* ---- vehicles -------------------------------------------------------------
 */

#define N_VEHICLES 5200

static const char *const surnames[] = {
    "Wang",  "Li",  "Zhang", "Liu",  "Chen", "Yang",  "Huang",
    "Zhao",  "Wu",  "Zhou",  "Xu",   "Sun",  "Ma",    "Zhu",
    "Hu",    "Guo", "He",    "Lin",  "Luo",  "Liang", "Song",
    "Zheng", "Xie", "Han",   "Tang", "Feng", "Deng",  "Cao"};
static const char *const given[] = {
    "Wei",  "Fang", "Na",      "Min",  "Jing", "Li",   "Qiang",
    "Lei",  "Jun",  "Yang",    "Yong", "Yan",  "Jie",  "Tao",
    "Ming", "Chao", "Xiuying", "Hua",  "Ping", "Gang", "Hui",
    "Xin",  "Bo",   "Lan",     "Peng", "Rui",  "Yu",   "Hao"};

static void make_vehicle(demo_gen *g, demo_vehicle *v, int k)
{
	demo_rng *r = &g->world;
	char plate[8];
	static const char vin_chars[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
	v->model = (int)demo_weighted(r, model_share, DEMO_MODELS);
	snprintf(v->customer, sizeof v->customer, "C-%05d", 10001 + k);
	/* one draw per statement, so that every compiler draws in this
	 * order (arguments have none) */
	size_t given_i = demo_pick(r, sizeof given / sizeof *given);
	size_t surname_i = demo_pick(r, sizeof surnames / sizeof *surnames);
	snprintf(v->owner, sizeof v->owner, "%s %s", surnames[surname_i],
		 given[given_i]);
	int tail = (int)demo_between(r, 0, 9999);
	int mid = (int)demo_between(r, 0, 9999);
	int net = (int)demo_between(r, 0, 9);
	snprintf(v->phone, sizeof v->phone, "+86 13%d %04d %04d", net, mid,
		 tail);
	for (int i = 0; i < 5; i++)
		plate[i] = alnum[demo_pick(r, sizeof alnum - 1)];
	plate[5] = '\0';
	snprintf(v->plate, sizeof v->plate,
		 "\xe7\xb2\xa4"
		 "B\xc2\xb7%s",
		 plate);
	snprintf(v->vin, sizeof v->vin, "LVG%c", 'A' + v->model);
	for (int i = 4; i < 17; i++)
		v->vin[i] = vin_chars[demo_pick(r, sizeof vin_chars - 1)];
	v->vin[17] = '\0';
	v->last_day = -1000;
	v->mileage_km = (int32_t)demo_between(r, 3000, 160000);
	v->visits = (uint8_t)(demo_chance(r, 850) ? demo_between(r, 1, 9) : 0);
	v->bad_phone = (uint8_t)demo_chance(r, 30);
}

int demo_vehicle_pick(demo_gen *g, int day)
{
	for (int tries = 0; tries < 64; tries++) {
		size_t k = demo_pick(&g->rng, g->n_veh);
		if (g->veh[k].last_day < day - 40)
			return (int)k;
	}
	size_t start = demo_pick(&g->rng, g->n_veh);
	for (size_t i = 0; i < g->n_veh; i++) {
		size_t k = (start + i) % g->n_veh;
		if (g->veh[k].last_day < day - 40)
			return (int)k;
	}
	return (int)start;
}

int demo_world(demo_gen *g)
{
	g->veh = calloc(N_VEHICLES, sizeof *g->veh);
	g->cap_jobs = (size_t)(g->days + 12) * 64; /* never moved: jobs are
						    * pointed at while new
						    * ones are made */
	g->jobs = calloc(g->cap_jobs, sizeof *g->jobs);
	if (!g->veh || !g->jobs || build_catalog(g) != 0)
		return -1;
	g->n_veh = N_VEHICLES;
	for (int k = 0; k < N_VEHICLES; k++)
		make_vehicle(g, &g->veh[k], k);
	appoint_staff(g);
	open_catalog(g);
	return 0;
}

int demo_family_permille(int f)
{
	return fams[f].per_mille;
}

int64_t demo_family_qty(int f)
{
	return fams[f].qty_milli;
}

const char *demo_family_code(int f)
{
	return fams[f].code;
}
