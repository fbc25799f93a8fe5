/*
 * report.c - svl_report_write: the page's frame (head, style, contents,
 * foot), the ledger's head and proofs, and the shapes the sections share.
 * The sections themselves live beside it (report_int.h lists them).
 *
 * The page is built whole in one buffer and only then handed to the sink:
 * a failure half-way leaves the caller nothing, never half a page.
 *
 * Determinism: nothing here reads a clock, the locale or the environment.
 * "Generated at" is the ledger's own clock unless the caller gives one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "fail.h"
#include "figures_int.h"
#include "msgcat.h"
#include "report_int.h"
#include "svl_trust.h"

#define RPT_PAGE_MAX ((size_t)64 << 20)
#define RPT_TEXT_MAX 4096 /* bytes of one ledger text shown */

static const char *const rt_en[] = {
#define RT(id, en, zh) en,
#include "report_text.def"
#undef RT
};
static const char *const rt_zh[] = {
#define RT(id, en, zh) zh,
#include "report_text.def"
#undef RT
};

const char *svl__rpt_lang(const svl__rpt *r)
{
	return r->zh ? "zh-CN" : "en";
}

const char *svl__rpt_t(const svl__rpt *r, enum svl__rt id)
{
	if ((unsigned)id >= SVL__RT__COUNT)
		return "";
	return (r->zh ? rt_zh : rt_en)[id];
}

/* ---- enum labels: the catalog's names, and their Chinese --------------- */

typedef struct enum_label {
	const char *name, *en, *zh;
} enum_label;

/* The values the page shows, as words (Chinese: docs/glossary.md). */
static const enum_label enum_labels[] = {
    {"phone", "phone", "电话"},
    {"followup_call", "follow-up call", "回访中"},
    {"on_site", "on site", "现场"},
    {"letter", "letter", "信函"},
    {"email", "e-mail", "电子邮件"},
    {"website", "website", "官网"},
    {"media_forum", "media or forum", "媒体或论坛"},
    {"wechat", "WeChat", "微信"},
    {"government", "government", "政府部门"},
    {"grumble", "grumble", "抱怨"},
    {"general", "general", "一般"},
    {"medium", "medium", "中等"},
    {"severe", "severe", "严重"},
    {"service", "service", "售后管理"},
    {"workshop", "workshop", "车间"},
    {"front_desk", "front desk", "前台"},
    {"parts", "parts", "配件"},
    {"claims", "claims", "索赔"},
    {"reached", "reached", "已接通"},
    {"busy", "busy", "占线"},
    {"switched_off", "switched off", "关机"},
    {"voicemail", "voicemail", "语音信箱"},
    {"driving", "driving", "客户开车中"},
    {"call_later", "call later", "稍后再打"},
    {"no_answer", "no answer", "无人接听"},
    {"wrong_number", "wrong number", "号码错误"},
    {"details_mismatch", "details mismatch", "信息不符"},
    {"refused", "refused", "拒绝回访"},
    {"daily_spot", "daily spot count", "每日抽盘"},
    {"monthly_full", "monthly full count", "月度全盘"},
    {"quarterly_full", "quarterly full count", "季度全盘"},
};

const char *svl__rpt_enum(const svl__rpt *r, uint32_t type, uint32_t field,
			  int v)
{
	const svl_event_type *t = svl_event_type_get(type);
	const svl_enum_def *e =
	    t && field < t->n_fields ? t->fields[field].enum_def : NULL;
	if (!e || v < 0 || (uint32_t)v >= e->n)
		return "-";
	const char *name = e->values[v];
	for (size_t i = 0; i < sizeof enum_labels / sizeof *enum_labels; i++)
		if (!strcmp(enum_labels[i].name, name))
			return r->zh ? enum_labels[i].zh : enum_labels[i].en;
	return name;
}

/* ---- shapes ------------------------------------------------------------- */

void svl__rpt_raw(svl__rpt *r, const char *s)
{
	svl__sbuf_put(r->out, s, strlen(s));
}

void svl__rpt_esc(svl__rpt *r, const char *s)
{
	if (!s || !*s) {
		svl__rpt_raw(r, "-");
		return;
	}
	/* '_' reads as a space in an enum name; ids keep theirs */
	svl__sbuf_put_xml(r->out, s, RPT_TEXT_MAX);
}

