/*
 * money.c - money and quantities (money.h), and the public money
 * functions of svl_decide.h: the line value and the write-off split.
 *
 * The split keeps integer fen exact: each role's share is floored, the
 * company takes what is left, so the four shares always add up to the
 * total (R-WOF-6).
 */
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "svl_decide.h"

int64_t svl__div_round(svl_i128 a, svl_i128 b)
{
	if (b == 0)
		return 0;
	if (b < 0) {
		a = -a;
		b = -b;
	}
	svl_i128 q = a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
	return (int64_t)q;
}

int64_t svl__line_value_fen(int64_t qty_milli, int64_t unit_cost_fen)
{
	return svl__div_round((svl_i128)qty_milli * unit_cost_fen, 1000);
}

int64_t svl__unit_cost_fen(int64_t value_fen, int64_t qty_milli)
{
	return svl__div_round((svl_i128)value_fen * 1000, qty_milli);
}

const char *svl__fmt_qty(char *buf, size_t cap, int64_t qty_milli)
{
	int64_t whole = qty_milli / 1000, frac = qty_milli % 1000;
	const char *sign = "";
	if (qty_milli < 0) {
		sign = "-";
		whole = -whole;
		frac = -frac;
	}
	if (frac == 0)
		snprintf(buf, cap, "%s%lld", sign, (long long)whole);
	else if (frac % 100 == 0)
		snprintf(buf, cap, "%s%lld.%lld", sign, (long long)whole,
			 (long long)(frac / 100));
	else if (frac % 10 == 0)
		snprintf(buf, cap, "%s%lld.%02lld", sign, (long long)whole,
			 (long long)(frac / 10));
	else
		snprintf(buf, cap, "%s%lld.%03lld", sign, (long long)whole,
			 (long long)frac);
	return buf;
}

/* ---- the public forms (svl_decide.h) ---- */

int svl_line_value_fen(int64_t qty_milli, int64_t unit_cost_fen,
		       int64_t *out_fen)
{
	int64_t p;
	if (!out_fen || qty_milli < 0 || unit_cost_fen < 0)
		return SVL_EINVAL;
	/* the documented limit: the product and its half fen fit in 64 bits */
	if (__builtin_mul_overflow(qty_milli, unit_cost_fen, &p) ||
	    __builtin_add_overflow(p, 500, &p))
		return SVL_ELIMIT;
	*out_fen = svl__line_value_fen(qty_milli, unit_cost_fen);
	return SVL_OK;
}

int svl_writeoff_split(int64_t total_fen, const int32_t permille[4],
		       int64_t out_fen[4])
{
	if (!out_fen)
		return SVL_EINVAL;
	memset(out_fen, 0, 4 * sizeof out_fen[0]);
	if (!permille || total_fen < 0)
		return SVL_EINVAL;
	int64_t sum = 0;
	for (int k = 0; k < SVL_SPLIT_SHARES; k++) {
		if (permille[k] < 0)
			return SVL_EINVAL;
		sum += permille[k];
	}
	if (sum != 1000)
		return SVL_EINVAL;
	/* floor(total * p / 1000) without overflow: split total into
	 * thousands and a remainder (total <= INT64_MAX, p <= 1000). */
	int64_t hi = total_fen / 1000, lo = total_fen % 1000, rest = total_fen;
	for (int k = 1; k < SVL_SPLIT_SHARES; k++) {
		out_fen[k] = hi * permille[k] + lo * permille[k] / 1000;
		rest -= out_fen[k];
	}
	out_fen[SVL_SPLIT_COMPANY] = rest; /* the company takes the remainder */
	return SVL_OK;
}
