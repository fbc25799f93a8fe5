/* main.c - the svcledger command-line tool (placeholder until tools land). */
#include <stdio.h>

#include "svcledger.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("svcledger %s\n", svl_version_string());
	return 0;
}
