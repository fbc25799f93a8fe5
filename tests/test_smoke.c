/* test_smoke.c - the engine opens, appends, reads back and verifies. */
#include <criterion/criterion.h>

#include "fixture.h"

Test(smoke, append_read_verify)
{
	char *dir = svl_test_mkdtemp();
	svl_log_options o = SVL_LOG_OPTIONS_INIT;
	o.flags = SVL_LOG_CREATE;
	svl_log *log;
	cr_assert_eq(svl_log_open(&log, dir, &o), SVL_OK, "%s",
		     svl_log_last_error());
	uint8_t bufs[3][16];
	svl_event_in ev[3] = {svl_test_event("a", bufs[0], 1),
			      svl_test_event("b", bufs[1], 2),
			      svl_test_event("a", bufs[2], 3)};
	svl_position pos[3];
	cr_assert_eq(svl_log_append(log, ev, 3, pos), SVL_OK, "%s",
		     svl_log_errmsg(log));
	cr_assert_eq(pos[2].seq, 3);
	cr_assert_eq(pos[2].stream_version, 2);
	svl_verify_report rep;
	cr_assert_eq(svl_log_verify(log, &rep), SVL_OK);
	cr_assert(rep.ok, "%s", rep.detail);
	cr_assert_eq(rep.events, 3);
	svl_iter *it;
	cr_assert_eq(svl_log_iter_stream(log, "a", 1, 0, 0, &it), SVL_OK);
	svl_record r;
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(r.seq, 1);
	cr_assert_eq(svl_iter_next(it, &r), SVL_OK);
	cr_assert_eq(r.seq, 3);
	cr_assert_eq(svl_iter_next(it, &r), SVL_ITEROVER);
	svl_iter_close(it);
	svl_log_close(log);
	svl_test_rmdir(dir);
}
