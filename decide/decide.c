/*
 * decide.c - the entry points of the deciders (svl_decide.h) and what every
 * area decider shares: refusals, local times, stream folds. (The write-off
 * split, line values and quantity text are model/money.c's.)
 *
 * A decision runs in three steps, cheapest first, and stops at the first
 * "no": the envelope (type, payload, stream), who may record it (roles.c:
 * R-ROLE-1, R-ROLE-2), then the state rules of its area. Each area decider
 * folds only the streams the event touches, on the caller's transaction,
 * so a batch is decided against exactly the state it is appended to, and
 * svl_decide() itself never writes an event.
 *
 * Invariants: on SVL_OK the refusal is cleared; on SVL_EREFUSED rule and
 * msg are set and msg starts with the rule id, and the same refusal is
 * the thread's svl_refusal_last, whose English rendering is msg byte for
 * byte; nothing here keeps state between calls except the index table
 * handle cache (decide_index.c) and that per-thread last refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msgcat.h"
#include "trust_int.h"

/* ---- refusals ---------------------------------------------------------- */

/*
 * The calling thread's last refusal as data (svl_refusal_last). A
 * decision clears it first; svl__refuse fills it beside the English line.
 */
static _Thread_local svl_refusal_info last_refusal;
static _Thread_local int has_last_refusal;

void svl__refusal_put(const svl_refusal_info *r)
{
	has_last_refusal = r != NULL;
	if (r)
		last_refusal = *r;
}

int svl_refusal_last(svl_refusal_info *out)
{
	if (!out)
		return SVL_EMISUSE;
	if (!has_last_refusal) {
		memset(out, 0, sizeof *out);
		return SVL_ENOTFOUND;
	}
	*out = last_refusal;
	return SVL_OK;
}

int svl_refusal_text(const svl_refusal_info *r, const char *lang, char *buf,
		     size_t len)
{
	char empty[1];
	const char *params[SVL_REFUSAL_PARAMS_MAX];
	if (!r || !r->msgid || (!buf && len))
		return SVL_EMISUSE;
	if (!len) {
		buf = empty;
		len = sizeof empty;
	}
	char lists[SVL_REFUSAL_PARAMS_MAX][2 * SVL_REFUSAL_PARAM_MAX];
	/* svl__msg_tr takes a catalog as its own to index it on first use */
	svl__msgcat *cat = (svl__msgcat *)svl__msgcat_lib(lang);
	svl__msgcat *words = (svl__msgcat *)svl__msgcat_lib_words(lang);
	size_t n = r->n_params < SVL_REFUSAL_PARAMS_MAX
		       ? r->n_params
		       : SVL_REFUSAL_PARAMS_MAX;
	for (size_t k = 0; k < n; k++) /* the decider's own words translated */
		params[k] = svl__msg_tr_word(words, r->params[k], lists[k],
					     sizeof lists[k]);
	int head = snprintf(buf, len, "%.*s: ", (int)sizeof r->rule, r->rule);
	if (head < 0)
		return SVL_EMISUSE;
	size_t used = (size_t)head < len ? (size_t)head : len - 1;
	const char *tmpl = svl__msg_tr(cat, r->msgid);
	int body = svl__msg_render(tmpl, params, n, buf + used, len - used);
	if (body < 0 && tmpl != r->msgid) { /* a translation that misfits */
		for (size_t k = 0; k < n; k++)
			params[k] = r->params[k];
		body = svl__msg_render(r->msgid, params, n, buf + used,
				       len - used);
	}
	if (body < 0)
		return SVL_ELIMIT;
	return head + body;
}

/* ---- one parameter of a refusal, as printf prints it ---- */

/* A conversion's spec: '%' [flags] [width] ['.' precision] [length]
 * letter, '*' taken from the arguments. */
typedef struct conv_spec {
	int left, zero, plus, space;
	int width;     /* -1: none */
	int precision; /* -1: none */
	char length[3];
	char letter;
} conv_spec;

