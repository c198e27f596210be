/* mh_openxr_input.c - headset controllers through the OpenXR action system:
 * one action set (aim pose, select, move, turn, teleport, back, menu),
 * suggested bindings for the common controllers, and each frame the actions
 * turned into an mh_input_state: the left stick walks, the right stick
 * snap-turns 30 degrees sideways and, pushed forward, aims the teleport arc
 * (letting go teleports), buttons become one-shot MH_ACT_* actions (the menu
 * button opens the world menu), and the aim ray of the hand that last
 * pressed select points for the engine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metahall.h"
#include "mh_openxr.h"

#define SNAP_ANGLE 0.5235988f /* 30 degrees */
#define SNAP_ON 0.7f          /* |x| beyond this turns once... */
#define SNAP_REARM 0.3f       /* ...and again only after coming back below this */
#define STICK_DEADZONE 0.15f
#define ARC_ON 0.7f  /* the right stick forward beyond this aims the arc... */
#define ARC_OFF 0.3f /* ...and coming back below this lets go: teleport */

enum { A_AIM, A_SELECT, A_MOVE, A_TURN, A_TELEPORT, A_BACK, A_MENU, A_COUNT };

static const struct {
    const char *name, *label;
    XrActionType type;
    bool per_hand;
} ACTIONS[A_COUNT] = {
    [A_AIM] = {"aim", "Aim", XR_ACTION_TYPE_POSE_INPUT, true},
    [A_SELECT] = {"select", "Select", XR_ACTION_TYPE_BOOLEAN_INPUT, true},
    [A_MOVE] = {"move", "Walk", XR_ACTION_TYPE_VECTOR2F_INPUT, false},
    [A_TURN] = {"turn", "Snap turn", XR_ACTION_TYPE_VECTOR2F_INPUT, false},
    [A_TELEPORT] = {"teleport", "Teleport", XR_ACTION_TYPE_BOOLEAN_INPUT, false},
    [A_BACK] = {"back", "Close panel", XR_ACTION_TYPE_BOOLEAN_INPUT, false},
    [A_MENU] = {"menu", "Menu", XR_ACTION_TYPE_BOOLEAN_INPUT, false},
};

/* Suggested bindings, one controller per row; L and R expand to both hands. */
typedef struct binding {
    int action;
    const char *path;
} binding;

#define MAX_BINDINGS 16
static const struct {
    const char *profile;
    binding b[MAX_BINDINGS];
} PROFILES[] = {
    {"/interaction_profiles/khr/simple_controller",
     {{A_AIM, "/user/hand/left/input/aim/pose"},
      {A_AIM, "/user/hand/right/input/aim/pose"},
      {A_SELECT, "/user/hand/left/input/select/click"},
      {A_SELECT, "/user/hand/right/input/select/click"},
      {A_MENU, "/user/hand/left/input/menu/click"},
      {A_MENU, "/user/hand/right/input/menu/click"}}},
    {"/interaction_profiles/oculus/touch_controller",
     {{A_AIM, "/user/hand/left/input/aim/pose"},
      {A_AIM, "/user/hand/right/input/aim/pose"},
      {A_SELECT, "/user/hand/left/input/trigger/value"},
      {A_SELECT, "/user/hand/right/input/trigger/value"},
      {A_MOVE, "/user/hand/left/input/thumbstick"},
      {A_TURN, "/user/hand/right/input/thumbstick"},
      {A_TELEPORT, "/user/hand/left/input/x/click"},
      {A_TELEPORT, "/user/hand/right/input/a/click"},
      {A_BACK, "/user/hand/left/input/y/click"},
      {A_BACK, "/user/hand/right/input/b/click"},
      {A_MENU, "/user/hand/left/input/menu/click"}}},
    {"/interaction_profiles/valve/index_controller",
     {{A_AIM, "/user/hand/left/input/aim/pose"},
      {A_AIM, "/user/hand/right/input/aim/pose"},
      {A_SELECT, "/user/hand/left/input/trigger/click"},
      {A_SELECT, "/user/hand/right/input/trigger/click"},
      {A_MOVE, "/user/hand/left/input/thumbstick"},
      {A_TURN, "/user/hand/right/input/thumbstick"},
      {A_TELEPORT, "/user/hand/left/input/a/click"},
      {A_TELEPORT, "/user/hand/right/input/a/click"},
      {A_BACK, "/user/hand/left/input/b/click"},
      {A_BACK, "/user/hand/right/input/b/click"}}},
    {"/interaction_profiles/htc/vive_controller",
     {{A_AIM, "/user/hand/left/input/aim/pose"},
      {A_AIM, "/user/hand/right/input/aim/pose"},
      {A_SELECT, "/user/hand/left/input/trigger/click"},
      {A_SELECT, "/user/hand/right/input/trigger/click"},
      {A_MOVE, "/user/hand/left/input/trackpad"},
      {A_TURN, "/user/hand/right/input/trackpad"},
      {A_TELEPORT, "/user/hand/left/input/trackpad/click"},
      {A_TELEPORT, "/user/hand/right/input/trackpad/click"},
      {A_BACK, "/user/hand/left/input/squeeze/click"},
      {A_BACK, "/user/hand/right/input/squeeze/click"},
      {A_MENU, "/user/hand/left/input/menu/click"},
      {A_MENU, "/user/hand/right/input/menu/click"}}},
    {"/interaction_profiles/microsoft/motion_controller",
     {{A_AIM, "/user/hand/left/input/aim/pose"},
      {A_AIM, "/user/hand/right/input/aim/pose"},
      {A_SELECT, "/user/hand/left/input/trigger/value"},
      {A_SELECT, "/user/hand/right/input/trigger/value"},
      {A_MOVE, "/user/hand/left/input/thumbstick"},
      {A_TURN, "/user/hand/right/input/thumbstick"},
      {A_TELEPORT, "/user/hand/left/input/trackpad/click"},
      {A_TELEPORT, "/user/hand/right/input/trackpad/click"},
      {A_BACK, "/user/hand/left/input/squeeze/click"},
      {A_BACK, "/user/hand/right/input/squeeze/click"},
      {A_MENU, "/user/hand/left/input/menu/click"},
      {A_MENU, "/user/hand/right/input/menu/click"}}},
};

