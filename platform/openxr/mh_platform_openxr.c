/* mh_platform_openxr.c - the headset platform: an OpenXR session on an EGL
 * (Mesa) OpenGL ES 3.0 context, driven through the session state machine
 * (IDLE, READY -> begin, SYNCHRONIZED, VISIBLE, FOCUSED, STOPPING -> end,
 * EXITING), one frame per begin_frame()/present() pair: wait, begin, locate
 * both eyes, let the engine draw them side by side into the swapchain, end
 * the frame with one projection layer (and depth when the runtime takes it).
 * The tracking space is LOCAL (recentred when the engine asks: a fresh visit,
 * the menu), or STAGE with MH_XR_SPACE=stage. Whether the headset is worn
 * comes from XR_EXT_user_presence where the runtime has it, else from the
 * session's focus (FOCUSED: worn; VISIBLE or less once it was focused: off),
 * and goes to the engine in every frame's input. shutdown() asks the runtime
 * to end the session and keeps submitting empty frames until it has, so the
 * runtime sees a clean exit. The bring-up, swapchains and controllers live
 * in mh_openxr_*.c. */
#include <math.h>
#include <openxr/openxr_reflection.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../mh_egl.h"
#include "../mh_platform.h"
#include "metahall_tools.h"
#include "mh_openxr.h"

#define EXIT_WAIT_S 5.0 /* how long shutdown() waits for the runtime to let the session go */
#define IDLE_SLEEP_NS 10000000L

static struct {
    mh_xr_runtime rt;
    XrSession session;
    XrSessionState state;
    bool running; /* between xrBeginSession and xrEndSession */
    bool quit;    /* exiting, loss pending, or the instance is lost */
    bool lost;    /* the session or instance is gone: no more calls on it */
    XrReferenceSpaceType space_type;
    XrSpace space;     /* eyes and aim are located here (LOCAL recentered, or STAGE) */
    XrSpace raw_space; /* the same type at the runtime's own origin, for recentering */
    XrSpace head;      /* VIEW */
    mh_xr_swapchains chains;
    mh_xr_input *input;
    mh_xr_hands *hands;  /* hand tracking, where the runtime has it */
    XrTime display_time; /* predicted display time of the frame in flight, or the last one */
    bool frame_begun, rendering;
    bool views_logged;
    XrView views[2];
    bool seen_stopping, seen_idle, seen_exiting;
    char lost_why[160];        /* what went away, for failed() */
    mh_headset_state presence; /* worn or off, as the engine is told */
    bool was_focused;
    double put_on_at; /* when the headset went on, until the first frame drawn after it */
    int msaa;
} g;

static volatile sig_atomic_t g_signalled;

static void on_signal(int sig)
{
    (void)sig;
    g_signalled = 1;
}

static void sleep_a_little(void)
{
    struct timespec ts = {0, IDLE_SLEEP_NS};
    nanosleep(&ts, NULL);
}

#define STATE_CASE(name, value) \
    case name: return &#name[sizeof "XR_SESSION_STATE_" - 1];

static const char *state_name(XrSessionState s)
{
    switch (s) {
        XR_LIST_ENUM_XrSessionState(STATE_CASE) default : return "?";
    }
}

/* The session or instance is gone: no more calls on it, and the kiosk stops
 * with a failure (a service manager restarts it to try again). */
static void mark_lost(const char *why)
{
    if (!g.lost)
        snprintf(g.lost_why, sizeof g.lost_why, "%s", why);
    g.lost = g.quit = true;
}

/* A lost session or instance cannot be used any more: stop. */
static void note_failure(const char *what, XrResult r)
{
    if (r == XR_ERROR_SESSION_LOST || r == XR_ERROR_INSTANCE_LOST) {
        char why[160];
        snprintf(why, sizeof why, "the OpenXR runtime went away (%s in %s)", mh_xr_result_name(r), what);
        if (!g.lost)
            mh_log_error("openxr", "%s", why);
        mark_lost(why);
        return;
    }
    mh_log_error("openxr", "%s failed (%s)", what, mh_xr_result_name(r));
}

