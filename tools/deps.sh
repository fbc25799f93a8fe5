#!/bin/sh
# deps.sh - make sure the Debian packages the build needs are present;
# "deps.sh test" adds what only the test suite needs (a browser for the
# report's test, a NATS server and client for the dealer group's), so that
# `make demo` does not install a browser.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact command to run and fails, so that nothing half-builds.
set -eu
need=""
mode="${1:-build}"
check() { # header package
	if [ ! -e "/usr/include/$1" ]; then need="$need $2"; fi
}
check lmdb.h liblmdb-dev
check msgpack.h libmsgpack-dev
check xxhash.h libxxhash-dev
check criterion/criterion.h libcriterion-dev
check jansson.h libjansson-dev
check sodium.h libsodium-dev
check sqlite3.h libsqlite3-dev
check nats/nats.h libnats-dev # svcledger ship/restore/group (docs/group.md)
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
# stock tools that docs/format.md verifies a ledger with (and the tests do)
command -v mdb_dump >/dev/null 2>&1 || need="$need lmdb-utils"
command -v xxhsum >/dev/null 2>&1 || need="$need xxhash"
command -v xxd >/dev/null 2>&1 || need="$need xxd"
command -v objdump >/dev/null 2>&1 || need="$need binutils"
# xgettext: tests/test_msgcat.c checks the refusal catalogs against the
# templates of decide/ as xgettext extracts them
command -v xgettext >/dev/null 2>&1 || need="$need gettext"
# the independent verifiers of the tests: tests/auditor_check.py and
# tests/auditor_seals.py (Python's hashlib, openssl's Ed25519)
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v openssl >/dev/null 2>&1 || need="$need openssl"
command -v cc >/dev/null 2>&1 || need="$need gcc"
command -v g++ >/dev/null 2>&1 || need="$need g++" # the C++17 header test
# clang: the sanitizer suite is also built with it, and the fuzzers of
# tests/fuzz need its libFuzzer runtime (a separate package, only
# recommended by clang's)
if ! command -v clang >/dev/null 2>&1; then
	need="$need clang libclang-rt-dev"
elif ! printf '%s\n' \
	'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);' \
	'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)' \
	'{ (void)d; (void)n; return 0; }' |
	clang -x c -fsanitize=fuzzer,address,undefined -o /dev/null - \
		>/dev/null 2>&1; then
	need="$need libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
fi
if [ "$mode" = test ]; then
	# tests/test_report_browser.c: the report in headless Chromium
	command -v chromium >/dev/null 2>&1 || need="$need chromium"
	# the dealer group's tests: a 3-node JetStream cluster on loopback
	command -v nats-server >/dev/null 2>&1 || need="$need nats-server"
fi
[ -z "$need" ] && exit 0
echo "deps: missing Debian packages:$need" >&2
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq $need >&2
else
	echo "deps: run as root:  apt-get update && apt-get install -y$need" >&2
	exit 1
fi
