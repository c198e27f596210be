/* mh_comfort.c - the teleport arc and its landing marker, the vignette
 * while gliding, height calibration, cards that follow the head lazily, and
 * the headset's smallest text (see mh_comfort.h). */
#include "mh_comfort.h"

#include <math.h>
#include <string.h>

#include "../scene/mh_nav.h"
#include "../text/mh_layout.h"

#define ARC_SPEED 7.5f /* launch speed, m/s: about 6 m on a level floor at 45 degrees */
#define ARC_GRAVITY 9.8f
#define ARC_STEP 0.035f /* seconds between points */
#define ARC_WIDTH 0.04f
#define MARKER_Y 0.02f     /* above the floor, clear of it in the depth test */
#define VIGNETTE_IN 0.15f  /* seconds to full strength... */
#define VIGNETTE_OUT 0.3f  /* ...and back to nothing */
#define FOLLOW_START 0.35f /* radians (20 degrees) the head may turn before a card follows */
#define FOLLOW_STOP 0.035f /* (2 degrees) close enough: it stops */
#define FOLLOW_TIME 0.3f   /* time constant of the easing, seconds */
#define CARD_PAD 0.6f      /* padding, in ems */
#define LINE_GAP 1.3f

static const mh_rgba ARC_OK = {90, 215, 255, 255}, ARC_NO = {255, 86, 70, 255}, CARD_BG = {10, 16, 30, 235},
                     WHITE = {255, 255, 255, 255};

float mh_comfort_text_deg(float em, float distance) { return distance > 0 ? atanf(em / distance) * 57.29578f : 90.0f; }

float mh_comfort_text_em(float design_em, float distance)
{
    /* a hair over the minimum, so a rounding never lands just under it */
    float least = distance * tanf(mh_radians(MH_XR_MIN_TEXT_DEG)) * 1.001f;
    return design_em > least ? design_em : least;
}

/* ---- the teleport arc ---------------------------------------------------- */

void mh_arc_throw(mh_arc *a, mh_vec3 origin, mh_vec3 dir, mh_vec2 from, const mh_collide_world *collide)
{
    *a = (mh_arc){0};
    mh_vec3 d = mh_v3_norm(dir);
    /* steeper than 45 degrees up gains no distance: aim at most that high */
    float horiz = sqrtf(d.x * d.x + d.z * d.z);
    if (d.y > horiz && horiz > 1e-4f)
        d = mh_v3_norm(mh_v3(d.x, horiz, d.z));
    mh_vec3 p = origin, v = mh_v3_scale(d, ARC_SPEED);
    a->points[a->count++] = p;
    while (a->count < MH_ARC_POINTS) {
        mh_vec3 q = mh_v3_add(p, mh_v3_scale(v, ARC_STEP));
        q.y -= 0.5f * ARC_GRAVITY * ARC_STEP * ARC_STEP;
        v.y -= ARC_GRAVITY * ARC_STEP;
        if (q.y <= 0.0f) { /* meets the floor between p and q */
            float t = p.y / (p.y - q.y);
            q = mh_v3_lerp(p, q, t);
            q.y = 0;
            a->points[a->count++] = q;
            a->lands = true;
            a->landing = (mh_vec2){q.x, q.z};
            break;
        }
        a->points[a->count++] = p = q;
    }
    if (!a->lands)
        return;
    float dx = a->landing.x - from.x, dz = a->landing.y - from.y;
    a->ok = dx * dx + dz * dz <= MH_ARC_MAX_DIST * MH_ARC_MAX_DIST &&
            !(collide && mh_collide_blocked(collide, a->landing, MH_VISITOR_RADIUS));
}

/* Two crossed ribbons along the path, so it shows from above and from the side. */
static void ribbon(const mh_arc *a, mh_rgba col, mh_ui_batch *b)
{
    for (int i = 0; i + 1 < a->count; i++) {
        mh_vec3 p = a->points[i], q = a->points[i + 1], along = mh_v3_norm(mh_v3_sub(q, p));
        mh_vec3 side = mh_v3_norm(mh_v3_cross(along, mh_v3(0, 1, 0)));
        if (mh_v3_len(side) < 0.5f)
            side = mh_v3(1, 0, 0);
        mh_vec3 up = mh_v3_cross(side, along);
        /* fainter near the hand, solid where it lands */
        float k = 0.55f + 0.45f * (float)i / (float)(a->count > 1 ? a->count - 1 : 1);
        for (int r = 0; r < 2; r++) {
            mh_vec3 s = mh_v3_scale(r ? up : side, ARC_WIDTH * 0.5f);
            mh_vec3 quad[4] = {mh_v3_sub(p, s), mh_v3_add(p, s), mh_v3_add(q, s), mh_v3_sub(q, s)};
            mh_ui_solid(b, quad, mh_rgba_alpha(col, k));
        }
    }
}

