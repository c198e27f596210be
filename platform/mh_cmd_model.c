/* mh_cmd_model.c - a model alone, before it goes into an exhibit:
 *
 *   metahall render --model FILE.glb [--size WxH] [--camera auto|NAME|EX,EY,EZ,TX,TY,TZ,FOV,NEAR,FAR]
 *                   [--env DIR|none] [--env-intensity S] [--light DX,DY,DZ,R,G,B,INTENSITY]
 *                   [--time T] [--background R,G,B] [--msaa N] --out F.png
 *   metahall view FILE.glb [--size WxH] [--env DIR|none] [--env-intensity S] [--fullscreen]
 *
 * render draws one frame headless (tests/ref/README.md is the contract the
 * reference comparison relies on); view opens a window: drag to orbit, the
 * wheel or W/S to come closer, and after three seconds without input it
 * turns like a turntable. Both use the engine's viewer (mh_viewer_*). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metahall_tools.h"
#include "mh_args.h"
#include "mh_cmd.h"
#include "mh_platform.h"

typedef struct model_opts {
    mh_viewer_desc d;
    const char *camera; /* "auto", a name, or nine numbers */
    const char *out;
    float time;
    int width, height;
    bool fullscreen;
} model_opts;

/* n comma-separated floats. */
static bool parse_floats(const char *s, float *out, int n)
{
    for (int i = 0; i < n; i++) {
        char *end;
        out[i] = strtof(s, &end);
        if (end == s || !isfinite(out[i]) || (i + 1 < n ? *end != ',' : *end != 0))
            return false;
        s = end + 1;
    }
    return true;
}

static int parse_option(model_opts *o, const char *key, const char *val)
{
    float f[9];
    if (!strcmp(key, "--model"))
        o->d.model = val;
    else if (!strcmp(key, "--out"))
        o->out = val;
    else if (!strcmp(key, "--camera"))
        o->camera = val;
    else if (!strcmp(key, "--env"))
        o->d.env = val;
    else if (!strcmp(key, "--hall"))
        o->d.hall_dir = val;
    else if (!strcmp(key, "--size")) {
        if (!mh_parse_size(val, &o->width, &o->height))
            return mh_usage_error("--size wants WxH, each 16..8192, not '%s'", val);
    } else if (!strcmp(key, "--env-intensity")) {
        if (!parse_floats(val, f, 1) || f[0] < 0)
            return mh_usage_error("--env-intensity wants a number >= 0, not '%s'", val);
        o->d.env_intensity = f[0];
    } else if (!strcmp(key, "--light")) {
        if (!parse_floats(val, f, 7) || f[6] < 0)
            return mh_usage_error("--light wants DX,DY,DZ,R,G,B,INTENSITY, not '%s'", val);
        memcpy(o->d.light_dir, f, sizeof(float) * 3);
        memcpy(o->d.light_color, f + 3, sizeof(float) * 3);
        o->d.light_intensity = f[6];
    } else if (!strcmp(key, "--time")) {
        if (!parse_floats(val, f, 1) || f[0] < 0)
            return mh_usage_error("--time wants seconds >= 0, not '%s'", val);
        o->time = f[0];
    } else if (!strcmp(key, "--background")) {
        if (!parse_floats(val, f, 3) || f[0] < 0 || f[0] > 255 || f[1] < 0 || f[1] > 255 || f[2] < 0 || f[2] > 255)
            return mh_usage_error("--background wants R,G,B bytes, not '%s'", val);
        for (int i = 0; i < 3; i++)
            o->d.background[i] = (uint8_t)f[i];
    } else if (!strcmp(key, "--msaa")) {
        long n;
        if (!mh_parse_long(val, 1, 16, &n))
            return mh_usage_error("--msaa wants 1..16, not '%s'", val);
        o->d.msaa = (int)n;
    } else {
        return mh_usage_error("unknown option '%s' for a model (see metahall --help)", key);
    }
    return -1;
}

