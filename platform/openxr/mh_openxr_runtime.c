/* mh_openxr_runtime.c - the OpenXR bring-up before a session exists: the
 * instance with the extensions the runtime offers (XR_MNDX_egl_enable to hand
 * it OpenGL ES frames on Linux, XR_KHR_opengl_es_enable, and the depth layer
 * when offered), the head-mounted display's system, the recommended eye size,
 * and an EGL surfaceless (Mesa) GLES 3.0 context for the session to use.
 * Failures become sentences a kiosk operator can act on. */
#include <openxr/openxr_reflection.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metahall.h"
#include "../mh_egl.h"
#include "mh_openxr.h"

#define RESULT_CASE(name, value) \
    case name: return #name;

const char *mh_xr_result_name(XrResult r)
{
    switch (r) {
        XR_LIST_ENUM_XrResult(RESULT_CASE) default : return "an unknown XrResult";
    }
}

bool mh_xr_fail(mh_error *err, XrResult r, const char *what)
{
    return mh_fail(err, "", "", "%s failed (%s)", what, mh_xr_result_name(r));
}

/* The results an operator can do something about get their own sentence. */
static bool runtime_fail(mh_error *err, XrResult r, const char *what)
{
    switch (r) {
    case XR_ERROR_RUNTIME_UNAVAILABLE:
        return mh_fail(err, "", "",
                       "no OpenXR runtime is installed (the OpenXR loader found no active runtime); "
                       "install one such as Monado, or run with --platform desktop");
    case XR_ERROR_RUNTIME_FAILURE:
        return mh_fail(err, "", "",
                       "the OpenXR runtime failed to start (is its service running? for Monado: monado-service)");
    case XR_ERROR_FORM_FACTOR_UNAVAILABLE:
        return mh_fail(err, "", "",
                       "no headset is connected: the OpenXR runtime has no head-mounted display right now "
                       "(connect and switch on the headset, or run with --platform desktop)");
    default: return mh_xr_fail(err, r, what);
    }
}

/* ---- instance ------------------------------------------------------------ */

typedef struct offered {
    bool egl, gles, depth, presence, hands;
} offered;

