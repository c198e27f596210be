/* mh_cmd_render.c - `metahall render [OPTIONS] --out FILE.png`: one frame
 * on the headless platform, written as a PNG (the golden tests' renders);
 * and the frame-to-PNG writer the kiosk's --screenshot shares. */
#include <stdio.h>
#include <stdlib.h>

#include "metahall_tools.h"
#include "mh_cmd.h"
#include "mh_platform.h"

bool mh_write_frame(mh_engine *e, const char *path, int w, int h)
{
    uint8_t *px = malloc((size_t)w * h * 4);
    mh_error err;
    bool ok = px && mh_engine_read_pixels(e, px, w, h) && mh_tools_write_png(path, px, w, h, &err);
    if (!ok) {
        char text[1024];
        mh_log_error("main", "%s", px ? mh_error_text(&err, text, sizeof text) : "out of memory");
    }
    free(px);
    return ok;
}

int mh_cmd_render(const mh_options *o, const char *hall_dir)
{
    const mh_platform *p = &mh_platform_headless;
    mh_error err = {0};
    char text[1200];
    mh_engine_desc ed = {.hall_dir = hall_dir,
                         .offscreen_width = o->width,
                         .offscreen_height = o->height,
                         .msaa = o->msaa,
                         .quality = o->quality,
                         .bloom = o->bloom,
                         .reflection = o->reflection,
                         .start_view = o->view,
                         .idle_timeout_s = -1.0f,
                         .language = o->lang,
                         .multiview = o->multiview && o->stereo,
                         .gl_proc = p->gl_proc};
    /* the hall's scene is built while EGL starts (metahall.h, mh_engine_begin) */
    mh_engine *e = mh_engine_begin(&ed, &err);
    mh_platform_desc pd = {.width = o->width, .height = o->height, .msaa = o->msaa};
    bool up = e && p->init(&pd, &err);
    if (up && !mh_engine_finish(e, &ed, &err))
        mh_engine_destroy(&e);
    int status = 1;
    if (!up || !e) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        mh_engine_destroy(&e);
    } else {
        mh_frame_input in = {.dt_s = 0, .width = o->width, .height = o->height};
        if (o->stereo)
            mh_engine_preview_eyes(&in, o->width, o->height);
        mh_engine_frame(e, &in, NULL);
        status = 0;
        if (o->panel) { /* the panel is fitted to this frame's screen, then drawn fully open */
            if (!mh_engine_show_panel(e, o->panel, o->page ? (int)o->page - 1 : 0,
                                      o->panel_view ? (int)o->panel_view - 1 : 0, &err)) {
                fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
                status = 1;
            }
            in.time_s = 1.0 / 60.0;
            mh_engine_frame(e, &in, NULL);
        }
        status = status || !mh_write_frame(e, o->out, o->width, o->height);
        if (status == 0 && o->save_env && !mh_engine_save_environment(e, o->save_env, &err)) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            status = 1;
        }
        mh_engine_destroy(&e);
    }
    if (up)
        p->shutdown();
    return status;
}
