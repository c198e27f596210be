/* mh_main.c - the metahall program: picks the subcommand and hands over.
 *
 *   metahall [OPTIONS]                 the kiosk (mh_kiosk.c)
 *   metahall render [OPTIONS] --out F  one frame to a PNG (mh_cmd_render.c)
 *   metahall render --model FILE ...   one frame of a model alone (mh_cmd_model.c)
 *   metahall view FILE.glb             a model alone in a window (mh_cmd_model.c)
 *   metahall validate PATH...          check assets (mh_cmd_validate.c)
 *   metahall doctor [OPTIONS]          check the machine for the kiosk (mh_cmd_doctor.c)
 *   metahall export --out FILE.glb     the hall as glTF (mh_cmd_export.c)
 *   metahall bench [OPTIONS]           figures on a fixed path (mh_bench.c)
 *   metahall ctl COMMAND...            talk to a running kiosk (control/mh_ctl.c)
 *   metahall hub --mqtt HOST:PORT      the fleet's control page (http/mh_hub.c)
 *
 * Options and the configuration file: mh_options.c. Exit status: 0 success,
 * 1 the kiosk could not run (message on stderr), 2 bad command line. */
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "control/mh_control.h"
#include "mh_bench.h"
#include "mh_cmd.h"
#include "mh_kiosk.h"
#include "mh_platform.h"
#include "service/mh_service.h"

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a control client that hangs up is not a reason to die */
    signal(SIGXFSZ, SIG_IGN); /* a write past a file-size limit fails (a screenshot: ERR 507), it does not kill */
    mh_service_init();        /* journald log levels from the first line on, under systemd */
    /* One malloc arena: the hall's scene is built on a thread of its own at
     * start-up, and the driver's texture storage then reuses the pages its
     * images leave behind (in a second arena it could not: a third more page
     * faults in the upload; tests/bench/NOTES.md, start-up). */
    mallopt(M_ARENA_MAX, 1);
    const char *sub = argc > 1 ? argv[1] : "";
    char hall_buf[PATH_MAX];
    if (!strcmp(sub, "validate"))
        return mh_cmd_validate(argc, argv);
    if (!strcmp(sub, "ctl"))
        return mh_ctl_main(argc - 1, argv + 1);
    if (!strcmp(sub, "hub"))
        return mh_hub_main(argc - 1, argv + 1);
    if (!strcmp(sub, "export"))
        return mh_cmd_export(argc, argv);
    if (!strcmp(sub, "view"))
        return mh_cmd_view(argc, argv);
    for (int i = 2; !strcmp(sub, "render") && i < argc; i++)
        if (!strcmp(argv[i], "--model"))
            return mh_cmd_render_model(argc, argv);
    if (!strcmp(sub, "bench"))
        return mh_bench_main(argc - 1, argv + 1, mh_default_hall(hall_buf, sizeof hall_buf));
    mh_options o;
    int rc = mh_options_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    const char *hall = o.hall ? o.hall : mh_default_hall(hall_buf, sizeof hall_buf);
    if (!strcmp(o.command, "render"))
        return mh_cmd_render(&o, hall);
    if (!strcmp(o.command, "doctor"))
        return mh_cmd_doctor(&o, hall);
    if (!mh_platform_find(o.platform) && strcmp(o.platform, "auto") != 0) {
        fprintf(stderr,
                "metahall: this build has no '%s' platform (built without SDL2 or OpenXR?); "
                "try --platform headless\n",
                o.platform);
        return 2;
    }
    return mh_kiosk_run(&o, hall);
}
