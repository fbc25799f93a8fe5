/*
 * decide_writeoff.c - writing parts off, and charging people for losses.
 *
 *   R-WOF-1  a write-off is for booked parts (on the book at their bin)
 *            that cannot be claimed, returned or repaired: all three
 *            statements are made.
 *   R-WOF-2  three appraisers agree: one service_manager, one
 *            claims_specialist, one parts_manager, three different people,
 *            each once; only then is it approved.
 *   R-WOF-3  if an appraiser finds the damage caused by people it is not
 *            written off: the approval is refused, the rejection says
 *            human_caused, and liability_charged events (claim not
 *            processed, misuse, poor storage) charge at most the value
 *            applied for.
 *   R-WOF-4  applied for after a closed quarterly full count, with a detail
 *            list of distinct part/bin lines; the approval carries exactly
 *            those lines.
 *   R-WOF-5  after approval the keeper holds the parts; disposal follows
 *            approval, never exceeds what was approved, and is approved
 *            by someone other than who records it: scrapping or a return
 *            to the maker by a parts manager or a manager above, a sale
 *            (recycled) by the service or general manager.
 *   R-WOF-6  the approved total is the sum of the line values (each
 *            qty_milli * unit_cost_fen / 1000, half up: svl_line_value_fen,
 *            model/money.c); the shares of the
 *            service manager, parts manager and keeper are charged as
 *            explicit liability_charged events (cause writeoff_share) of
 *            exactly svl_writeoff_split()'s amounts, each share once, to a
 *            person who held that role when the write-off was approved.
 *            The company's share is not an event: it is what remains.
 *
 * State: the wof- stream (request, appraisals, decision, disposals), the
 * charged person's staff stream for the shares, the part streams for the
 * book, and the stk- stream the request follows.
 */
#include "decide_int.h"

#define N_APPRAISERS 3

typedef struct appraisal {
	int done, agree, human;
	char actor[SVL_ACTOR_MAX + 1];
} appraisal;

typedef struct wof_state {
	const svl_event_view
	    *approval; /* proposed approval to compare, or NULL */
	int requested, approved, rejected, rejected_human;
	int64_t requested_fen;	   /* value of the lines applied for */
	int lines_equal;	   /* request lines == approval's lines */
	appraisal a[N_APPRAISERS]; /* service_manager, claims, parts_manager */
	int64_t approved_fen, approved_at_ms;
	int64_t human_charged_fen;
	int share_charged[SVL_SPLIT_SHARES];
	int bad_value; /* a line value overflowed */
} wof_state;

static int appraiser_slot(int role)
{
	switch (role) {
	case SVL_ROLE_SERVICE_MANAGER:
		return 0;
	case SVL_ROLE_CLAIMS_SPECIALIST:
		return 1;
	case SVL_ROLE_PARTS_MANAGER:
		return 2;
	default:
		return -1;
	}
}

static const int appraiser_role[N_APPRAISERS] = {SVL_ROLE_SERVICE_MANAGER,
						 SVL_ROLE_CLAIMS_SPECIALIST,
						 SVL_ROLE_PARTS_MANAGER};