/* A flat ring on the floor, inner to outer radius, from angle a0 to a1. */
static void ring(mh_ui_batch *b, mh_vec2 c, float r0, float r1, mh_rgba col)
{
    const int n = 32;
    for (int i = 0; i < n; i++) {
        float a0 = 2.0f * MH_PI * (float)i / (float)n, a1 = 2.0f * MH_PI * (float)(i + 1) / (float)n;
        mh_vec3 q[4] = {mh_v3(c.x + cosf(a0) * r0, MARKER_Y, c.y + sinf(a0) * r0),
                        mh_v3(c.x + cosf(a0) * r1, MARKER_Y, c.y + sinf(a0) * r1),
                        mh_v3(c.x + cosf(a1) * r1, MARKER_Y, c.y + sinf(a1) * r1),
                        mh_v3(c.x + cosf(a1) * r0, MARKER_Y, c.y + sinf(a1) * r0)};
        mh_ui_solid(b, q, col);
    }
}

/* A bar on the floor from p to q, w wide. */
static void floor_bar(mh_ui_batch *b, mh_vec2 p, mh_vec2 q, float w, mh_rgba col)
{
    float dx = q.x - p.x, dz = q.y - p.y, len = sqrtf(dx * dx + dz * dz);
    if (len < 1e-5f)
        return;
    float sx = -dz / len * w * 0.5f, sz = dx / len * w * 0.5f;
    mh_vec3 quad[4] = {mh_v3(p.x + sx, MARKER_Y, p.y + sz), mh_v3(q.x + sx, MARKER_Y, q.y + sz),
                       mh_v3(q.x - sx, MARKER_Y, q.y - sz), mh_v3(p.x - sx, MARKER_Y, p.y - sz)};
    mh_ui_solid(b, quad, col);
}

static void marker(const mh_arc *a, float yaw, mh_ui_batch *b)
{
    mh_vec2 c = a->landing;
    mh_rgba col = a->ok ? ARC_OK : ARC_NO;
    ring(b, c, 0.0f, MH_VISITOR_RADIUS - 0.04f, mh_rgba_alpha(col, 0.22f));
    ring(b, c, MH_VISITOR_RADIUS - 0.04f, MH_VISITOR_RADIUS + 0.02f, col);
    if (!a->ok) { /* a cross: nobody may stand here */
        float r = MH_VISITOR_RADIUS * 0.6f;
        floor_bar(b, (mh_vec2){c.x - r, c.y - r}, (mh_vec2){c.x + r, c.y + r}, 0.05f, col);
        floor_bar(b, (mh_vec2){c.x - r, c.y + r}, (mh_vec2){c.x + r, c.y - r}, 0.05f, col);
        return;
    }
    /* an arrow: the way the visitor will face */
    mh_vec2 f = {-sinf(yaw), -cosf(yaw)}, s = {-f.y, f.x};
    float r = MH_VISITOR_RADIUS;
    mh_vec3 tip = mh_v3(c.x + f.x * r * 0.85f, MARKER_Y, c.y + f.y * r * 0.85f);
    mh_vec3 l = mh_v3(c.x - f.x * r * 0.1f + s.x * r * 0.45f, MARKER_Y, c.y - f.y * r * 0.1f + s.y * r * 0.45f);
    mh_vec3 rr = mh_v3(c.x - f.x * r * 0.1f - s.x * r * 0.45f, MARKER_Y, c.y - f.y * r * 0.1f - s.y * r * 0.45f);
    mh_vec3 tri[4] = {tip, tip, l, rr};
    mh_ui_solid(b, tri, WHITE);
}

void mh_arc_draw(const mh_arc *a, float yaw, mh_ui_batch *b)
{
    if (a->count < 2)
        return;
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    ribbon(a, a->ok ? ARC_OK : ARC_NO, b);
    if (a->lands)
        marker(a, yaw, b);
}

/* ---- the vignette ------------------------------------------------------ */

void mh_vignette_step(float *level, bool gliding, float dt)
{
    float l = *level + (gliding ? dt / VIGNETTE_IN : -dt / VIGNETTE_OUT);
    *level = mh_clampf(l, 0.0f, 1.0f);
}

void mh_vignette_draw(float level, int width, int height, mh_ui_batch *b)
{
    if (level <= 0.01f || width <= 0 || height <= 0)
        return;
    const int n = 40;
    float cx = (float)width * 0.5f, cy = (float)height * 0.5f;
    float R = sqrtf(cx * cx + cy * cy) * 1.02f;                  /* past the corners */
    float r0 = R * (0.92f - 0.34f * level), r1 = r0 + R * 0.22f; /* clear inside r0, dark from r1 */
    mh_rgba clear = {0, 0, 0, 0}, dark = {0, 0, 0, (uint8_t)(235.0f * level)};
    mh_ui_set(b, MH_UI_SCREEN, 0, false);
    for (int i = 0; i < n; i++) {
        float a0 = 2.0f * MH_PI * (float)i / (float)n, a1 = 2.0f * MH_PI * (float)(i + 1) / (float)n;
        float c0 = cosf(a0), s0 = sinf(a0), c1 = cosf(a1), s1 = sinf(a1);
        mh_vec3 fade[4] = {mh_v3(cx + c0 * r0, cy + s0 * r0, 0), mh_v3(cx + c1 * r0, cy + s1 * r0, 0),
                           mh_v3(cx + c1 * r1, cy + s1 * r1, 0), mh_v3(cx + c0 * r1, cy + s0 * r1, 0)};
        mh_rgba cols[4] = {clear, clear, dark, dark};
        mh_ui_gradient(b, fade, cols);
        if (r1 < R) {
            mh_vec3 rim[4] = {fade[3], fade[2], mh_v3(cx + c1 * R, cy + s1 * R, 0), mh_v3(cx + c0 * R, cy + s0 * R, 0)};
            mh_ui_solid(b, rim, dark);
        }
    }
}

