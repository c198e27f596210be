/* mh_xr_layer.c - an OpenXR API layer for metahall's headset tests: it sits
 * between metahall and the runtime (Monado) and plays a script of what a
 * visitor does, through the real OpenXR calls metahall makes:
 *
 *   - action states (xrSyncActions, xrGetActionStateBoolean/Float/Vector2f/
 *     Pose) for the actions metahall creates, by their names (select, menu,
 *     teleport, back, move, turn, aim), per hand;
 *   - controller aim poses (xrLocateSpace on the aim action spaces) and,
 *     when the script says so, the head (xrLocateViews, and xrLocateSpace on
 *     VIEW reference spaces);
 *   - events (xrPollEvent): XR_EXT_user_presence changes, which the layer
 *     offers itself (the manifest lists the extension; it is taken off the
 *     list before xrCreateInstance reaches the runtime), or session focus
 *     changes (FOCUSED <-> VISIBLE) for the path without a presence sensor;
 *   - hands (XR_EXT_hand_tracking, with MH_XR_LAYER_HANDS=1): the system says
 *     it tracks hands, and the layer's hand trackers give scripted joints
 *     (xrLocateHandJointsEXT): a hand pointing somewhere, pinching or not;
 *   - screenshots: the colour swapchain image read back (GLES) just before
 *     metahall releases it, written as a PNG.
 *
 * The script (MH_XR_LAYER_SCRIPT) has one step a line; '#' comments. Frames
 * are counted at xrWaitFrame; inputs hold for their frame count while the
 * script moves on, so a `wait` paces them:
 *   wait N                         N frames
 *   seconds S                      S seconds of wall time
 *   head X Y Z YAW PITCH | head off       the head's pose in the app's spaces (degrees,
 *                                         yaw left positive, pitch up positive)
 *   aim HAND X Y Z YAW PITCH | aim HAND off   a controller's aim pose (HAND left, right)
 *   aim_at HAND X Y Z TX TY TZ     the same, pointing from X Y Z at TX TY TZ
 *   hand HAND X Y Z YAW PITCH | hand HAND off | hand_at HAND X Y Z TX TY TZ
 *                                  a tracked hand: its index knuckle there, pointing so
 *   pinch HAND N                   that hand's thumb and index tips together for N frames
 *   hold ACTION HAND N             a button (select, menu, teleport, back) down for N
 *                                  frames (HAND left, right or any)
 *   stick ACTION X Y N             a stick (move, turn) at X Y for N frames
 *   presence on|off                queue an XrEventDataUserPresenceChangedEXT
 *   focus on|off                   queue a session state change to FOCUSED / VISIBLE
 *   shot FILE                      write the next colour image metahall releases
 *   note TEXT                      a line in the log
 * Every step is logged to stderr as "mh_xr_layer: t=SECONDS frame N: STEP"
 * (CLOCK_MONOTONIC), so a test can time what follows from its log.
 *
 * MH_XR_LAYER_PRESENCE=0 hides the presence extension from metahall (the
 * focus path); any other value, or none, offers it. */
#define _POSIX_C_SOURCE 200809L
#include <GLES3/gl3.h>
#include <EGL/egl.h>
#include <math.h>
#include <png.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define XR_USE_PLATFORM_EGL
#define XR_USE_GRAPHICS_API_OPENGL_ES
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>
#include <openxr/openxr_loader_negotiation.h>

#define LAYER_NAME "XR_APILAYER_METAHALL_test_visitor"
#define EXPORT __attribute__((visibility("default")))
#define MAX_STEPS 512
#define MAX_ACTIONS 32
#define MAX_SPACES 32
#define MAX_CHAINS 8
#define MAX_EVENTS 16
#define IPD 0.064f

typedef struct step {
    char op[16];
    char a[64], b[64];
    float v[6];
    long n;
    int line;
    char text[256];
} step;

typedef struct action {
    XrAction handle;
    char name[XR_MAX_ACTION_NAME_SIZE];
    XrActionType type;
} action;

typedef struct space {
    XrSpace handle;
    int kind; /* 1 aim (hand in `hand`), 2 VIEW */
    int hand;
} space;

typedef struct chain {
    XrSwapchain handle;
    int width, height, layers;
    bool color;
    uint32_t count, acquired;
    GLuint images[8];
} chain;

/* What the script holds down now, and what the last xrSyncActions saw. */
typedef struct inputs {
    bool button[4][3]; /* select menu teleport back x left right any */
    float stick[2][2]; /* move, turn: x y */
} inputs;