/* Sum of line values; compare with the proposal's lines when asked. */
static void request_lines(wof_state *s, const svl_event_view *v)
{
	svl_event_array a, b;
	svl_value x[SVL_EVENT_SUBFIELDS_MAX], y[SVL_EVENT_SUBFIELDS_MAX];
	int cmp = s->approval != NULL;
	s->lines_equal = cmp;
	if (svl_event_array_begin(&a, v, SVL_F_WRITEOFF_REQUESTED_LINES) ||
	    (cmp && svl_event_array_begin(&b, s->approval,
					  SVL_F_WRITEOFF_APPROVED_LINES)))
		return;
	if (cmp && a.left != b.left)
		s->lines_equal = 0;
	while (svl_event_array_next(&a, x) == SVL_OK) {
		int64_t val;
		if (svl_line_value_fen(
			x[SVL_F_WRITEOFF_REQUESTED_LINES_QTY_MILLI].i,
			x[SVL_F_WRITEOFF_REQUESTED_LINES_UNIT_COST_FEN].i,
			&val) != SVL_OK)
			s->bad_value = 1;
		else
			s->requested_fen += val;
		if (!s->lines_equal || svl_event_array_next(&b, y) != SVL_OK)
			continue;
		s->lines_equal =
		    svl__veq(&x[SVL_F_WRITEOFF_REQUESTED_LINES_PART_NO],
			     &y[SVL_F_WRITEOFF_APPROVED_LINES_PART_NO]) &&
		    svl__veq(&x[SVL_F_WRITEOFF_REQUESTED_LINES_BIN],
			     &y[SVL_F_WRITEOFF_APPROVED_LINES_BIN]) &&
		    x[SVL_F_WRITEOFF_REQUESTED_LINES_QTY_MILLI].i ==
			y[SVL_F_WRITEOFF_APPROVED_LINES_QTY_MILLI].i &&
		    x[SVL_F_WRITEOFF_REQUESTED_LINES_UNIT_COST_FEN].i ==
			y[SVL_F_WRITEOFF_APPROVED_LINES_UNIT_COST_FEN].i;
	}
}

static void on_appraised(wof_state *s, const svl_record *r, const svl_value *x)
{
	int role = svl_role_find(r->role, r->role_len);
	int k = appraiser_slot(role);
	if (k < 0)
		return;
	svl_value who = {0, r->actor, (uint32_t)r->actor_len, 1};
	s->a[k].done = 1;
	s->a[k].agree = (int)x[SVL_F_WRITEOFF_APPRAISED_AGREE].i;
	s->a[k].human = (int)x[SVL_F_WRITEOFF_APPRAISED_HUMAN_CAUSED].i;
	svl__vcopy(s->a[k].actor, sizeof s->a[k].actor, &who);
}

static int wof_step(void *st, const svl_record *r, const svl_event_view *v)
{
	wof_state *s = st;
	const svl_value *x = v->v;
	switch (r->type) {
	case SVL_T_WRITEOFF_REQUESTED:
		s->requested = 1;
		request_lines(s, v);
		break;
	case SVL_T_WRITEOFF_APPRAISED:
		on_appraised(s, r, x);
		break;
	case SVL_T_WRITEOFF_APPROVED:
		s->approved = 1;
		s->approved_fen = x[SVL_F_WRITEOFF_APPROVED_TOTAL_FEN].i;
		s->approved_at_ms = r->occurred_at_ms;
		break;
	case SVL_T_WRITEOFF_REJECTED:
		s->rejected = 1;
		s->rejected_human =
		    (int)x[SVL_F_WRITEOFF_REJECTED_HUMAN_CAUSED].i;
		break;
	default:
		break;
	}
	return SVL_OK;
}

static int wof_fold(svl__dctx *c, const svl_value *wof, wof_state *s)
{
	memset(s, 0, sizeof *s);
	if (c->ev && c->ev->type == SVL_T_WRITEOFF_APPROVED)
		s->approval = &c->v;
	return svl__fold(c, "wof", wof, 0, wof_step, s);
}

static int refuse_state(svl__dctx *c, const svl_value *wof, const wof_state *s)
{
	return svl__refuse(c, "R-WOF-2", "write-off %.*s is %s", SVL__V(*wof),
			   !s->requested ? "not applied for"
			   : s->approved ? "already approved"
					 : "already rejected");
}

/* ---- the application (R-WOF-1, R-WOF-4) ---- */

static int check_eligible(svl__dctx *c)
{
	static const struct {
		uint32_t f;
		const char *what;
	} stmt[] = {
	    {SVL_F_WRITEOFF_REQUESTED_NOT_CLAIMABLE,
	     "can still be claimed under warranty: claim it"},
	    {SVL_F_WRITEOFF_REQUESTED_NOT_RETURNABLE,
	     "can still be returned to the supplier: return it"},
	    {SVL_F_WRITEOFF_REQUESTED_NOT_REPAIRABLE,
	     "can still be repaired: repair it"},
	};
	for (size_t k = 0; k < sizeof stmt / sizeof stmt[0]; k++)
		if (!SVL__F(c, stmt[k].f)->i)
			return svl__refuse(c, "R-WOF-1",
					   "write-off %.*s: the "
					   "part %s instead",
					   SVL__V(c->v.v[0]), stmt[k].what);
	return SVL_OK;
}

