# svcledger - build, test, install.
#
#   make            libsvcledger.a, libsvcledger.so (versioned soname), svcledger
#   make demo       build and run the demo ledger
#   make test       -Werror + address/undefined sanitizers, Criterion suite
#                   (gcc, then again with clang), then the fuzzers' smoke run
#   make fuzz       every fuzzer of tests/fuzz for FUZZ_SECONDS (600) each
#   make fuzz-smoke replay the checked-in corpora, then FUZZ_SMOKE_SECONDS (30)
#   make bench      benchmarks with their conditions
#   make install    PREFIX=/usr/local DESTDIR=  headers, libraries, svcledger.pc
#                   (and svcledger.mo under $(PREFIX)/share/locale)
#   make po, mo     the catalogs as svcledger.pot, zh_CN.po and svcledger.mo
#
# Missing Debian packages are installed by tools/deps.sh (as root) or named
# with the exact apt-get command (otherwise).

version_part = $(shell sed -n 's/^\#define SVL_VERSION_$(1) //p' include/svcledger.h)
VERSION_MAJOR := $(call version_part,MAJOR)
VERSION_MINOR := $(call version_part,MINOR)
VERSION_PATCH := $(call version_part,PATCH)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)
SONAME := libsvcledger.so.$(VERSION_MAJOR)

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin

CC ?= cc
WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Werror
CPPFLAGS += -D_GNU_SOURCE -Iinclude
# Each layer sees its own folder and the layers below it, never one above
# (docs/architecture.md); tests and fuzzers see every layer.
LAYERS := engine catalog model decide projections ledger trust report tools
LAYER_INC_engine := -Iengine
LAYER_INC_catalog := $(LAYER_INC_engine) -Icatalog
LAYER_INC_model := $(LAYER_INC_catalog) -Imodel
LAYER_INC_decide := $(LAYER_INC_model) -Idecide
LAYER_INC_projections := $(LAYER_INC_model) -Iprojections
LAYER_INC_ledger := $(LAYER_INC_decide) -Iprojections -Iledger
LAYER_INC_trust := $(LAYER_INC_ledger) -Itrust
LAYER_INC_report := $(LAYER_INC_trust) -Ireport
LAYER_INC_tools := $(LAYER_INC_report) -Itools
ALL_INC := $(LAYER_INC_tools)
layer_inc = $(or $(LAYER_INC_$(firstword $(subst /, ,$(1)))),$(ALL_INC))
CFLAGS ?= -O2 -g
LIBS := -llmdb -lmsgpackc -lxxhash -ljansson -lsodium -lpthread -lm
# the tool also links the benchmark's peer, SQLite (not the library)
TOOL_LIBS := $(LIBS) -lsqlite3 -lnats
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