static const char *parse_spec(const char *s, conv_spec *cs, va_list *ap)
{
	memset(cs, 0, sizeof *cs);
	cs->width = cs->precision = -1;
	for (;; s++) {
		if (*s == '-')
			cs->left = 1;
		else if (*s == '0')
			cs->zero = 1;
		else if (*s == '+')
			cs->plus = 1;
		else if (*s == ' ')
			cs->space = 1;
		else if (*s != '#')
			break;
	}
	if (*s == '*') {
		cs->width = va_arg(*ap, int);
		if (cs->width < 0)
			cs->left = 1, cs->width = -cs->width;
		s++;
	} else if (*s >= '0' && *s <= '9') {
		for (cs->width = 0; *s >= '0' && *s <= '9'; s++)
			cs->width = cs->width * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		cs->precision = 0;
		if (*s == '*') {
			cs->precision = va_arg(*ap, int);
			s++;
		} else {
			while (*s >= '0' && *s <= '9')
				cs->precision =
				    cs->precision * 10 + (*s++ - '0');
		}
	}
	for (size_t k = 0; k < 2 && *s && strchr("hlLzjt", *s); k++)
		cs->length[k] = *s++;
	while (*s && strchr("hlLzjt", *s))
		s++;
	cs->letter = *s;
	return *s ? s + 1 : s;
}

static int is_len(const conv_spec *cs, const char *l)
{
	return strcmp(cs->length, l) == 0;
}

static long long signed_arg(const conv_spec *cs, va_list *ap)
{
	if (is_len(cs, "l"))
		return va_arg(*ap, long);
	if (is_len(cs, "ll"))
		return va_arg(*ap, long long);
	if (is_len(cs, "z") || is_len(cs, "t"))
		return va_arg(*ap, ptrdiff_t);
	if (is_len(cs, "j"))
		return va_arg(*ap, intmax_t);
	int v = va_arg(*ap, int);
	return is_len(cs, "hh")	 ? (signed char)v
	       : is_len(cs, "h") ? (short)v
				 : v;
}

static unsigned long long unsigned_arg(const conv_spec *cs, va_list *ap)
{
	if (is_len(cs, "l"))
		return va_arg(*ap, unsigned long);
	if (is_len(cs, "ll"))
		return va_arg(*ap, unsigned long long);
	if (is_len(cs, "z"))
		return va_arg(*ap, size_t);
	if (is_len(cs, "t"))
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	if (is_len(cs, "j"))
		return va_arg(*ap, uintmax_t);
	unsigned v = va_arg(*ap, unsigned);
	return is_len(cs, "hh")	 ? (unsigned char)v
	       : is_len(cs, "h") ? (unsigned short)v
				 : v;
}

/* sign, then the digits zero-padded to the precision, then the field
 * padded to the width, as printf does. */
static void put_number(char *out, size_t cap, const conv_spec *cs,
		       const char *sign, const char *digits)
{
	char body[160];
	size_t nd = strlen(digits);
	int prec = cs->precision;
	if (prec == 0 && strcmp(digits, "0") == 0)
		nd = 0; /* "%.0d" of 0 prints nothing */
	size_t zeros = prec > 0 && (size_t)prec > nd ? (size_t)prec - nd : 0;
	size_t ns = strlen(sign);
	if (cs->zero && !cs->left && prec < 0 && cs->width > 0 &&
	    (size_t)cs->width > ns + nd)
		zeros = (size_t)cs->width - ns - nd;
	if (zeros > 64)
		zeros = 64;
	snprintf(
	    body, sizeof body, "%s%.*s%.*s", sign, (int)zeros,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    (int)nd, digits);
	size_t nb = strlen(body);
	size_t pad = cs->width > 0 && (size_t)cs->width > nb
			 ? (size_t)cs->width - nb
			 : 0;
	snprintf(out, cap, "%*s%s%*s", cs->left ? 0 : (int)pad, "", body,
		 cs->left ? (int)pad : 0, "");
}

/* Print the next argument of conversion cs into out; 0 when the letter
 * is one this cannot read (the walk stops there). */