void svl__rpt_num(svl__rpt *r, enum svl__chart_fmt fmt, int64_t v)
{
	char buf[32];
	svl__rpt_raw(r, svl__chart_fmt_value(buf, sizeof buf, fmt, v));
}

void svl__rpt_qty(svl__rpt *r, int64_t milli)
{
	char buf[32];
	uint64_t a = milli < 0 ? 0 - (uint64_t)milli : (uint64_t)milli;
	unsigned frac = (unsigned)(a % 1000);
	if (milli < 0)
		svl__rpt_raw(r, "-");
	svl__rpt_raw(r, svl__chart_fmt_value(buf, sizeof buf, SVL__CHART_COUNT,
					     (int64_t)(a / 1000)));
	if (frac) {
		int digits = 3;
		while (frac % 10 == 0)
			frac /= 10, digits--;
		svl__sbuf_printf(r->out, ".%0*u", digits, frac);
	}
}

void svl__rpt_time(svl__rpt *r, int64_t at_ms)
{
	char buf[32];
	svl__rpt_raw(r, at_ms ? svl__fmt_time(buf, sizeof buf, at_ms, r->tz)
			      : "-");
}

void svl__rpt_day(svl__rpt *r, int64_t at_ms)
{
	char buf[16];
	svl__rpt_raw(
	    r, svl__fmt_day(buf, sizeof buf, svl__local_day(at_ms, r->tz)));
}

void svl__rpt_section(svl__rpt *r, const char *id, const char *attrs,
		      enum svl__rt title, enum svl__rt lead)
{
	svl__sbuf_printf(r->out, "<section id=\"%s\"%s%s>\n<h2>", id,
			 attrs ? " " : "", attrs ? attrs : "");
	svl__rpt_raw(r, svl__rpt_t(r, title));
	svl__rpt_raw(r, "</h2>\n");
	if (lead != SVL__RT__COUNT) {
		svl__rpt_raw(r, "<p class=\"lead\">");
		svl__rpt_raw(r, svl__rpt_t(r, lead));
		svl__rpt_raw(r, "</p>\n");
	}
}

void svl__rpt_section_end(svl__rpt *r)
{
	svl__rpt_raw(r, "</section>\n");
}

void svl__rpt_h3(svl__rpt *r, enum svl__rt title)
{
	svl__rpt_raw(r, "<h3>");
	svl__rpt_raw(r, svl__rpt_t(r, title));
	svl__rpt_raw(r, "</h3>\n");
}

void svl__rpt_note(svl__rpt *r, enum svl__rt text)
{
	svl__rpt_raw(r, "<p class=\"note\">");
	svl__rpt_raw(r, svl__rpt_t(r, text));
	svl__rpt_raw(r, "</p>\n");
}

void svl__rpt_tile(svl__rpt *r, enum svl__rt label, enum svl__chart_fmt fmt,
		   int64_t v, int present, int state)
{
	static const char *const cls[] = {"", " met", " missed"};
	svl__sbuf_printf(r->out, "<div class=\"tile%s\"><span class=\"v\">",
			 cls[state]);
	if (present)
		svl__rpt_num(r, fmt, v);
	else
		svl__rpt_raw(r, "-");
	svl__rpt_raw(r, "</span><span class=\"l\">");
	svl__rpt_raw(r, svl__rpt_t(r, label));
	svl__rpt_raw(r, "</span>");
	if (state) {
		svl__rpt_raw(r, "<span class=\"s\">");
		svl__rpt_raw(r,
			     svl__rpt_t(r, state == 1 ? SVL__RT_TARGET_MET
						      : SVL__RT_TARGET_MISSED));
		svl__rpt_raw(r, "</span>");
	}
	svl__rpt_raw(r, "</div>\n");
}

void svl__rpt_table(svl__rpt *r, const char *cls, const char *attrs,
		    const enum svl__rt *heads, size_t n, unsigned text_cols)
{
	svl__sbuf_printf(
	    r->out, "<div class=\"tw\"><table class=\"%s\"%s%s><thead><tr>",
	    cls, attrs ? " " : "", attrs ? attrs : "");
	for (size_t i = 0; i < n; i++) {
		svl__rpt_raw(r, i < 32 && (text_cols >> i & 1u)
				    ? "<th>"
				    : "<th class=\"n\">");
		svl__rpt_raw(r, svl__rpt_t(r, heads[i]));
		svl__rpt_raw(r, "</th>");
	}
	svl__rpt_raw(r, "</tr></thead>\n<tbody>\n");
}