static bool offered_extensions(offered *o, mh_error *err)
{
    uint32_t n = 0;
    XrResult r = xrEnumerateInstanceExtensionProperties(NULL, 0, &n, NULL);
    if (XR_FAILED(r))
        return runtime_fail(err, r, "asking the OpenXR runtime for its extensions");
    XrExtensionProperties *props = calloc(n ? n : 1, sizeof *props);
    if (!props)
        return mh_fail(err, "", "", "out of memory listing OpenXR extensions");
    for (uint32_t i = 0; i < n; i++)
        props[i].type = XR_TYPE_EXTENSION_PROPERTIES;
    r = xrEnumerateInstanceExtensionProperties(NULL, n, &n, props);
    for (uint32_t i = 0; XR_SUCCEEDED(r) && i < n; i++) {
        const char *name = props[i].extensionName;
        o->egl |= !strcmp(name, XR_MNDX_EGL_ENABLE_EXTENSION_NAME);
        o->gles |= !strcmp(name, XR_KHR_OPENGL_ES_ENABLE_EXTENSION_NAME);
        o->depth |= !strcmp(name, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
        o->presence |= !strcmp(name, XR_EXT_USER_PRESENCE_EXTENSION_NAME);
        o->hands |= !strcmp(name, XR_EXT_HAND_TRACKING_EXTENSION_NAME);
    }
    mh_log_debug("openxr",
                 "the runtime offers %u extensions (MNDX_egl_enable %s, KHR_opengl_es_enable %s, "
                 "KHR_composition_layer_depth %s, EXT_user_presence %s)",
                 n, o->egl ? "yes" : "no", o->gles ? "yes" : "no", o->depth ? "yes" : "no", o->presence ? "yes" : "no");
    free(props);
    if (XR_FAILED(r))
        return runtime_fail(err, r, "asking the OpenXR runtime for its extensions");
    if (!o->egl)
        return mh_fail(err, "", "",
                       "the OpenXR runtime cannot take OpenGL ES frames on Linux: it does not offer the "
                       "XR_MNDX_egl_enable extension (Monado does); run with --platform desktop instead");
    return true;
}

static bool create_instance(mh_xr_runtime *rt, const offered *o, mh_error *err)
{
    const char *ext[5];
    uint32_t n = 0;
    ext[n++] = XR_MNDX_EGL_ENABLE_EXTENSION_NAME;
    if (o->gles)
        ext[n++] = XR_KHR_OPENGL_ES_ENABLE_EXTENSION_NAME;
    if (o->depth)
        ext[n++] = XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME;
    if (o->presence)
        ext[n++] = XR_EXT_USER_PRESENCE_EXTENSION_NAME;
    if (o->hands)
        ext[n++] = XR_EXT_HAND_TRACKING_EXTENSION_NAME;
    XrInstanceCreateInfo ci = {.type = XR_TYPE_INSTANCE_CREATE_INFO,
                               .enabledExtensionCount = n,
                               .enabledExtensionNames = ext};
    snprintf(ci.applicationInfo.applicationName, sizeof ci.applicationInfo.applicationName, "metahall");
    snprintf(ci.applicationInfo.engineName, sizeof ci.applicationInfo.engineName, "metahall");
    ci.applicationInfo.applicationVersion = 1;
    ci.applicationInfo.engineVersion = 1;
#ifdef XR_API_VERSION_1_0
    ci.applicationInfo.apiVersion = XR_API_VERSION_1_0; /* all metahall needs; 1.1 runtimes take it */
#else
    ci.applicationInfo.apiVersion = XR_CURRENT_API_VERSION;
#endif
    XrResult r = xrCreateInstance(&ci, &rt->instance);
    if (XR_FAILED(r)) {
        rt->instance = XR_NULL_HANDLE;
        return runtime_fail(err, r, "creating the OpenXR instance");
    }
    rt->has_gles_enable = o->gles;
    rt->has_depth_layer = o->depth;
    rt->has_presence = o->presence; /* and the headset's sensor: get_system */
    rt->has_hands = o->hands;       /* and the system's tracking: get_system */
    XrInstanceProperties ip = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    if (XR_SUCCEEDED(xrGetInstanceProperties(rt->instance, &ip)))
        mh_log_info("openxr", "runtime %s %u.%u.%u", ip.runtimeName, XR_VERSION_MAJOR(ip.runtimeVersion),
                    XR_VERSION_MINOR(ip.runtimeVersion), XR_VERSION_PATCH(ip.runtimeVersion));
    return true;
}

/* ---- system, views --------------------------------------------------------- */

static bool get_system(mh_xr_runtime *rt, mh_error *err)
{
    XrSystemGetInfo gi = {.type = XR_TYPE_SYSTEM_GET_INFO, .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    XrResult r = xrGetSystem(rt->instance, &gi, &rt->system);
    if (XR_FAILED(r))
        return runtime_fail(err, r, "finding the headset (xrGetSystem)");
    XrSystemHandTrackingPropertiesEXT hp = {.type = XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT};
    XrSystemUserPresencePropertiesEXT up = {.type = XR_TYPE_SYSTEM_USER_PRESENCE_PROPERTIES_EXT,
                                            .next = rt->has_hands ? &hp : NULL};
    XrSystemProperties sp = {.type = XR_TYPE_SYSTEM_PROPERTIES,
                             .next = rt->has_presence ? (void *)&up
                                     : rt->has_hands  ? (void *)&hp
                                                      : NULL};
    if (XR_SUCCEEDED(xrGetSystemProperties(rt->instance, rt->system, &sp)))
        mh_log_info("openxr", "headset: %s (orientation tracking %s, position tracking %s)", sp.systemName,
                    sp.trackingProperties.orientationTracking ? "yes" : "no",
                    sp.trackingProperties.positionTracking ? "yes" : "no");
    rt->has_presence = rt->has_presence && up.supportsUserPresence;
    rt->has_hands = rt->has_hands && hp.supportsHandTracking;
    mh_log_info("openxr", "visitor cycle: %s",
                rt->has_presence ? "the headset's presence sensor (XR_EXT_user_presence)"
                                 : "the session's focus (no presence sensor)");
    return true;
}

static bool has_stereo(const mh_xr_runtime *rt)
{
    XrViewConfigurationType types[16];
    uint32_t n = 0;
    if (XR_FAILED(xrEnumerateViewConfigurations(rt->instance, rt->system, 16, &n, types)))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (types[i] == XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
            return true;
    return false;
}

/* A dimension scaled, within 16..max. */
static int scaled(uint32_t recommended, float scale, uint32_t max)
{
    int v = (int)((float)recommended * scale + 0.5f);
    if (max && v > (int)max)
        v = (int)max;
    return v < 16 ? 16 : v;
}

static bool eye_size(mh_xr_runtime *rt, float render_scale, mh_error *err)
{
    if (!has_stereo(rt))
        return mh_fail(err, "", "", "the OpenXR headset has no stereo view configuration (PRIMARY_STEREO)");
    XrViewConfigurationView v[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                    {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    uint32_t n = 0;
    XrResult r = xrEnumerateViewConfigurationViews(rt->instance, rt->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                   2, &n, v);
    if (XR_FAILED(r) || n != 2)
        return mh_xr_fail(err, XR_FAILED(r) ? r : XR_ERROR_VALIDATION_FAILURE, "asking for the headset's two views");
    float scale = render_scale > 0 ? render_scale : 1.0f;
    int rw = 0, rh = 0;
    for (int i = 0; i < 2; i++) {
        int w = scaled(v[i].recommendedImageRectWidth, scale, v[i].maxImageRectWidth);
        int h = scaled(v[i].recommendedImageRectHeight, scale, v[i].maxImageRectHeight);
        rt->eye_width = w > rt->eye_width ? w : rt->eye_width;
        rt->eye_height = h > rt->eye_height ? h : rt->eye_height;
        rw = (int)v[i].recommendedImageRectWidth > rw ? (int)v[i].recommendedImageRectWidth : rw;
        rh = (int)v[i].recommendedImageRectHeight > rh ? (int)v[i].recommendedImageRectHeight : rh;
    }
    XrEnvironmentBlendMode modes[8];
    n = 0;
    r = xrEnumerateEnvironmentBlendModes(rt->instance, rt->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 8, &n,
                                         modes);
    rt->blend_mode = XR_SUCCEEDED(r) && n > 0 ? modes[0] : XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
    if (rw == rt->eye_width && rh == rt->eye_height)
        mh_log_info("openxr", "%dx%d per eye (recommended)", rt->eye_width, rt->eye_height);
    else
        mh_log_info("openxr", "%dx%d per eye (%dx%d recommended, render scale %.2f)", rt->eye_width, rt->eye_height, rw,
                    rh, (double)scale);
    return true;
}

/* ---- EGL ---------------------------------------------------------------- */

static bool choose_config(mh_xr_runtime *rt)
{
    const EGLint any[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT, EGL_SURFACE_TYPE, 0, EGL_NONE};
    const EGLint pbuf[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT, EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_NONE};
    EGLint n = 0;
    if (eglChooseConfig(rt->display, any, &rt->config, 1, &n) && n > 0)
        return true;
    return eglChooseConfig(rt->display, pbuf, &rt->config, 1, &n) && n > 0;
}

static bool create_context(mh_xr_runtime *rt, mh_error *err)
{
    rt->display = mh_egl_surfaceless_display("openxr");
    EGLint major = 0, minor = 0;
    if (rt->display == EGL_NO_DISPLAY || !eglInitialize(rt->display, &major, &minor)) {
        rt->display = EGL_NO_DISPLAY;
        return mh_fail(err, "", "", "cannot open an EGL display (EGL error 0x%x); is Mesa's libegl-mesa0 installed?",
                       (unsigned)eglGetError());
    }
    eglBindAPI(EGL_OPENGL_ES_API);
    if (!choose_config(rt))
        return mh_fail(err, "", "", "no EGL config offers OpenGL ES 3.0");
    const EGLint attrs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 0, EGL_NONE};
    rt->context = eglCreateContext(rt->display, rt->config, EGL_NO_CONTEXT, attrs);
    if (rt->context == EGL_NO_CONTEXT)
        return mh_fail(err, "", "", "cannot create an OpenGL ES 3.0 context (EGL error 0x%x)", (unsigned)eglGetError());
    if (!eglMakeCurrent(rt->display, EGL_NO_SURFACE, EGL_NO_SURFACE, rt->context))
        return mh_fail(err, "", "", "cannot make the OpenGL ES context current without a surface (EGL error 0x%x)",
                       (unsigned)eglGetError());
    mh_log_debug("openxr", "EGL %d.%d, %s", major, minor, (const char *)glGetString(GL_RENDERER));
    return true;
}

/* The runtime says which GLES versions it can share images with; it also
 * insists on being asked before xrCreateSession. */
static bool check_gles_version(const mh_xr_runtime *rt, mh_error *err)
{
    if (!rt->has_gles_enable)
        return true;
    PFN_xrGetOpenGLESGraphicsRequirementsKHR get_req = NULL;
    XrResult r =
        xrGetInstanceProcAddr(rt->instance, "xrGetOpenGLESGraphicsRequirementsKHR", (PFN_xrVoidFunction *)&get_req);
    XrGraphicsRequirementsOpenGLESKHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_OPENGL_ES_KHR};
    if (XR_SUCCEEDED(r) && get_req)
        r = get_req(rt->instance, rt->system, &req);
    if (XR_FAILED(r))
        return mh_xr_fail(err, r, "asking the OpenXR runtime which OpenGL ES versions it supports");
    GLint major = 3, minor = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &major);
    glGetIntegerv(GL_MINOR_VERSION, &minor);
    XrVersion have = XR_MAKE_VERSION(major, minor, 0);
    if (have < req.minApiVersionSupported)
        return mh_fail(err, "", "", "the OpenXR runtime needs OpenGL ES %u.%u or newer; this GPU driver has %d.%d",
                       (unsigned)XR_VERSION_MAJOR(req.minApiVersionSupported),
                       (unsigned)XR_VERSION_MINOR(req.minApiVersionSupported), major, minor);
    return true;
}

/* XR_MNDX_egl_enable version 1 takes eglGetProcAddress as it is; version 2
 * declares its own pointer type. */
#if XR_MNDX_egl_enable_SPEC_VERSION >= 2
static PFN_xrVoidFunction egl_proc(const char *name) { return (PFN_xrVoidFunction)eglGetProcAddress(name); }
#else
#define egl_proc eglGetProcAddress
#endif

static void fill_binding(mh_xr_runtime *rt)
{
    rt->binding = (XrGraphicsBindingEGLMNDX){.type = XR_TYPE_GRAPHICS_BINDING_EGL_MNDX,
                                             .getProcAddress = egl_proc,
                                             .display = rt->display,
                                             .config = rt->config,
                                             .context = rt->context};
}

/* ---- open / close ----------------------------------------------------------- */

bool mh_xr_runtime_open(mh_xr_runtime *rt, float render_scale, mh_error *err)
{
    *rt = (mh_xr_runtime){.display = EGL_NO_DISPLAY, .context = EGL_NO_CONTEXT};
    offered o = {0};
    bool ok = offered_extensions(&o, err) && create_instance(rt, &o, err) && get_system(rt, err) &&
              eye_size(rt, render_scale, err) && create_context(rt, err) && check_gles_version(rt, err);
    if (!ok) {
        mh_xr_runtime_close(rt);
        return false;
    }
    fill_binding(rt);
    return true;
}

void mh_xr_runtime_close(mh_xr_runtime *rt)
{
    if (rt->instance != XR_NULL_HANDLE)
        xrDestroyInstance(rt->instance); /* first: the runtime may still use the context */
    if (rt->display != EGL_NO_DISPLAY && rt->display) {
        eglMakeCurrent(rt->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (rt->context != EGL_NO_CONTEXT && rt->context)
            eglDestroyContext(rt->display, rt->context);
        eglTerminate(rt->display);
        eglReleaseThread();
    }
    *rt = (mh_xr_runtime){.display = EGL_NO_DISPLAY, .context = EGL_NO_CONTEXT};
}