struct mh_xr_input {
    XrActionSet set;
    XrAction action[A_COUNT];
    XrPath hand[2]; /* /user/hand/left, /user/hand/right */
    XrSpace aim_space[2];
    int aim_hand; /* the hand that last pressed select: 0 left, 1 right */
    int aiming;   /* the hand whose ray the engine got last frame, -1 none, -2 not yet known */
    bool turn_armed;
    bool arc; /* the right stick aims the teleport arc */
    float last_move[2], last_turn;
};

/* ---- creation ---------------------------------------------------------------- */

static bool create_set(mh_xr_input *xi, XrInstance instance, mh_error *err)
{
    XrActionSetCreateInfo si = {.type = XR_TYPE_ACTION_SET_CREATE_INFO, .priority = 0};
    snprintf(si.actionSetName, sizeof si.actionSetName, "kiosk");
    snprintf(si.localizedActionSetName, sizeof si.localizedActionSetName, "Exhibition hall");
    XrResult r = xrCreateActionSet(instance, &si, &xi->set);
    if (XR_FAILED(r))
        return mh_xr_fail(err, r, "creating the OpenXR action set");
    if (XR_FAILED(r = xrStringToPath(instance, "/user/hand/left", &xi->hand[0])) ||
        XR_FAILED(r = xrStringToPath(instance, "/user/hand/right", &xi->hand[1])))
        return mh_xr_fail(err, r, "naming the hands (xrStringToPath)");
    return true;
}

static bool create_action(mh_xr_input *xi, int a, mh_error *err)
{
    XrActionCreateInfo ci = {.type = XR_TYPE_ACTION_CREATE_INFO, .actionType = ACTIONS[a].type};
    snprintf(ci.actionName, sizeof ci.actionName, "%s", ACTIONS[a].name);
    snprintf(ci.localizedActionName, sizeof ci.localizedActionName, "%s", ACTIONS[a].label);
    if (ACTIONS[a].per_hand) {
        ci.countSubactionPaths = 2;
        ci.subactionPaths = xi->hand;
    }
    XrResult r = xrCreateAction(xi->set, &ci, &xi->action[a]);
    if (XR_FAILED(r)) {
        char what[80];
        snprintf(what, sizeof what, "creating the OpenXR action \"%s\"", ACTIONS[a].name);
        return mh_xr_fail(err, r, what);
    }
    return true;
}

/* One controller's bindings. A profile the runtime does not know is no error:
 * the others may still fit the visitor's controller. */
static bool suggest_profile(const mh_xr_input *xi, XrInstance instance, size_t p)
{
    XrActionSuggestedBinding sb[MAX_BINDINGS];
    uint32_t n = 0;
    XrPath profile;
    XrResult r = xrStringToPath(instance, PROFILES[p].profile, &profile);
    for (int i = 0; XR_SUCCEEDED(r) && i < MAX_BINDINGS && PROFILES[p].b[i].path; i++) {
        sb[n].action = xi->action[PROFILES[p].b[i].action];
        r = xrStringToPath(instance, PROFILES[p].b[i].path, &sb[n++].binding);
    }
    XrInteractionProfileSuggestedBinding s = {.type = XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
                                              .interactionProfile = profile,
                                              .countSuggestedBindings = n,
                                              .suggestedBindings = sb};
    if (XR_SUCCEEDED(r))
        r = xrSuggestInteractionProfileBindings(instance, &s);
    if (XR_FAILED(r))
        mh_log_debug("openxr", "bindings for %s not taken (%s)", PROFILES[p].profile, mh_xr_result_name(r));
    return XR_SUCCEEDED(r);
}

