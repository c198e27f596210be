/* mh_openxr_hands.c - hands without controllers, where the runtime tracks
 * them (XR_EXT_hand_tracking): each frame both hands' joints are located;
 * a hand points along its wrist -> index knuckle line, from the knuckle,
 * and pinching (thumb and index tips together) selects, as a controller's
 * trigger does. Used only while no controller gives a ray. */
#include <math.h>
#include <stdlib.h>

#include "metahall.h"
#include "mh_openxr.h"

#define PINCH_ON 0.02f   /* metres between the thumb and index tips: a pinch... */
#define PINCH_OFF 0.035f /* ...and apart again */

struct mh_xr_hands {
    PFN_xrCreateHandTrackerEXT create;
    PFN_xrDestroyHandTrackerEXT destroy;
    PFN_xrLocateHandJointsEXT locate;
    XrHandTrackerEXT tracker[2];
    bool pinched[2];
    int pointing; /* the hand that last pinched: 0 left, 1 right */
    int logged;   /* the hand the log last named, -1 none, -2 not yet */
};

static bool proc(XrInstance instance, const char *name, PFN_xrVoidFunction *fn)
{
    return XR_SUCCEEDED(xrGetInstanceProcAddr(instance, name, fn)) && *fn;
}

bool mh_xr_hands_create(mh_xr_hands **out, XrInstance instance, XrSession session)
{
    mh_xr_hands *h = calloc(1, sizeof *h);
    if (!h)
        return false;
    h->pointing = 1;
    h->logged = -2;
    bool ok = proc(instance, "xrCreateHandTrackerEXT", (PFN_xrVoidFunction *)&h->create) &&
              proc(instance, "xrDestroyHandTrackerEXT", (PFN_xrVoidFunction *)&h->destroy) &&
              proc(instance, "xrLocateHandJointsEXT", (PFN_xrVoidFunction *)&h->locate);
    for (int i = 0; ok && i < 2; i++) {
        XrHandTrackerCreateInfoEXT ci = {.type = XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT,
                                         .hand = i ? XR_HAND_RIGHT_EXT : XR_HAND_LEFT_EXT,
                                         .handJointSet = XR_HAND_JOINT_SET_DEFAULT_EXT};
        XrResult r = h->create(session, &ci, &h->tracker[i]);
        if (XR_FAILED(r)) {
            mh_log_warn("openxr", "no hand tracking (xrCreateHandTrackerEXT: %s)", mh_xr_result_name(r));
            ok = false;
        }
    }
    if (!ok) {
        mh_xr_hands_destroy(&h);
        return false;
    }
    mh_log_info("openxr", "hand tracking: without a controller, a hand points and a pinch selects");
    *out = h;
    return true;
}

void mh_xr_hands_destroy(mh_xr_hands **ph)
{
    mh_xr_hands *h = *ph;
    if (!h)
        return;
    for (int i = 0; i < 2; i++)
        if (h->tracker[i] != XR_NULL_HANDLE && h->destroy)
            h->destroy(h->tracker[i]);
    free(h);
    *ph = NULL;
}

static float dist(XrVector3f a, XrVector3f b)
{
    float x = a.x - b.x, y = a.y - b.y, z = a.z - b.z;
    return sqrtf(x * x + y * y + z * z);
}

/* Hand i's joints in base at t; false when the hand is not tracked. */
static bool locate(const mh_xr_hands *h, int i, XrSpace base, XrTime t, XrHandJointLocationEXT *j)
{
    XrHandJointsLocateInfoEXT li = {.type = XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT, .baseSpace = base, .time = t};
    XrHandJointLocationsEXT locs = {.type = XR_TYPE_HAND_JOINT_LOCATIONS_EXT,
                                    .jointCount = XR_HAND_JOINT_COUNT_EXT,
                                    .jointLocations = j};
    if (XR_FAILED(h->locate(h->tracker[i], &li, &locs)) || !locs.isActive)
        return false;
    const int need[] = {XR_HAND_JOINT_WRIST_EXT, XR_HAND_JOINT_INDEX_PROXIMAL_EXT, XR_HAND_JOINT_THUMB_TIP_EXT,
                        XR_HAND_JOINT_INDEX_TIP_EXT};
    for (size_t k = 0; k < sizeof need / sizeof *need; k++)
        if (!(j[need[k]].locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT))
            return false;
    return true;
}

/* The ray: from the index knuckle, along wrist -> knuckle. */
static void point(const XrHandJointLocationEXT *j, mh_input_state *in)
{
    XrVector3f a = j[XR_HAND_JOINT_WRIST_EXT].pose.position, b = j[XR_HAND_JOINT_INDEX_PROXIMAL_EXT].pose.position;
    float dx = b.x - a.x, dy = b.y - a.y, dz = b.z - a.z, len = sqrtf(dx * dx + dy * dy + dz * dz);
    if (len < 1e-4f)
        return;
    float yaw = atan2f(-dx, -dz), pitch = asinf(dy / len);
    float cy = cosf(yaw * 0.5f), sy = sinf(yaw * 0.5f), cp = cosf(pitch * 0.5f), sp = sinf(pitch * 0.5f);
    in->aim = true;
    in->aim_position[0] = b.x;
    in->aim_position[1] = b.y;
    in->aim_position[2] = b.z;
    in->aim_orientation[0] = cy * sp; /* yaw about Y, then pitch about X */
    in->aim_orientation[1] = sy * cp;
    in->aim_orientation[2] = -sy * sp;
    in->aim_orientation[3] = cy * cp;
}

void mh_xr_hands_update(mh_xr_hands *h, XrSpace base, XrTime t, mh_input_state *in)
{
    XrHandJointLocationEXT joints[2][XR_HAND_JOINT_COUNT_EXT];
    bool seen[2];
    for (int i = 0; i < 2; i++) {
        seen[i] = t > 0 && locate(h, i, base, t, joints[i]);
        if (!seen[i]) {
            h->pinched[i] = false;
            continue;
        }
        float d = dist(joints[i][XR_HAND_JOINT_THUMB_TIP_EXT].pose.position,
                       joints[i][XR_HAND_JOINT_INDEX_TIP_EXT].pose.position);
        bool was = h->pinched[i];
        h->pinched[i] = was ? d < PINCH_OFF : d < PINCH_ON;
        if (h->pinched[i] && !was) {
            in->actions |= MH_ACT_SELECT;
            h->pointing = i;
        }
    }
    int p = seen[h->pointing] ? h->pointing : seen[1 - h->pointing] ? 1 - h->pointing : -1;
    if (p >= 0)
        point(joints[p], in);
    if (p != h->logged && p >= 0)
        mh_log_info("openxr", "pointing with the %s hand (pinch to select)", p ? "right" : "left");
    h->logged = p;
}