LIB_SRC := $(sort $(foreach l,$(filter-out tools,$(LAYERS)),$(wildcard $(l)/*.c)))
TOOL_SRC := $(sort $(filter-out tools/main.c,$(wildcard tools/*.c)))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_HELPERS := $(sort $(filter-out $(TEST_SRC),$(wildcard tests/*.c)))

B := build
REL_OBJ := $(LIB_SRC:%.c=$(B)/rel/%.o)
SAN_OBJ := $(LIB_SRC:%.c=$(B)/san/%.o)
TOOL_REL_OBJ := $(TOOL_SRC:%.c=$(B)/rel/%.o)
TOOL_SAN_OBJ := $(TOOL_SRC:%.c=$(B)/san/%.o)
HELPER_SAN_OBJ := $(TEST_HELPERS:%.c=$(B)/san/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)

DEPS_OK := $(B)/.deps-ok
DEPS_TEST_OK := $(B)/.deps-test-ok

.PHONY: all lib tool demo test bench install uninstall clean deps example \
	test-clang fuzz fuzz-smoke fuzz-seeds test-python
.SECONDARY:
all: lib tool

deps: $(DEPS_OK)
$(DEPS_OK): tools/deps.sh
	@sh tools/deps.sh
	@mkdir -p $(B) && touch $@
$(DEPS_TEST_OK): tools/deps.sh
	@sh tools/deps.sh test
	@mkdir -p $(B) && touch $@

lib: $(B)/libsvcledger.a $(B)/$(SONAME)
tool: $(B)/svcledger

# The catalogs as GNU gettext files (tools/po.sh; docs/cli.md "Language"):
# $(B)/po/svcledger.pot and zh_CN.po for translators, and $(MO) for
# gettext's tools, compiled by `msgfmt --check` (a malformed entry, or a
# translation whose conversions differ from its English, fails the
# build). The tool reads its compiled-in catalogs and needs none of them:
# without msgfmt the .mo is skipped, and the build says so.
PO_DEFS := tools/msg_zh_CN.def $(sort $(wildcard model/msg_zh_CN*.def))
MO := $(B)/locale/zh_CN/LC_MESSAGES/svcledger.mo
LOCALEDIR ?= $(PREFIX)/share/locale
MSGFMT := $(shell command -v msgfmt 2>/dev/null)
.PHONY: po mo
all: mo
po: $(B)/po/zh_CN.po

$(B)/po/zh_CN.po: tools/po.sh tools/po.awk $(PO_DEFS) include/svcledger.h
	@echo "  PO      $(B)/po/svcledger.pot, $@"
	@sh tools/po.sh $(B)/po

ifneq ($(MSGFMT),)
mo: $(MO)
$(MO): $(B)/po/zh_CN.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"
	@msgfmt --check -o $@.tmp $< && mv $@.tmp $@
else
mo:
	@echo "  ***** $(MO) skipped: msgfmt not found (gettext; sh tools/deps.sh installs it) *****"
endif

$(B)/rel/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(call layer_inc,$<) $(CFLAGS) $(WARN) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

$(B)/san/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"
	@$(CC) $(CPPFLAGS) $(call layer_inc,$<) -O1 -g $(SAN) $(WARN) -fno-omit-frame-pointer -MMD -MP -c $< -o $@

$(B)/libsvcledger.a: $(REL_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/$(SONAME): $(REL_OBJ) engine/svcledger.map
	@echo "  LD      $@"
	@$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=engine/svcledger.map \
		-o $(B)/libsvcledger.so.$(VERSION) $(REL_OBJ) $(LIBS)
	ln -sf libsvcledger.so.$(VERSION) $@
	ln -sf $(SONAME) $(B)/libsvcledger.so

$(B)/svcledger: $(B)/rel/tools/main.o $(TOOL_REL_OBJ) $(B)/libsvcledger.a
	@echo "  LD      $@"
	@$(CC) -o $@ $(B)/rel/tools/main.o $(TOOL_REL_OBJ) $(B)/libsvcledger.a $(TOOL_LIBS)

# The tool built with sanitizers, for the CLI tests.
$(B)/svcledger-san: $(B)/san/tools/main.o $(TOOL_SAN_OBJ) $(SAN_OBJ)
	@echo "  LD      $@"
	@$(CC) $(SAN) -o $@ $^ $(TOOL_LIBS)

$(B)/tests/%: tests/%.c $(SAN_OBJ) $(TOOL_SAN_OBJ) $(HELPER_SAN_OBJ) | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CPPFLAGS) $(ALL_INC) -Itests -O1 -g $(SAN) $(WARN) -Wno-missing-prototypes \
		-fno-omit-frame-pointer -o $@ $< $(SAN_OBJ) $(TOOL_SAN_OBJ) $(HELPER_SAN_OBJ) \
		-lcriterion $(TOOL_LIBS)

demo: tool
	$(B)/svcledger demo

# The dealer group under load (docs/group.md, "Soak"): SOAK_STORES demo
# stores of SOAK_DAYS days shipped at once through a three-node NATS
# cluster on loopback into one group ledger; throughput and lag. Long, and
# never part of make test.
SOAK_STORES ?= 10
SOAK_DAYS ?= 92
.PHONY: group-soak
group-soak: tool | $(DEPS_TEST_OK)
	sh tests/soak_group.sh $(B)/svcledger $(SOAK_STORES) $(SOAK_DAYS)

# The README's picture of the report (docs/report.png): the top of the
# demo's report as headless Chromium draws it (tests/browser/report_shot.sh;
# Chromium comes with the test packages, tools/deps.sh test).
.PHONY: report-shot
report-shot: tool | $(DEPS_TEST_OK)
	sh tests/browser/report_shot.sh $(B)/svcledger docs/report.png

# The reliability suite (docs/reliability.md): the failshim preloaded into
# the release tool by tests/test_crash.c and tests/test_edges.c, and the
# long crash run (1,000 kill points per test) with its figures recorded.
SHIM := $(B)/failshim.so
RELIABILITY_ENV = SVL_TOOL_REL=$(abspath $(B)/svcledger) SVL_SHIM=$(abspath $(SHIM))
CRASH_POINTS ?= 1000

# The tests that drive an outside program for most of their time (a
# three-node NATS cluster, a browser): the gcc pass runs them under its
# sanitizers; the clang pass, which is there for a second compiler's
# sanitizers on the same code, says so and leaves them out, to keep the
# whole suite within its time.
OUTSIDE_TESTS := test_ship test_group_ledger test_report_browser
RUN_BIN = $(if $(filter 1,$(CLANG_PASS)),$(filter-out \
	$(OUTSIDE_TESTS:%=$(B)/tests/%),$(TEST_BIN)),$(TEST_BIN))

test: $(TEST_BIN) $(B)/svcledger-san $(B)/svcledger $(SHIM) $(B)/layers.txt lib example test-python | $(DEPS_TEST_OK)
	@$(if $(filter 1,$(CLANG_PASS)),echo "  ***** clang pass: $(OUTSIDE_TESTS)" \
		"skipped here (they ran in the gcc pass: NATS cluster," \
		"browser) *****";)
	@SVL_TOOL=$(abspath $(B)/svcledger-san) SVL_LIBSO=$(abspath $(B)/$(SONAME)) \
		$(RELIABILITY_ENV) sh tests/run.sh $(RUN_BIN)
	@$(if $(filter 1,$(TEST_MORE)),rc=0; \
		$(MAKE) --no-print-directory test-clang || rc=1; \
		$(MAKE) --no-print-directory fuzz-smoke || rc=1; exit $$rc)

# The Python binding (python/, docs/embedding.md "From Python") against the
# shared library and tool just built: tests/python with the standard
# library's unittest. Without python3 (tools/deps.sh installs it) it says
# so and passes, so that a C-only machine can still run the suite.
test-python: lib tool
	@if command -v python3 >/dev/null 2>&1; then \
		echo "  PYTHON  tests/python ($$(python3 --version 2>&1))"; \
		SVCLEDGER_LIB=$(abspath $(B)/$(SONAME)) \
		SVCLEDGER_TOOL=$(abspath $(B)/svcledger) CC="$(CC)" \
		PYTHONPATH=$(abspath python) PYTHONDONTWRITEBYTECODE=1 \
		python3 -m unittest discover -s tests/python -v; \
	else \
		echo "  ***** test-python skipped: python3 not found" \
			"(sh tools/deps.sh installs it) *****"; \
	fi

# Which folders each layer may use, for tests/layers.sh's link check.
$(B)/layers.txt: Makefile
	@mkdir -p $(B)
	@rm -f $@.tmp
	@$(foreach l,$(filter-out tools,$(LAYERS)),echo "$(l): $(patsubst -I%,%,$(LAYER_INC_$(l)))" >> $@.tmp;)
	@mv $@.tmp $@

$(SHIM): tests/shim/failshim.c
	@mkdir -p $(dir $@)
	@echo "  CC-SO   $<"
	@$(CC) -D_GNU_SOURCE $(CFLAGS) $(WARN) -fPIC -shared -o $@ $<

.PHONY: crash-long reliability-long
crash-long: $(B)/tests/test_crash $(B)/svcledger $(SHIM)
	@rm -f $(B)/crash-long.txt
	@$(RELIABILITY_ENV) SVL_CRASH_POINTS=$(CRASH_POINTS) \
		SVL_CRASH_REPORT=$(abspath $(B)/crash-long.txt) \
		$(B)/tests/test_crash --jobs 2; rc=$$?; \
	cat $(B)/crash-long.txt; exit $$rc

reliability-long: $(TEST_BIN) $(B)/svcledger-san $(B)/svcledger $(SHIM)
	@start=$$(date +%s); $(MAKE) -s crash-long CRASH_POINTS=$(CRASH_POINTS); \
	rc=$$?; end=$$(date +%s); \
	{ echo "reliability-long $$(date -u +%Y-%m-%dT%H:%MZ): exit $$rc," \
		"$$((end - start)) s, $(CRASH_POINTS) points per crash test, $$(nproc) cores"; \
	  cat $(B)/crash-long.txt; } > $(B)/reliability-long.txt; \
	cat $(B)/reliability-long.txt; exit $$rc

# After the suite, `test` runs it again built with clang (whose UBSan sees
# what gcc's misses, e.g. NULL + 0): the same rules with CC and B changed;
# then the fuzzers' smoke run. Both run even if the other fails.
CLANG ?= clang
TEST_MORE ?= 1
test-clang: | $(DEPS_OK)
	@echo "  SUITE   clang, in $(B)/clang"
	@$(MAKE) --no-print-directory CC=$(CLANG) B=$(B)/clang TEST_MORE=0 \
		CLANG_PASS=1 test

# ---- fuzzing (tests/fuzz/README.md) ----
# Each tests/fuzz/fuzz_<name>.c is a libFuzzer harness for one decoder of
# outside data; tests/fuzz/corpus/<name>/ holds its seeds and reproducers.
# The library and tool sources are compiled again with coverage
# instrumentation in $(FZ); runs work on a copy of each corpus in
# $(FZ)/corpus and write what they find to $(FZ)/artifacts.
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_JOBS ?= 2
FZ := $(B)/fuzz
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BIN := $(FUZZ_NAMES:%=$(FZ)/fuzz_%)
FUZZ_OBJ := $(LIB_SRC:%.c=$(FZ)/obj/%.o) $(TOOL_SRC:%.c=$(FZ)/obj/%.o)

$(FZ)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@echo "  CC-FUZZ $<"
	@$(CLANG) $(CPPFLAGS) $(call layer_inc,$<) -O1 -g -fsanitize=fuzzer-no-link $(SAN) $(WARN) \
		-fno-omit-frame-pointer -MMD -MP -c $< -o $@

$(FZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ) | $(DEPS_OK)
	@echo "  FUZZER  $@"
	@$(CLANG) $(CPPFLAGS) $(ALL_INC) -Itests/fuzz -O1 -g -fsanitize=fuzzer $(SAN) \
		$(WARN) -fno-omit-frame-pointer -o $@ $< $(FUZZ_OBJ) $(TOOL_LIBS)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh fuzz $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FZ) \
		$(FUZZ_NAMES)

fuzz-smoke: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_JOBS) $(FZ) \
		$(FUZZ_NAMES)

# Regenerate the gen-* seeds of tests/fuzz/corpus from the catalog.
fuzz-seeds: $(B)/fuzz-seeds
	$(B)/fuzz-seeds tests/fuzz/corpus

$(B)/fuzz-seeds: tests/fuzz/seeds.c $(SAN_OBJ) $(TOOL_SAN_OBJ) | $(DEPS_OK)
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(ALL_INC) -O1 -g $(SAN) $(WARN) -fno-omit-frame-pointer \
		-o $@ $< $(SAN_OBJ) $(TOOL_SAN_OBJ) $(TOOL_LIBS)

# The example integrator, built against the INSTALLED library through
# pkg-config, as a DMS developer would build it.
STAGE := $(abspath $(B)/stage)
example: lib tool
	@rm -rf $(STAGE) $(B)/example-ledger $(B)/example-ledger-backup
	@$(MAKE) -s install DESTDIR=$(STAGE) PREFIX=/usr >/dev/null
	@echo "  CC      docs/examples/dms_integration.c (pkg-config, installed)"
	@$(CC) -std=c11 -Wall -Wextra -Werror -o $(B)/dms-example \
		docs/examples/dms_integration.c \
		$$(PKG_CONFIG_SYSROOT_DIR=$(STAGE) \
		   PKG_CONFIG_PATH=$(STAGE)/usr/lib/pkgconfig \
		   pkg-config --cflags --libs svcledger)
	@LD_LIBRARY_PATH=$(STAGE)/usr/lib $(B)/dms-example $(B)/example-ledger \
		> $(B)/example.out || { cat $(B)/example.out; exit 1; }
	@grep -q "refused by R-ISS-1" $(B)/example.out
	@grep -q "customer C-88213: 1 of 1 jobs" $(B)/example.out
	@grep -q "backup verified" $(B)/example.out
	@echo "  EXAMPLE ok: $$(tail -n 1 $(B)/example.out)"
	@echo "  CC      docs/examples/dms_trust.c (pkg-config, installed)"
	@rm -rf $(B)/example-trust-ledger
	@$(CC) -std=c11 -Wall -Wextra -Werror -o $(B)/dms-trust \
		docs/examples/dms_trust.c \
		$$(PKG_CONFIG_SYSROOT_DIR=$(STAGE) \
		   PKG_CONFIG_PATH=$(STAGE)/usr/lib/pkgconfig \
		   pkg-config --cflags --libs svcledger)
	@LD_LIBRARY_PATH=$(STAGE)/usr/lib $(B)/dms-trust $(B)/example-trust-ledger \
		> $(B)/example-trust.out || { cat $(B)/example-trust.out; exit 1; }
	@grep -q "unchanged since sealed" $(B)/example-trust.out
	@echo "  EXAMPLE ok: $$(tail -n 1 $(B)/example-trust.out)"
	@echo "  CC      <svcledger/svcledger.h> stands alone: no JSON library in it"
	@printf '#include <svcledger/svcledger.h>\nint main(void) { return svl_version() > 0 ? 0 : 1; }\n' \
		| $(CC) -std=c11 -Wall -Wextra -Werror -I$(STAGE)/usr/include -x c -E - \
		| grep -qw 'json_t' && { echo "json_t in the umbrella header"; exit 1; } || true
	@printf '#include <svcledger/svcledger.h>\n#include <svcledger/svl_jansson.h>\nint main(void) { return 0; }\n' \
		| $(CC) -std=c11 -Wall -Wextra -Werror -I$(STAGE)/usr/include -x c -fsyntax-only -
	@echo "  CXX     tests/cxx/headers.cpp (C++17, pkg-config, installed)"
	@rm -rf $(B)/example-cxx-ledger
	@$(CXX) -std=c++17 -Wall -Wextra -Wpedantic -Werror -o $(B)/cxx-headers \
		tests/cxx/headers.cpp \
		$$(PKG_CONFIG_SYSROOT_DIR=$(STAGE) \
		   PKG_CONFIG_PATH=$(STAGE)/usr/lib/pkgconfig \
		   pkg-config --cflags --libs svcledger)
	@LD_LIBRARY_PATH=$(STAGE)/usr/lib $(B)/cxx-headers $(B)/example-cxx-ledger


bench: tool
	$(B)/svcledger bench --peer sqlite

# How the figures grow with the ledger's size (docs/benchmarks.md, "How
# cost grows"): the bench with its SQLite peer at each of SCALE_SIZES, one
# process per size (its output in $(B)/bench-scale-N.txt), each run's
# figures appended to $(B)/bench-scale.txt, then drawn as
# docs/benchmarks-scale.svg. Long (the 10,000,000 run alone takes a
# quarter of an hour on 2 cores) and never part of `make test`.
SCALE_SIZES ?= 100000 1000000 10000000
SCALE_DIR ?= .
.PHONY: bench-scale
bench-scale: tool
	@rm -f $(B)/bench-scale.txt
	@for n in $(SCALE_SIZES); do \
		echo "  BENCH   $$n events, load average $$(cut -d' ' -f1-3 /proc/loadavg)"; \
		$(B)/svcledger bench --peer sqlite --events $$n --proj-events $$n \
			--dir $(SCALE_DIR) --scale-record $(B)/bench-scale.txt \
			> $(B)/bench-scale-$$n.txt 2>&1 || \
			{ cat $(B)/bench-scale-$$n.txt; exit 1; }; \
		grep -A9 '^peer: the stock-card' $(B)/bench-scale-$$n.txt; \
	done
	$(B)/svcledger bench --scale-record $(B)/bench-scale.txt \
		--scale-svg docs/benchmarks-scale.svg

install: lib tool mo
	install -d $(DESTDIR)$(INCDIR)/svcledger $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(BINDIR)
	install -m 644 include/*.h catalog/catalog.def $(DESTDIR)$(INCDIR)/svcledger/
	install -m 644 $(B)/libsvcledger.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libsvcledger.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libsvcledger.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsvcledger.so
	install -m 755 $(B)/svcledger $(DESTDIR)$(BINDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		engine/svcledger.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/svcledger.pc
	$(if $(MSGFMT),install -d $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES)
	$(if $(MSGFMT),install -m 644 $(MO) $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/)

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libsvcledger.* $(DESTDIR)$(LIBDIR)/pkgconfig/svcledger.pc
	rm -f $(DESTDIR)$(BINDIR)/svcledger
	rm -rf $(DESTDIR)$(INCDIR)/svcledger
	rm -f $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/svcledger.mo

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