static int put_param(char *out, size_t cap, const conv_spec *cs, va_list *ap)
{
	char digits[64];
	const char *sign = "";
	switch (cs->letter) {
	case 'd':
	case 'i': {
		long long v = signed_arg(cs, ap);
		unsigned long long m = v < 0 ? 0ull - (unsigned long long)v
					     : (unsigned long long)v;
		snprintf(digits, sizeof digits, "%llu", m);
		sign = v < 0 ? "-" : cs->plus ? "+" : cs->space ? " " : "";
		put_number(out, cap, cs, sign, digits);
		return 1;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o': {
		unsigned long long v = unsigned_arg(cs, ap);
		if (cs->letter == 'u')
			snprintf(digits, sizeof digits, "%llu", v);
		else if (cs->letter == 'x')
			snprintf(digits, sizeof digits, "%llx", v);
		else if (cs->letter == 'X')
			snprintf(digits, sizeof digits, "%llX", v);
		else
			snprintf(digits, sizeof digits, "%llo", v);
		put_number(out, cap, cs, sign, digits);
		return 1;
	}
	case 'c': {
		char ch[2] = {(char)va_arg(*ap, int), '\0'};
		conv_spec plain = *cs;
		plain.precision = -1;
		plain.zero = 0;
		put_number(out, cap, &plain, "", ch);
		return 1;
	}
	case 's': {
		const char *v = va_arg(*ap, const char *);
		if (!v)
			v = "(null)";
		size_t n = strlen(v);
		if (cs->precision >= 0 && (size_t)cs->precision < n)
			n = (size_t)cs->precision;
		size_t pad = cs->width > 0 && (size_t)cs->width > n
				 ? (size_t)cs->width - n
				 : 0;
		snprintf(out, cap, "%*s%.*s%*s", cs->left ? 0 : (int)pad, "",
			 (int)n, v, cs->left ? (int)pad : 0, "");
		return 1;
	}
	case 'p':
		snprintf(out, cap, "%p", va_arg(*ap, void *));
		return 1;
	default:
		return 0;
	}
}