static bool suggest_bindings(const mh_xr_input *xi, XrInstance instance, mh_error *err)
{
    size_t total = sizeof PROFILES / sizeof *PROFILES, taken = 0;
    for (size_t p = 0; p < total; p++)
        taken += suggest_profile(xi, instance, p);
    mh_log_info("openxr", "controller bindings: the runtime took %zu of %zu interaction profiles", taken, total);
    if (!taken)
        return mh_fail(err, "", "", "the OpenXR runtime took none of metahall's controller bindings");
    return true;
}

static bool attach(mh_xr_input *xi, XrSession session, mh_error *err)
{
    XrSessionActionSetsAttachInfo ai = {.type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO,
                                        .countActionSets = 1,
                                        .actionSets = &xi->set};
    XrResult r = xrAttachSessionActionSets(session, &ai);
    if (XR_FAILED(r))
        return mh_xr_fail(err, r, "attaching the controller actions to the session");
    for (int h = 0; h < 2; h++) {
        XrActionSpaceCreateInfo ci = {.type = XR_TYPE_ACTION_SPACE_CREATE_INFO,
                                      .action = xi->action[A_AIM],
                                      .subactionPath = xi->hand[h],
                                      .poseInActionSpace = {.orientation = {0, 0, 0, 1}}};
        if (XR_FAILED(r = xrCreateActionSpace(session, &ci, &xi->aim_space[h])))
            return mh_xr_fail(err, r, "creating the controllers' aim spaces");
    }
    return true;
}

bool mh_xr_input_create(mh_xr_input **out, XrInstance instance, XrSession session, mh_error *err)
{
    mh_xr_input *xi = calloc(1, sizeof *xi);
    if (!xi)
        return mh_fail(err, "", "", "out of memory for controller input");
    xi->aim_hand = 1;
    xi->aiming = -2;
    xi->turn_armed = true;
    bool ok = create_set(xi, instance, err);
    for (int a = 0; ok && a < A_COUNT; a++)
        ok = create_action(xi, a, err);
    ok = ok && suggest_bindings(xi, instance, err) && attach(xi, session, err);
    if (!ok) {
        mh_xr_input_destroy(&xi);
        return false;
    }
    *out = xi;
    return true;
}

void mh_xr_input_destroy(mh_xr_input **pxi)
{
    mh_xr_input *xi = *pxi;
    if (!xi)
        return;
    for (int h = 0; h < 2; h++)
        if (xi->aim_space[h] != XR_NULL_HANDLE)
            xrDestroySpace(xi->aim_space[h]);
    if (xi->set != XR_NULL_HANDLE)
        xrDestroyActionSet(xi->set); /* its actions go with it */
    free(xi);
    *pxi = NULL;
}

/* ---- each frame ------------------------------------------------------------------ */

/* True on the frame a button goes down. */
static bool pressed(const mh_xr_input *xi, XrSession session, int a, XrPath sub, bool *changed)
{
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = xi->action[a], .subactionPath = sub};
    XrActionStateBoolean st = {.type = XR_TYPE_ACTION_STATE_BOOLEAN};
    if (XR_FAILED(xrGetActionStateBoolean(session, &gi, &st)) || !st.isActive)
        return false;
    *changed |= st.changedSinceLastSync;
    return st.changedSinceLastSync && st.currentState;
}

static XrVector2f stick(const mh_xr_input *xi, XrSession session, int a)
{
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = xi->action[a]};
    XrActionStateVector2f st = {.type = XR_TYPE_ACTION_STATE_VECTOR2F};
    if (XR_FAILED(xrGetActionStateVector2f(session, &gi, &st)) || !st.isActive)
        return (XrVector2f){0, 0};
    return st.currentState;
}

static float deadzone(float v) { return fabsf(v) < STICK_DEADZONE ? 0.0f : v; }

/* Right stick x: one 30 degree turn each time it is pushed past SNAP_ON. */
static float snap_turn(mh_xr_input *xi, float x)
{
    if (fabsf(x) < SNAP_REARM)
        xi->turn_armed = true;
    if (!xi->turn_armed || fabsf(x) < SNAP_ON)
        return 0.0f;
    xi->turn_armed = false;
    return x > 0 ? -SNAP_ANGLE : SNAP_ANGLE; /* positive yaw turns left */
}

