/* mh_egl.h - EGL bits the platforms share (headless, OpenXR): the display
 * with no window system. */
#ifndef MH_EGL_H
#define MH_EGL_H

#include <EGL/egl.h>

#include "metahall.h"

/* Mesa's surfaceless display (no window system, no X server), else the
 * default display with a warning under the log tag. */
EGLDisplay mh_egl_surfaceless_display(const char *log_tag);
/* A GL function by name, for the engine (mh_gl_proc): eglGetProcAddress. */
mh_gl_fn mh_egl_gl_proc(const char *name);

#endif