void svl__rpt_table_end(svl__rpt *r)
{
	svl__rpt_raw(r, "</tbody></table></div>\n");
}

void svl__rpt_td(svl__rpt *r, enum svl__chart_fmt fmt, int64_t v, int present)
{
	svl__rpt_raw(r, "<td class=\"n\">");
	if (present)
		svl__rpt_num(r, fmt, v);
	else
		svl__rpt_raw(r, "-");
	svl__rpt_raw(r, "</td>");
}

void svl__rpt_td_text(svl__rpt *r, const char *s)
{
	svl__rpt_raw(r, "<td>");
	svl__rpt_esc(r, s);
	svl__rpt_raw(r, "</td>");
}

const char *svl__rpt_source(const svl__rpt *r, enum svl__rt what, char *buf,
			    size_t cap)
{
	char seq[32];
	snprintf(buf, cap, "%s, %s, %s %.8s, %s %s", svl__rpt_t(r, what),
		 r->period_label, r->zh ? "台账" : "ledger", r->ledger_hex,
		 svl__rpt_t(r, SVL__RT_HEAD_SEQ),
		 svl__chart_fmt_value(seq, sizeof seq, SVL__CHART_COUNT,
				      (int64_t)r->head.seq));
	return buf;
}

void svl__rpt_fig(svl__rpt *r, int small)
{
	svl__rpt_raw(r, small ? "<figure class=\"chart small\">"
			      : "<figure class=\"chart\">");
}

void svl__rpt_fig_end(svl__rpt *r)
{
	svl__rpt_raw(r, "</figure>\n");
}

struct svl__chart_text
svl__rpt_chart_text(const svl__rpt *r, enum svl__rt title, enum svl__rt units,
		    enum svl__rt what, char *src, size_t cap)
{
	struct svl__chart_text t = {svl__rpt_t(r, title), svl__rpt_t(r, units),
				    svl__rpt_source(r, what, src, cap),
				    svl__rpt_lang(r)};
	return t;
}

int svl__rpt_bars(svl__rpt *r, enum svl__rt title, enum svl__rt units,
		  enum svl__rt what, enum svl__chart_fmt fmt,
		  const char *const *labels, const int64_t *values, size_t n)
{
	char src[200];
	struct svl__bar_chart b = {
	    svl__rpt_chart_text(r, title, units, what, src, sizeof src),
	    fmt,
	    SVL__CHART_FULL,
	    labels,
	    values,
	    n < SVL__CHART_BARS_MAX ? n : SVL__CHART_BARS_MAX};
	svl__rpt_fig(r, 0);
	int rc = svl__chart_bar(r->out, &b);
	svl__rpt_fig_end(r);
	return rc;
}

int svl__rpt_stacks(svl__rpt *r, enum svl__rt title, enum svl__rt units,
		    enum svl__rt what, enum svl__chart_fmt fmt,
		    const char *const *bars, size_t n_bars,
		    const char *const *segs, size_t n_segs,
		    const int64_t *values)
{
	char src[200];
	struct svl__stack_chart c = {
	    svl__rpt_chart_text(r, title, units, what, src, sizeof src),
	    fmt,
	    SVL__CHART_FULL,
	    bars,
	    n_bars,
	    segs,
	    n_segs,
	    values,
	    0};
	svl__rpt_fig(r, 0);
	int rc = svl__chart_stack(r->out, &c);
	svl__rpt_fig_end(r);
	return rc;
}

int32_t svl__rpt_ratio(int64_t num, int64_t den, int64_t scale)
{
	if (den <= 0)
		return SVL_METRICS_NONE;
	return (int32_t)((num * scale + den / 2) / den);
}

/* A text of the table with its parameters, escaped. */
static void rpt_textf(svl__rpt *r, enum svl__rt id, const char *const *p,
		      size_t n)
{
	char buf[1024];
	if (svl__msg_render(svl__rpt_t(r, id), p, n, buf, sizeof buf) < 0)
		buf[0] = '\0';
	svl__rpt_esc(r, buf);
}

/* ---- the head ------------------------------------------------------------ */

