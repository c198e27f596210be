/* mh_egl.h - EGL bits the platforms share (headless, OpenXR): the display
 * with no window system. */
#ifndef MH_EGL_H
#define MH_EGL_H

#include <EGL/egl.h>

/* Mesa's surfaceless display (no window system, no X server), else the
 * default display with a warning under the log tag. */
EGLDisplay mh_egl_surfaceless_display(const char *log_tag);

#endif
