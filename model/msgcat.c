/*
 * msgcat.c - translated messages without the process's locale (msgcat.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgcat.h"

/* ---- conversions ---- */

/* One conversion at s (s[0] == '%', not "%%"): its length, its
 * positional index (0 when sequential) and its literal precision (-1:
 * none, or '*'). */
static size_t conv(const char *s, int *pos, int *prec)
{
	size_t i = 1;
	int n = 0;
	*pos = 0;
	*prec = -1;
	while (s[i] >= '0' && s[i] <= '9')
		n = n * 10 + (s[i++] - '0');
	if (n > 0 && s[i] == '$')
		*pos = n, i++;
	else
		i = 1; /* digits were a width */
	while (s[i] && strchr("-+ #0123456789*", s[i]))
		i++;
	if (s[i] == '.') {
		i++;
		if (s[i] >= '0' && s[i] <= '9')
			*prec = 0;
		while (s[i] >= '0' && s[i] <= '9' && *prec < 100000)
			*prec = *prec * 10 + (s[i++] - '0');
		while (s[i] && strchr("0123456789*", s[i]))
			i++;
	}
	while (s[i] && strchr("hlLqjzt", s[i]))
		i++;
	if (s[i])
		i++; /* the letter */
	return i;
}

int svl__msg_convs(const char *tmpl)
{
	int seq = 0, maxpos = 0;
	for (const char *s = tmpl; *s; s++) {
		if (*s != '%')
			continue;
		if (s[1] == '%') {
			s++;
			continue;
		}
		int pos, prec;
		size_t l = conv(s, &pos, &prec);
		if (pos)
			maxpos = pos > maxpos ? pos : maxpos;
		else
			seq++;
		s += l - 1;
	}
	if (seq && maxpos)
		return -1;
	return seq ? seq : maxpos;
}

int svl__msg_render(const char *tmpl, const char *const *params, size_t n,
		    char *buf, size_t len)
{
	size_t out = 0, next = 0;
#define PUT(c)                                                                 \
	do {                                                                   \
		if (out + 1 < len)                                             \
			buf[out] = (c);                                        \
		out++;                                                         \
	} while (0)
	for (const char *s = tmpl; *s; s++) {
		if (*s != '%') {
			PUT(*s);
			continue;
		}
		if (s[1] == '%') {
			PUT('%');
			s++;
			continue;
		}
		int pos, prec;
		size_t l = conv(s, &pos, &prec);
		size_t k = pos ? (size_t)pos - 1 : next++;
		if (k >= n) {
			if (len)
				buf[out < len ? out : len - 1] = '\0';
			return -1;
		}
		size_t take = params[k] ? strlen(params[k]) : 0;
		if (prec >= 0 && (size_t)prec < take) {
			take = (size_t)prec; /* not inside a UTF-8 character */
			while (take > 0 &&
			       ((unsigned char)params[k][take] & 0xC0) == 0x80)
				take--;
		}
		for (size_t j = 0; j < take; j++)
			PUT(params[k][j]);
		s += l - 1;
	}
#undef PUT
	if (len)
		buf[out < len ? out : len - 1] = '\0';
	return (int)out;
}

/* ---- lookup ---- */

static int by_id(const void *a, const void *b)
{
	return strcmp((*(const svl__msg *const *)a)->id,
		      (*(const svl__msg *const *)b)->id);
}

static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static void build(svl__msgcat *cat)
{
	pthread_mutex_lock(&index_lock);
	if (!__atomic_load_n(&cat->ready, __ATOMIC_ACQUIRE)) {
		const svl__msg **ix = malloc(cat->n * sizeof *ix);
		if (ix) {
			for (size_t i = 0; i < cat->n; i++)
				ix[i] = &cat->rows[i];
			qsort(ix, cat->n, sizeof *ix, by_id);
			cat->index = ix;
		}
		/* out of memory: no index, every lookup answers English */
		__atomic_store_n(&cat->ready, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&index_lock);
}

const char *svl__msg_tr(svl__msgcat *cat, const char *id)
{
	if (!cat || !id)
		return id;
	if (!__atomic_load_n(&cat->ready, __ATOMIC_ACQUIRE))
		build(cat);
	if (!cat->index)
		return id;
	svl__msg key = {id, NULL};
	const svl__msg *kp = &key;
	const svl__msg *const *hit =
	    bsearch(&kp, cat->index, cat->n, sizeof *cat->index, by_id);
	return hit && (*hit)->str[0] ? (*hit)->str : id;
}

int svl__lang_is_zh(const char *lang)
{
	return lang && lang[0] == 'z' && lang[1] == 'h' &&
	       (lang[2] == '\0' || lang[2] == '_' || lang[2] == '-' ||
		lang[2] == '.');
}

/* The next list separator of s (", " or " or "), NULL at the end; *seq
 * gets its Chinese ("、" or "或") and *skip its length. */
static const char *next_sep(const char *s, const char **sep, size_t *skip)
{
	const char *comma = strstr(s, ", "), *or = strstr(s, " or ");
	if (or && (!comma || or < comma)) {
		*sep = "或";
		*skip = 4;
		return or;
	}
	*sep = "、";
	*skip = 2;
	return comma;
}

const char *svl__msg_tr_word(svl__msgcat *words, const char *param, char *buf,
			     size_t len)
{
	const char *whole = svl__msg_tr(words, param);
	const char *sep = "";
	size_t skip = 0;
	if (!words || !param || whole != param || !len ||
	    !next_sep(param, &sep, &skip))
		return whole;
	size_t out = 0;
	buf[0] = '\0';
	const char *before = ""; /* the separator before this item */
	for (const char *s = param; *s;) {
		const char *end = next_sep(s, &sep, &skip);
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char item[SVL__MSG_WORD_MAX];
		if (n >= sizeof item)
			return param;
		memcpy(item, s, n);
		item[n] = '\0';
		const char *tr = svl__msg_tr(words, item);
		if (tr == item) /* a list only when every item is a word */
			return param;
		int w = snprintf(buf + out, len - out, "%s%s", before, tr);
		if (w < 0 || (size_t)w >= len - out)
			return param;
		out += (size_t)w;
		before = sep;
		s = end ? end + skip : s + n;
	}
	return buf;
}

/* ---- the library's catalogs ---- */

/* Templates (MSG rows) and words (WORD rows) of the zh_CN files; each
 * array ends with an empty row so that a file may have none yet. */
static const svl__msg zh_cn_rows[] = {
#define MSG(id, str) {id, str},
#define WORD(id, str)
#include "msg_zh_CN.def"
#undef MSG
#undef WORD
    {"", ""}};

static const svl__msg zh_cn_word_rows[] = {
#define MSG(id, str)
#define WORD(id, str) {id, str},
#include "msg_zh_CN.def"
#undef MSG
#undef WORD
    {"", ""}};

static svl__msgcat zh_cn =
    SVL__MSGCAT_INIT(zh_cn_rows, sizeof zh_cn_rows / sizeof zh_cn_rows[0]);
static svl__msgcat zh_cn_words = SVL__MSGCAT_INIT(
    zh_cn_word_rows, sizeof zh_cn_word_rows / sizeof zh_cn_word_rows[0]);

const svl__msgcat *svl__msgcat_lib(const char *lang)
{
	return svl__lang_is_zh(lang) ? &zh_cn : NULL;
}

const svl__msgcat *svl__msgcat_lib_words(const char *lang)
{
	return svl__lang_is_zh(lang) ? &zh_cn_words : NULL;
}