/* ---- the visitor cycle: is the headset worn? ----------------------------------- */

static void set_presence(mh_headset_state p, const char *why)
{
    if (p == g.presence)
        return;
    mh_log_info("openxr", "headset %s (%s)", p == MH_HEADSET_WORN ? "worn" : "taken off", why);
    g.presence = p;
    g.put_on_at = p == MH_HEADSET_WORN ? mh_clock_now() : 0;
}

/* Without a presence sensor the session's focus stands in for it. */
static void presence_from_state(XrSessionState s)
{
    if (g.rt.has_presence)
        return;
    if (s == XR_SESSION_STATE_FOCUSED) {
        g.was_focused = true;
        set_presence(MH_HEADSET_WORN, "the session has focus");
    } else if (g.was_focused && s != XR_SESSION_STATE_EXITING && s != XR_SESSION_STATE_LOSS_PENDING) {
        set_presence(MH_HEADSET_OFF, "the session lost focus");
    }
}

/* ---- the session state machine ----------------------------------------------- */

static void begin_session(void)
{
    XrSessionBeginInfo bi = {.type = XR_TYPE_SESSION_BEGIN_INFO,
                             .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO};
    XrResult r = xrBeginSession(g.session, &bi);
    if (XR_FAILED(r)) {
        note_failure("xrBeginSession", r);
        g.quit = true;
        return;
    }
    g.running = true;
}

static void end_session(void)
{
    XrResult r = xrEndSession(g.session);
    if (XR_FAILED(r))
        note_failure("xrEndSession", r);
    g.running = false;
}

static void on_state(XrSessionState s)
{
    mh_log_info("openxr", "session state %s -> %s", state_name(g.state), state_name(s));
    g.state = s;
    presence_from_state(s);
    switch (s) {
    case XR_SESSION_STATE_READY: begin_session(); break;
    case XR_SESSION_STATE_STOPPING:
        g.seen_stopping = true;
        end_session();
        break;
    case XR_SESSION_STATE_IDLE: g.seen_idle |= g.seen_stopping; break;
    case XR_SESSION_STATE_EXITING:
        g.seen_exiting = true;
        g.quit = true;
        break;
    case XR_SESSION_STATE_LOSS_PENDING:
        mh_log_warn("openxr", "the runtime is losing the session (headset gone?)");
        mark_lost("the OpenXR runtime lost the session (LOSS_PENDING: the headset went away?)");
        break;
    default: break;
    }
}

static void on_event(const XrEventDataBuffer *ev)
{
    switch ((int)ev->type) { /* int: older headers lack the presence event */
    case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED: on_state(((const XrEventDataSessionStateChanged *)ev)->state); break;
    case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING:
        mh_log_warn("openxr", "the OpenXR runtime is going away (instance loss pending)");
        mark_lost("the OpenXR runtime is going away (instance loss pending)");
        break;
    case XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING:
        mh_log_info("openxr", "the runtime moves the origin of the %s space",
                    ((const XrEventDataReferenceSpaceChangePending *)ev)->referenceSpaceType ==
                            XR_REFERENCE_SPACE_TYPE_STAGE
                        ? "STAGE"
                        : "LOCAL or VIEW");
        break;
    case XR_TYPE_EVENT_DATA_EVENTS_LOST:
        mh_log_warn("openxr", "%u OpenXR events were lost", ((const XrEventDataEventsLost *)ev)->lostEventCount);
        break;
    case XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED:
        mh_xr_input_log_profiles(g.input, g.rt.instance, g.session);
        break;
    case XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT:
        if (g.rt.has_presence)
            set_presence(((const XrEventDataUserPresenceChangedEXT *)ev)->isUserPresent ? MH_HEADSET_WORN
                                                                                        : MH_HEADSET_OFF,
                         "the presence sensor");
        break;
    default: mh_log_debug("openxr", "event %d", (int)ev->type); break;
    }
}