static void hex(char *out, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static void head_dt(svl__rpt *r, enum svl__rt label)
{
	svl__rpt_raw(r, "<dt>");
	svl__rpt_raw(r, svl__rpt_t(r, label));
	svl__rpt_raw(r, "</dt>");
}

static void head_seals(svl__rpt *r, const svl_trust_report *tr)
{
	char a[32], b[32], c[32], d[32];
	head_dt(r, SVL__RT_SEALS);
	svl__sbuf_printf(r->out, "<dd id=\"seals\" data-ok=\"%d\">", tr->ok);
	if (!tr->ok) {
		const char *p[] = {tr->problem};
		svl__rpt_raw(r, "<strong class=\"bad\">");
		rpt_textf(r, SVL__RT_SEALS_BAD, p, 1);
		svl__rpt_raw(r, "</strong>");
	} else if (!tr->seals) {
		svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_SEALS_NONE));
	} else {
		const char *p[] = {
		    svl__chart_fmt_value(a, sizeof a, SVL__CHART_COUNT,
					 (int64_t)tr->seals),
		    svl__chart_fmt_value(b, sizeof b, SVL__CHART_COUNT,
					 (int64_t)tr->sealed_through),
		    svl__fmt_time(c, sizeof c, tr->last_sealed_at_ms, r->tz),
		    tr->last_sealed_by,
		    svl__chart_fmt_value(d, sizeof d, SVL__CHART_COUNT,
					 (int64_t)tr->signatures)};
		rpt_textf(r, SVL__RT_SEALS_OK, p, 5);
		if (tr->sealed_through < r->head.seq) {
			svl__rpt_raw(r, "; ");
			svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_UNSEALED));
			svl__rpt_raw(r, ": ");
			svl__rpt_num(
			    r, SVL__CHART_COUNT,
			    (int64_t)(r->head.seq - tr->sealed_through));
		}
	}
	svl__rpt_raw(r, "</dd>\n");
}

int svl__rpt_head(svl__rpt *r)
{
	svl_verify_report vr;
	svl_trust_report tr;
	int rc = svl_log_verify(r->log, &vr);
	if (rc == SVL_OK)
		rc = svl_trust_check(r->log, &tr);
	if (rc != SVL_OK)
		return rc;
	char hash[2 * SVL_HASH_SIZE + 1], n[32], rules_hash[33], off[8];
	hex(hash, r->head.hash, SVL_HASH_SIZE);
	hex(rules_hash, r->rules.hash, 16);

	svl__rpt_section(r, "head", NULL, SVL__RT_S_HEAD, SVL__RT_S_HEAD_LEAD);
	svl__rpt_raw(r, "<dl class=\"head\">\n");
	head_dt(r, SVL__RT_LEDGER_ID);
	svl__sbuf_printf(r->out, "<dd id=\"ledger-id\"><code>%s</code></dd>\n",
			 r->ledger_hex);
	head_dt(r, SVL__RT_HEAD);
	svl__sbuf_printf(
	    r->out, "<dd>%s <span id=\"head-seq\" data-value=\"%llu\">",
	    svl__rpt_t(r, SVL__RT_HEAD_SEQ), (unsigned long long)r->head.seq);
	svl__rpt_num(r, SVL__CHART_COUNT, (int64_t)r->head.seq);
	svl__sbuf_printf(r->out,
			 "</span>, %s <code id=\"head-hash\">%s</code></dd>\n",
			 svl__rpt_t(r, SVL__RT_HEAD_HASH), hash);
	head_dt(r, SVL__RT_VERIFY);
	svl__sbuf_printf(r->out, "<dd id=\"verify\" data-ok=\"%d\">", vr.ok);
	if (vr.ok) {
		const char *p[] = {svl__chart_fmt_value(
		    n, sizeof n, SVL__CHART_COUNT, (int64_t)vr.events)};
		rpt_textf(r, SVL__RT_VERIFY_OK, p, 1);
	} else {
		char seq[32];
		snprintf(seq, sizeof seq, "%llu",
			 (unsigned long long)vr.bad_seq);
		const char *p[] = {seq, vr.detail};
		svl__rpt_raw(r, "<strong class=\"bad\">");
		rpt_textf(r, SVL__RT_VERIFY_BAD, p, 2);
		svl__rpt_raw(r, "</strong>");
	}
	svl__rpt_raw(r, "</dd>\n");
	head_seals(r, &tr);
	head_dt(r, SVL__RT_RULES);
	svl__rpt_raw(r, "<dd id=\"rules\">");
	svl__rpt_esc(r, r->rules.id);
	svl__sbuf_printf(r->out, " <code>%.16s</code>, %s %s</dd>\n",
			 rules_hash, svl__rpt_t(r, SVL__RT_RULES_TZ),
			 svl__fmt_offset(off, sizeof off, r->tz));
	head_dt(r, SVL__RT_PERIOD);
	svl__rpt_raw(r, "<dd id=\"period\">");
	svl__rpt_esc(r, r->period_label);
	svl__rpt_raw(r, "</dd>\n");
	head_dt(r, SVL__RT_GENERATED);
	svl__rpt_raw(r, "<dd id=\"generated\">");
	svl__rpt_time(r, r->generated_at_ms);
	svl__rpt_raw(r, " ");
	svl__rpt_esc(r, svl__fmt_offset(off, sizeof off, r->tz));
	svl__rpt_raw(r, "</dd>\n</dl>\n");
	svl__rpt_section_end(r);
	return r->out->rc;
}