static struct {
    PFN_xrGetInstanceProcAddr next_gipa;
    XrInstance instance;
    bool presence_offered, presence_enabled, present;
    XrPath hand_path[2];
    XrSession session;
    action actions[MAX_ACTIONS];
    int action_count;
    space spaces[MAX_SPACES];
    int space_count;
    chain chains[MAX_CHAINS];
    int chain_count;
    XrEventDataBuffer events[MAX_EVENTS];
    int event_count;
    /* the script */
    step steps[MAX_STEPS];
    int step_count, next_step;
    long frame, wait_until_frame;
    double wait_until_s;
    long button_until[4][3], stick_until[2];
    inputs now, synced, before;
    bool head_set, aim_set[2], hand_set[2], hands_offered;
    XrPosef head, aim[2], hand[2];
    long pinch_until[2];
    char shot[256];
    /* the runtime's functions we wrap */
    PFN_xrGetSystemProperties GetSystemProperties;
    PFN_xrPollEvent PollEvent;
    PFN_xrBeginSession BeginSession;
    PFN_xrCreateSession CreateSession;
    PFN_xrCreateAction CreateAction;
    PFN_xrCreateActionSpace CreateActionSpace;
    PFN_xrCreateReferenceSpace CreateReferenceSpace;
    PFN_xrSyncActions SyncActions;
    PFN_xrGetActionStateBoolean GetActionStateBoolean;
    PFN_xrGetActionStateFloat GetActionStateFloat;
    PFN_xrGetActionStateVector2f GetActionStateVector2f;
    PFN_xrGetActionStatePose GetActionStatePose;
    PFN_xrLocateSpace LocateSpace;
    PFN_xrLocateViews LocateViews;
    PFN_xrWaitFrame WaitFrame;
    PFN_xrCreateSwapchain CreateSwapchain;
    PFN_xrEnumerateSwapchainImages EnumerateSwapchainImages;
    PFN_xrAcquireSwapchainImage AcquireSwapchainImage;
    PFN_xrReleaseSwapchainImage ReleaseSwapchainImage;
    PFN_xrStringToPath StringToPath;
    PFN_xrDestroyInstance DestroyInstance;
    PFN_xrCreateHandTrackerEXT CreateHandTrackerEXT;
    PFN_xrDestroyHandTrackerEXT DestroyHandTrackerEXT;
    PFN_xrLocateHandJointsEXT LocateHandJointsEXT;
} L;

#define FAKE_TRACKER 0x4d480000u /* the layer's hand trackers: this + the hand */

static const char *const BUTTONS[4] = {"select", "menu", "teleport", "back"};
static const char *const STICKS[2] = {"move", "turn"};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "mh_xr_layer: t=%.3f frame %ld: %s\n", now_s(), L.frame, text);
}

/* ---- poses -------------------------------------------------------------------- */

/* A pose at x y z looking along yaw (left positive) and pitch (up positive), degrees. */
static XrPosef pose_from(float x, float y, float z, float yaw_deg, float pitch_deg)
{
    float y2 = yaw_deg * 0.00872665f, p2 = pitch_deg * 0.00872665f;
    /* q = yaw about Y, then pitch about X */
    float cy = cosf(y2), sy = sinf(y2), cp = cosf(p2), sp = sinf(p2);
    XrPosef pose = {.orientation = {cy * sp, sy * cp, -sy * sp, cy * cp}, .position = {x, y, z}};
    return pose;
}

static XrPosef pose_at(float x, float y, float z, float tx, float ty, float tz)
{
    float dx = tx - x, dy = ty - y, dz = tz - z;
    float yaw = atan2f(-dx, -dz), pitch = atan2f(dy, sqrtf(dx * dx + dz * dz));
    return pose_from(x, y, z, yaw * 57.29578f, pitch * 57.29578f);
}

/* ---- the script ---------------------------------------------------------------- */

static int hand_index(const char *s)
{
    return !strcmp(s, "left") ? 0 : !strcmp(s, "right") ? 1 : !strcmp(s, "any") ? 2 : -1;
}

