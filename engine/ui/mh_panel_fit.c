/* mh_panel_fit.c - placing an info panel in the screen's free room (see
 * mh_panel_fit.h). */
#include "mh_panel_fit.h"

#include <math.h>

#define LANDSCAPE_W 2.4f
#define LANDSCAPE_H 1.4f
#define PORTRAIT_W 1.4f
#define PORTRAIT_H 1.9f

static bool to_pixel(mh_mat4 vp, mh_vec3 p, int w, int h, float *x, float *y)
{
    mh_vec4 q = mh_m4_mul_v4(vp, (mh_vec4){p.x, p.y, p.z, 1});
    if (q.w <= 1e-4f)
        return false;
    *x = (q.x / q.w * 0.5f + 0.5f) * (float)w;
    *y = (0.5f - q.y / q.w * 0.5f) * (float)h;
    return true;
}

bool mh_panel_fit_project(const mh_panel *p, mh_mat4 view, mh_mat4 proj, int width, int height, mh_rect *out)
{
    mh_vec3 c[4];
    mh_panel_corners(p, c);
    mh_mat4 vp = mh_m4_mul(proj, view);
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    for (int i = 0; i < 4; i++) {
        float x, y;
        if (!to_pixel(vp, c[i], width, height, &x, &y))
            return false;
        x0 = fminf(x0, x), y0 = fminf(y0, y), x1 = fmaxf(x1, x), y1 = fmaxf(y1, y);
    }
    *out = (mh_rect){x0, y0, x1 - x0, y1 - y0};
    return true;
}

typedef struct choice {
    mh_rect region;
    float w, h, scale, area;
} choice;

/* The best form and scale for one free region, at ppm pixels per metre. */
static void consider(choice *best, mh_rect region, float ppm)
{
    static const float forms[2][2] = {{LANDSCAPE_W, LANDSCAPE_H}, {PORTRAIT_W, PORTRAIT_H}};
    if (region.w <= 0 || region.h <= 0)
        return;
    for (int f = 0; f < 2; f++) {
        float s = fminf(1.0f, fminf(region.w / (forms[f][0] * ppm), region.h / (forms[f][1] * ppm)));
        float area = s * s * forms[f][0] * forms[f][1];
        if (area > best->area * 1.02f) /* landscape wins a near tie */
            *best = (choice){region, forms[f][0], forms[f][1], s, area};
    }
}

/* The parts of region r clear of keep (what the panel leaves clear): left
 * of it, or below it. */
static void consider_clear(choice *best, mh_rect r, mh_rect keep, float m, float ppm)
{
    if (keep.w <= 0 || keep.h <= 0) {
        consider(best, r, ppm);
        return;
    }
    consider(best, (mh_rect){r.x, r.y, fminf(r.x + r.w, keep.x - m) - r.x, r.h}, ppm);
    float y = fmaxf(r.y, keep.y + keep.h + m);
    consider(best, (mh_rect){r.x, y, r.w, r.y + r.h - y}, ppm);
}

mh_panel_pose mh_panel_fit_place(const mh_panel_fit_desc *d, mh_panel_fit *out)
{
    float W = (float)d->width, H = (float)d->height, m = d->reserve.margin;
    mh_panel_pose pose = d->pose;
    *out = (mh_panel_fit){LANDSCAPE_W, LANDSCAPE_H, 1.0f, 0.04f};
    mh_vec4 v = mh_m4_mul_v4(d->view, (mh_vec4){pose.center.x, pose.center.y, pose.center.z, 1});
    float px, py;
    if (-v.z <= 0.05f || W <= 0 || H <= 0 ||
        !to_pixel(mh_m4_mul(d->proj, d->view), pose.center, d->width, d->height, &px, &py))
        return pose;
    float ppm = d->proj.m[5] * H * 0.5f / -v.z; /* pixels per metre at the panel's depth */
    choice best = {0};
    if (d->headset) {
        consider(&best, (mh_rect){m, m, W - 2 * m, H - 2 * m}, ppm);
    } else {
        const mh_hud_reserve *r = &d->reserve;
        float top = r->top + m, bottom = r->bottom - m;
        /* left of the minimap's column, or above it across the width */
        consider_clear(&best, (mh_rect){m, top, r->column.x - 2 * m, bottom - top}, d->keep, m, ppm);
        float above = fminf(bottom, r->column.y - m);
        consider_clear(&best, (mh_rect){m, top, W - 2 * m, above - top}, d->keep, m, ppm);
    }
    if (best.area <= 0)
        return pose;
    float cx = best.region.x + best.region.w * 0.5f, cy = best.region.y + best.region.h * 0.5f;
    pose.center = mh_v3_add(pose.center,
                            mh_v3_add(mh_v3_scale(pose.right, (cx - px) / ppm), mh_v3_scale(pose.up, (py - cy) / ppm)));
    float cap = d->cap_ratio > 0.1f ? d->cap_ratio : 0.7f;
    *out = (mh_panel_fit){best.w, best.h, best.scale, d->min_cap_px / (ppm * best.scale) / cap};
    return pose;
}