/* ---- the page's frame ------------------------------------------------------
 */

/* The look: one column, system fonts, charts in a grid; on paper A4 with
 * each section starting a page and no chart split across two. */
static const char page_style[] =
    ":root{--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;--met:#007a5a;"
    "--miss:#b34700}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1180px;padding:24px;color:var(--ink);"
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans',"
    "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 6px;"
    "border-bottom:2px solid var(--ink);padding-bottom:4px}"
    "h3{font-size:15px;margin:20px 0 6px}\n"
    ".sub{color:var(--mute);margin:0 0 16px}.lead,.note{color:var(--mute);"
    "max-width:880px}\n"
    "nav ol{columns:2;margin:0 0 8px;padding-left:20px}\n"
    "dl.head{display:grid;grid-template-columns:max-content 1fr;"
    "gap:4px 16px}dl.head dt{font-weight:600}dl.head dd{margin:0}\n"
    "code{font:12px/1.4 ui-monospace,'DejaVu Sans Mono',monospace;"
    "word-break:break-all}\n"
    ".bad{color:var(--miss)}\n"
    ".tiles{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 12px}\n"
    ".tile{border:1px solid var(--line);border-radius:6px;padding:8px 12px;"
    "min-width:130px}.tile .v{display:block;font-size:22px;"
    "font-weight:600}.tile .l{display:block;color:var(--mute)}"
    ".tile .s{display:block;font-size:12px;font-weight:600}"
    ".tile.met .s{color:var(--met)}.tile.missed{border-color:var(--miss)}"
    ".tile.missed .s{color:var(--miss)}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(300px,1fr));gap:8px}\n"
    "figure.chart{margin:8px 0}figure.chart svg{width:100%;height:auto;"
    "max-width:720px;display:block}figure.small svg{max-width:380px}\n"
    ".tw{max-width:100%;overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}\n"
    "th,td{padding:3px 8px;border-bottom:1px solid var(--line);"
    "text-align:left;vertical-align:top}th{font-weight:600}\n"
    "th.n,td.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "td.met{color:var(--met)}td.missed{color:var(--miss);font-weight:600}\n"
    "tr.total td{font-weight:600;border-top:2px solid var(--ink)}\n"
    "td small{color:var(--mute)}td:first-child{white-space:nowrap}\n"
    "footer{margin-top:32px;color:var(--mute);font-size:12px}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:11px}"
    ".tw{overflow:visible}"
    "nav{display:none}section{break-before:page}section#head"
    "{break-before:auto}figure,table,.tiles{break-inside:avoid}"
    "h2,h3{break-after:avoid}.grid{grid-template-columns:repeat(3,1fr)}"
    "a{color:inherit;text-decoration:none}}\n";

static const struct {
	const char *id;
	enum svl__rt title;
} page_sections[] = {
    {"head", SVL__RT_S_HEAD},	  {"kpi", SVL__RT_S_KPI},
    {"followup", SVL__RT_S_FU},	  {"complaints", SVL__RT_S_CMP},
    {"stock", SVL__RT_S_STOCK},	  {"stocktake", SVL__RT_S_STK},
    {"writeoffs", SVL__RT_S_WOF}, {"wip", SVL__RT_S_WIP},
};

