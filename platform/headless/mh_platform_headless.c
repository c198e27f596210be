/* mh_platform_headless.c - EGL surfaceless (Mesa) with no window and no X
 * server: for tests, screenshots, benchmarks and servers. The engine renders
 * into its own offscreen framebuffer; time advances in fixed 1/60 s steps so
 * runs are repeatable. */
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <signal.h>
#include <string.h>

#include "../mh_egl.h"
#include "../mh_platform.h"
#include "metahall_tools.h"

static struct {
    EGLDisplay display;
    EGLContext context;
    int width, height;
} g;

static volatile sig_atomic_t g_quit;

static void on_signal(int sig)
{
    (void)sig;
    g_quit = 1;
}

static const char *egl_error_name(EGLint e)
{
    switch (e) {
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
    default: return "EGL error";
    }
}

static bool headless_init(const mh_platform_desc *user_desc, mh_error *err)
{
    mh_platform_desc desc = mh_platform_desc_defaults(user_desc);
    g.width = desc.width;
    g.height = desc.height;
    g.display = mh_egl_surfaceless_display("egl");
    EGLint major = 0, minor = 0;
    if (g.display == EGL_NO_DISPLAY || !eglInitialize(g.display, &major, &minor))
        return mh_fail(err, "", "", "cannot open an EGL display (%s); is Mesa's libegl-mesa0 installed?",
                       egl_error_name(eglGetError()));
    eglBindAPI(EGL_OPENGL_ES_API);
    const EGLint attrs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT, EGL_SURFACE_TYPE, 0, EGL_NONE};
    EGLConfig config = NULL;
    EGLint n = 0;
    if (!eglChooseConfig(g.display, attrs, &config, 1, &n) || n < 1) {
        const EGLint pbuf[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT, EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_NONE};
        if (!eglChooseConfig(g.display, pbuf, &config, 1, &n) || n < 1) {
            eglTerminate(g.display);
            return mh_fail(err, "", "", "no EGL config offers OpenGL ES 3.0");
        }
    }
    const EGLint ctx_attrs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0, EGL_NONE};
    g.context = eglCreateContext(g.display, config, EGL_NO_CONTEXT, ctx_attrs);
    if (g.context == EGL_NO_CONTEXT || !eglMakeCurrent(g.display, EGL_NO_SURFACE, EGL_NO_SURFACE, g.context)) {
        EGLint e = eglGetError();
        eglTerminate(g.display);
        return mh_fail(err, "", "", "cannot make an OpenGL ES 3.0 context current without a surface (%s)",
                       egl_error_name(e));
    }
    mh_log_debug("egl", "EGL %d.%d surfaceless, %dx%d offscreen", major, minor, g.width, g.height);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return true;
}

static bool headless_poll(mh_input_state *input)
{
    (void)input; /* no devices: scripted input comes in a later issue */
    return !g_quit;
}

static void headless_size(int *w, int *h)
{
    *w = g.width;
    *h = g.height;
}

static void headless_present(void) {}

static void headless_shutdown(void)
{
    if (g.display != EGL_NO_DISPLAY && g.display) {
        eglMakeCurrent(g.display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (g.context != EGL_NO_CONTEXT)
            eglDestroyContext(g.display, g.context);
        eglTerminate(g.display);
        eglReleaseThread();
    }
    memset(&g, 0, sizeof g);
}

const mh_platform mh_platform_headless = {
    .name = "headless",
    .offscreen = true,
    .fixed_step = true,
    .init = headless_init,
    .poll = headless_poll,
    .drawable_size = headless_size,
    .present = headless_present,
    .now = mh_clock_now,
    .shutdown = headless_shutdown,
    .gl_proc = mh_egl_gl_proc,
};