typedef struct stk_kind {
	int opened, closed, kind;
} stk_kind;

static int stk_step(void *st, const svl_record *r, const svl_event_view *v)
{
	stk_kind *s = st;
	if (r->type == SVL_T_STOCKTAKE_OPENED) {
		s->opened = 1;
		s->kind = (int)v->v[SVL_F_STOCKTAKE_OPENED_KIND].i;
	} else if (r->type == SVL_T_STOCKTAKE_CLOSED) {
		s->closed = 1;
	}
	return SVL_OK;
}

static int check_after_count(svl__dctx *c)
{
	const svl_value *stk = SVL__F(c, SVL_F_WRITEOFF_REQUESTED_STK_ID);
	stk_kind s = {0};
	if (!stk->present)
		return svl__refuse(c, "R-WOF-4",
				   "a write-off is applied for "
				   "after the quarterly full count: name it "
				   "(stk_id)");
	int rc = svl__fold(c, "stk", stk, 0, stk_step, &s);
	if (rc != SVL_OK)
		return rc;
	if (!s.opened || s.kind != SVL_STK_KIND_QUARTERLY_FULL || !s.closed)
		return svl__refuse(c, "R-WOF-4",
				   "stocktake %.*s is not a "
				   "closed quarterly full count; write-offs "
				   "are applied for after one",
				   SVL__V(*stk));
	return SVL_OK;
}

/* Each line: R-BIN-1, on the book (R-WOF-1), distinct (R-WOF-4). When
 * on_shelf, the parts must be sellable (approval takes them off it). */
static int check_lines(svl__dctx *c, uint32_t arr, int on_shelf)
{
	svl_event_array it, jt;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX], ol[SVL_EVENT_SUBFIELDS_MAX];
	char a[32];
	uint32_t i = 0;
	int rc = svl_event_array_begin(&it, &c->v, arr);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		svl__stock s;
		svl__stock_q q = {.bin =
				      &el[1]}; /* part_no, bin, qty: 0, 1, 2 */
		if ((rc = svl_event_array_begin(&jt, &c->v, arr)) != SVL_OK)
			return rc;
		for (uint32_t j = 0;
		     j < i && svl_event_array_next(&jt, ol) == SVL_OK; j++)
			if (svl__veq(&ol[0], &el[0]) &&
			    svl__veq(&ol[1], &el[1]))
				return svl__refuse(c, "R-WOF-4",
						   "part %.*s at "
						   "%.*s is listed twice; one "
						   "line per part and bin",
						   SVL__V(el[0]),
						   SVL__V(el[1]));
		i++;
		if ((rc = svl__stock_fold(c, &el[0], &q, &s)) != SVL_OK ||
		    (rc = svl__check_bin(c, &el[0], &el[1], &s)) != SVL_OK)
			return rc;
		int64_t have =
		    s.sellable_milli + (on_shelf ? 0 : s.quarantined_milli);
		if (el[2].i > have)
			return svl__refuse(
			    c, "R-WOF-1",
			    "only %s of part %.*s "
			    "are on the book at %.*s%s",
			    svl__fmt_qty(a, sizeof a, have > 0 ? have : 0),
			    SVL__V(el[0]), SVL__V(el[1]),
			    on_shelf ? " (release quarantined "
				       "parts to the write-off "
				       "first)"
				     : "");
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

_Static_assert(SVL_F_WRITEOFF_REQUESTED_LINES_PART_NO == 0 &&
		   SVL_F_WRITEOFF_REQUESTED_LINES_BIN == 1 &&
		   SVL_F_WRITEOFF_REQUESTED_LINES_QTY_MILLI == 2 &&
		   SVL_F_WRITEOFF_APPROVED_LINES_PART_NO == 0 &&
		   SVL_F_WRITEOFF_APPROVED_LINES_BIN == 1 &&
		   SVL_F_WRITEOFF_APPROVED_LINES_QTY_MILLI == 2 &&
		   SVL_F_WRITEOFF_DISPOSED_LINES_PART_NO == 0 &&
		   SVL_F_WRITEOFF_DISPOSED_LINES_BIN == 1 &&
		   SVL_F_WRITEOFF_DISPOSED_LINES_QTY_MILLI == 2,
	       "write-off lines are read by position");

