/* mh_cmd_validate.c - `metahall validate PATH...`: checks halls, exhibits,
 * models and PNGs before they go to a kiosk; one line per problem on stdout
 * (FILE: POINTER: message), a summary on stderr. */
#include <stdio.h>
#include <string.h>

#include "metahall_tools.h"
#include "mh_cmd.h"

static void print_problem(void *user, const char *file, const char *where, const char *message, bool error)
{
    (void)user;
    printf("%s: %s: %s%s\n", file, where, error ? "" : "warning: ", message);
}

int mh_cmd_validate(int argc, char **argv)
{
    if (argc < 3)
        return mh_usage_error("validate needs at least one PATH (a hall or exhibit folder, .gltf, .glb or .png)%s", "");
    for (int i = 2; i < argc; i++)
        if (argv[i][0] == '-' && strcmp(argv[i], "-"))
            return mh_usage_error("validate takes paths, not options ('%s')", argv[i]);
    mh_log_set_level(MH_LOG_ERROR + 1); /* problems go to stdout once, not through the log as well */
    mh_tools_validate_counts st = {0};
    for (int i = 2; i < argc; i++)
        mh_tools_validate(argv[i], print_problem, NULL, &st);
    mh_tools_validate_reset();
    fflush(stdout);
    fprintf(stderr, "metahall validate: %d files checked, %d errors, %d warnings: %s\n", st.files, st.errors,
            st.warnings, st.errors ? "INVALID" : "valid");
    return st.errors ? 1 : 0;
}
