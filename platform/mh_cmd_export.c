/* mh_cmd_export.c - `metahall export [--hall DIR] --out FILE.glb`: the whole
 * hall as one glTF binary (the engine's mh_export_hall; no GL context). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "metahall.h"
#include "mh_cmd.h"

int mh_cmd_export(int argc, char **argv)
{
    const char *out = NULL, *hall = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(argv[i], "--hall") && i + 1 < argc) {
            hall = argv[++i];
        } else {
            return mh_usage_error("export takes --hall DIR and --out FILE.glb, not '%s'", argv[i]);
        }
    }
    if (!out)
        return mh_usage_error("export needs --out FILE.glb%s", "");
    char hall_buf[PATH_MAX], text[1200];
    mh_error err = {0};
    if (!mh_export_hall(hall ? hall : mh_default_hall(hall_buf, sizeof hall_buf), out, &err)) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    mh_log_info("main", "wrote %s", out);
    return 0;
}
