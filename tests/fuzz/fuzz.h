/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz share: the entry
 * point's prototype and the check that turns a broken property into a
 * crash libFuzzer records (with the input that broke it).
 *
 * A harness feeds outside bytes to one decoder and then checks what the
 * decoder promises: an accepted input survives a round trip, two readers
 * of the same format agree, nothing reads outside the input (ASan) and
 * nothing is undefined (UBSan). A refusal is never a failure.
 */
#ifndef SVL_FUZZ_H
#define SVL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold for every input: abort (libFuzzer writes the
 * input as a crash-* reproducer) naming the property. */
#define FUZZ_CHECK(cond, what)                                                 \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz: property broken: %s (%s)\n",    \
				what, #cond);                                  \
			abort();                                               \
		}                                                              \
	} while (0)

#endif /* SVL_FUZZ_H */
