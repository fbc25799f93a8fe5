/*
 * chart.h - the department's figures drawn as SVG, once: a growable text
 * buffer, "nice" linear scales with their ticks, tick and value labels
 * written from the ledger's integers, and three charts (line with a
 * target, bar, stacked bar). Pure: no I/O, no clock, no locale, no
 * floating point, so the same input gives the same bytes on every machine
 * (the report that embeds these charts is compared byte for byte).
 *
 * Invariants:
 *   1. Every value a chart takes is an int64 in a unit the caller names
 *      (enum svl__chart_fmt) and lies within +-SVL__CHART_VALUE_MAX;
 *      every intermediate product is 128-bit, so nothing overflows.
 *   2. Coordinates are computed in tenths of a pixel (int64) and written
 *      as "123" or "123.4": no printf of a double anywhere.
 *   3. Every caller text is written through the one XML escaper
 *      (& < > " ' and control bytes; invalid UTF-8 becomes U+FFFD), so a
 *      chart is well-formed XML whatever its labels hold.
 *   4. A bar or stacked bar's value axis always contains zero (honest
 *      lengths). A line chart's axis contains zero unless the caller asks
 *      for a data-floored axis (zero_based = 0, for shares that move
 *      within a few percent); when that axis starts above zero the chart
 *      says so in a visible note after the units, "axis starts at 84.0%",
 *      and draws no zero line: its baseline is a grey grid line like the
 *      others, where a zero-based chart has a dark zero line.
 *   5. A chart with nothing to draw (no periods, no series, no present
 *      value) is still a chart: its frame, its title and "No data".
 *
 * Errors (one channel: the buffer keeps the first failure's code and a
 * one-line message, later writes are no-ops): SVL_EMISUSE for a NULL
 * spec or array the counts say exists; SVL_ELIMIT for a count or value
 * beyond the limits below, naming it, or an output that would pass
 * SVL__CHART_OUT_MAX; SVL_EINVAL for a value a chart cannot mean (a
 * negative share); SVL_ENOMEM when the buffer cannot grow. A chart checks
 * all of its input before it writes a byte; after a failure the buffer's
 * text is unspecified (but freeable).
 *
 * Colours are Okabe & Ito's colour-blind-safe palette; a breach is also
 * told by its shape (a ring with a cross), never by colour alone.
 */
#ifndef SVL_CHART_H
#define SVL_CHART_H

#include <stddef.h>
#include <stdint.h>

/* ---- limits: a count or value beyond one is refused, a text beyond one
 * is cut at a character and ends in U+2026 ------------------------------- */

/* |v| of every value, 1e13 yuan: ten times SVL_FEN_MAX, room for sums */
#define SVL__CHART_VALUE_MAX INT64_C(1000000000000000)
#define SVL__CHART_TICKS_MAX 12	   /* ticks an axis may have */
#define SVL__CHART_PERIODS_MAX 520 /* x positions of a line chart */
#define SVL__CHART_SERIES_MAX 7	   /* series or stack segments: palette size */
#define SVL__CHART_BARS_MAX 60	   /* bars of a bar or stacked bar chart */
#define SVL__CHART_LABEL_MAX 80	   /* bytes of a label kept (cut at a char) */
#define SVL__CHART_TEXT_MAX 400	   /* bytes of a title, units or source */
#define SVL__CHART_OUT_MAX (4u << 20) /* bytes one buffer may grow to */

/* ---- the output buffer -------------------------------------------------- */

/* A growable NUL-terminated text. Zero-initialise it (SVL__SBUF_INIT);
 * data is owned by the buffer until svl__sbuf_free. After the first
 * failure rc is negative, errmsg says why, and every later write does
 * nothing and returns rc: a writer checks once, at the end. */
typedef struct svl__sbuf {
	char *data;	  /* NULL until the first write; NUL-terminated after */
	size_t len;	  /* bytes written, without the NUL */
	size_t cap;	  /* bytes allocated */
	int rc;		  /* SVL_OK, or the first failure */
	char errmsg[160]; /* one line; "" while rc == SVL_OK */
	size_t max;	  /* bytes it may grow to; 0: SVL__CHART_OUT_MAX */
} svl__sbuf;