static int decide_requested(svl__dctx *c, const wof_state *s)
{
	int rc;
	if (s->requested)
		return svl__refuse(c, "R-WOF-4",
				   "write-off %.*s is already "
				   "applied for",
				   SVL__V(c->v.v[0]));
	if ((rc = check_eligible(c)) != SVL_OK ||
	    (rc = check_after_count(c)) != SVL_OK)
		return rc;
	return check_lines(c, SVL_F_WRITEOFF_REQUESTED_LINES, 0);
}

/* ---- appraisal (R-WOF-2) ---- */

static int decide_appraised(svl__dctx *c, const wof_state *s)
{
	const svl_value *wof = &c->v.v[0];
	const svl_event_in *ev = c->ev;
	int k = appraiser_slot(c->role);
	if (!s->requested || s->approved || s->rejected)
		return refuse_state(c, wof, s);
	for (int j = 0; j < N_APPRAISERS; j++)
		if (s->a[j].done && strlen(s->a[j].actor) == ev->actor_len &&
		    !memcmp(s->a[j].actor, ev->actor, ev->actor_len))
			return svl__refuse(c, "R-WOF-2",
					   "%s already appraised "
					   "write-off %.*s as %s; three "
					   "different people appraise it",
					   s->a[j].actor, SVL__V(*wof),
					   svl_role_name(appraiser_role[j]));
	if (k >= 0 && s->a[k].done)
		return svl__refuse(c, "R-WOF-2",
				   "write-off %.*s is already "
				   "appraised as %s by %s",
				   SVL__V(*wof), svl_role_name(c->role),
				   s->a[k].actor);
	return SVL_OK;
}

/* ---- approval and rejection (R-WOF-2, R-WOF-3, R-WOF-4, R-WOF-6) ---- */

static int check_appraisals(svl__dctx *c, const wof_state *s)
{
	const svl_value *wof = &c->v.v[0];
	for (int j = 0; j < N_APPRAISERS; j++)
		if (!s->a[j].done)
			return svl__refuse(
			    c, "R-WOF-2",
			    "write-off %.*s lacks "
			    "the %s's appraisal; three appraisers "
			    "must agree",
			    SVL__V(*wof), svl_role_name(appraiser_role[j]));
	for (int j = 0; j < N_APPRAISERS; j++)
		if (s->a[j].human)
			return svl__refuse(
			    c, "R-WOF-3",
			    "%s found the damage "
			    "of %.*s caused by people: it is not "
			    "written off but charged to those "
			    "responsible",
			    s->a[j].actor, SVL__V(*wof));
	for (int j = 0; j < N_APPRAISERS; j++)
		if (!s->a[j].agree)
			return svl__refuse(c, "R-WOF-2",
					   "%s (%s) does not "
					   "agree to write-off %.*s; the three "
					   "appraisers must agree",
					   s->a[j].actor,
					   svl_role_name(appraiser_role[j]),
					   SVL__V(*wof));
	return SVL_OK;
}

static int decide_approved(svl__dctx *c, const wof_state *s)
{
	const svl_value *wof = &c->v.v[0];
	int64_t total = SVL__F(c, SVL_F_WRITEOFF_APPROVED_TOTAL_FEN)->i;
	int rc;
	if (!s->requested || s->approved || s->rejected)
		return refuse_state(c, wof, s);
	if ((rc = check_appraisals(c, s)) != SVL_OK)
		return rc;
	if (!s->lines_equal)
		return svl__refuse(c, "R-WOF-4",
				   "the approval of %.*s carries "
				   "exactly the lines applied for",
				   SVL__V(*wof));
	if (s->bad_value)
		return svl__invalid(c, "write-off %.*s: a line value overflows",
				    SVL__V(*wof));
	if (total != s->requested_fen)
		return svl__refuse(c, "R-WOF-6",
				   "the lines of %.*s are worth "
				   "%lld fen, not %lld; the split is taken on "
				   "the book value",
				   SVL__V(*wof), (long long)s->requested_fen,
				   (long long)total);
	return check_lines(c, SVL_F_WRITEOFF_APPROVED_LINES, 1);
}

