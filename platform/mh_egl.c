/* mh_egl.c - EGL bits the platforms share (see mh_egl.h). */
#include "mh_egl.h"

#include <EGL/eglext.h>
#include <string.h>

#include "metahall.h"

EGLDisplay mh_egl_surfaceless_display(const char *log_tag)
{
    const char *ext = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    PFNEGLGETPLATFORMDISPLAYEXTPROC get_platform_display =
        (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
    if (ext && strstr(ext, "EGL_MESA_platform_surfaceless") && get_platform_display)
        return get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    mh_log_warn(log_tag, "EGL_MESA_platform_surfaceless is missing; trying the default display");
    return eglGetDisplay(EGL_DEFAULT_DISPLAY);
}

mh_gl_fn mh_egl_gl_proc(const char *name) { return (mh_gl_fn)eglGetProcAddress(name); }
