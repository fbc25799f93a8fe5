/*
 * test_money.c - model/money.c: the rounding division (half away from
 * zero, negatives too), line values and unit costs at the limits without
 * overflow, the write-off split (R-WOF-6: the shares always add up to the
 * total, the company bears the remainders) and quantity text.
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "fixture.h"
#include "money.h"
#include "svl_decide.h"
#include "svl_events.h"

Test(money, div_round_is_half_away_from_zero_on_negatives_too)
{
	static const struct {
		int64_t a, b, want;
	} rows[] = {
	    {5, 2, 3},	       {-5, 2, -3},	{5, -2, -3},
	    {-5, -2, 3},       {7, 2, 4},	{-7, 2, -4},
	    {1, 3, 0},	       {-1, 3, 0},	{2, 3, 1},
	    {-2, 3, -1},       {3, 2, 2},	{-3, 2, -2},
	    {4, 2, 2},	       {-4, 2, -2},	{1499, 1000, 1},
	    {-1499, 1000, -1}, {1500, 1000, 2}, {-1500, 1000, -2},
	    {0, 7, 0},	       {9, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_assert_eq(svl__div_round(rows[i].a, rows[i].b), rows[i].want,
			     "%lld / %lld gave %lld, want %lld",
			     (long long)rows[i].a, (long long)rows[i].b,
			     (long long)svl__div_round(rows[i].a, rows[i].b),
			     (long long)rows[i].want);
	/* symmetric: round(-x) == -round(x) */
	uint64_t seed = svl_test_seed(), st = seed;
	for (int i = 0; i < 10000; i++) {
		int64_t a = (int64_t)svl_test_below(&st, 2000000) - 1000000;
		int64_t b = 1 + (int64_t)svl_test_below(&st, 5000);
		cr_assert_eq(svl__div_round(-a, b), -svl__div_round(a, b),
			     "seed %llu: %lld / %lld", (unsigned long long)seed,
			     (long long)a, (long long)b);
	}
}

Test(money, line_value_rounds_half_away_from_zero)
{
	cr_assert_eq(svl__line_value_fen(1000, 182000), 182000);
	cr_assert_eq(svl__line_value_fen(1500, 3), 5);	 /* 4.5 */
	cr_assert_eq(svl__line_value_fen(-1500, 3), -5); /* a loss */
	cr_assert_eq(svl__line_value_fen(1, 499), 0);
	cr_assert_eq(svl__line_value_fen(1, 500), 1);
	cr_assert_eq(svl__line_value_fen(-1, 500), -1);
	cr_assert_eq(svl__line_value_fen(-1, 499), 0);
	cr_assert_eq(svl__line_value_fen(0, 123456), 0);
}

/* qty * cost passes 2^63 long before the value does: 1e9 units at 1e6
 * yuan each is 1e20 in the product, 1e17 fen in the value. */
Test(money, line_value_at_large_quantities_does_not_overflow)
{
	int64_t q = SVL_QTY_MILLI_MAX, cost = INT64_C(100000000); /* 1e6 yuan */
	cr_assert_eq(svl__line_value_fen(q, cost), INT64_C(100000000000000000));
	cr_assert_eq(svl__line_value_fen(-q, cost),
		     -INT64_C(100000000000000000));
	cr_assert_eq(svl__line_value_fen(INT64_MAX, 1000), INT64_MAX);
	cr_assert_eq(
	    svl__line_value_fen(INT64_MAX / 1000, 999),
	    (int64_t)(((svl_i128)(INT64_MAX / 1000) * 999 + 500) / 1000));
	/* the public form refuses what its own 64-bit contract cannot hold */
	int64_t v;
	cr_assert_eq(svl_line_value_fen(q, cost, &v), SVL_ELIMIT);
	cr_assert_eq(svl_line_value_fen(-1, 3, &v), SVL_EINVAL);
	cr_assert_eq(svl_line_value_fen(1, 3, NULL), SVL_EINVAL);
	/* and agrees with the model everywhere it answers */
	uint64_t seed = svl_test_seed(), st = seed;
	for (int i = 0; i < 10000; i++) {
		int64_t qq = (int64_t)svl_test_below(&st, 1000000000);
		int64_t cc = (int64_t)svl_test_below(&st, 100000000);
		cr_assert_eq(svl_line_value_fen(qq, cc, &v), SVL_OK);
		cr_assert_eq(v, svl__line_value_fen(qq, cc),
			     "seed %llu: %lld x %lld", (unsigned long long)seed,
			     (long long)qq, (long long)cc);
	}
}

