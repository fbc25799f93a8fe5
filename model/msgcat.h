/*
 * msgcat.h - translated messages without the process's locale.
 *
 * A catalog is a table of (English template, translation) pairs, declared
 * in a .def file (MSG(id, str) rows, e.g. model/msg_zh_CN.def for the
 * deciders' refusals). The English template is the message id, as GNU
 * gettext has it: a printf-style format ("pick %.*s is already signed by
 * %s as %s"). A translation has the same conversions, in any order with
 * positional ones ("%3$s ... %1$s"). Messages are rendered from string
 * parameters (svl__msg_render): every conversion takes the next parameter
 * (or the n-th), whatever its type letter, so a message can be stored
 * as (id, parameters) and shown later in any language.
 *
 * A decider also passes fixed English words as parameters ("a cancelled
 * booking", "final", "morning, evening"): a catalog file lists them in
 * WORD(english, translation) rows, and svl__msg_tr_word shows them
 * translated (the whole parameter, or each item of a list joined by ", "
 * or " or ").
 *
 * Lookup is by binary search in an index built once per catalog, under
 * a lock, on its first use: thread-safe, and no setlocale(), so a server can answer
 * users in two languages at once. Pure; no I/O.
 */
#ifndef SVL_MSGCAT_H
#define SVL_MSGCAT_H

#include <stddef.h>

typedef struct svl__msg {
	const char *id;	 /* the English template */
	const char *str; /* its translation */
} svl__msg;

typedef struct svl__msgcat svl__msgcat;

/* The library's catalog of language `lang` ("zh_CN", "zh-CN",
 * "zh_CN.UTF-8", "zh"...), or NULL for English and for a language it does
 * not have. */
const svl__msgcat *svl__msgcat_lib(const char *lang);

/* The library's words (WORD rows) of language lang, or NULL. */
const svl__msgcat *svl__msgcat_lib_words(const char *lang);

/* Longest item of a word list svl__msg_tr_word translates. */
#define SVL__MSG_WORD_MAX 128

/*
 * svl__msg_tr_word - param in the words' language: its translation when
 * words has it whole, else, when it is a list "a, b or c" whose every item
 * words has, the items translated and joined with "、" (for ", ") and
 * "或" (for " or ") into buf (len bytes), else param itself. Returns
 * static storage, buf or param.
 */
const char *svl__msg_tr_word(svl__msgcat *words, const char *param,
			     char *buf, size_t len);

/* A catalog over `n` rows of `rows` (static storage). Its index is built
 * on the first lookup. */
struct svl__msgcat {
	const svl__msg *rows;
	size_t n;
	const svl__msg **index; /* sorted by id, built once */
	int ready;
};
#define SVL__MSGCAT_INIT(rows, n) {rows, n, NULL, 0}

/* The translation of template id in cat, or id itself (cat NULL, or no
 * translation). */
const char *svl__msg_tr(svl__msgcat *cat, const char *id);

/* Is lang one of the Chinese the catalogs speak ("zh", "zh_CN",
 * "zh-CN", with or without ".UTF-8")? */
int svl__lang_is_zh(const char *lang);

/*
 * svl__msg_render - tmpl with its conversions replaced by params, into
 * buf (len >= 1, always NUL-terminated, truncated to fit). A conversion is
 * '%' [n '$'] [flags, width, '.' precision, '*'] [length] letter; "%%" is
 * a '%'. A precision written as digits cuts the parameter to that many
 * bytes (never inside a UTF-8 character), as printf's "%.16s" does:
 * "%3$.0s" takes parameter 3 and shows nothing of it (an English plural
 * "s" a translation does without). Returns the length the whole text needs (as snprintf), or -1
 * when tmpl names a parameter it was not given.
 */
int svl__msg_render(const char *tmpl, const char *const *params, size_t n,
		    char *buf, size_t len);

/*
 * svl__msg_convs - the number of parameters tmpl takes (its highest
 * positional index, or its count of conversions), -1 when it mixes
 * positional and sequential ones. Two templates of one message must take
 * the same number.
 */
int svl__msg_convs(const char *tmpl);

#endif
