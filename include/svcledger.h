/*
 * svcledger.h - the whole public API of libsvcledger, and its version.
 *
 *   #include <svcledger.h>      cc app.c $(pkg-config --cflags --libs svcledger)
 *
 * The library's layers each have a header: svl_log.h (the event log),
 * svl_error.h (error codes). docs/embedding.md is the guide.
 */
#ifndef SVCLEDGER_H
#define SVCLEDGER_H

#include "svl_error.h"
#include "svl_log.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SVL_VERSION_MAJOR 0
#define SVL_VERSION_MINOR 1
#define SVL_VERSION_PATCH 0
#define SVL_VERSION_STRING "0.1.0"
#define SVL_VERSION_NUMBER \
	(SVL_VERSION_MAJOR * 10000 + SVL_VERSION_MINOR * 100 + SVL_VERSION_PATCH)

/* svl_version - the version of the library linked at run time, as
 * SVL_VERSION_NUMBER; compare with the macro to detect a header mismatch. */
SVL_API int svl_version(void);
SVL_API const char *svl_version_string(void);

#ifdef __cplusplus
}
#endif
#endif /* SVCLEDGER_H */