/* ---- height ------------------------------------------------------------------ */

float mh_comfort_height_offset(float head_height, bool from_floor, float eye_height)
{
    return eye_height - (from_floor ? 0.0f : MH_EYE_HEIGHT) - head_height;
}

/* ---- cards that follow the head lazily ------------------------------------------ */

static float wrap_angle(float a)
{
    while (a > MH_PI)
        a -= 2.0f * MH_PI;
    while (a < -MH_PI)
        a += 2.0f * MH_PI;
    return a;
}

void mh_follow_step(mh_follow *f, float head_yaw, float dt)
{
    if (!f->placed) {
        f->placed = true;
        f->yaw = head_yaw;
        f->turning = false;
        return;
    }
    float diff = wrap_angle(head_yaw - f->yaw);
    if (fabsf(diff) > FOLLOW_START)
        f->turning = true;
    if (!f->turning)
        return;
    f->yaw = wrap_angle(f->yaw + diff * (1.0f - expf(-dt / FOLLOW_TIME)));
    if (fabsf(wrap_angle(head_yaw - f->yaw)) < FOLLOW_STOP)
        f->turning = false;
}

mh_panel_pose mh_follow_pose(const mh_follow *f, mh_vec3 head, float distance, float drop)
{
    mh_vec3 fwd = mh_v3(-sinf(f->yaw), 0, -cosf(f->yaw));
    mh_vec3 c = mh_v3_add(mh_v3_add(head, mh_v3_scale(fwd, distance)), mh_v3(0, -drop, 0));
    mh_vec3 out = mh_v3_norm(mh_v3_sub(head, c));
    mh_vec3 right = mh_v3_norm(mh_v3_cross(mh_v3(0, 1, 0), out));
    return (mh_panel_pose){c, right, mh_v3_cross(out, right), out};
}

static mh_vec3 on_card(mh_panel_pose p, float x, float y, float z)
{
    return mh_v3_add(p.center,
                     mh_v3_add(mh_v3_scale(p.right, x), mh_v3_add(mh_v3_scale(p.up, y), mh_v3_scale(p.out, z))));
}

static void card_rect(mh_ui_batch *b, mh_panel_pose p, float x0, float y0, float x1, float y1, float z, mh_rgba c)
{
    mh_vec3 q[4] = {on_card(p, x0, y0, z), on_card(p, x1, y0, z), on_card(p, x1, y1, z), on_card(p, x0, y1, z)};
    mh_ui_solid(b, q, c);
}

bool mh_card_draw(const mh_card *c, mh_panel_pose pose, mh_glyphs *glyphs, mh_ui_batch *b)
{
    if (!c->text || !*c->text || c->alpha <= 0.01f)
        return false;
    mh_layout_glyph gl[512];
    mh_layout_line ln[8];
    mh_layout lay = {.glyphs = gl, .glyph_cap = 512, .lines = ln, .line_cap = 8};
    float pad = c->em * CARD_PAD, inner = c->width - 2 * pad;
    mh_layout_desc d = {.text = c->text,
                        .max_width = inner / c->em,
                        .max_lines = c->max_lines,
                        .advance = mh_glyphs_advance,
                        .user = glyphs};
    if (!mh_layout_text(&d, &lay) || lay.line_count == 0)
        return false;
    float text_h = ((float)(lay.line_count - 1) * LINE_GAP + 1.15f) * c->em, h = text_h + 2 * pad;
    float hw = c->width * 0.5f, hh = h * 0.5f;
    mh_ui_set(b, MH_UI_WORLD, 0, false);
    card_rect(b, pose, -hw, hh, hw, -hh, 0, mh_rgba_alpha(CARD_BG, c->alpha));
    card_rect(b, pose, -hw, hh, -hw + c->em * 0.18f, -hh, 0.001f, mh_rgba_alpha(c->edge, c->alpha));
    mh_ui_text_frame f = {on_card(pose, -hw + pad, hh - pad, 0.002f),
                          mh_v3_scale(pose.right, c->em),
                          mh_v3_scale(pose.up, -c->em),
                          LINE_GAP,
                          inner / c->em,
                          1};
    mh_ui_text(b, &lay, &f, mh_rgba_alpha(WHITE, c->alpha));
    return true;
}