/* Reads argv[first..]; a lone argument (view's FILE) is the model. */
static int parse_args(int argc, char **argv, int first, model_opts *o)
{
    *o = (model_opts){.camera = "auto",
                      .width = 512,
                      .height = 512,
                      .d = {.env_intensity = 1, .light_intensity = 1.2f, .background = {40, 44, 52}}};
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            mh_log_set_level(MH_LOG_ERROR);
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
            mh_log_set_level(MH_LOG_DEBUG);
        else if (!strcmp(a, "--fullscreen"))
            o->fullscreen = true;
        else if (a[0] != '-' && !o->d.model)
            o->d.model = a;
        else if (i + 1 >= argc)
            return mh_usage_error("'%s' needs a value", a);
        else {
            int rc = parse_option(o, a, argv[++i]);
            if (rc >= 0)
                return rc;
        }
    }
    if (!o->d.model)
        return mh_usage_error("which model? (--model FILE.glb)%s", "");
    return -1;
}

/* tests/ref/README.md's auto camera: the sphere around the box just fits
 * the narrower side, seen from (0.5, 0.4, 1). */
static mh_camera auto_camera(const mh_viewer *v, int w, int h)
{
    float mn[3], mx[3];
    mh_viewer_bounds(v, mn, mx);
    float c[3], r = 0;
    for (int i = 0; i < 3; i++) {
        c[i] = 0.5f * (mn[i] + mx[i]);
        r += (mx[i] - mn[i]) * (mx[i] - mn[i]);
    }
    r = sqrtf(r) * 0.5f;
    r = r > 0 ? r : 1;
    float fov = 45.0f * 3.14159265f / 180.0f;
    float half = fminf(fov / 2, atanf(tanf(fov / 2) * (float)w / (float)h));
    float d = r / sinf(half), k = 1.0f / sqrtf(0.25f + 0.16f + 1.0f);
    return (mh_camera){.set = true,
                       .eye = {c[0] + d * 0.5f * k, c[1] + d * 0.4f * k, c[2] + d * k},
                       .target = {c[0], c[1], c[2]},
                       .vfov_deg = 45,
                       .z_near = d / 100,
                       .z_far = d + 2 * r};
}

static bool pick_camera(const mh_viewer *v, const model_opts *o, mh_camera *cam)
{
    float f[9];
    if (!strcmp(o->camera, "auto")) {
        *cam = auto_camera(v, o->width, o->height);
        return true;
    }
    if (parse_floats(o->camera, f, 9)) {
        *cam = (mh_camera){.set = true,
                           .eye = {f[0], f[1], f[2]},
                           .target = {f[3], f[4], f[5]},
                           .vfov_deg = f[6],
                           .z_near = f[7],
                           .z_far = f[8]};
        return f[6] > 0 && f[6] < 180 && f[7] > 0 && f[8] > f[7];
    }
    if (mh_viewer_camera(v, o->camera, cam))
        return true;
    fprintf(stderr,
            "metahall: the model has no perspective camera named \"%.60s\" (use auto, a name, or "
            "EX,EY,EZ,TX,TY,TZ,FOV,NEAR,FAR)\n",
            o->camera);
    return false;
}

int mh_cmd_render_model(int argc, char **argv)
{
    model_opts o;
    int rc = parse_args(argc, argv, 2, &o);
    if (rc >= 0)
        return rc;
    if (!o.out)
        return mh_usage_error("render --model needs --out FILE.png%s", "");
    const mh_platform *p = &mh_platform_headless;
    mh_error err = {0};
    char text[1200], hall[4096];
    if (!o.d.hall_dir)
        o.d.hall_dir = mh_default_hall(hall, sizeof hall);
    o.d.offscreen_width = o.width;
    o.d.offscreen_height = o.height;
    mh_platform_desc pd = {.width = o.width, .height = o.height, .msaa = o.d.msaa};
    if (!p->init(&pd, &err)) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    mh_viewer *v = mh_viewer_create(&o.d, &err);
    int status = 1;
    mh_camera cam;
    if (!v) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
    } else if (pick_camera(v, &o, &cam)) {
        mh_viewer_frame(v, &cam, o.time, 0, o.width, o.height);
        uint8_t *px = malloc((size_t)o.width * (size_t)o.height * 4);
        status = px && mh_viewer_read_pixels(v, px, o.width, o.height) &&
                         mh_tools_write_png(o.out, px, o.width, o.height, &err)
                     ? 0
                     : 1;
        if (status)
            fprintf(stderr, "metahall: %s\n", px ? mh_error_text(&err, text, sizeof text) : "out of memory");
        free(px);
    }
    mh_viewer_destroy(&v);
    p->shutdown();
    return status;
}