static int named(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

static bool parse_step(step *st, char *line, int no)
{
    memset(st, 0, sizeof *st);
    st->line = no;
    snprintf(st->text, sizeof st->text, "%s", line);
    if (sscanf(line, "%15s", st->op) != 1)
        return false;
    const char *args = line + strlen(st->op);
    float *v = st->v;
    if (!strcmp(st->op, "wait"))
        return sscanf(args, "%ld", &st->n) == 1;
    if (!strcmp(st->op, "seconds"))
        return sscanf(args, "%f", &v[0]) == 1;
    if (!strcmp(st->op, "head"))
        return sscanf(args, "%63s", st->a) == 1 &&
               (!strcmp(st->a, "off") || sscanf(args, "%f %f %f %f %f", &v[0], &v[1], &v[2], &v[3], &v[4]) == 5);
    if (!strcmp(st->op, "aim"))
        return sscanf(args, "%63s %63s", st->a, st->b) >= 1 && hand_index(st->a) >= 0 && hand_index(st->a) < 2 &&
               (!strcmp(st->b, "off") || sscanf(args, "%*s %f %f %f %f %f", &v[0], &v[1], &v[2], &v[3], &v[4]) == 5);
    if (!strcmp(st->op, "hand"))
        return sscanf(args, "%63s %63s", st->a, st->b) >= 1 && hand_index(st->a) >= 0 && hand_index(st->a) < 2 &&
               (!strcmp(st->b, "off") || sscanf(args, "%*s %f %f %f %f %f", &v[0], &v[1], &v[2], &v[3], &v[4]) == 5);
    if (!strcmp(st->op, "hand_at"))
        return sscanf(args, "%63s %f %f %f %f %f %f", st->a, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 7 &&
               hand_index(st->a) >= 0 && hand_index(st->a) < 2;
    if (!strcmp(st->op, "pinch"))
        return sscanf(args, "%63s %ld", st->a, &st->n) == 2 && hand_index(st->a) >= 0 && hand_index(st->a) < 2;
    if (!strcmp(st->op, "aim_at"))
        return sscanf(args, "%63s %f %f %f %f %f %f", st->a, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) == 7 &&
               hand_index(st->a) >= 0 && hand_index(st->a) < 2;
    if (!strcmp(st->op, "hold"))
        return sscanf(args, "%63s %63s %ld", st->a, st->b, &st->n) == 3 && named(st->a, BUTTONS, 4) >= 0 &&
               hand_index(st->b) >= 0;
    if (!strcmp(st->op, "stick"))
        return sscanf(args, "%63s %f %f %ld", st->a, &v[0], &v[1], &st->n) == 4 && named(st->a, STICKS, 2) >= 0;
    if (!strcmp(st->op, "presence") || !strcmp(st->op, "focus"))
        return sscanf(args, "%63s", st->a) == 1 && (!strcmp(st->a, "on") || !strcmp(st->a, "off"));
    if (!strcmp(st->op, "shot"))
        return sscanf(args, "%63s", st->a) == 1;
    if (!strcmp(st->op, "note"))
        return true;
    return false;
}

static void load_script(void)
{
    const char *path = getenv("MH_XR_LAYER_SCRIPT");
    FILE *f = path && *path ? fopen(path, "r") : NULL;
    if (!f) {
        if (path && *path)
            say("cannot open the script %s", path);
        return;
    }
    char line[256];
    int no = 0;
    while (fgets(line, sizeof line, f) && L.step_count < MAX_STEPS) {
        no++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            continue;
        if (!parse_step(&L.steps[L.step_count], p, no)) {
            say("%s:%d: cannot read '%s'; the script stops here", path, no, p);
            break;
        }
        L.step_count++;
    }
    fclose(f);
    say("script %s: %d steps", path, L.step_count);
}

static void queue_event(const void *ev, size_t size)
{
    if (L.event_count >= MAX_EVENTS)
        return;
    XrEventDataBuffer *b = &L.events[L.event_count++];
    memset(b, 0, sizeof *b);
    memcpy(b, ev, size);
}

static void queue_presence(bool present)
{
    L.present = present;
    if (!L.presence_enabled) {
        say("presence %s: metahall did not enable XR_EXT_user_presence; nothing sent", present ? "on" : "off");
        return;
    }
    XrEventDataUserPresenceChangedEXT ev = {.type = XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT,
                                            .session = L.session,
                                            .isUserPresent = present};
    queue_event(&ev, sizeof ev);
}

static void queue_focus(bool focused)
{
    XrEventDataSessionStateChanged ev = {.type = XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED,
                                         .session = L.session,
                                         .state = focused ? XR_SESSION_STATE_FOCUSED : XR_SESSION_STATE_VISIBLE};
    queue_event(&ev, sizeof ev);
}

/* Runs steps until one that waits. */
static void run_steps(void)
{
    while (L.next_step < L.step_count) {
        if (L.frame < L.wait_until_frame || now_s() < L.wait_until_s)
            return;
        step *st = &L.steps[L.next_step++];
        const float *v = st->v;
        say("%s", st->text);
        if (!strcmp(st->op, "wait")) {
            L.wait_until_frame = L.frame + st->n;
        } else if (!strcmp(st->op, "seconds")) {
            L.wait_until_s = now_s() + v[0];
        } else if (!strcmp(st->op, "head")) {
            L.head_set = strcmp(st->a, "off") != 0;
            L.head = pose_from(v[0], v[1], v[2], v[3], v[4]);
        } else if (!strcmp(st->op, "aim") || !strcmp(st->op, "aim_at")) {
            int h = hand_index(st->a);
            L.aim_set[h] = strcmp(st->b, "off") != 0;
            L.aim[h] = !strcmp(st->op, "aim") ? pose_from(v[0], v[1], v[2], v[3], v[4])
                                              : pose_at(v[0], v[1], v[2], v[3], v[4], v[5]);
        } else if (!strcmp(st->op, "hand") || !strcmp(st->op, "hand_at")) {
            int h = hand_index(st->a);
            L.hand_set[h] = strcmp(st->b, "off") != 0;
            L.hand[h] = !strcmp(st->op, "hand") ? pose_from(v[0], v[1], v[2], v[3], v[4])
                                                : pose_at(v[0], v[1], v[2], v[3], v[4], v[5]);
        } else if (!strcmp(st->op, "pinch")) {
            L.pinch_until[hand_index(st->a)] = L.frame + st->n;
        } else if (!strcmp(st->op, "hold")) {
            int b = named(st->a, BUTTONS, 4), h = hand_index(st->b);
            L.now.button[b][h] = true;
            L.button_until[b][h] = L.frame + st->n;
        } else if (!strcmp(st->op, "stick")) {
            int k = named(st->a, STICKS, 2);
            L.now.stick[k][0] = v[0];
            L.now.stick[k][1] = v[1];
            L.stick_until[k] = L.frame + st->n;
        } else if (!strcmp(st->op, "presence")) {
            queue_presence(!strcmp(st->a, "on"));
        } else if (!strcmp(st->op, "focus")) {
            queue_focus(!strcmp(st->a, "on"));
        } else if (!strcmp(st->op, "shot")) {
            snprintf(L.shot, sizeof L.shot, "%s", st->a);
        }
    }
    if (L.step_count && L.next_step == L.step_count) {
        say("script done");
        L.next_step++;
    }
}

/* Inputs whose time is up let go. */
static void expire_inputs(void)
{
    for (int b = 0; b < 4; b++)
        for (int h = 0; h < 3; h++)
            if (L.now.button[b][h] && L.frame >= L.button_until[b][h])
                L.now.button[b][h] = false;
    for (int k = 0; k < 2; k++)
        if (L.frame >= L.stick_until[k])
            L.now.stick[k][0] = L.now.stick[k][1] = 0;
}

/* ---- the swapchain read back ------------------------------------------------------ */

static bool write_png(const char *path, const uint8_t *rgba, int w, int h)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return false;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) /* GL rows are bottom-up */
        png_write_row(png, (png_const_bytep)(rgba + (size_t)(h - 1 - y) * (size_t)w * 4));
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return fclose(f) == 0;
}

