/* cli_entry.c - main(), alone, so that everything else of the command line
 * can be linked into a test or a fuzzer that calls cli_main(). */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