#define SVL__SBUF_INIT                                                         \
	{                                                                      \
		NULL, 0, 0, 0, "", 0                                           \
	}

/* Frees the text and resets the buffer to SVL__SBUF_INIT; NULL is a no-op. */
void svl__sbuf_free(svl__sbuf *b);

/* Appends n bytes of s (raw, not escaped). Returns b->rc. */
int svl__sbuf_put(svl__sbuf *b, const char *s, size_t n);

/* Appends printf-formatted text (raw, not escaped). Returns b->rc. */
int svl__sbuf_printf(svl__sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends at most max_bytes of s (cut at a character boundary, U+2026
 * added when cut) escaped for XML text and attribute values: & < > " ' as
 * entities, control bytes other than tab, CR and LF as U+FFFD, invalid
 * UTF-8 as U+FFFD. s NULL writes nothing. Returns b->rc. */
int svl__sbuf_put_xml(svl__sbuf *b, const char *s, size_t max_bytes);

/* Records a failure if none is recorded yet (first one wins). Returns the
 * recorded rc. */
int svl__sbuf_fail(svl__sbuf *b, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- numbers as text ---------------------------------------------------- */

/* The unit of a chart's values, which also says how they are written. */
enum svl__chart_fmt {
	SVL__CHART_COUNT = 0,	 /* 1234 -> "1,234" */
	SVL__CHART_PERMILLE = 1, /* 875 -> "87.5%" (always one decimal) */
	SVL__CHART_FEN = 2,	 /* 123456 -> "1,234.56" (always two) */
	SVL__CHART_YUAN = 3,	 /* fen as whole yuan: 123456 -> "1,235" */
};

/* Writes v in fmt into buf (cap >= 32: any int64 fits) and returns buf.
 * Thousands are grouped by ",", the decimal mark is "."; no locale. Yuan
 * round half away from zero (and never read "-0"). An unknown fmt writes
 * as SVL__CHART_COUNT. Use SVL__CHART_YUAN for axes of large amounts
 * (stock value): its ticks are whole yuan and its labels short. */
const char *svl__chart_fmt_value(char *buf, size_t cap, enum svl__chart_fmt fmt,
				 int64_t v);

/* ---- scales ------------------------------------------------------------- */

/* A linear scale from the nice domain [lo, hi] (lo < hi, both multiples
 * of step) to pixels; ticks at lo, lo + step, ..., hi. step is 1, 2, 2.5
 * or 5 times a power of ten and at least 1 (the values are integers, so
 * 2.5 only from 25 up). */
struct svl__scale {
	int64_t lo, hi, step;
	int n_ticks;		    /* (hi - lo) / step + 1, 2..max_ticks */
	int64_t px_lo_dp, px_hi_dp; /* where lo and hi land, tenths of a px */
};

/* Makes the nicest scale that holds [dmin, dmax], and zero too when
 * zero_based, with at most max_ticks ticks (3..SVL__CHART_TICKS_MAX: a
 * domain across zero needs three): the smallest step of the series 1, 2,
 * 5, 10, 20, 25, 50, ... that fits. A degenerate domain (dmin == dmax)
 * is widened by the format's unit (1 count, 1.0%, 1.00), never below 0
 * when the value is not negative; an all-zero one becomes [0, unit].
 * Pixels are mapped as px_lo_dp..px_hi_dp (y grows down, so a vertical
 * axis passes its bottom as px_lo_dp). Returns SVL_OK; SVL_EMISUSE for a
 * NULL out, dmin > dmax or max_ticks out of range; SVL_ELIMIT for a bound
 * beyond +-SVL__CHART_VALUE_MAX. */
int svl__scale_make(struct svl__scale *out, int64_t dmin, int64_t dmax,
		    int zero_based, int max_ticks, enum svl__chart_fmt fmt,
		    int64_t px_lo_dp, int64_t px_hi_dp);

/* Where v lands, in tenths of a pixel, rounded half away from zero;
 * values outside the domain extrapolate (callers keep them inside). */
int64_t svl__scale_px_dp(const struct svl__scale *s, int64_t v);

/* ---- charts ------------------------------------------------------------- */

enum svl__chart_size {
	SVL__CHART_FULL = 0,  /* viewBox 0 0 720 360 */
	SVL__CHART_SMALL = 1, /* viewBox 0 0 320 200: small multiples */
};

enum svl__chart_better {
	SVL__BETTER_HIGHER = 0, /* a point below the target breaches it */
	SVL__BETTER_LOWER = 1,	/* a point above the target breaches it */
};

/* The texts every chart has; each borrowed for the call only. title is
 * the heading and the accessible name; units says what the value axis
 * counts ("share of jobs reworked, %"); source says where the figures
 * come from ("ledger demo, seq 1..4,211, sealed 2026-11-30"). NULL is "". */
struct svl__chart_text {
	const char *title;
	const char *units;
	const char *source;
	/* the language of the chart's own words ("No data", "axis starts
	 * at", "target" and its accessible description): "zh-CN" (or any
	 * Chinese svl__lang_is_zh knows), else English (NULL) */
	const char *lang;
};

/* One line: values[i] at period i, present[i] == 0 for a period without a
 * value (the line breaks there); present NULL means all present. */
struct svl__chart_series {
	const char *name;
	const int64_t *values;
	const unsigned char *present;
};

struct svl__line_chart {
	struct svl__chart_text text;
	enum svl__chart_fmt fmt;
	enum svl__chart_size size;
	const char *const *x_labels; /* n_x period labels ("2026-W48") */
	size_t n_x;
	const struct svl__chart_series *series; /* n_series, each n_x long */
	size_t n_series;
	int has_target;		  /* 1: draw target, mark breaches */
	int64_t target;		  /* in fmt's unit */
	const char *target_label; /* "target 90.0%"; NULL: "target <value>" */
	enum svl__chart_better better;
	int zero_based; /* 1: axis holds zero; 0: may start at the data floor */
	int has_domain; /* 1: the axis also holds [domain_lo, domain_hi]: */
	int64_t domain_lo, domain_hi; /* the same axis for small multiples */
};

/* Draws c into out as one <svg> element: title, units, the value axis
 * with ticks and grid (the axis always holds the target, so its line is
 * never off the plot), period labels (thinned to 10 on a full chart, 4
 * on a small one), one polyline per run of present values with a dot per
 * point (its <title> the series, period and value, for hover), the target
 * as a dashed line with its label, every breaching point ringed and
 * crossed, a legend when there is more than one series, the source line.
 * The <desc> counts the breaches per series. Returns out->rc. */
int svl__chart_line(svl__sbuf *out, const struct svl__line_chart *c);

struct svl__bar_chart {
	struct svl__chart_text text;
	enum svl__chart_fmt fmt;
	enum svl__chart_size size;
	const char *const *labels; /* n category labels */
	const int64_t *values;	   /* n values; negative ones hang below 0 */
	size_t n;
};

/* Draws vertical bars from zero, each with its value written at its end
 * and its label below the axis; a zero line across. Returns out->rc. */
int svl__chart_bar(svl__sbuf *out, const struct svl__bar_chart *c);

struct svl__stack_chart {
	struct svl__chart_text text;
	enum svl__chart_fmt fmt; /* of values; the axis is % when as_share */
	enum svl__chart_size size;
	const char *const *bar_labels; /* n_bars */
	size_t n_bars;
	const char *const *segment_names; /* n_segments, bottom to top */
	size_t n_segments;
	const int64_t *values; /* n_bars * n_segments, bar by bar; >= 0 */
	int as_share;	       /* 1: each bar drawn as 100% of its total */
};

/* Draws one bar per bar_labels entry, stacked from its first segment up,
 * with a legend of the segments and each bar's total written on top (its
 * total in fmt even as_share). Segment edges are placed from running
 * sums, so the segments meet without gaps and a bar is exactly its total.
 * A negative value is SVL_EINVAL (a share is never negative). A bar whose
 * total is 0 is drawn empty. Returns out->rc. */
int svl__chart_stack(svl__sbuf *out, const struct svl__stack_chart *c);

/* A position in tenths of a pixel as SVG text ("123" or "123.4") into
 * buf (chart_text.c). */
const char *svl__chart_dp(char buf[24], int64_t dp);

#endif