static void page_open(svl__rpt *r)
{
	svl__sbuf_printf(r->out,
			 "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
			 "<meta charset=\"utf-8\"/>\n"
			 "<meta http-equiv=\"Content-Security-Policy\" "
			 "content=\"default-src 'none'; style-src "
			 "'unsafe-inline'; img-src data:\"/>\n"
			 "<meta name=\"viewport\" content=\"width=device-width,"
			 "initial-scale=1\"/>\n<title>",
			 r->zh ? "zh-CN" : "en");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_TITLE));
	svl__rpt_raw(r, " ");
	svl__rpt_esc(r, r->period_label);
	svl__rpt_raw(r, "</title>\n<style>\n");
	svl__rpt_raw(r, page_style);
	svl__rpt_raw(r, "</style>\n</head>\n<body>\n<header><h1>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_TITLE));
	svl__rpt_raw(r, " ");
	svl__rpt_esc(r, r->period_label);
	svl__rpt_raw(r, "</h1>\n<p class=\"sub\">");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_LEDGER_ID));
	svl__sbuf_printf(r->out, " <code>%.8s</code> · %s ", r->ledger_hex,
			 svl__rpt_t(r, SVL__RT_HEAD_SEQ));
	svl__rpt_num(r, SVL__CHART_COUNT, (int64_t)r->head.seq);
	svl__rpt_raw(r, "</p>\n<nav><h2>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_TOC));
	svl__rpt_raw(r, "</h2><ol>\n");
	for (size_t i = 0; i < sizeof page_sections / sizeof *page_sections;
	     i++)
		svl__sbuf_printf(r->out, "<li><a href=\"#%s\">%s</a></li>\n",
				 page_sections[i].id,
				 svl__rpt_t(r, page_sections[i].title));
	svl__rpt_raw(r, "</ol></nav>\n</header>\n<main>\n");
}

static void page_close(svl__rpt *r)
{
	svl__rpt_raw(r, "</main>\n<footer><p>");
	svl__rpt_raw(r, svl__rpt_t(r, SVL__RT_FOOT));
	svl__rpt_raw(r, "</p></footer>\n</body>\n</html>\n");
}

/* ---- options ---------------------------------------------------------------
 */

static int bad(svl__rpt *r, const char *what)
{
	return svl__fail(r->log, SVL_EINVAL, "report: %s", what);
}

static void period_label(svl__rpt *r)
{
	char a[16], b[16];
	int64_t end_day = r->to_day + 1;
	svl__civil c0 = svl__civil_from_days(r->from_day);
	svl__civil c1 = svl__civil_from_days(end_day);
	int whole_month = c0.day == 1 && c1.day == 1 &&
			  svl__day_start_ms(r->from_day, r->tz) == r->from_ms &&
			  svl__day_start_ms(end_day, r->tz) == r->to_ms &&
			  c1.year * 12 + (int64_t)c1.month -
				  (c0.year * 12 + (int64_t)c0.month) ==
			      1;
	if (whole_month)
		svl__fmt_month(r->period_label, sizeof r->period_label,
			       r->from_day);
	else
		snprintf(r->period_label, sizeof r->period_label, "%s – %s",
			 svl__fmt_day(a, sizeof a, r->from_day),
			 svl__fmt_day(b, sizeof b, r->to_day));
}

/* The first day of the month `back` months before the month of day. */
static int64_t month_start_back(int64_t day, int back)
{
	svl__civil c = svl__civil_from_days(day);
	int64_t m = c.year * 12 + (int64_t)c.month - 1 - back;
	int64_t y = svl__floor_div(m, 12);
	return svl__days_from_civil(y, (unsigned)(m - y * 12) + 1, 1);
}