static void pump_events(void)
{
    for (;;) {
        XrEventDataBuffer ev = {.type = XR_TYPE_EVENT_DATA_BUFFER};
        XrResult r = xrPollEvent(g.rt.instance, &ev);
        if (r == XR_EVENT_UNAVAILABLE)
            return;
        if (XR_FAILED(r)) {
            note_failure("xrPollEvent", r);
            return;
        }
        on_event(&ev);
    }
}

/* ---- spaces ---------------------------------------------------------------------- */

static bool runtime_has_space(XrReferenceSpaceType type)
{
    XrReferenceSpaceType types[16];
    uint32_t n = 0;
    if (XR_FAILED(xrEnumerateReferenceSpaces(g.session, 16, &n, types)))
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (types[i] == type)
            return true;
    return false;
}

static XrResult make_space(XrReferenceSpaceType type, XrPosef origin, XrSpace *out)
{
    XrReferenceSpaceCreateInfo ci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                     .referenceSpaceType = type,
                                     .poseInReferenceSpace = origin};
    return xrCreateReferenceSpace(g.session, &ci, out);
}

static XrReferenceSpaceType chosen_space_type(void)
{
    const char *want = getenv("MH_XR_SPACE");
    if (!want || !*want || !strcmp(want, "local"))
        return XR_REFERENCE_SPACE_TYPE_LOCAL;
    if (strcmp(want, "stage"))
        mh_log_warn("openxr", "MH_XR_SPACE=%s is neither local nor stage; using local", want);
    else if (runtime_has_space(XR_REFERENCE_SPACE_TYPE_STAGE))
        return XR_REFERENCE_SPACE_TYPE_STAGE;
    else
        mh_log_warn("openxr", "the runtime has no STAGE space (no play area set up?); using LOCAL");
    return XR_REFERENCE_SPACE_TYPE_LOCAL;
}

static bool create_spaces(mh_error *err)
{
    const XrPosef identity = {.orientation = {0, 0, 0, 1}};
    g.space_type = chosen_space_type();
    XrResult r = make_space(g.space_type, identity, &g.raw_space);
    if (XR_SUCCEEDED(r))
        r = make_space(g.space_type, identity, &g.space);
    if (XR_SUCCEEDED(r))
        r = make_space(XR_REFERENCE_SPACE_TYPE_VIEW, identity, &g.head);
    if (XR_FAILED(r))
        return mh_xr_fail(err, r, "creating the OpenXR tracking spaces");
    mh_log_info("openxr", "tracking space %s",
                g.space_type == XR_REFERENCE_SPACE_TYPE_STAGE ? "STAGE (eye heights from the floor)"
                                                              : "LOCAL (origin at the head's start)");
    return true;
}

/* The engine asks (a fresh visit, the menu's Recentre): where the head is
 * now (on the floor plane, and its heading only) becomes the origin. */
static void openxr_recenter(void)
{
    if (!g.display_time)
        return; /* no frame yet: LOCAL begins at the head anyway */
    XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
    XrResult r = g.display_time ? xrLocateSpace(g.head, g.raw_space, g.display_time, &loc) : XR_ERROR_TIME_INVALID;
    if (XR_FAILED(r) || !(loc.locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT)) {
        mh_log_warn("openxr", "cannot recenter: the head is not tracked right now");
        return;
    }
    XrQuaternionf q = loc.pose.orientation;
    float yaw = atan2f(2.0f * (q.x * q.z + q.w * q.y), 1.0f - 2.0f * (q.x * q.x + q.y * q.y));
    bool pos = loc.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT;
    XrPosef origin = {.orientation = {0, sinf(yaw * 0.5f), 0, cosf(yaw * 0.5f)},
                      .position = {pos ? loc.pose.position.x : 0, 0, pos ? loc.pose.position.z : 0}};
    XrSpace fresh;
    if (XR_FAILED(r = make_space(g.space_type, origin, &fresh))) {
        note_failure("recentering (xrCreateReferenceSpace)", r);
        return;
    }
    xrDestroySpace(g.space);
    g.space = fresh;
    mh_log_info("openxr", "recentered: origin at the head (%.2f, %.2f) m, facing %.0f degrees", origin.position.x,
                origin.position.z, yaw * 57.29578f);
}

