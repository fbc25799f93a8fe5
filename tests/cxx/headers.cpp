// headers.cpp - every public header, and every _INIT macro, compiles as
// C++17 and links against the library: what a C++ DMS backend includes.
// Built with g++ -std=c++17 -Wall -Wextra -Werror by `make test`, then
// run: it opens a ledger, submits one command and reads it back.
#include <svcledger.h>

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	svl_log_options lo = SVL_LOG_OPTIONS_INIT;
	svl_ledger_options o = SVL_LEDGER_OPTIONS_INIT;
	svl_decide_options d = SVL_DECIDE_OPTIONS_INIT;
	svl_rebuild_options ro = SVL_REBUILD_OPTIONS_INIT;
	svl_wo_filter f = SVL_WO_FILTER_INIT;
	svl_seal_options so = SVL_SEAL_OPTIONS_INIT;
	svl_event_in ev = SVL_EVENT_IN_INIT;
	if (ev.expected_version != SVL_VERSION_ANY || ev.schema_version != 1)
		return 1;
	(void)lo;
	(void)d;
	(void)ro;
	(void)so;
	o.flags = SVL_LOG_CREATE;
	svl_ledger *l = nullptr;
	if (svl_ledger_open(&l, argv[1], &o) != SVL_OK) {
		std::fprintf(stderr, "open: %s\n", svl_log_last_error());
		return 1;
	}
	const std::string line =
	    "{\"type\":\"staff_role_assigned\",\"actor\":\"E001\","
	    "\"role\":\"service_manager\",\"occurred_at_ms\":1782835200000,"
	    "\"payload\":{\"staff_id\":\"E001\",\"role\":\"service_manager\","
	    "\"from_at_ms\":1782835200000}}\n";
	svl_submit_result r;
	int rc = svl_ledger_submit_json(l, line.data(), line.size(), 0, &r);
	svl_head h{};
	if (rc == SVL_OK)
		rc = svl_log_head(svl_ledger_log(l), &h);
	int jobs = 0;
	if (rc == SVL_OK)
		rc = svl_work_orders_list(
		    l, &f,
		    [](const svl_work_order *, void *p) -> int {
			    ++*static_cast<int *>(p);
			    return 0;
		    },
		    &jobs);
	svl_ledger_close(l);
	if (rc != SVL_OK || h.seq != 1 || jobs != 0) {
		std::fprintf(stderr, "c++: %s: %s\n", svl_strerror(rc),
			     r.message);
		return 1;
	}
	std::printf("c++17: headers, _INIT macros and calls ok (head %llu)\n",
		    static_cast<unsigned long long>(h.seq));
	return 0;
}