/* ---- metahall view ----------------------------------------------------------- */

/* An orbit around the model's box: yaw and pitch by dragging, distance by
 * the wheel or W/S, a slow turn after three seconds without input. */
typedef struct orbit {
    float yaw, pitch, dist, idle;
    float c[3], r;
} orbit;

static void orbit_update(orbit *ob, const mh_input_state *in, float dt)
{
    bool active = in->look_yaw != 0 || in->look_pitch != 0 || in->move_forward != 0 || in->turn != 0;
    ob->idle = active ? 0 : ob->idle + dt;
    ob->yaw += in->look_yaw + in->turn * dt * 1.5f;
    ob->pitch = fminf(1.45f, fmaxf(-1.45f, ob->pitch - in->look_pitch));
    ob->dist *= expf(-in->move_forward * dt * 1.5f);
    ob->dist = fminf(ob->r * 20, fmaxf(ob->r * 0.3f, ob->dist));
    if (ob->idle > 3)
        ob->yaw += dt * 0.35f; /* turntable: a turn in 18 s */
}

static mh_camera orbit_camera(const orbit *ob)
{
    float cp = cosf(ob->pitch);
    return (mh_camera){.set = true,
                       .eye = {ob->c[0] + ob->dist * cp * sinf(ob->yaw), ob->c[1] + ob->dist * sinf(ob->pitch),
                               ob->c[2] + ob->dist * cp * cosf(ob->yaw)},
                       .target = {ob->c[0], ob->c[1], ob->c[2]},
                       .vfov_deg = 45,
                       .z_near = ob->dist / 100,
                       .z_far = ob->dist + 4 * ob->r};
}

int mh_cmd_view(int argc, char **argv)
{
    model_opts o;
    int rc = parse_args(argc, argv, 2, &o);
    if (rc >= 0)
        return rc;
    char text[1200], hall[4096];
    if (!o.d.hall_dir)
        o.d.hall_dir = mh_default_hall(hall, sizeof hall);
    mh_error err = {0};
    mh_platform_desc pd = {.width = o.width == 512 ? 1280 : o.width,
                           .height = o.height == 512 ? 720 : o.height,
                           .fullscreen = o.fullscreen,
                           .vsync = true,
                           .msaa = o.d.msaa,
                           .title = o.d.model};
    const mh_platform *p = mh_platform_open("desktop", &pd, &err);
    if (!p) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        return 1;
    }
    mh_viewer *v = mh_viewer_create(&o.d, &err);
    if (!v) {
        fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
        p->shutdown();
        return 1;
    }
    float mn[3], mx[3];
    mh_viewer_bounds(v, mn, mx);
    orbit ob = {.yaw = 0.46f, .pitch = 0.3f};
    for (int i = 0; i < 3; i++) {
        ob.c[i] = 0.5f * (mn[i] + mx[i]);
        ob.r += (mx[i] - mn[i]) * (mx[i] - mn[i]);
    }
    ob.r = ob.r > 0 ? sqrtf(ob.r) * 0.5f : 1;
    ob.dist = ob.r / sinf(22.5f * 3.14159265f / 180.0f);
    double start = p->now(), last = start;
    for (;;) {
        mh_input_state in = {0};
        if (!p->poll(&in))
            break;
        double now = p->now();
        orbit_update(&ob, &in, (float)(now - last));
        last = now;
        int w, h;
        p->drawable_size(&w, &h);
        mh_camera cam = orbit_camera(&ob);
        mh_viewer_frame(v, &cam, now - start, 0, w, h);
        p->present();
    }
    mh_viewer_destroy(&v);
    p->shutdown();
    return 0;
}