/* ---- init ------------------------------------------------------------------------ */

static bool create_session(mh_error *err)
{
    XrSessionCreateInfo ci = {.type = XR_TYPE_SESSION_CREATE_INFO, .next = &g.rt.binding, .systemId = g.rt.system};
    XrResult r = xrCreateSession(g.rt.instance, &ci, &g.session);
    if (XR_FAILED(r)) {
        g.session = XR_NULL_HANDLE;
        return mh_xr_fail(err, r, "starting the OpenXR session (xrCreateSession)");
    }
    return true;
}

static void openxr_shutdown(void);

static bool openxr_init(const mh_platform_desc *desc, mh_error *err)
{
    /* the headset decides the size (times the render scale), the rate and the sync */
    memset(&g, 0, sizeof g);
    g.state = XR_SESSION_STATE_UNKNOWN;
    g_signalled = 0;
    bool ok = mh_xr_runtime_open(&g.rt, desc->render_scale, err) && create_session(err) && create_spaces(err) &&
              mh_xr_swapchains_create(&g.chains, g.session, &g.rt, desc->msaa, err);
    if (!ok) {
        openxr_shutdown();
        return false;
    }
    mh_error ierr;
    if (!mh_xr_input_create(&g.input, g.rt.instance, g.session, &ierr))
        mh_log_warn("openxr", "no controllers (%s); gaze selection still works", ierr.message);
    if (g.rt.has_hands)
        mh_xr_hands_create(&g.hands, g.rt.instance, g.session);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    return true;
}

/* ---- each frame -------------------------------------------------------------------- */

static bool openxr_poll(mh_input_state *in)
{
    pump_events();
    if (g_signalled || g.quit)
        return false;
    in->headset = (uint8_t)g.presence;
    /* a presence sensor that says worn: a visitor is there, even standing still */
    in->activity = g.rt.has_presence && g.presence == MH_HEADSET_WORN;
    if (!g.running) {
        sleep_a_little(); /* nothing to draw until the runtime says READY */
        return true;
    }
    bool focused = g.state == XR_SESSION_STATE_FOCUSED;
    mh_xr_input_update(g.input, g.session, g.space, g.display_time, focused, in);
    if (g.hands && focused && !in->aim) /* no controller's ray: a hand's, if one is tracked */
        mh_xr_hands_update(g.hands, g.space, g.display_time, in);
    return true;
}

static bool wait_and_begin(XrFrameState *fs)
{
    XrFrameWaitInfo wi = {.type = XR_TYPE_FRAME_WAIT_INFO};
    XrResult r = xrWaitFrame(g.session, &wi, fs);
    if (XR_FAILED(r)) {
        note_failure("xrWaitFrame", r);
        return false;
    }
    XrFrameBeginInfo bi = {.type = XR_TYPE_FRAME_BEGIN_INFO};
    if (XR_FAILED(r = xrBeginFrame(g.session, &bi))) {
        note_failure("xrBeginFrame", r);
        return false;
    }
    g.frame_begun = true;
    g.display_time = fs->predictedDisplayTime;
    return true;
}

static bool locate_views(void)
{
    XrViewLocateInfo li = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                           .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                           .displayTime = g.display_time,
                           .space = g.space};
    XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
    uint32_t n = 0;
    g.views[0] = g.views[1] = (XrView){.type = XR_TYPE_VIEW};
    XrResult r = xrLocateViews(g.session, &li, &vs, 2, &n, g.views);
    if (XR_FAILED(r)) {
        note_failure("xrLocateViews", r);
        return false;
    }
    return n == 2 && (vs.viewStateFlags & XR_VIEW_STATE_ORIENTATION_VALID_BIT);
}