/* Reads image `index` of a colour swapchain (each array layer side by side). */
static void take_shot(const chain *c, uint32_t index)
{
    int w = c->width, h = c->height, n = c->layers > 0 ? c->layers : 1;
    uint8_t *px = malloc((size_t)w * (size_t)h * 4 * (size_t)n), *row = malloc((size_t)w * 4);
    if (!px || !row) {
        free(px);
        free(row);
        return;
    }
    GLint read_fb = 0;
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &read_fb);
    GLuint fb;
    glGenFramebuffers(1, &fb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fb);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    uint8_t *layer = malloc((size_t)w * (size_t)h * 4);
    for (int l = 0; layer && l < n; l++) {
        if (c->layers > 1)
            glFramebufferTextureLayer(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, c->images[index], 0, l);
        else
            glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, c->images[index], 0);
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, layer);
        for (int y = 0; y < h; y++)
            memcpy(px + ((size_t)y * (size_t)w * (size_t)n + (size_t)l * (size_t)w) * 4, layer + (size_t)y * w * 4,
                   (size_t)w * 4);
    }
    GLenum err = glGetError();
    glBindFramebuffer(GL_READ_FRAMEBUFFER, (GLuint)read_fb);
    glDeleteFramebuffers(1, &fb);
    bool ok = layer && err == GL_NO_ERROR && write_png(L.shot, px, w * n, h);
    say("shot %s: %dx%d from swapchain image %u%s", L.shot, w * n, h, index,
        ok                   ? ""
        : err != GL_NO_ERROR ? " FAILED (GL error)"
                             : " FAILED (cannot write)");
    free(layer);
    free(px);
    free(row);
    L.shot[0] = '\0';
}

/* ---- the wrapped calls -------------------------------------------------------------- */

