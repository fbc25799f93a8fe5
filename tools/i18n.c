/*
 * i18n.c - the tool's language: English by default, Chinese with
 * --lang zh-CN or a Chinese locale in the environment (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG, in gettext's order). The process locale is never
 * set: messages come from the catalogs of model/msgcat.h, the library's
 * for refusals and tools/msg_zh_CN.def for the tool's own words (table
 * headers, labels, the tour, summaries, common errors).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msgcat.h"

static const char *forced; /* --lang */

void cli_set_lang(const char *lang)
{
	forced = lang;
}

const char *cli_lang(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES",
					   "LANG"};
	if (forced)
		return forced;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return "en";
}

/* ---- the tool's catalog ---- */

/* Included from this directory (tools/msg_zh_CN.def), not the library's
 * model/msg_zh_CN.def: a quoted include looks beside this file first. */
static const svl__msg tool_zh_rows[] = {
#define MSG(id, str) {id, str},
#include "msg_zh_CN.def"
#undef MSG
};

#define TOOL_ZH_N (sizeof tool_zh_rows / sizeof tool_zh_rows[0])

static svl__msgcat tool_zh = SVL__MSGCAT_INIT(tool_zh_rows, TOOL_ZH_N);

const svl__msg *cli_msgs(size_t *n)
{
	*n = TOOL_ZH_N;
	return tool_zh_rows;
}

int cli_lang_is_zh(void)
{
	return svl__lang_is_zh(cli_lang());
}

const char *cli_tr(const char *english)
{
	if (!english || !cli_lang_is_zh())
		return english;
	return svl__msg_tr(&tool_zh, english);
}