/* The first located eyes, for the log: where they are and what they see. */
static void log_views_once(void)
{
    if (g.views_logged)
        return;
    g.views_logged = true;
    for (int i = 0; i < 2; i++) {
        const XrView *v = &g.views[i];
        mh_log_debug("openxr",
                     "%s eye at (%.3f, %.3f, %.3f) m, field of view %.1f/%.1f/%.1f/%.1f degrees "
                     "(left/right/down/up)",
                     i ? "right" : "left", v->pose.position.x, v->pose.position.y, v->pose.position.z,
                     v->fov.angleLeft * 57.29578f, v->fov.angleRight * 57.29578f, v->fov.angleDown * 57.29578f,
                     v->fov.angleUp * 57.29578f);
    }
}

static void fill_eye(mh_eye *e, const XrView *v, int i)
{
    *e = (mh_eye){.position = {v->pose.position.x, v->pose.position.y, v->pose.position.z},
                  .orientation = {v->pose.orientation.x, v->pose.orientation.y, v->pose.orientation.z,
                                  v->pose.orientation.w},
                  .angle_left = v->fov.angleLeft,
                  .angle_right = v->fov.angleRight,
                  .angle_down = v->fov.angleDown,
                  .angle_up = v->fov.angleUp,
                  .x = g.chains.multiview ? 0 : i * g.chains.eye_width,
                  .y = 0,
                  .width = g.chains.eye_width,
                  .height = g.chains.height};
}

static bool openxr_begin_frame(mh_frame_input *in)
{
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    if (!g.running || g.frame_begun || !wait_and_begin(&fs))
        return false;
    bool visible = g.state == XR_SESSION_STATE_VISIBLE || g.state == XR_SESSION_STATE_FOCUSED;
    if (!fs.shouldRender || !visible || !locate_views())
        return false;
    GLuint fbo = mh_xr_swapchains_acquire(&g.chains);
    if (!fbo)
        return false;
    g.rendering = true;
    log_views_once();
    in->framebuffer = fbo;
    in->width = g.chains.width;
    in->height = g.chains.height;
    in->eye_count = 2;
    for (int i = 0; i < 2; i++)
        fill_eye(&in->eyes[i], &g.views[i], i);
    in->eyes_from_floor = g.space_type == XR_REFERENCE_SPACE_TYPE_STAGE;
    in->eyes_tracked = true;
    in->multiview = g.chains.multiview;
    return true;
}

static void end_frame(const XrCompositionLayerBaseHeader *const *layers, uint32_t count)
{
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = g.display_time,
                         .environmentBlendMode = g.rt.blend_mode,
                         .layerCount = count,
                         .layers = layers};
    XrResult r = xrEndFrame(g.session, &ei);
    if (XR_FAILED(r))
        note_failure("xrEndFrame", r);
    g.frame_begun = g.rendering = false;
}

