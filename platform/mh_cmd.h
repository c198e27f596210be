/* mh_cmd.h - the subcommands `main` dispatches to, one file each:
 * validate (mh_cmd_validate.c), doctor (mh_cmd_doctor.c), export (mh_cmd_export.c), render
 * (mh_cmd_render.c; with --model mh_cmd_model.c) and view (mh_cmd_model.c). The kiosk itself is mh_kiosk.h, bench mh_bench.h and
 * ctl control/mh_control.h. Each returns the program's exit status. */
#ifndef MH_CMD_H
#define MH_CMD_H

#include <stdbool.h>

#include "metahall.h"
#include "mh_options.h"

/* metahall validate PATH...: 0 when every path is valid, 1 otherwise, 2 bad usage. */
int mh_cmd_validate(int argc, char **argv);
/* metahall export [--hall DIR] --out FILE.glb */
int mh_cmd_export(int argc, char **argv);
/* metahall render --model FILE.glb [OPTIONS] --out F.png: one frame of a
 * model alone, headless (mh_cmd_model.c; tests/ref/README.md). */
int mh_cmd_render_model(int argc, char **argv);
/* metahall view FILE.glb: the model in a window, orbit and turntable. */
int mh_cmd_view(int argc, char **argv);
/* metahall render [OPTIONS] --out FILE.png: one frame headless. */
int mh_cmd_render(const mh_options *o, const char *hall_dir);
/* metahall doctor [OPTIONS]: one OK/WARN/FAIL line per thing the kiosk with
 * these options needs, each not-OK with its fix (mh_cmd_doctor.c); 0 when
 * nothing FAILs, else 1. */
int mh_cmd_doctor(const mh_options *o, const char *hall_dir);

/* metahall hub --mqtt HOST:PORT ...: the fleet's control page (http/mh_hub.c). */
int mh_hub_main(int argc, char **argv);

/* Writes the engine's last frame (w x h) as a PNG; logs why when it cannot. */
bool mh_write_frame(mh_engine *e, const char *path, int w, int h);

#endif
