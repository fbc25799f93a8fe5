/*
 * i18n.c - the tool's language: English by default, Chinese with
 * --lang zh-CN or a Chinese locale in the environment (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG, in gettext's order). The process locale is never
 * set: messages come from the catalogs of model/msgcat.h.
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