static XRAPI_ATTR XrResult XRAPI_CALL layer_GetSystemProperties(XrInstance instance, XrSystemId system,
                                                                XrSystemProperties *props)
{
    /* the runtime does not know the presence properties: take them off the chain and fill them in */
    XrBaseOutStructure *prev = (XrBaseOutStructure *)props, *up = NULL;
    for (XrBaseOutStructure *p = (XrBaseOutStructure *)props->next; p; prev = p, p = p->next) {
        if (p->type == XR_TYPE_SYSTEM_USER_PRESENCE_PROPERTIES_EXT) {
            up = p;
            prev->next = p->next;
            break;
        }
    }
    XrResult r = L.GetSystemProperties(instance, system, props);
    if (up) {
        up->next = prev->next;
        prev->next = up;
        ((XrSystemUserPresencePropertiesEXT *)up)->supportsUserPresence = L.presence_enabled;
    }
    for (XrBaseOutStructure *p = (XrBaseOutStructure *)props->next; p && L.hands_offered; p = p->next)
        if (p->type == XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT)
            ((XrSystemHandTrackingPropertiesEXT *)p)->supportsHandTracking = XR_TRUE;
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_CreateSession(XrInstance instance, const XrSessionCreateInfo *ci,
                                                          XrSession *session)
{
    XrResult r = L.CreateSession(instance, ci, session);
    if (XR_SUCCEEDED(r))
        L.session = *session;
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_BeginSession(XrSession session, const XrSessionBeginInfo *bi)
{
    XrResult r = L.BeginSession(session, bi);
    /* the extension's rule: the state is sent when the session begins running */
    if (XR_SUCCEEDED(r) && L.presence_enabled)
        queue_presence(L.present);
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_PollEvent(XrInstance instance, XrEventDataBuffer *ev)
{
    if (L.event_count > 0) {
        memcpy(ev, &L.events[0], sizeof *ev);
        memmove(&L.events[0], &L.events[1], sizeof L.events[0] * (size_t)(L.event_count - 1));
        L.event_count--;
        return XR_SUCCESS;
    }
    return L.PollEvent(instance, ev);
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_CreateAction(XrActionSet set, const XrActionCreateInfo *ci,
                                                         XrAction *action)
{
    XrResult r = L.CreateAction(set, ci, action);
    if (XR_SUCCEEDED(r) && L.action_count < MAX_ACTIONS) {
        struct action *a = &L.actions[L.action_count++];
        a->handle = *action;
        a->type = ci->actionType;
        snprintf(a->name, sizeof a->name, "%s", ci->actionName);
    }
    return r;
}

static const struct action *find_action(XrAction h)
{
    for (int i = 0; i < L.action_count; i++)
        if (L.actions[i].handle == h)
            return &L.actions[i];
    return NULL;
}

static int hand_of(XrPath p) { return p == L.hand_path[0] ? 0 : p == L.hand_path[1] ? 1 : 2; }

static XRAPI_ATTR XrResult XRAPI_CALL layer_CreateActionSpace(XrSession session, const XrActionSpaceCreateInfo *ci,
                                                              XrSpace *space)
{
    XrResult r = L.CreateActionSpace(session, ci, space);
    const struct action *a = find_action(ci->action);
    if (XR_SUCCEEDED(r) && a && !strcmp(a->name, "aim") && L.space_count < MAX_SPACES)
        L.spaces[L.space_count++] = (struct space){*space, 1, hand_of(ci->subactionPath)};
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_CreateReferenceSpace(XrSession session,
                                                                 const XrReferenceSpaceCreateInfo *ci, XrSpace *space)
{
    XrResult r = L.CreateReferenceSpace(session, ci, space);
    if (XR_SUCCEEDED(r) && ci->referenceSpaceType == XR_REFERENCE_SPACE_TYPE_VIEW && L.space_count < MAX_SPACES)
        L.spaces[L.space_count++] = (struct space){*space, 2, 0};
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_SyncActions(XrSession session, const XrActionsSyncInfo *si)
{
    XrResult r = L.SyncActions(session, si);
    L.before = L.synced;
    L.synced = L.now;
    return r;
}

/* A button's state for one hand, or either. */
static bool button_of(const inputs *in, int b, int h)
{
    return h == 2 ? in->button[b][0] || in->button[b][1] || in->button[b][2] : in->button[b][h] || in->button[b][2];
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_GetActionStateBoolean(XrSession session, const XrActionStateGetInfo *gi,
                                                                  XrActionStateBoolean *st)
{
    const struct action *a = find_action(gi->action);
    int b = a ? named(a->name, BUTTONS, 4) : -1;
    if (b < 0)
        return L.GetActionStateBoolean(session, gi, st);
    int h = hand_of(gi->subactionPath);
    bool now = button_of(&L.synced, b, h), before = button_of(&L.before, b, h);
    st->currentState = now;
    st->changedSinceLastSync = now != before;
    st->lastChangeTime = 0;
    st->isActive = XR_TRUE;
    return XR_SUCCESS;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_GetActionStateFloat(XrSession session, const XrActionStateGetInfo *gi,
                                                                XrActionStateFloat *st)
{
    const struct action *a = find_action(gi->action);
    int b = a ? named(a->name, BUTTONS, 4) : -1;
    if (b < 0)
        return L.GetActionStateFloat(session, gi, st);
    int h = hand_of(gi->subactionPath);
    bool now = button_of(&L.synced, b, h), before = button_of(&L.before, b, h);
    st->currentState = now ? 1.0f : 0.0f;
    st->changedSinceLastSync = now != before;
    st->lastChangeTime = 0;
    st->isActive = XR_TRUE;
    return XR_SUCCESS;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_GetActionStateVector2f(XrSession session, const XrActionStateGetInfo *gi,
                                                                   XrActionStateVector2f *st)
{
    const struct action *a = find_action(gi->action);
    int k = a ? named(a->name, STICKS, 2) : -1;
    if (k < 0)
        return L.GetActionStateVector2f(session, gi, st);
    st->currentState = (XrVector2f){L.synced.stick[k][0], L.synced.stick[k][1]};
    st->changedSinceLastSync = memcmp(L.synced.stick[k], L.before.stick[k], sizeof L.synced.stick[k]) != 0;
    st->lastChangeTime = 0;
    st->isActive = XR_TRUE;
    return XR_SUCCESS;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_GetActionStatePose(XrSession session, const XrActionStateGetInfo *gi,
                                                               XrActionStatePose *st)
{
    const struct action *a = find_action(gi->action);
    if (!a || strcmp(a->name, "aim"))
        return L.GetActionStatePose(session, gi, st);
    int h = hand_of(gi->subactionPath);
    st->isActive = h == 2 ? L.aim_set[0] || L.aim_set[1] : L.aim_set[h];
    return XR_SUCCESS;
}

static const struct space *find_space(XrSpace s)
{
    for (int i = 0; i < L.space_count; i++)
        if (L.spaces[i].handle == s)
            return &L.spaces[i];
    return NULL;
}

static void located(XrSpaceLocation *loc, XrPosef pose, bool valid)
{
    const XrSpaceLocationFlags all = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT |
                                     XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT;
    loc->locationFlags = valid ? all : 0;
    loc->pose = valid ? pose : (XrPosef){.orientation = {0, 0, 0, 1}};
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_LocateSpace(XrSpace space, XrSpace base, XrTime t, XrSpaceLocation *loc)
{
    const struct space *s = find_space(space);
    if (s && s->kind == 1 && s->hand < 2) {
        located(loc, L.aim[s->hand], L.aim_set[s->hand]);
        return XR_SUCCESS;
    }
    if (s && s->kind == 2 && L.head_set) {
        located(loc, L.head, true);
        return XR_SUCCESS;
    }
    return L.LocateSpace(space, base, t, loc);
}

/* The head's right, from its orientation. */
static XrVector3f head_right(XrQuaternionf q)
{
    return (XrVector3f){1 - 2 * (q.y * q.y + q.z * q.z), 2 * (q.x * q.y + q.w * q.z), 2 * (q.x * q.z - q.w * q.y)};
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_LocateViews(XrSession session, const XrViewLocateInfo *li, XrViewState *vs,
                                                        uint32_t cap, uint32_t *count, XrView *views)
{
    XrResult r = L.LocateViews(session, li, vs, cap, count, views);
    if (XR_FAILED(r) || !L.head_set || !views || cap < 2)
        return r;
    XrVector3f right = head_right(L.head.orientation);
    for (uint32_t i = 0; i < *count && i < 2; i++) {
        float k = (i ? 0.5f : -0.5f) * IPD;
        views[i].pose.orientation = L.head.orientation;
        views[i].pose.position = (XrVector3f){L.head.position.x + right.x * k, L.head.position.y + right.y * k,
                                              L.head.position.z + right.z * k};
    }
    vs->viewStateFlags |= XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    return r;
}

/* ---- hands ---------------------------------------------------------------------- */

static int fake_hand(XrHandTrackerEXT t)
{
    uintptr_t v = (uintptr_t)t;
    return v == FAKE_TRACKER || v == FAKE_TRACKER + 1 ? (int)(v - FAKE_TRACKER) : -1;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_CreateHandTrackerEXT(XrSession session,
                                                                 const XrHandTrackerCreateInfoEXT *ci,
                                                                 XrHandTrackerEXT *out)
{
    if (!L.hands_offered)
        return L.CreateHandTrackerEXT(session, ci, out);
    *out = (XrHandTrackerEXT)(uintptr_t)(FAKE_TRACKER + (ci->hand == XR_HAND_RIGHT_EXT ? 1 : 0));
    return XR_SUCCESS;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_DestroyHandTrackerEXT(XrHandTrackerEXT t)
{
    return fake_hand(t) >= 0 ? XR_SUCCESS : L.DestroyHandTrackerEXT(t);
}

static XrVector3f along(XrPosef p, float forward, float right)
{
    XrQuaternionf q = p.orientation;
    /* -Z and +X of the pose's orientation */
    XrVector3f f = {-2 * (q.x * q.z + q.w * q.y), -2 * (q.y * q.z - q.w * q.x), -(1 - 2 * (q.x * q.x + q.y * q.y))};
    XrVector3f r = {1 - 2 * (q.y * q.y + q.z * q.z), 2 * (q.x * q.y + q.w * q.z), 2 * (q.x * q.z - q.w * q.y)};
    return (XrVector3f){p.position.x + f.x * forward + r.x * right, p.position.y + f.y * forward + r.y * right,
                        p.position.z + f.z * forward + r.z * right};
}

/* A scripted hand: every joint at the knuckle but the wrist behind it and
 * the thumb and index tips ahead, apart or (pinching) together. */
static XRAPI_ATTR XrResult XRAPI_CALL layer_LocateHandJointsEXT(XrHandTrackerEXT t, const XrHandJointsLocateInfoEXT *li,
                                                                XrHandJointLocationsEXT *out)
{
    int h = fake_hand(t);
    if (h < 0)
        return L.LocateHandJointsEXT(t, li, out);
    out->isActive = L.hand_set[h];
    bool pinch = L.frame < L.pinch_until[h];
    for (uint32_t i = 0; i < out->jointCount; i++) {
        XrHandJointLocationEXT *j = &out->jointLocations[i];
        XrPosef p = L.hand[h];
        if (i == XR_HAND_JOINT_WRIST_EXT)
            p.position = along(L.hand[h], -0.09f, 0);
        else if (i == XR_HAND_JOINT_INDEX_TIP_EXT)
            p.position = along(L.hand[h], pinch ? 0.05f : 0.08f, 0);
        else if (i == XR_HAND_JOINT_THUMB_TIP_EXT)
            p.position = along(L.hand[h], 0.05f, pinch ? 0.005f : (h ? -0.05f : 0.05f));
        j->pose = p;
        j->radius = 0.01f;
        j->locationFlags = L.hand_set[h]
                               ? XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT |
                                     XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT
                               : 0;
    }
    return XR_SUCCESS;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_WaitFrame(XrSession session, const XrFrameWaitInfo *wi, XrFrameState *fs)
{
    XrResult r = L.WaitFrame(session, wi, fs);
    L.frame++;
    expire_inputs();
    run_steps();
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_CreateSwapchain(XrSession session, const XrSwapchainCreateInfo *ci,
                                                            XrSwapchain *sc)
{
    XrResult r = L.CreateSwapchain(session, ci, sc);
    if (XR_SUCCEEDED(r) && L.chain_count < MAX_CHAINS)
        L.chains[L.chain_count++] = (chain){.handle = *sc,
                                            .width = (int)ci->width,
                                            .height = (int)ci->height,
                                            .layers = (int)ci->arraySize,
                                            .color = (ci->usageFlags & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT) != 0};
    return r;
}

static chain *find_chain(XrSwapchain sc)
{
    for (int i = 0; i < L.chain_count; i++)
        if (L.chains[i].handle == sc)
            return &L.chains[i];
    return NULL;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_EnumerateSwapchainImages(XrSwapchain sc, uint32_t cap, uint32_t *count,
                                                                     XrSwapchainImageBaseHeader *images)
{
    XrResult r = L.EnumerateSwapchainImages(sc, cap, count, images);
    chain *c = find_chain(sc);
    if (XR_SUCCEEDED(r) && c && images && images->type == XR_TYPE_SWAPCHAIN_IMAGE_OPENGL_ES_KHR) {
        const XrSwapchainImageOpenGLESKHR *gl = (const XrSwapchainImageOpenGLESKHR *)images;
        c->count = *count < 8 ? *count : 8;
        for (uint32_t i = 0; i < c->count; i++)
            c->images[i] = gl[i].image;
    }
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_AcquireSwapchainImage(XrSwapchain sc, const XrSwapchainImageAcquireInfo *ai,
                                                                  uint32_t *index)
{
    XrResult r = L.AcquireSwapchainImage(sc, ai, index);
    chain *c = find_chain(sc);
    if (XR_SUCCEEDED(r) && c)
        c->acquired = *index;
    return r;
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_ReleaseSwapchainImage(XrSwapchain sc, const XrSwapchainImageReleaseInfo *ri)
{
    chain *c = find_chain(sc);
    if (L.shot[0] && c && c->color && c->acquired < c->count)
        take_shot(c, c->acquired);
    return L.ReleaseSwapchainImage(sc, ri);
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_DestroyInstance(XrInstance instance)
{
    PFN_xrDestroyInstance destroy = L.DestroyInstance;
    say("instance destroyed after %ld frames, %d of %d steps run", L.frame,
        L.next_step < L.step_count ? L.next_step : L.step_count, L.step_count);
    return destroy(instance);
}

/* ---- the layer's plumbing ------------------------------------------------------------ */

#define WRAP(name)                                                                  \
    {                                                                               \
        "xr" #name, (PFN_xrVoidFunction)layer_##name, (PFN_xrVoidFunction *)&L.name \
    }
static const struct {
    const char *name;
    PFN_xrVoidFunction ours;
    PFN_xrVoidFunction *next;
} WRAPPED[] = {
    WRAP(GetSystemProperties),
    WRAP(PollEvent),
    WRAP(CreateSession),
    WRAP(BeginSession),
    WRAP(CreateAction),
    WRAP(CreateActionSpace),
    WRAP(CreateReferenceSpace),
    WRAP(SyncActions),
    WRAP(GetActionStateBoolean),
    WRAP(GetActionStateFloat),
    WRAP(GetActionStateVector2f),
    WRAP(GetActionStatePose),
    WRAP(LocateSpace),
    WRAP(LocateViews),
    WRAP(WaitFrame),
    WRAP(CreateSwapchain),
    WRAP(EnumerateSwapchainImages),
    WRAP(AcquireSwapchainImage),
    WRAP(ReleaseSwapchainImage),
    WRAP(DestroyInstance),
    WRAP(CreateHandTrackerEXT),
    WRAP(DestroyHandTrackerEXT),
    WRAP(LocateHandJointsEXT),
};

static XRAPI_ATTR XrResult XRAPI_CALL layer_gipa(XrInstance instance, const char *name, PFN_xrVoidFunction *fn)
{
    if (!L.next_gipa) /* before xrCreateInstance: the loader answers global calls itself */
        return XR_ERROR_HANDLE_INVALID;
    for (size_t i = 0; i < sizeof WRAPPED / sizeof *WRAPPED; i++) {
        if (!strcmp(name, WRAPPED[i].name) && *WRAPPED[i].next) {
            *fn = WRAPPED[i].ours;
            return XR_SUCCESS;
        }
    }
    return L.next_gipa(instance, name, fn);
}

static XRAPI_ATTR XrResult XRAPI_CALL layer_create_instance(const XrInstanceCreateInfo *info,
                                                            const XrApiLayerCreateInfo *layer_info,
                                                            XrInstance *instance)
{
    XrApiLayerNextInfo *next = layer_info->nextInfo;
    if (!next || strcmp(next->layerName, LAYER_NAME))
        return XR_ERROR_INITIALIZATION_FAILED;
    memset(&L, 0, sizeof L);
    L.next_gipa = next->nextGetInstanceProcAddr;
    L.present = true;
    const char *env = getenv("MH_XR_LAYER_PRESENCE");
    L.presence_offered = !env || strcmp(env, "0") != 0;
    env = getenv("MH_XR_LAYER_HANDS");
    L.hands_offered = env && !strcmp(env, "1");
    /* the runtime does not have the presence extension: it stops here */
    const char *ext[64];
    uint32_t n = 0;
    for (uint32_t i = 0; i < info->enabledExtensionCount && n < 64; i++) {
        if (!strcmp(info->enabledExtensionNames[i], XR_EXT_USER_PRESENCE_EXTENSION_NAME))
            L.presence_enabled = L.presence_offered;
        else
            ext[n++] = info->enabledExtensionNames[i];
    }
    XrInstanceCreateInfo ci = *info;
    ci.enabledExtensionCount = n;
    ci.enabledExtensionNames = ext;
    XrApiLayerCreateInfo li = *layer_info;
    li.nextInfo = next->next;
    XrResult r = next->nextCreateApiLayerInstance(&ci, &li, instance);
    if (XR_FAILED(r))
        return r;
    L.instance = *instance;
    for (size_t i = 0; i < sizeof WRAPPED / sizeof *WRAPPED; i++)
        L.next_gipa(*instance, WRAPPED[i].name, WRAPPED[i].next);
    L.next_gipa(*instance, "xrStringToPath", (PFN_xrVoidFunction *)&L.StringToPath);
    if (L.StringToPath) {
        L.StringToPath(*instance, "/user/hand/left", &L.hand_path[0]);
        L.StringToPath(*instance, "/user/hand/right", &L.hand_path[1]);
    }
    say("loaded; XR_EXT_user_presence %s; hands %s",
        L.presence_enabled   ? "offered and enabled"
        : L.presence_offered ? "offered, not enabled"
                             : "hidden",
        L.hands_offered ? "scripted" : "the runtime's");
    load_script();
    return r;
}

EXPORT XRAPI_ATTR XrResult XRAPI_CALL xrNegotiateLoaderApiLayerInterface(const XrNegotiateLoaderInfo *loader,
                                                                         const char *layer_name,
                                                                         XrNegotiateApiLayerRequest *req)
{
    if (!loader || !req || loader->structType != XR_LOADER_INTERFACE_STRUCT_LOADER_INFO ||
        req->structType != XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST || strcmp(layer_name, LAYER_NAME) ||
        loader->minInterfaceVersion > XR_CURRENT_LOADER_API_LAYER_VERSION ||
        loader->maxInterfaceVersion < XR_CURRENT_LOADER_API_LAYER_VERSION)
        return XR_ERROR_INITIALIZATION_FAILED;
    req->layerInterfaceVersion = XR_CURRENT_LOADER_API_LAYER_VERSION;
    req->layerApiVersion = XR_CURRENT_API_VERSION;
    req->getInstanceProcAddr = layer_gipa;
    req->createApiLayerInstance = layer_create_instance;
    return XR_SUCCESS;
}