static int setup(svl__rpt *r, const svl_report_options *o)
{
	if (o->lang && *o->lang && strcmp(o->lang, "en") &&
	    !svl__lang_is_zh(o->lang))
		return bad(r, "unknown language (en or zh-CN)");
	r->zh = o->lang && svl__lang_is_zh(o->lang);
	int trend = o->trend_months ? o->trend_months : 12;
	if (trend < 1 || trend > 24)
		return bad(r, "trend_months must be 1 to 24");
	int rc = svl_ledger_rules(r->l, &r->rules);
	if (rc == SVL_OK)
		rc = svl_log_head(r->log, &r->head);
	if (rc != SVL_OK)
		return rc;
	r->tz = r->rules.tz_offset_min;
	hex(r->ledger_hex, svl_log_id(r->log), SVL_ID_SIZE);
	if (!o->from_ms && !o->to_ms) {
		int64_t day = svl__local_day(r->head.recorded_at_ms, r->tz);
		r->from_ms = svl__day_start_ms(month_start_back(day, 0), r->tz);
		r->to_ms = svl__day_start_ms(month_start_back(day, -1), r->tz);
	} else if (!o->from_ms || !o->to_ms) {
		return bad(r, "give both ends of the period, or neither");
	} else {
		r->from_ms = o->from_ms;
		r->to_ms = o->to_ms;
	}
	if (r->from_ms >= r->to_ms)
		return bad(r, "the period must end after it starts");
	if (r->from_ms < SVL_TIME_MIN_MS || r->to_ms > SVL_TIME_MAX_MS + 1)
		return bad(r, "the period lies outside the ledger's times");
	r->from_day = svl__local_day(r->from_ms, r->tz);
	r->to_day = svl__local_day(r->to_ms - 1, r->tz);
	r->trend_from_ms =
	    svl__day_start_ms(month_start_back(r->to_day, trend - 1), r->tz);
	if (r->trend_from_ms > r->from_ms)
		r->trend_from_ms = r->from_ms;
	r->generated_at_ms =
	    o->generated_at_ms ? o->generated_at_ms : r->head.recorded_at_ms;
	period_label(r);
	svl_figures_options fo = SVL_FIGURES_OPTIONS_INIT;
	fo.period = SVL_METRICS_MONTH;
	fo.from_ms = r->from_ms;
	fo.to_ms = r->to_ms;
	rc = svl__figures_get_kept(r->l, &fo, &r->fig, &r->last_stk);
	if (rc == SVL_OK && r->last_stk)
		for (size_t i = 0; i < r->fig->n_stocktakes; i++)
			if (r->fig->stocktakes[i].opened_at_ms ==
			    r->last_stk->count_at_ms)
				r->last_stk_fig = &r->fig->stocktakes[i];
	return rc;
}

static int build(svl__rpt *r)
{
	static int (*const sections[])(svl__rpt *) = {
	    svl__rpt_head,  svl__rpt_kpi,   svl__rpt_care,
	    svl__rpt_stock, svl__rpt_money, svl__rpt_wip,
	};
	page_open(r);
	int rc = r->out->rc;
	for (size_t i = 0;
	     rc == SVL_OK && i < sizeof sections / sizeof *sections; i++)
		if ((rc = sections[i](r)) == SVL_OK)
			rc = r->out->rc;
	page_close(r);
	if (rc == SVL_OK && (rc = r->out->rc) != SVL_OK)
		svl__fail(r->log, rc, "report: %s", r->out->errmsg);
	return rc;
}

int svl_report_write(svl_ledger *l, const svl_report_options *opt,
		     svl_report_sink sink, void *payload)
{
	static const svl_report_options defaults = SVL_REPORT_OPTIONS_INIT;
	const svl_report_options *o = opt ? opt : &defaults;
	if (!l || !sink || o->version != SVL_REPORT_OPTIONS_VERSION)
		return SVL_EMISUSE;
	svl__sbuf out = SVL__SBUF_INIT;
	out.max = RPT_PAGE_MAX;
	svl__rpt r;
	memset(&r, 0, sizeof r);
	r.l = l;
	r.log = svl_ledger_log(l);
	r.out = &out;
	int rc = setup(&r, o);
	if (rc == SVL_OK)
		rc = build(&r);
	if (rc == SVL_OK)
		rc = sink(out.data, out.len, payload);
	svl_figures_free(r.fig);
	svl_reconcile_free(r.last_stk);
	svl__sbuf_free(&out);
	return rc;
}

static int file_sink(const char *bytes, size_t n, void *payload)
{
	return fwrite(bytes, 1, n, payload) == n ? SVL_OK : SVL_EIO;
}

int svl_report_write_file(svl_ledger *l, const svl_report_options *opt,
			  FILE *out)
{
	if (!out)
		return SVL_EMISUSE;
	return svl_report_write(l, opt, file_sink, out);
}