static int decide_rejected(svl__dctx *c, const wof_state *s)
{
	const svl_value *wof = &c->v.v[0];
	if (!s->requested || s->approved || s->rejected)
		return refuse_state(c, wof, s);
	for (int j = 0; j < N_APPRAISERS; j++)
		if (s->a[j].done && s->a[j].human &&
		    !SVL__F(c, SVL_F_WRITEOFF_REJECTED_HUMAN_CAUSED)->i)
			return svl__refuse(c, "R-WOF-3",
					   "%s found the damage "
					   "of %.*s caused by people; the "
					   "rejection says so (human_caused) "
					   "and the loss is charged",
					   s->a[j].actor, SVL__V(*wof));
	return SVL_OK;
}

/* ---- disposal (R-WOF-5) ---- */

typedef struct dispose_fold {
	const svl_value *part, *bin;
	int64_t approved_milli, disposed_milli;
} dispose_fold;

static void sum_lines(dispose_fold *d, const svl_event_view *v, uint32_t arr,
		      int64_t *into)
{
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	if (svl_event_array_begin(&it, v, arr) != SVL_OK)
		return;
	while (svl_event_array_next(&it, el) == SVL_OK)
		if (svl__veq(&el[0], d->part) && svl__veq(&el[1], d->bin))
			*into += el[2].i;
}

static int dispose_step(void *st, const svl_record *r, const svl_event_view *v)
{
	dispose_fold *d = st;
	if (r->type == SVL_T_WRITEOFF_APPROVED)
		sum_lines(d, v, SVL_F_WRITEOFF_APPROVED_LINES,
			  &d->approved_milli);
	else if (r->type == SVL_T_WRITEOFF_DISPOSED)
		sum_lines(d, v, SVL_F_WRITEOFF_DISPOSED_LINES,
			  &d->disposed_milli);
	return SVL_OK;
}

/* R-WOF-5: the keeper may not throw written-off parts away or sell them
 * on their own (the seed: 不允许私自丢弃、变卖). Every disposal names who
 * approved it, another person than its recorder: scrapping or a return
 * to the maker by the parts manager or a manager above; a sale to a
 * recycler, which brings the company money, by the service manager or
 * the general manager. */
static int check_disposal_approver(svl__dctx *c)
{
	static const int any[] = {SVL_ROLE_PARTS_MANAGER,
				  SVL_ROLE_SERVICE_MANAGER,
				  SVL_ROLE_GENERAL_MANAGER};
	const svl_value *wof = &c->v.v[0];
	const svl_value *who = SVL__F(c, SVL_F_WRITEOFF_DISPOSED_APPROVER_ID);
	const svl_value *how = SVL__F(c, SVL_F_WRITEOFF_DISPOSED_METHOD);
	const svl_event_in *ev = c->ev;
	svl_value actor = {0, ev->actor, (uint32_t)ev->actor_len, 1};
	int sale = how->i == SVL_DISPOSAL_METHOD_RECYCLED;
	const char *approvers = sale ? "the service manager or the general "
				       "manager"
				     : "the parts manager, the service "
				       "manager or the general manager";
	char at[24];
	if (!who->present)
		return svl__refuse(c, "R-WOF-5",
				   "%.*s may not %s the parts held for "
				   "write-off %.*s on their own; %s approves "
				   "the disposal and is named on it "
				   "(approver_id)",
				   SVL__V(actor), sale ? "sell" : "dispose of",
				   SVL__V(*wof), approvers);
	if (svl__veq(who, &actor))
		return svl__refuse(c, "R-WOF-5",
				   "%.*s records the disposal of write-off "
				   "%.*s and cannot also approve it; %s "
				   "approves it",
				   SVL__V(actor), SVL__V(*wof), approvers);
	for (size_t k = sale ? 1 : 0; k < sizeof any / sizeof any[0]; k++) {
		int held;
		int rc = svl__role_held(c, who->s, who->len, any[k],
					ev->occurred_at_ms, &held, NULL, NULL);
		if (rc != SVL_OK || held)
			return rc;
	}
	return svl__refuse(c, "R-WOF-5",
			   "%.*s may not approve the %.*s disposal of "
			   "write-off %.*s at %s; %s approves it",
			   SVL__V(*who), SVL__V(*how), SVL__V(*wof),
			   svl__fmt_time(at, sizeof at, ev->occurred_at_ms,
					 c->rules->tz_offset_min),
			   approvers);
}

