/* mh_engine_views.c - where the engine looks from each frame: its own
 * camera (the visitor's eye, or the attract orbit), a camera set from
 * outside (benchmarks), or the platform's eyes (a headset, the stereo
 * preview) placed in the hall at the visitor; and the camera the visit
 * picks and points with. */
#include <math.h>

#include "mh_engine_internal.h"

#define FOVY_DEG 60.0f
#define Z_NEAR MH_DEPTH_NEAR
#define Z_FAR MH_DEPTH_FAR

static mh_mat4 projection(int w, int h)
{
    return mh_m4_perspective(mh_radians(FOVY_DEG), h > 0 ? (float)w / (float)h : 1.0f, Z_NEAR, Z_FAR);
}

void mh_engine_preview_eyes(mh_frame_input *in, int width, int height)
{
    int half = width / 2;
    float ty = tanf(mh_radians(FOVY_DEG) * 0.5f);
    for (int i = 0; i < 2; i++) {
        int w = i ? width - half : half;
        float ax = atanf(ty * (float)w / (float)(height > 0 ? height : 1));
        in->eyes[i] = (mh_eye){{i ? 0.032f : -0.032f, 0, 0},
                               {0, 0, 0, 1},
                               -ax,
                               ax,
                               -atanf(ty),
                               atanf(ty),
                               i ? half : 0,
                               0,
                               w,
                               height};
    }
    in->eye_count = 2;
    in->eyes_from_floor = false;
    in->eyes_tracked = false;
}

/* Where the camera is: the visitor's eye and heading, or the attract orbit. */
static void camera_pose(const mh_engine *e, mh_vec3 *pos, float *yaw, float *pitch)
{
    mh_vec3 oe, ot;
    if (e->visit && mh_visit_camera(e->visit, &oe, &ot)) {
        mh_vec3 d = mh_v3_norm(mh_v3_sub(ot, oe));
        *pos = oe;
        *yaw = atan2f(-d.x, -d.z);
        *pitch = asinf(mh_clampf(d.y, -1, 1));
        return;
    }
    *pos = mh_nav_eye(&e->nav);
    *yaw = e->nav.yaw;
    *pitch = e->nav.pitch;
}

/* The platform's tracking space placed in the hall: at the camera, turned
 * with the visitor; a headset keeps it level (the head does the pitching). */
static mh_mat4 body_matrix(const mh_engine *e, const mh_frame_input *in)
{
    mh_vec3 pos;
    float yaw, pitch;
    camera_pose(e, &pos, &yaw, &pitch);
    if (in->eyes_from_floor)
        pos.y -= MH_EYE_HEIGHT;
    if (in->eyes_tracked)
        pos.y += e->headset.height_offset; /* seated mode, height calibration */
    mh_mat4 m = mh_m4_mul(mh_m4_translate(pos), mh_m4_rotate_y(yaw));
    return in->eyes_tracked ? m : mh_m4_mul(m, mh_m4_rotate_x(pitch));
}

/* A tracked pose (eye or controller) in the hall: its world matrix. */
static mh_mat4 pose_world(mh_mat4 body, const float p[3], const float q[4])
{
    return mh_m4_mul(body, mh_m4_mul(mh_m4_translate(mh_v3(p[0], p[1], p[2])), mh_m4_from_quat(q)));
}

static mh_render_view view_from_world(mh_mat4 world, mh_mat4 proj)
{
    mh_render_view v = {.proj = proj, .eye = mh_m4_mul_point(world, mh_v3(0, 0, 0))};
    if (!mh_m4_invert(world, &v.view))
        v.view = mh_m4_identity();
    return v;
}

/* A camera set from outside: one view, or two eyes side by side. */
int mh_engine_camera_views(const mh_camera *c, int w, int h, mh_render_view *views)
{
    int n = c->eye_separation > 0 ? 2 : 1;
    mh_vec3 eye = mh_v3(c->eye[0], c->eye[1], c->eye[2]), target = mh_v3(c->target[0], c->target[1], c->target[2]);
    mh_vec3 right = mh_v3_norm(mh_v3_cross(mh_v3_sub(target, eye), mh_v3(0, 1, 0)));
    for (int i = 0; i < n; i++) {
        int x = n == 2 && i ? w / 2 : 0, vw = n == 2 ? (i ? w - w / 2 : w / 2) : w;
        mh_vec3 shift = mh_v3_scale(right, n == 2 ? (i ? 0.5f : -0.5f) * c->eye_separation : 0.0f);
        mh_vec3 e = mh_v3_add(eye, shift);
        float fov = c->vfov_deg > 0 ? c->vfov_deg : FOVY_DEG;
        views[i] = (mh_render_view){.eye = e, .x = x, .width = vw, .height = h};
        views[i].view = mh_m4_look_at(e, mh_v3_add(target, shift), mh_v3(0, 1, 0));
        views[i].proj = mh_m4_perspective(mh_radians(fov), (float)vw / (float)(h > 0 ? h : 1),
                                          c->z_near > 0 ? c->z_near : Z_NEAR, c->z_far > 0 ? c->z_far : Z_FAR);
    }
    return n;
}

