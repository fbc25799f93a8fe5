/*
 * page.c - the paging of list calls (svl_page, svl_ledger.h), shared by
 * every list: the walk hands each matching item's cursor, in list order,
 * to svl__page_take, which counts it and says whether it is on the page.
 *
 * A cursor is text that sorts (strcmp) in the walk's order, so "after"
 * is a comparison, not a position: a page asked for after an item that
 * has since changed still starts at the right place.
 */
#include <string.h>

#include "fail.h"
#include "ledger_int.h"

void svl__page_begin(svl__pager *g, svl_page *p)
{
	g->p = p;
	g->more = 0;
	g->after = p && p->after && p->after[0] ? p->after : NULL;
	if (p) {
		p->total = 0;
		p->returned = 0;
		p->next[0] = '\0';
	}
}

int svl__page_take(svl__pager *g, const char *cursor)
{
	svl_page *p = g->p;
	if (!p)
		return 1;
	p->total++;
	if (g->after && strcmp(cursor, g->after) <= 0)
		return 0;
	if (p->limit && p->returned == p->limit) {
		g->more = 1;
		return 0;
	}
	p->returned++;
	size_t n = strlen(cursor);
	if (n > SVL_PAGE_KEY_MAX)
		n = SVL_PAGE_KEY_MAX;
	memcpy(p->next, cursor, n);
	p->next[n] = '\0';
	return 1;
}

void svl__page_end(svl__pager *g)
{
	if (g->p && !g->more)
		g->p->next[0] = '\0';
}
