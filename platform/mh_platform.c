/* mh_platform.c - the table of platforms this build has, and opening one by
 * name (`auto`: the headset first, else the desktop window). */
#include "mh_platform.h"

#include <string.h>

#include "metahall.h"

mh_platform_desc mh_platform_desc_defaults(const mh_platform_desc *d)
{
    mh_platform_desc r = *d;
    r.width = d->width > 0 ? d->width : 1280;
    r.height = d->height > 0 ? d->height : 720;
    r.title = d->title ? d->title : "metahall";
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

const mh_platform *mh_platform_open(const char *name, const mh_platform_desc *pd, mh_error *err)
{
    bool any = !strcmp(name, "auto");
    const mh_platform *p = mh_platform_find(any ? "openxr" : name);
    if (p && p->init(pd, err))
        return p;
    if (!any)
        return NULL;
    char text[1200];
    mh_log_warn("main", "no headset, using the desktop window: %s",
                p ? mh_error_text(err, text, sizeof text) : "this build has no OpenXR platform");
    p = mh_platform_find("desktop");
    if (!p) {
        mh_fail(err, "", "", "--platform auto: no headset and no desktop platform in this build");
        return NULL;
    }
    return p->init(pd, err) ? p : NULL;
}