static int decide_disposed(svl__dctx *c, const wof_state *s)
{
	const svl_value *wof = &c->v.v[0];
	svl_event_array it;
	svl_value el[SVL_EVENT_SUBFIELDS_MAX];
	char a[32], b[32];
	if (!s->approved)
		return svl__refuse(c, "R-WOF-5",
				   "write-off %.*s is not "
				   "approved; the keeper holds the parts until "
				   "it is",
				   SVL__V(*wof));
	int rc = check_disposal_approver(c);
	if (rc == SVL_OK)
		rc = svl_event_array_begin(&it, &c->v,
					   SVL_F_WRITEOFF_DISPOSED_LINES);
	while (rc == SVL_OK && (rc = svl_event_array_next(&it, el)) == SVL_OK) {
		dispose_fold d = {&el[0], &el[1], 0, 0};
		if ((rc = svl__fold(c, "wof", wof, 0, dispose_step, &d)))
			return rc;
		if (d.disposed_milli + el[2].i > d.approved_milli)
			return svl__refuse(
			    c, "R-WOF-5",
			    "write-off %.*s holds "
			    "%s of part %.*s at %.*s, %s of it "
			    "already disposed of; no more leaves",
			    SVL__V(*wof),
			    svl__fmt_qty(a, sizeof a, d.approved_milli),
			    SVL__V(el[0]), SVL__V(el[1]),
			    svl__fmt_qty(b, sizeof b, d.disposed_milli));
	}
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- liability (R-WOF-3, R-WOF-6) ---- */

static const int share_role[SVL_SPLIT_SHARES] = {-1, SVL_ROLE_SERVICE_MANAGER,
						 SVL_ROLE_PARTS_MANAGER,
						 SVL_ROLE_WAREHOUSE_KEEPER};

int svl__writeoff_share_of(svl__dctx *c, const svl_value *wof,
			   const svl_value *staff, int *share,
			   int64_t *approved_fen)
{
	wof_state s;
	int rc = wof_fold(c, wof, &s);
	*share = 0;
	*approved_fen = s.approved_fen;
	if (rc != SVL_OK || !s.approved)
		return rc;
	for (int k = 1; k < SVL_SPLIT_SHARES; k++) {
		int held;
		rc = svl__role_held(c, staff->s, staff->len, share_role[k],
				    s.approved_at_ms, &held, NULL, NULL);
		if (rc != SVL_OK)
			return rc;
		if (held) {
			*share = k;
			return SVL_OK;
		}
	}
	return SVL_OK;
}

static int decide_share(svl__dctx *c, const svl_value *wof, const wof_state *s)
{
	const svl_value *staff = SVL__F(c, SVL_F_LIABILITY_CHARGED_STAFF_ID);
	int64_t amount = SVL__F(c, SVL_F_LIABILITY_CHARGED_AMOUNT_FEN)->i;
	int64_t split[SVL_SPLIT_SHARES], total;
	int share, charged;
	if (!s->approved)
		return svl__refuse(c, "R-WOF-6",
				   "write-off %.*s is not "
				   "approved; there is no loss to share",
				   SVL__V(*wof));
	int rc = svl__writeoff_share_of(c, wof, staff, &share, &total);
	if (rc != SVL_OK)
		return rc;
	if (share == 0)
		return svl__refuse(c, "R-WOF-6",
				   "%.*s was not the service "
				   "manager, parts manager or keeper when %.*s "
				   "was approved; only they bear a share",
				   SVL__V(*staff), SVL__V(*wof));
	if ((rc = svl__index_share_charged(c, wof, share, &charged)))
		return rc;
	if (charged)
		return svl__refuse(c, "R-WOF-6",
				   "the %s's share of %.*s is "
				   "already charged",
				   svl_role_name(share_role[share]),
				   SVL__V(*wof));
	if (svl_writeoff_split(total, c->rules->wof_split_permille, split))
		return svl__invalid(c, "write-off split permilles do not sum "
				       "to 1000");
	if (amount != split[share])
		return svl__refuse(c, "R-WOF-6",
				   "the %s's share of %.*s (%lld "
				   "fen) is %lld fen, not %lld",
				   svl_role_name(share_role[share]),
				   SVL__V(*wof), (long long)total,
				   (long long)split[share], (long long)amount);
	return SVL_OK;
}

static int is_human_cause(int64_t cause)
{
	return cause == SVL_LIABILITY_CAUSE_CLAIM_NOT_PROCESSED ||
	       cause == SVL_LIABILITY_CAUSE_TECHNICIAN_MISUSE ||
	       cause == SVL_LIABILITY_CAUSE_POOR_STORAGE;
}

static int decide_liability(svl__dctx *c, const wof_state *s)
{
	const svl_value *wof = SVL__F(c, SVL_F_LIABILITY_CHARGED_WOF_ID);
	int64_t cause = SVL__F(c, SVL_F_LIABILITY_CHARGED_CAUSE)->i;
	int64_t amount = SVL__F(c, SVL_F_LIABILITY_CHARGED_AMOUNT_FEN)->i;
	int64_t charged = 0;
	if (cause == SVL_LIABILITY_CAUSE_WRITEOFF_SHARE && !wof->present)
		return svl__refuse(c, "R-WOF-6",
				   "a write-off share names its "
				   "write-off (wof_id)");
	if (!wof->present)
		return SVL_OK;
	if (cause == SVL_LIABILITY_CAUSE_WRITEOFF_SHARE)
		return decide_share(c, wof, s);
	if (!is_human_cause(cause))
		return SVL_OK;
	if (!s->rejected_human)
		return svl__refuse(c, "R-WOF-3",
				   "write-off %.*s was not "
				   "rejected as caused by people; nothing is "
				   "charged for it",
				   SVL__V(*wof));
	int rc = svl__index_human_charged(c, wof, &charged);
	if (rc != SVL_OK)
		return rc;
	if (charged + amount > s->requested_fen)
		return svl__refuse(
		    c, "R-WOF-3",
		    "%.*s is worth %lld fen and "
		    "%lld fen are already charged; %lld fen more "
		    "is too much",
		    SVL__V(*wof), (long long)s->requested_fen,
		    (long long)charged, (long long)amount);
	return SVL_OK;
}

static int decide_tail(svl__dctx *c, const wof_state *s)
{
	return c->ev->type == SVL_T_WRITEOFF_DISPOSED ? decide_disposed(c, s)
						      : decide_liability(c, s);
}

int svl__decide_writeoff(svl__dctx *c)
{
	uint32_t t = c->ev->type;
	if (t < SVL_T_WRITEOFF_REQUESTED || t > SVL_T_LIABILITY_CHARGED)
		return SVL_OK;
	const svl_value *wof = t == SVL_T_LIABILITY_CHARGED
				   ? SVL__F(c, SVL_F_LIABILITY_CHARGED_WOF_ID)
				   : &c->v.v[0];
	wof_state s;
	int rc = wof->present ? wof_fold(c, wof, &s) : SVL_OK;
	if (!wof->present)
		memset(&s, 0, sizeof s);
	if (rc != SVL_OK)
		return rc;
	switch (t) {
	case SVL_T_WRITEOFF_REQUESTED:
		return decide_requested(c, &s);
	case SVL_T_WRITEOFF_APPRAISED:
		return decide_appraised(c, &s);
	case SVL_T_WRITEOFF_APPROVED:
		return decide_approved(c, &s);
	case SVL_T_WRITEOFF_REJECTED:
		return decide_rejected(c, &s);
	default:
		return decide_tail(c, &s);
	}
}
