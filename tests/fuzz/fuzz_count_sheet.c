/*
 * fuzz_count_sheet.c - the blind count sheet CSV
 * (projections/count_sheet.c, svl_count_sheet_parse).
 *
 * Properties of an accepted sheet:
 *   - nothing is dropped silently: every line that is not blank and not a
 *     '#' comment, after the header, is one count line, in order, with
 *     its own line number;
 *   - every count line has a bin and a part (the counter may be empty),
 *     each NUL-terminated inside its field, and a quantity >= 0.
 * A refused sheet says why and returns nothing.
 */
#include <string.h>

#include "fuzz.h"
#include "svcledger.h"

/* Lines the sheet holds that are neither blank nor comments, the header
 * included; line numbers as the parser counts them (1-based, '\n'). */
static size_t content_lines(const char *s, size_t n, uint32_t *last)
{
	size_t count = 0;
	uint32_t line = 0;
	for (size_t at = 0; at <= n;) {
		const char *nl = memchr(s + at, '\n', n - at);
		size_t end = nl ? (size_t)(nl - s) : n;
		line++;
		if (end > at && s[at] != '\r' && s[at] != '#') {
			count++;
			*last = line;
		}
		if (!nl)
			break;
		at = end + 1;
	}
	return count;
}

static int field_ok(const char *f, size_t cap, int may_be_empty)
{
	size_t len = strnlen(f, cap);
	return len < cap && (may_be_empty || len > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	svl_count_line *lines = NULL;
	size_t n = 0;
	char err[256] = "";
	int rc = svl_count_sheet_parse(text, size, &lines, &n, err, sizeof err);
	if (rc != SVL_OK) {
		FUZZ_CHECK(err[0] != '\0' || rc == SVL_ENOMEM,
			   "a refusal says why");
		return 0;
	}
	uint32_t last = 0;
	size_t want = content_lines(text, size, &last);
	FUZZ_CHECK(want >= 1 && n == want - 1,
		   "every line after the header is a count line");
	for (size_t i = 0; i < n; i++) {
		const svl_count_line *l = &lines[i];
		FUZZ_CHECK(field_ok(l->bin, sizeof l->bin, 0), "a bin");
		FUZZ_CHECK(field_ok(l->part_no, sizeof l->part_no, 0),
			   "a part number");
		FUZZ_CHECK(field_ok(l->counter, sizeof l->counter, 1),
			   "a counter field");
		FUZZ_CHECK(l->counted_milli >= 0, "a quantity >= 0");
		FUZZ_CHECK(i == 0 || l->sheet_line > lines[i - 1].sheet_line,
			   "line numbers in order");
	}
	FUZZ_CHECK(n == 0 || lines[n - 1].sheet_line == last,
		   "the last count line is the sheet's last line");
	free(lines);
	return 0;
}
