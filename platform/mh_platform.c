/* mh_platform.c - the table of platforms this build has, and opening one by
 * name (`auto`: the headset, a desktop window, KMS/DRM, headless). */
#include "mh_platform.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metahall.h"

mh_platform_desc mh_platform_desc_defaults(const mh_platform_desc *d)
{
    mh_platform_desc r = *d;
    r.width = d->width > 0 ? d->width : 1280;
    r.height = d->height > 0 ? d->height : 720;
    r.title = d->title ? d->title : "metahall";
    r.video_drivers = d->video_drivers ? d->video_drivers : "x11,wayland,kmsdrm";
    return r;
}

const mh_platform *mh_platform_find(const char *name)
{
    if (!strcmp(name, "headless"))
        return &mh_platform_headless;
#ifdef MH_HAVE_SDL
    if (!strcmp(name, "desktop"))
        return &mh_platform_desktop;
#endif
#ifdef MH_HAVE_OPENXR
    if (!strcmp(name, "openxr"))
        return &mh_platform_openxr;
#endif
    return NULL;
}

/* One step of `auto`: platform `name` with SDL's drivers `drivers` (or
 * NULL), unless `skip` says why not; the reason it failed is logged and
 * kept in why. */
static const mh_platform *auto_try(const char *step, const char *name, const char *drivers, const char *skip,
                                   const mh_platform_desc *pd, char *why, size_t why_size)
{
    const mh_platform *p = mh_platform_find(name);
    mh_platform_desc d = *pd;
    mh_error err = {0};
    char text[1200];
    d.video_drivers = drivers;
    if (!skip && !p)
        skip = "not in this build";
    if (!skip && p->init(&d, &err)) {
        mh_log_info("platform", "auto: %s", step);
        return p;
    }
    const char *reason = skip ? skip : mh_error_text(&err, text, sizeof text);
    mh_log_info("platform", "auto: no %s: %s", step, reason);
    size_t len = strlen(why);
    snprintf(why + len, why_size - len, "%sno %s: %s", len ? "; " : "", step, reason);
    return NULL;
}

static bool have_dri_card(void)
{
    glob_t g;
    bool any = glob("/dev/dri/card*", 0, NULL, &g) == 0;
    if (any)
        globfree(&g);
    return any;
}

/* --platform auto: the headset, a desktop window, KMS/DRM, headless. */
static const mh_platform *open_auto(const mh_platform_desc *pd, mh_error *err)
{
    char why[4000] = "";
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    bool session = (display && display[0]) || (wayland && wayland[0]);
    const mh_platform *p = auto_try("headset (OpenXR)", "openxr", NULL, NULL, pd, why, sizeof why);
    if (!p)
        p = auto_try("desktop window (X11/Wayland)", "desktop", "x11,wayland",
                     session ? NULL : "DISPLAY and WAYLAND_DISPLAY are unset", pd, why, sizeof why);
    if (!p)
        p = auto_try("screen through KMS/DRM", "desktop", "kmsdrm",
                     have_dri_card() ? NULL : "no /dev/dri/card* (no display device)", pd, why, sizeof why);
    if (!p && (p = auto_try("headless", "headless", NULL, NULL, pd, why, sizeof why)))
        mh_log_warn("platform", "auto: nothing to show the hall on; rendering headless (no screen shows it)");
    if (!p)
        mh_fail(err, "", "", "--platform auto found nothing to run on: %s", why);
    return p;
}

const mh_platform *mh_platform_open(const char *name, const mh_platform_desc *pd, mh_error *err)
{
    if (!strcmp(name, "auto"))
        return open_auto(pd, err);
    const mh_platform *p = mh_platform_find(name);
    return p && p->init(pd, err) ? p : NULL;
}
