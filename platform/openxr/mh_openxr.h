/* mh_openxr.h - shared by the files of the OpenXR headset platform (and
 * nothing else): the OpenXR headers with EGL and OpenGL ES enabled, result
 * names for error messages, the runtime bring-up (instance, system, EGL
 * context), the side-by-side swapchains and the action-based input. */
#ifndef MH_OPENXR_H
#define MH_OPENXR_H

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <stdbool.h>
#include <stdint.h>

#define XR_USE_PLATFORM_EGL
#define XR_USE_GRAPHICS_API_OPENGL_ES
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include "metahall.h"

/* XR_EXT_user_presence (OpenXR 1.0.30): the headset's proximity sensor. Older
 * headers (Debian 12 has 1.0.20) lack it; these are its registry values, so a
 * kiosk built there still uses it where the runtime offers it. */
#ifndef XR_EXT_user_presence
#define XR_EXT_USER_PRESENCE_EXTENSION_NAME "XR_EXT_user_presence"
#define XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT ((XrStructureType)1000470000)
#define XR_TYPE_SYSTEM_USER_PRESENCE_PROPERTIES_EXT ((XrStructureType)1000470001)
typedef struct XrEventDataUserPresenceChangedEXT {
    XrStructureType type;
    const void *XR_MAY_ALIAS next;
    XrSession session;
    XrBool32 isUserPresent;
} XrEventDataUserPresenceChangedEXT;
typedef struct XrSystemUserPresencePropertiesEXT {
    XrStructureType type;
    void *XR_MAY_ALIAS next;
    XrBool32 supportsUserPresence;
} XrSystemUserPresencePropertiesEXT;
#endif

/* The engine's clip planes, told to the compositor with the depth layer so
 * it can reproject. */
#define MH_XR_NEAR_Z MH_DEPTH_NEAR
#define MH_XR_FAR_Z MH_DEPTH_FAR

/* ---- mh_openxr_runtime.c: result names and the bring-up before a session ---- */

/* "XR_ERROR_RUNTIME_FAILURE"; works without an instance. */
const char *mh_xr_result_name(XrResult r);
/* Fills err with "<what> failed (XR_...)" and returns false. */
bool mh_xr_fail(mh_error *err, XrResult r, const char *what);

typedef struct mh_xr_runtime {
    XrInstance instance;
    XrSystemId system;
    bool has_depth_layer; /* XR_KHR_composition_layer_depth is enabled */
    bool has_gles_enable; /* XR_KHR_opengl_es_enable is enabled */
    bool has_presence;    /* XR_EXT_user_presence is enabled and the headset has the sensor */
    bool has_hands;       /* XR_EXT_hand_tracking is enabled and the system tracks hands */
    EGLDisplay display;
    EGLConfig config;
    EGLContext context;
    int eye_width, eye_height; /* the size drawn per eye: recommended x render scale, within the maximum */
    XrEnvironmentBlendMode blend_mode;
    XrGraphicsBindingEGLMNDX binding; /* chained into xrCreateSession */
} mh_xr_runtime;

/* Instance with the extensions the runtime offers, the headset's system,
 * an EGL GLES 3.0 context made current, the recommended eye size. On failure
 * err says why in a sentence and nothing stays open. */
bool mh_xr_runtime_open(mh_xr_runtime *rt, float render_scale, mh_error *err);
void mh_xr_runtime_close(mh_xr_runtime *rt); /* safe on a zeroed or half-open one */

/* ---- mh_openxr_swapchain.c: both eyes side by side in one swapchain ---- */

typedef struct mh_xr_chain {
    XrSwapchain handle;
    uint32_t count;
    XrSwapchainImageOpenGLESKHR *images;
    int64_t format;
    uint32_t index; /* the acquired image */
} mh_xr_chain;

typedef struct mh_xr_swapchains {
    mh_xr_chain color;
    mh_xr_chain depth; /* handle 0 when the runtime takes no depth */
    GLuint *fbos;      /* one per colour image */
    GLuint depth_rb;   /* our own depth buffer when there is no depth swapchain */
    int samples;       /* > 1: drawn into msaa_fbo, resolved into the swapchain at release */
    GLuint msaa_fbo, msaa_color, msaa_depth;
    bool multiview;     /* 2-layer images (one eye each), both drawn in one pass (GL_OVR_multiview2) */
    GLuint depth_array; /* our own depth when multiview and no depth swapchain */
    void (*attach_multiview)(GLenum, GLenum, GLuint, GLint, GLint, GLsizei);
    int width, height; /* both eyes: 2 x eye width, eye height (side by side, or as two layers) */
    int eye_width;
    bool acquired;
} mh_xr_swapchains;

/* msaa: samples as --msaa (0 = auto: 4 on a GPU, 1 on a CPU rasteriser). */
bool mh_xr_swapchains_create(mh_xr_swapchains *s, XrSession session, const mh_xr_runtime *rt, int msaa, mh_error *err);
/* Acquires and waits for the next images; returns the FBO to draw into (0
 * on failure): the swapchain image's, or the multisampled one resolved into
 * it by mh_xr_swapchains_release. */
GLuint mh_xr_swapchains_acquire(mh_xr_swapchains *s);
void mh_xr_swapchains_release(mh_xr_swapchains *s);
/* The part of the swapchain(s) eye i (0 left, 1 right) is drawn into. */
XrSwapchainSubImage mh_xr_swapchains_eye(const mh_xr_swapchains *s, int eye, bool depth);
void mh_xr_swapchains_destroy(mh_xr_swapchains *s); /* safe on a zeroed one */

/* ---- mh_openxr_input.c: actions -> mh_input_state ---- */

typedef struct mh_xr_input mh_xr_input;

/* Action set, suggested bindings for the common controllers, attached to the
 * session, aim spaces for both hands. */
bool mh_xr_input_create(mh_xr_input **out, XrInstance instance, XrSession session, mh_error *err);
/* Syncs the actions (only while the session has focus) and fills in: sticks
 * (the right stick snap-turns sideways and aims the teleport arc forward,
 * teleporting when let go), one-shot actions (the menu button opens the
 * world menu), the aim ray located in base at time t. */
void mh_xr_input_update(mh_xr_input *xi, XrSession session, XrSpace base, XrTime t, bool focused, mh_input_state *in);
/* Logs which controller each hand holds (after INTERACTION_PROFILE_CHANGED). */
void mh_xr_input_log_profiles(const mh_xr_input *xi, XrInstance instance, XrSession session);
void mh_xr_input_destroy(mh_xr_input **xi);

/* ---- mh_openxr_hands.c: hands without controllers (XR_EXT_hand_tracking) ---- */

typedef struct mh_xr_hands mh_xr_hands;

/* Hand trackers for both hands; false (logged) when the runtime cannot. */
bool mh_xr_hands_create(mh_xr_hands **out, XrInstance instance, XrSession session);
/* While no controller gives a ray: a tracked hand's ray (wrist -> index
 * knuckle) located in base at t, and a pinch as MH_ACT_SELECT. */
void mh_xr_hands_update(mh_xr_hands *h, XrSpace base, XrTime t, mh_input_state *in);
void mh_xr_hands_destroy(mh_xr_hands **h);

#endif