/* The parameters of fmt, as the English line prints them. */
static void refusal_params(svl_refusal_info *r, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	r->n_params = 0;
	for (const char *s = fmt; *s && r->n_params < SVL_REFUSAL_PARAMS_MAX;) {
		if (*s != '%') {
			s++;
			continue;
		}
		if (s[1] == '%') {
			s += 2;
			continue;
		}
		conv_spec cs;
		s = parse_spec(s + 1, &cs, &cp);
		char *p = r->params[r->n_params];
		/* a "%s" may be longer than a parameter holds: print it
		 * into a buffer of its own, then cut */
		char whole[2 * SVL_REFUSAL_PARAM_MAX];
		if (!put_param(whole, sizeof whole, &cs, &cp))
			break;
		size_t n = strlen(whole);
		if (n >= SVL_REFUSAL_PARAM_MAX) { /* cut, never mid-character */
			n = SVL_REFUSAL_PARAM_MAX - 1;
			while (n > 0 &&
			       ((unsigned char)whole[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(p, whole, n);
		p[n] = '\0';
		r->n_params++;
	}
	va_end(cp);
}

int svl__refuse(svl__dctx *c, const char *rule, const char *fmt, ...)
{
	char *msg = c->why->msg;
	size_t cap = sizeof c->why->msg;
	svl_refusal_info info;
	va_list ap;
	snprintf(c->why->rule, sizeof c->why->rule, "%s", rule);
	int n = snprintf(msg, cap, "%s: ", c->why->rule);
	if (n < 0 || (size_t)n >= cap)
		n = 0;
	va_start(ap, fmt);
	memset(&info, 0, sizeof info);
	snprintf(info.rule, sizeof info.rule, "%s", rule);
	info.msgid = fmt;
	refusal_params(&info, fmt, ap);
	vsnprintf(msg + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
	svl__refusal_put(&info);
	return svl_txn_fail(c->txn, SVL_EREFUSED, "%s", c->why->msg);
}

int svl__invalid(svl__dctx *c, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	return svl_txn_fail(c->txn, SVL_EINVAL, "%s", line);
}

void svl__vcopy(char *buf, size_t cap, const svl_value *v)
{
	size_t n = v->present && v->s ? v->len : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(buf, v->s, n);
	buf[n] = '\0';
}

/* ---- streams ------------------------------------------------------------ */

static int stream_name(svl__dctx *c, char *out, size_t cap, const char *prefix,
		       const svl_value *key, size_t *len)
{
	if (!key->present || !key->s)
		return svl__invalid(c, "%s stream: the key field is absent",
				    prefix);
	int n = snprintf(out, cap, "%s-%.*s", prefix, SVL__V(*key));
	if (n < 0 || (size_t)n >= cap || (size_t)n > SVL_STREAM_MAX)
		return svl__invalid(c, "%s stream id too long", prefix);
	*len = (size_t)n;
	return SVL_OK;
}

int svl__stream_version(svl__dctx *c, const char *prefix, const svl_value *key,
			uint64_t *out)
{
	char name[SVL_STREAM_MAX + 1];
	size_t len = 0;
	int rc = stream_name(c, name, sizeof name, prefix, key, &len);
	if (rc != SVL_OK)
		return rc;
	return svl_txn_stream_version(c->txn, name, len, out);
}

int svl__fold(svl__dctx *c, const char *prefix, const svl_value *key,
	      uint64_t upto_seq, svl__fold_fn fn, void *st)
{
	char name[SVL_STREAM_MAX + 1];
	size_t len = 0;
	svl_iter *it;
	int rc = stream_name(c, name, sizeof name, prefix, key, &len);
	if (rc != SVL_OK)
		return rc;
	if ((rc = svl_txn_iter_stream(c->txn, name, len, 1, 0, &it)) != SVL_OK)
		return rc == SVL_ENOTFOUND ? SVL_OK : rc;
	svl_record r;
	svl_event_view v;
	while ((rc = svl_iter_next(it, &r)) == SVL_OK) {
		if (upto_seq && r.seq > upto_seq)
			break;
		if (!svl_event_type_get(r.type))
			continue; /* not a catalog event: nothing to fold */
		rc = svl_event_decode(&v, r.type, r.schema_version, r.payload,
				      r.payload_len);
		if (rc != SVL_OK) {
			rc = svl_txn_fail(c->txn, SVL_ECORRUPT,
					  "seq %llu of %s does not decode",
					  (unsigned long long)r.seq, name);
			break;
		}
		if ((rc = fn(st, &r, &v)) != SVL_OK)
			break;
	}
	svl_iter_close(it);
	return rc == SVL_ITEROVER ? SVL_OK : rc;
}

/* ---- svl_decide ---------------------------------------------------------- */

/* Type, payload, stream, actor and role name: problems of the event
 * itself, reported as SVL_EINVAL. */
static int check_envelope(svl__dctx *c)
{
	const svl_event_in *ev = c->ev;
	if (!(c->type = svl_event_type_get(ev->type)))
		return svl__invalid(c, "unknown event type %u", ev->type);
	if (!ev->payload || ev->payload_len == 0)
		return svl__invalid(c, "%s: no payload", c->type->name);
	if (svl_event_decode(&c->v, ev->type, ev->schema_version, ev->payload,
			     ev->payload_len) != SVL_OK)
		return svl__invalid(c,
				    "%s: payload does not decode as schema "
				    "version %u",
				    c->type->name, ev->schema_version);
	char want[SVL_STREAM_MAX + 1];
	size_t n = 0;
	if (svl_event_stream(want, sizeof want, &n, &c->v) != SVL_OK)
		return svl__invalid(c, "%s: no stream key in the payload",
				    c->type->name);
	if (!ev->stream || ev->stream_len != n || memcmp(ev->stream, want, n))
		return svl__invalid(c,
				    "%s: stream '%.*s' is not the payload's "
				    "stream '%s'",
				    c->type->name,
				    (int)(ev->stream ? ev->stream_len : 0),
				    ev->stream ? ev->stream : "", want);
	if (!ev->actor || ev->actor_len == 0)
		return svl__invalid(c,
				    "%s: no actor: every event names the "
				    "person who recorded it",
				    c->type->name);
	c->role = ev->role ? svl_role_find(ev->role, ev->role_len) : -1;
	if (c->role < 0)
		return svl__invalid(c, "%s: unknown role '%.*s'", c->type->name,
				    (int)(ev->role ? ev->role_len : 0),
				    ev->role ? ev->role : "");
	return SVL_OK;
}

static int decide_areas(svl__dctx *c)
{
	static int (*const areas[])(svl__dctx *) = {
	    svl__decide_staff,	   svl__decide_booking, svl__decide_workshop,
	    svl__decide_followup,  svl__decide_issue,	svl__decide_bins,
	    svl__decide_receiving, svl__decide_stock,	svl__decide_writeoff,
	    svl__decide_front,	   svl__decide_office,	svl__decide_oldparts,
	    svl__check_signature,  svl__decide_keys,	svl__decide_seal,
	};
	for (size_t k = 0; k < sizeof areas / sizeof areas[0]; k++) {
		int rc = areas[k](c);
		if (rc != SVL_OK)
			return rc;
	}
	return SVL_OK;
}

void svl__rules_of_options(const svl_decide_options *o, svl_rules *out)
{
	svl_rules_default(out);
	out->tz_offset_min = o->tz_offset_min;
	out->day_capacity_jobs = (int32_t)o->day_capacity_jobs;
	if (o->wof_split_permille[0] || o->wof_split_permille[1] ||
	    o->wof_split_permille[2] || o->wof_split_permille[3])
		memcpy(out->wof_split_permille, o->wof_split_permille,
		       sizeof out->wof_split_permille);
	out->require_signed = o->require_signed;
}

int svl__decide(svl_txn *txn, const svl_event_in *ev, const svl_rules *policy,
		unsigned flags, svl_refusal *why)
{
	svl_refusal scratch;
	svl__dctx c;
	if (!txn || !ev || !policy)
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide: txn and event are required");
	memset(&c, 0, sizeof c);
	c.txn = txn;
	c.ev = ev;
	c.why = why ? why : &scratch;
	memset(c.why, 0, sizeof *c.why);
	svl__refusal_put(NULL);
	c.rules = policy;
	c.flags = flags;
	int rc = check_envelope(&c);
	if (rc == SVL_OK) /* always, so a missing prepare never goes unseen */
		rc = svl__index_open(&c);
	if (rc == SVL_OK)
		rc = svl__check_roles(&c);
	if (rc == SVL_OK && !(c.flags & SVL_DECIDE_ROLES_ONLY))
		rc = decide_areas(&c);
	if (rc != SVL_EREFUSED)
		memset(c.why, 0, sizeof *c.why);
	return rc;
}

/* The public entry points' options as a rule set and flags. */
static int policy_of(svl_txn *txn, const svl_decide_options *opt,
		     svl_rules *policy, unsigned *flags)
{
	svl_decide_options defaults = SVL_DECIDE_OPTIONS_INIT;
	if (!opt)
		opt = &defaults;
	if (opt->version < 1)
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide: options version %u", opt->version);
	svl__rules_of_options(opt, policy);
	*flags = opt->flags;
	return SVL_OK;
}

int svl_decide(svl_txn *txn, const svl_event_in *ev,
	       const svl_decide_options *opt, svl_refusal *why)
{
	svl_rules policy;
	unsigned flags;
	if (why)
		memset(why, 0, sizeof *why);
	svl__refusal_put(NULL);
	if (!txn || !ev)
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide: txn and event are required");
	int rc = policy_of(txn, opt, &policy, &flags);
	return rc == SVL_OK ? svl__decide(txn, ev, &policy, flags, why) : rc;
}

/* ---- svl_decide_append --------------------------------------------------- */

static const uint8_t zero_id[SVL_ID_SIZE];

/* A retry of an event already committed: the engine returns its original
 * position, and deciding it again would see it in its own state. */
static int is_committed(svl_txn *txn, const svl_event_in *ev, int *yes)
{
	uint64_t seq;
	*yes = 0;
	if (memcmp(ev->id, zero_id, SVL_ID_SIZE) == 0)
		return SVL_OK;
	int rc = svl_log_find_id(svl_txn_log(txn), ev->id, &seq);
	if (rc == SVL_OK)
		*yes = 1;
	return rc == SVL_ENOTFOUND ? SVL_OK : rc;
}

int svl__decide_append(svl_txn *txn, const svl_event_in *evs, size_t n,
		       const svl_rules *policy, unsigned flags,
		       svl_position *out, svl_refusal *why,
		       size_t *failed_index)
{
	unsigned table;
	if (!txn || (!evs && n))
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide append: txn and events required");
	svl__refusal_put(NULL);
	int rc = svl__index_find(txn, &table);
	for (size_t i = 0; rc == SVL_OK && i < n; i++) {
		int retry;
		svl_position pos;
		if (failed_index)
			*failed_index = i;
		if ((rc = is_committed(txn, &evs[i], &retry)) != SVL_OK)
			break;
		if (!retry && (rc = svl__decide(txn, &evs[i], policy, flags,
						why)) != SVL_OK)
			break;
		if ((rc = svl_txn_append(txn, &evs[i], 1, &pos)) != SVL_OK)
			break;
		if (out)
			out[i] = pos;
		if (!pos.duplicate)
			rc = svl__index_catch_up(txn, table);
	}
	return rc;
}

int svl_decide_append(svl_txn *txn, const svl_event_in *evs, size_t n,
		      const svl_decide_options *opt, svl_position *out,
		      svl_refusal *why, size_t *failed_index)
{
	svl_rules policy;
	unsigned flags;
	svl__refusal_put(NULL);
	if (!txn || (!evs && n))
		return svl_txn_fail(txn, SVL_EMISUSE,
				    "decide append: txn and events required");
	int rc = policy_of(txn, opt, &policy, &flags);
	return rc == SVL_OK ? svl__decide_append(txn, evs, n, &policy, flags,
						 out, why, failed_index)
			    : rc;
}