int mh_engine_views(const mh_engine *e, const mh_frame_input *in, int w, int h, mh_render_view *views)
{
    if (in->camera.set)
        return mh_engine_camera_views(&in->camera, w, h, views);
    if (in->eye_count <= 0) {
        mh_vec3 oe, ot;
        bool orbit = e->visit && mh_visit_camera(e->visit, &oe, &ot);
        views[0] = (mh_render_view){.proj = projection(w, h), .eye = orbit ? oe : mh_nav_eye(&e->nav)};
        views[0].view = orbit ? mh_m4_look_at(oe, ot, mh_v3(0, 1, 0)) : mh_nav_view_matrix(&e->nav);
        views[0].width = w;
        views[0].height = h;
        return 1;
    }
    mh_mat4 body = body_matrix(e, in);
    int n = in->eye_count < MH_MAX_EYES ? in->eye_count : MH_MAX_EYES;
    for (int i = 0; i < n; i++) {
        const mh_eye *eye = &in->eyes[i];
        mh_mat4 proj =
            mh_m4_perspective_fov(eye->angle_left, eye->angle_right, eye->angle_down, eye->angle_up, Z_NEAR, Z_FAR);
        views[i] = view_from_world(pose_world(body, eye->position, eye->orientation), proj);
        views[i].x = eye->x;
        views[i].y = eye->y;
        views[i].width = eye->width;
        views[i].height = eye->height;
    }
    return n;
}

/* The frame as the visit sees it through one view. */
static mh_visit_frame visit_frame(const mh_frame_input *in, const mh_render_view *v, int w, int h)
{
    return (mh_visit_frame){.time_s = in->time_s,
                            .dt_s = in->dt_s,
                            .width = w,
                            .height = h,
                            .view = v->view,
                            .proj = v->proj,
                            .eye = v->eye};
}

/* What the visit aims with in stereo: a controller's ray (as a pointer at
 * the centre of a virtual screen), or else the head (gaze, for dwell). */
static mh_visit_frame stereo_visit_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views,
                                         int n, mh_input_state *is)
{
    int w = views[0].width, h = views[0].height;
    mh_visit_frame vf = visit_frame(in, &views[0], w, h);
    if (is->aim) {
        mh_mat4 world = pose_world(body_matrix(e, in), is->aim_position, is->aim_orientation);
        mh_render_view a = view_from_world(world, projection(w, h));
        vf.view = a.view;
        vf.proj = a.proj;
        vf.eye = a.eye;
        is->pointer = true;
        is->pointer_x = (float)w * 0.5f;
        is->pointer_y = (float)h * 0.5f;
    } else if (is->pointer) { /* the preview's mouse: in the eye it is over */
        int i = n > 1 && is->pointer_x >= (float)views[1].x ? 1 : 0;
        vf = visit_frame(in, &views[i], views[i].width, views[i].height);
        is->pointer_x -= (float)views[i].x;
    } else if (n > 1) { /* gaze from between the eyes */
        mh_vec3 mid = mh_v3_scale(mh_v3_add(views[0].eye, views[1].eye), 0.5f);
        mh_vec3 shift = mh_v3_sub(views[0].eye, mid);
        vf.view = mh_m4_mul(views[0].view, mh_m4_translate(shift));
        vf.eye = mid;
        vf.proj = projection(w, h);
    }
    return vf;
}

mh_visit_frame mh_engine_visit_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views, int n,
                                     int w, int h, mh_input_state *is)
{
    return in->eye_count > 0 ? stereo_visit_frame(e, in, views, n, is) : visit_frame(in, &views[0], w, h);
}

mh_headset_frame mh_engine_headset_frame(const mh_engine *e, const mh_frame_input *in, const mh_render_view *views,
                                         int n, const mh_visit_frame *vf, const mh_input_state *is)
{
    mh_headset_frame f = {.time_s = in->time_s,
                          .dt_s = in->dt_s,
                          .headset = in->eye_count > 0 && in->eyes_tracked,
                          .from_floor = in->eyes_from_floor,
                          .hand = is->aim,
                          .pointer = is->pointer,
                          .width = views[0].width,
                          .height = views[0].height,
                          .collide = &e->scene.collide};
    mh_mat4 world;
    mh_vec3 fwd = mh_nav_forward(&e->nav);
    if (mh_m4_invert(views[0].view, &world))
        fwd = mh_v3_scale(mh_v3(world.m[8], world.m[9], world.m[10]), -1.0f);
    f.head = n > 1 ? mh_v3_scale(mh_v3_add(views[0].eye, views[1].eye), 0.5f) : views[0].eye;
    f.head_yaw = atan2f(-fwd.x, -fwd.z);
    for (int i = 0; i < in->eye_count && i < MH_MAX_EYES; i++)
        f.head_height += in->eyes[i].position[1] / (float)in->eye_count;
    float px = is->pointer ? is->pointer_x : (float)vf->width * 0.5f;
    float py = is->pointer ? is->pointer_y : (float)vf->height * 0.5f;
    f.ray = mh_visit_frame_ray(vf, px, py, &f.ray_origin, &f.ray_dir);
    return f;
}