static void openxr_present(void)
{
    if (!g.frame_begun)
        return;
    if (!g.rendering) {
        end_frame(NULL, 0);
        return;
    }
    mh_xr_swapchains_release(&g.chains);
    XrCompositionLayerProjectionView pv[2];
    XrCompositionLayerDepthInfoKHR depth[2];
    bool with_depth = g.chains.depth.handle != XR_NULL_HANDLE;
    for (int i = 0; i < 2; i++) {
        depth[i] = (XrCompositionLayerDepthInfoKHR){.type = XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR,
                                                    .subImage = mh_xr_swapchains_eye(&g.chains, i, true),
                                                    .minDepth = 0.0f,
                                                    .maxDepth = 1.0f,
                                                    .nearZ = MH_XR_NEAR_Z,
                                                    .farZ = MH_XR_FAR_Z};
        pv[i] = (XrCompositionLayerProjectionView){.type = XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW,
                                                   .next = with_depth ? &depth[i] : NULL,
                                                   .pose = g.views[i].pose,
                                                   .fov = g.views[i].fov,
                                                   .subImage = mh_xr_swapchains_eye(&g.chains, i, false)};
    }
    XrCompositionLayerProjection layer = {.type = XR_TYPE_COMPOSITION_LAYER_PROJECTION,
                                          .space = g.space,
                                          .viewCount = 2,
                                          .views = pv};
    const XrCompositionLayerBaseHeader *layers[] = {(const XrCompositionLayerBaseHeader *)&layer};
    end_frame(layers, 1);
    if (g.put_on_at > 0) { /* the visitor cycle's figure: put on -> the new visit's first frame */
        mh_log_info("openxr", "headset on: the first frame after it went to the compositor %.1f ms later",
                    (mh_clock_now() - g.put_on_at) * 1000.0);
        g.put_on_at = 0;
    }
}

static void openxr_size(int *w, int *h)
{
    *w = g.chains.width;
    *h = g.chains.height;
}

/* ---- shutdown ----------------------------------------------------------------------- */

/* Ends the session the way the runtime expects: ask, keep the frame loop
 * going (empty frames) until it says STOPPING, end, then wait for EXITING. */
static void finish_session(void)
{
    if (g.lost)
        return;
    if (g.frame_begun) {
        mh_xr_swapchains_release(&g.chains);
        end_frame(NULL, 0);
    }
    if (g.running) {
        XrResult r = xrRequestExitSession(g.session);
        if (XR_FAILED(r))
            note_failure("xrRequestExitSession", r);
    }
    double deadline = mh_clock_now() + EXIT_WAIT_S;
    while ((g.running || (g.seen_stopping && !g.seen_exiting)) && !g.lost && mh_clock_now() < deadline) {
        pump_events();
        XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
        if (g.running && wait_and_begin(&fs))
            end_frame(NULL, 0);
        else
            sleep_a_little();
    }
    if (g.running && !g.lost)
        end_session();
    if (g.seen_stopping && g.seen_idle && g.seen_exiting)
        mh_log_info("openxr", "session ended cleanly");
    else if (g.state != XR_SESSION_STATE_UNKNOWN && g.state != XR_SESSION_STATE_IDLE)
        mh_log_warn("openxr", "the session did not end cleanly (last state %s)", state_name(g.state));
}

static void destroy_spaces(void)
{
    XrSpace *spaces[] = {&g.space, &g.raw_space, &g.head};
    for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++) {
        if (*spaces[i] != XR_NULL_HANDLE)
            xrDestroySpace(*spaces[i]);
        *spaces[i] = XR_NULL_HANDLE;
    }
}

static void openxr_shutdown(void)
{
    if (g.session != XR_NULL_HANDLE) {
        finish_session();
        mh_xr_input_destroy(&g.input);
        mh_xr_hands_destroy(&g.hands);
        mh_xr_swapchains_destroy(&g.chains);
        destroy_spaces();
        xrDestroySession(g.session);
    }
    mh_xr_runtime_close(&g.rt);
    memset(&g, 0, sizeof g);
}

static bool openxr_failed(mh_error *err)
{
    return g.lost && !mh_fail(err, "", "", "%s", g.lost_why[0] ? g.lost_why : "the OpenXR runtime went away");
}

const mh_platform mh_platform_openxr = {
    .name = "openxr",
    .offscreen = false,
    .fixed_step = false,
    .init = openxr_init,
    .poll = openxr_poll,
    .drawable_size = openxr_size,
    .present = openxr_present,
    .now = mh_clock_now,
    .shutdown = openxr_shutdown,
    .begin_frame = openxr_begin_frame,
    .failed = openxr_failed,
    .recenter = openxr_recenter,
    .gl_proc = mh_egl_gl_proc,
};