Test(money, unit_cost_is_the_inverse_rounding)
{
	cr_assert_eq(svl__unit_cost_fen(100, 3000), 33); /* 33.33 */
	cr_assert_eq(svl__unit_cost_fen(5, 2000), 3);	 /* 2.5 */
	cr_assert_eq(svl__unit_cost_fen(-5, 2000), -3);
	cr_assert_eq(svl__unit_cost_fen(7, 0), 0);
	/* value * 1000 passes 2^63 on a huge card */
	cr_assert_eq(
	    svl__unit_cost_fen(INT64_C(100000000000000000), SVL_QTY_MILLI_MAX),
	    INT64_C(100000000));
}

static int64_t floor_share(int64_t total, int32_t permille)
{
	return (int64_t)((svl_i128)total * permille / 1000);
}

Test(money, split_shares_sum_to_the_total_R_WOF_6)
{
	static const int64_t totals[] = {
	    0, 1, 2, 3, 999, 1000, 1001, 1543600, INT64_MAX - 1, INT64_MAX};
	uint64_t seed = svl_test_seed(), st = seed;
	for (int i = 0; i < 2000; i++) {
		int32_t p[4];
		int64_t out[4];
		int64_t total =
		    i < 10 ? totals[i]
			   : (int64_t)svl_test_below(&st, INT64_C(1) << 62);
		/* seed split, then random permilles summing to 1000 */
		int32_t left = 1000;
		p[0] = 700;
		p[1] = p[2] = p[3] = 100;
		if (i % 2) {
			for (int k = 1; k < 4; k++) {
				p[k] = (int32_t)svl_test_below(
				    &st, (uint64_t)left + 1);
				left -= p[k];
			}
			p[0] = left;
		}
		cr_assert_eq(svl_writeoff_split(total, p, out), SVL_OK);
		int64_t sum = 0;
		for (int k = 0; k < 4; k++)
			sum += out[k];
		cr_assert_eq(sum, total, "seed %llu: %lld split into %lld",
			     (unsigned long long)seed, (long long)total,
			     (long long)sum);
		for (int k = 1; k < 4; k++)
			cr_assert_eq(out[k], floor_share(total, p[k]),
				     "seed %llu: share %d of %lld",
				     (unsigned long long)seed, k,
				     (long long)total);
		/* the company bears the remainders: under one fen a role */
		svl_i128 over =
		    (svl_i128)out[0] * 1000 - (svl_i128)total * p[0];
		cr_assert(over >= 0 && over < 3000,
			  "seed %llu: the company's remainder of %lld",
			  (unsigned long long)seed, (long long)total);
	}
}

Test(money, split_refuses_bad_input_with_zeroed_shares)
{
	static const int32_t seed_split[4] = {700, 100, 100, 100};
	static const int32_t bad_sum[4] = {700, 100, 100, 99};
	static const int32_t negative[4] = {1100, -100, 0, 0};
	int64_t out[4] = {1, 2, 3, 4};
	cr_assert_eq(svl_writeoff_split(-1, seed_split, out), SVL_EINVAL);
	cr_assert(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 0);
	cr_assert_eq(svl_writeoff_split(100, bad_sum, out), SVL_EINVAL);
	cr_assert_eq(svl_writeoff_split(100, negative, out), SVL_EINVAL);
	cr_assert_eq(svl_writeoff_split(100, NULL, out), SVL_EINVAL);
	cr_assert_eq(svl_writeoff_split(100, seed_split, NULL), SVL_EINVAL);
}

Test(money, quantities_read_as_people_write_them)
{
	static const struct {
		int64_t q;
		const char *want;
	} rows[] = {
	    {0, "0"},	       {1000, "1"},
	    {1500, "1.5"},     {250, "0.25"},
	    {1, "0.001"},      {10, "0.01"},
	    {120, "0.12"},     {-250, "-0.25"},
	    {-1001, "-1.001"}, {SVL_QTY_MILLI_MAX, "1000000000"},
	};
	char buf[32];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_assert_str_eq(svl__fmt_qty(buf, sizeof buf, rows[i].q),
				 rows[i].want);
}