static void buttons(mh_xr_input *xi, XrSession session, mh_input_state *in, bool *changed)
{
    for (int h = 0; h < 2; h++) {
        if (pressed(xi, session, A_SELECT, xi->hand[h], changed)) {
            in->actions |= MH_ACT_SELECT;
            xi->aim_hand = h;
        }
    }
    if (pressed(xi, session, A_TELEPORT, XR_NULL_PATH, changed))
        in->actions |= MH_ACT_TELEPORT;
    if (pressed(xi, session, A_BACK, XR_NULL_PATH, changed))
        in->actions |= MH_ACT_BACK;
    if (pressed(xi, session, A_MENU, XR_NULL_PATH, changed))
        in->actions |= MH_ACT_MENU;
}

/* Right stick forward: the arc shows while held; let go, and teleport. */
static void teleport_arc(mh_xr_input *xi, XrVector2f turn, mh_input_state *in)
{
    bool was = xi->arc;
    xi->arc = xi->arc ? turn.y > ARC_OFF : turn.y > ARC_ON && fabsf(turn.x) < turn.y;
    in->teleport_aim = xi->arc;
    if (was && !xi->arc)
        in->actions |= MH_ACT_TELEPORT;
}

static void sticks(mh_xr_input *xi, XrSession session, mh_input_state *in, bool *changed)
{
    XrVector2f move = stick(xi, session, A_MOVE), turn = stick(xi, session, A_TURN);
    in->move_forward = deadzone(move.y);
    in->move_right = deadzone(move.x);
    teleport_arc(xi, turn, in);
    if (!xi->arc)
        in->look_yaw += snap_turn(xi, turn.x);
    *changed |=
        in->move_forward != xi->last_move[0] || in->move_right != xi->last_move[1] || deadzone(turn.x) != xi->last_turn;
    xi->last_move[0] = in->move_forward;
    xi->last_move[1] = in->move_right;
    xi->last_turn = deadzone(turn.x);
}

static bool locate_aim(const mh_xr_input *xi, int h, XrSpace base, XrTime t, mh_input_state *in)
{
    const XrSpaceLocationFlags need = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
    XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
    if (XR_FAILED(xrLocateSpace(xi->aim_space[h], base, t, &loc)) || (loc.locationFlags & need) != need)
        return false;
    in->aim = true;
    in->aim_position[0] = loc.pose.position.x;
    in->aim_position[1] = loc.pose.position.y;
    in->aim_position[2] = loc.pose.position.z;
    in->aim_orientation[0] = loc.pose.orientation.x;
    in->aim_orientation[1] = loc.pose.orientation.y;
    in->aim_orientation[2] = loc.pose.orientation.z;
    in->aim_orientation[3] = loc.pose.orientation.w;
    return true;
}

/* The ray of the hand that last pressed select, else the other one. */
static void aim(mh_xr_input *xi, XrSpace base, XrTime t, mh_input_state *in)
{
    int h = xi->aim_hand;
    if (t <= 0 || !locate_aim(xi, h, base, t, in))
        h = t > 0 && locate_aim(xi, 1 - h, base, t, in) ? 1 - h : -1;
    if (h != xi->aiming && h < 0)
        mh_log_info("openxr", "no controller pose: selection by gaze");
    else if (h != xi->aiming)
        mh_log_info("openxr", "pointing with the %s controller", h == 0 ? "left" : "right");
    xi->aiming = h;
}

void mh_xr_input_log_profiles(const mh_xr_input *xi, XrInstance instance, XrSession session)
{
    for (int h = 0; xi && h < 2; h++) {
        XrInteractionProfileState st = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        char path[XR_MAX_PATH_LENGTH] = "none";
        uint32_t n = 0;
        if (XR_SUCCEEDED(xrGetCurrentInteractionProfile(session, xi->hand[h], &st)) &&
            st.interactionProfile != XR_NULL_PATH)
            xrPathToString(instance, st.interactionProfile, sizeof path, &n, path);
        mh_log_info("openxr", "%s hand: %s", h == 0 ? "left" : "right", path);
    }
}

void mh_xr_input_update(mh_xr_input *xi, XrSession session, XrSpace base, XrTime t, bool focused, mh_input_state *in)
{
    if (!xi || !focused)
        return;
    XrActiveActionSet active = {.actionSet = xi->set, .subactionPath = XR_NULL_PATH};
    XrActionsSyncInfo si = {.type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
    XrResult r = xrSyncActions(session, &si);
    if (XR_FAILED(r)) {
        mh_log_debug("openxr", "xrSyncActions failed (%s)", mh_xr_result_name(r));
        return;
    }
    bool changed = false;
    buttons(xi, session, in, &changed);
    sticks(xi, session, in, &changed);
    in->activity |= changed;
    aim(xi, base, t, in);
}
