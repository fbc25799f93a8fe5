/* version.c - the run-time version of the library. */
#include "svcledger.h"

int svl_version(void)
{
	return SVL_VERSION_NUMBER;
}

const char *svl_version_string(void)
{
	return SVL_VERSION_STRING;
}
