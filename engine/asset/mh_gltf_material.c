/* mh_gltf_material.c - glTF images (PNG, JPEG: size budgets checked from the
 * header, decoded once however many textures use them, downscaled to
 * budget.texture_size), samplers, textures and metallic-roughness
 * materials with their texture references, KHR_texture_transform,
 * KHR_materials_unlit and KHR_materials_emissive_strength. */
#include "mh_gltf_internal.h"

#include <stdio.h>
#include <string.h>

#include "mh_jpeg.h"
#include "mh_json.h"

mh_gltf_material mh_gltf_material_default(void)
{
    mh_gltf_texture_ref none = {.texture = -1, .scale = 1, .uv_scale = {1, 1}, .transform = {1, 0, 0, 1, 0, 0}};
    return (mh_gltf_material){
        .base_color = {1, 1, 1, 1},
        .base_color_texture = none,
        .metallic = 1,
        .roughness = 1,
        .metallic_roughness_texture = none,
        .normal_texture = none,
        .occlusion_texture = none,
        .emissive_strength = 1,
        .emissive_texture = none,
        .alpha_mode = MH_GLTF_ALPHA_OPAQUE,
        .alpha_cutoff = 0.5f,
    };
}

/* ---- images ------------------------------------------------------------------ */

static bool is_png(span s) { return s.size >= 8 && memcmp(s.data, "\x89PNG\r\n\x1a\n", 8) == 0; }
static bool is_jpeg(span s) { return s.size >= 3 && !memcmp(s.data, "\xFF\xD8\xFF", 3); }

/* Halves an image (2x2 box) until its longer side fits `max`. */
static bool downscale(ctx *c, mh_image *img, int max)
{
    while (img->width > max || img->height > max) {
        int w = img->width > 1 ? img->width / 2 : 1, h = img->height > 1 ? img->height / 2 : 1;
        uint8_t *o = mh_arena_alloc(c->arena, (size_t)w * (size_t)h * 4);
        if (!o)
            return false;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < 4; k++) {
                    int sx = img->width > 1 ? 2 * x : x, sy = img->height > 1 ? 2 * y : y;
                    int sx1 = img->width > 1 ? sx + 1 : sx, sy1 = img->height > 1 ? sy + 1 : sy;
                    const uint8_t *r0 = img->rgba + (size_t)sy * img->width * 4,
                                  *r1 = img->rgba + (size_t)sy1 * img->width * 4;
                    o[((size_t)y * w + x) * 4 + k] =
                        (uint8_t)((r0[sx * 4 + k] + r0[sx1 * 4 + k] + r1[sx * 4 + k] + r1[sx1 * 4 + k] + 2) / 4);
                }
        *img = (mh_image){w, h, o};
    }
    return true;
}

/* The size an image has once downscaled to the budget. */
static void scaled_size(int w, int h, int max, int *ow, int *oh)
{
    while (w > max || h > max) {
        w = w > 1 ? w / 2 : 1;
        h = h > 1 ? h / 2 : 1;
    }
    *ow = w;
    *oh = h;
}

/* An image's bytes: a data URI, a file, or a buffer view. *found false: no
 * data to check (a remote URI). */
static bool image_bytes(ctx *c, const cJSON *j, const char *p, span *s, char *mime, size_t ms, bool *found)
{
    const cJSON *uri = cJSON_GetObjectItemCaseSensitive(j, "uri");
    const cJSON *mt = cJSON_GetObjectItemCaseSensitive(j, "mimeType");
    int v = -1;
    *found = false;
    mime[0] = '\0';
    int has_view = mh_gltf_ref(c, j, p, "bufferView", c->view_count, "bufferView", false, &v);
    if (has_view < 0)
        return false;
    if (!!uri == (has_view == 1))
        return ISSUE(c, "ONE_OF_MISMATCH", p, "an image needs exactly one of uri and bufferView");
    char up[96];
    mh_json_ptr_key(up, sizeof up, p, uri ? "uri" : "bufferView");
    if (uri) {
        bool remote;
        if (!cJSON_IsString(uri))
            return ISSUE(c, "TYPE_MISMATCH", up, "expected a string");
        if (!mh_gltf_uri(c, uri->valuestring, up, s, mime, ms, &remote))
            return false;
        if (!strncmp(uri->valuestring, "data:", 5) && strcmp(mime, "image/png") && strcmp(mime, "image/jpeg"))
            return ISSUE(c, "INVALID_URI", up, "a data URI image must be image/png or image/jpeg");
        *found = !remote;
    } else {
        const view *w = &c->views[v];
        if (!cJSON_IsString(mt))
            return ISSUE(c, "UNSATISFIED_DEPENDENCY", up, "an image in a bufferView needs a mimeType");
        if (w->stride)
            return ISSUE(c, "IMAGE_BUFFER_VIEW_WITH_BYTESTRIDE", up, "an image's bufferView must not have byteStride");
        if (!w->ok)
            return false;
        *s = (span){w->data, w->length};
        *found = w->has_data;
    }
    if (cJSON_IsString(mt))
        snprintf(mime, ms, "%s", mt->valuestring);
    return true;
}

/* Checks (and, when `keep`, decodes) image i within the pixel budgets. */
static bool load_image(ctx *c, const cJSON *j, const char *p, bool keep, uint64_t *texture_pixels, mh_image *out)
{
    span s = {0};
    char mime[64];
    bool found;
    if (!mh_gltf_object(c, j, p) || !image_bytes(c, j, p, &s, mime, sizeof mime, &found))
        return false;
    if (!found || (!keep && !c->desc->strict))
        return true;
    bool png = is_png(s), jpeg = is_jpeg(s);
    if (!png && !jpeg)
        return mime[0] && strcmp(mime, "image/png") && strcmp(mime, "image/jpeg")
                   ? WARN(c, "IMAGE_UNRECOGNIZED_FORMAT", p,
                          "an image of a format other than PNG and JPEG is not used") ||
                         true
                   : ISSUE(c, "IMAGE_DATA_INVALID", p, "the image data is neither PNG nor JPEG");
    if (mime[0] && strcmp(mime, png ? "image/png" : "image/jpeg"))
        return ISSUE(c, "IMAGE_MIME_TYPE_INVALID", p, "the image is a %s, not what its mimeType says",
                     png ? "PNG" : "JPEG");
    int w = 0, h = 0;
    if (!(png ? mh_png_size(s.data, s.size, &w, &h) : mh_jpeg_size(s.data, s.size, &w, &h)))
        return ISSUE(c, "IMAGE_UNEXPECTED_EOS", p, "the image's header is cut short or corrupt");
    if ((uint64_t)w * (uint64_t)h > c->budget.image_pixels)
        return ISSUE(c, "BUDGET_EXCEEDED", p,
                     "the image is %dx%d (%.1f megapixels), more than the budget of %.1f "
                     "megapixels (budgets.image_pixels); it is not decoded",
                     w, h, (double)w * h / 1e6, c->budget.image_pixels / 1e6);
    int sw, sh;
    scaled_size(w, h, (int)c->budget.texture_size, &sw, &sh);
    if (keep && (*texture_pixels += (uint64_t)sw * (uint64_t)sh) > c->budget.texture_pixels)
        return ISSUE(c, "BUDGET_EXCEEDED", p,
                     "the model's images take more than %.1f megapixels once downscaled "
                     "(budgets.texture_pixels)",
                     c->budget.texture_pixels / 1e6);
    if (c->desc->skip_images)
        return true;
    mh_error err;
    mh_image img;
    if (!(png ? mh_png_decode_max(s.data, s.size, "image", c->budget.image_pixels, &img, &err)
              : mh_jpeg_decode_max(s.data, s.size, "image", c->budget.image_pixels, &img, &err)))
        return ISSUE(c, strstr(err.message, "truncated") ? "IMAGE_UNEXPECTED_EOS" : "IMAGE_DATA_INVALID", p, "%s",
                     err.message);
    bool ok = true;
    if (keep) {
        size_t bytes = (size_t)img.width * (size_t)img.height * 4;
        uint8_t *px = mh_arena_alloc(c->arena, bytes);
        if (px) {
            memcpy(px, img.rgba, bytes);
            *out = (mh_image){img.width, img.height, px};
            ok = downscale(c, out, (int)c->budget.texture_size) ||
                 ISSUE(c, "OUT_OF_MEMORY", p, "no memory for the image");
        } else {
            ok = ISSUE(c, "OUT_OF_MEMORY", p, "no memory for the image");
        }
    }
    mh_image_free(&img);
    return ok;
}

/* Which images a material samples (only those are decoded). */
static void mark_used_images(ctx *c)
{
    const cJSON *mats = cJSON_GetObjectItemCaseSensitive(c->root, "materials");
    static const char *const refs[] = {"normalTexture", "occlusionTexture", "emissiveTexture"};
    for (const cJSON *m = cJSON_IsArray(mats) ? mats->child : NULL; m; m = m->next) {
        const cJSON *pbr = cJSON_GetObjectItemCaseSensitive(m, "pbrMetallicRoughness");
        const cJSON *r[5] = {cJSON_GetObjectItemCaseSensitive(pbr, "baseColorTexture"),
                             cJSON_GetObjectItemCaseSensitive(pbr, "metallicRoughnessTexture")};
        for (int k = 0; k < 3; k++)
            r[2 + k] = cJSON_GetObjectItemCaseSensitive(m, refs[k]);
        for (int k = 0; k < 5; k++) {
            const cJSON *ix = cJSON_GetObjectItemCaseSensitive(r[k], "index");
            const cJSON *t = cJSON_IsNumber(ix) && mh_gltf_is_integer(ix->valuedouble) && ix->valuedouble >= 0 &&
                                     ix->valuedouble < c->texture_count
                                 ? mh_gltf_item(c->textures_j, c->texture_count, (int)ix->valuedouble)
                                 : NULL;
            const cJSON *src = cJSON_GetObjectItemCaseSensitive(t, "source");
            if (cJSON_IsNumber(src) && src->valuedouble >= 0 && src->valuedouble < c->image_count &&
                mh_gltf_is_integer(src->valuedouble))
                c->image_used[(int)src->valuedouble] = true;
        }
    }
}

bool mh_gltf_load_images(ctx *c, mh_gltf_model *m)
{
    int n;
    const cJSON *images = mh_gltf_array(c, c->root, "", "images", &n);
    m->images = mh_gltf_alloc(c, sizeof(mh_image) * (size_t)(n + 1));
    c->image_used = mh_gltf_alloc(c, sizeof(bool) * (size_t)(n + 1));
    if (!m->images || !c->image_used)
        return ISSUE(c, "BUDGET_EXCEEDED", "/images", "too many images");
    mark_used_images(c);
    uint64_t pixels = 0;
    bool ok = true;
    int i = 0;
    for (const cJSON *j = images ? images->child : NULL; j && !mh_gltf_cancelled(c); j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/images", i);
        ok = load_image(c, j, p, c->image_used[i], &pixels, &m->images[i]) && ok;
    }
    m->image_count = n;
    return ok && !c->cancelled;
}

/* ---- samplers and textures ---------------------------------------------------------- */

static bool gl_value(ctx *c, const cJSON *j, const char *p, const char *key, const int *allowed, int *out)
{
    int v = 0;
    int r = mh_gltf_int(c, j, p, key, 0, 1e9, &v);
    if (r <= 0)
        return r == 0;
    for (const int *a = allowed; *a; a++)
        if (*a == v) {
            *out = v;
            return true;
        }
    char kp[96];
    mh_json_ptr_key(kp, sizeof kp, p, key);
    return ISSUE(c, "INVALID_GL_VALUE", kp, "%d is not a valid %s", v, key);
}

static bool load_samplers(ctx *c, mh_gltf_model *m)
{
    static const int mag[] = {9728, 9729, 0}, min[] = {9728, 9729, 9984, 9985, 9986, 9987, 0},
                     wrap[] = {33071, 33648, 10497, 0};
    int n;
    const cJSON *arr = mh_gltf_array(c, c->root, "", "samplers", &n);
    m->samplers = mh_gltf_alloc(c, sizeof(mh_gltf_sampler) * (size_t)(n + 1));
    if (!m->samplers)
        return ISSUE(c, "BUDGET_EXCEEDED", "/samplers", "too many samplers");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/samplers", i);
        mh_gltf_sampler *s = &m->samplers[i];
        *s = (mh_gltf_sampler){0, 0, MH_GLTF_WRAP_REPEAT, MH_GLTF_WRAP_REPEAT};
        ok = gl_value(c, j, p, "magFilter", mag, &s->mag_filter) && ok;
        ok = gl_value(c, j, p, "minFilter", min, &s->min_filter) && ok;
        ok = gl_value(c, j, p, "wrapS", wrap, &s->wrap_s) && ok;
        ok = gl_value(c, j, p, "wrapT", wrap, &s->wrap_t) && ok;
    }
    m->sampler_count = n;
    return ok;
}

static bool load_textures(ctx *c, mh_gltf_model *m)
{
    int n;
    const cJSON *arr = mh_gltf_array(c, c->root, "", "textures", &n);
    m->textures = mh_gltf_alloc(c, sizeof(mh_gltf_texture) * (size_t)(n + 1));
    if (!m->textures)
        return ISSUE(c, "BUDGET_EXCEEDED", "/textures", "too many textures");
    bool ok = true;
    int i = 0;
    for (const cJSON *j = arr ? arr->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/textures", i);
        mh_gltf_texture *t = &m->textures[i];
        *t = (mh_gltf_texture){-1, -1};
        int r1 = mh_gltf_ref(c, j, p, "source", c->image_count, "image", false, &t->image);
        int r2 = mh_gltf_ref(c, j, p, "sampler", c->sampler_count, "sampler", false, &t->sampler);
        ok = r1 >= 0 && r2 >= 0 && ok;
        if (r1 == 0 && mh_gltf_ext(j, "KHR_texture_basisu"))
            WARN(c, "UNSUPPORTED_EXTENSION", p,
                 "a KHR_texture_basisu (KTX2) texture is not supported; the material "
                 "is drawn without it (re-export with PNG or JPEG: gltfpack without -tc)");
    }
    m->texture_count = n;
    return ok;
}

/* ---- materials ------------------------------------------------------------------ */

static void ref_matrix(mh_gltf_texture_ref *r)
{
    float cr = cosf(r->rotation), sr = sinf(r->rotation);
    float m[6] = {cr * r->uv_scale[0], -sr * r->uv_scale[0], sr * r->uv_scale[1],
                  cr * r->uv_scale[1], r->offset[0],         r->offset[1]};
    memcpy(r->transform, m, sizeof m);
}

/* A texture reference ({index, texCoord, scale|strength, extensions}). */
static bool texture_ref(ctx *c, const cJSON *obj, const char *ptr, const char *key, const char *scale_key,
                        mh_gltf_texture_ref *r)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!t)
        return true;
    char p[128];
    mh_json_ptr_key(p, sizeof p, ptr, key);
    if (!mh_gltf_object(c, t, p) ||
        mh_gltf_ref(c, t, p, "index", c->texture_count, "texture", true, &r->texture) != 1 ||
        mh_gltf_int(c, t, p, "texCoord", 0, 1e9, &r->texcoord) < 0)
        return false;
    if (scale_key && !mh_gltf_number(c, t, p, scale_key, !strcmp(scale_key, "strength") ? 0 : -1e30,
                                     !strcmp(scale_key, "strength") ? 1 : 1e30, &r->scale))
        return false;
    const cJSON *tt = mh_gltf_ext(t, "KHR_texture_transform");
    if (tt) {
        char xp[200];
        snprintf(xp, sizeof xp, "%s/extensions/KHR_texture_transform", p);
        r->has_transform = true;
        if (!mh_gltf_floats(c, tt, xp, "offset", 2, r->offset) || !mh_gltf_floats(c, tt, xp, "scale", 2, r->uv_scale) ||
            !mh_gltf_number(c, tt, xp, "rotation", -1e9, 1e9, &r->rotation) ||
            mh_gltf_int(c, tt, xp, "texCoord", 0, 1e9, &r->texcoord) < 0)
            return false;
        ref_matrix(r);
    }
    if (r->texcoord > 1)
        WARN(c, "TEXCOORD_UNSUPPORTED", p, "TEXCOORD_%d is not kept (only sets 0 and 1); the texture is not drawn",
             r->texcoord);
    return true;
}

static bool factors_in_range(ctx *c, const cJSON *j, const char *p, const char *key, int n, float *out)
{
    float tmp[4];
    memcpy(tmp, out, sizeof(float) * (size_t)n);
    if (!mh_gltf_floats(c, j, p, key, n, tmp))
        return false;
    for (int k = 0; k < n; k++)
        if (tmp[k] < 0 || tmp[k] > 1) {
            char kp[128];
            snprintf(kp, sizeof kp, "%s/%s/%d", p, key, k);
            return ISSUE(c, "VALUE_NOT_IN_RANGE", kp, "a factor must be between 0 and 1");
        }
    memcpy(out, tmp, sizeof(float) * (size_t)n);
    return true;
}

static bool alpha_mode(ctx *c, const cJSON *j, const char *p, mh_gltf_material *mt)
{
    const cJSON *am = cJSON_GetObjectItemCaseSensitive(j, "alphaMode");
    char ap[96];
    mh_json_ptr_key(ap, sizeof ap, p, "alphaMode");
    if (am && !cJSON_IsString(am))
        return ISSUE(c, "TYPE_MISMATCH", ap, "expected \"OPAQUE\", \"MASK\" or \"BLEND\"");
    const char *s = am ? am->valuestring : "OPAQUE";
    mt->alpha_mode = !strcmp(s, "MASK")    ? MH_GLTF_ALPHA_MASK
                     : !strcmp(s, "BLEND") ? MH_GLTF_ALPHA_BLEND
                                           : MH_GLTF_ALPHA_OPAQUE;
    if (strcmp(s, "OPAQUE") && strcmp(s, "MASK") && strcmp(s, "BLEND"))
        WARN(c, "VALUE_NOT_IN_LIST", ap, "unknown alphaMode; drawn opaque");
    if (!mh_gltf_number(c, j, p, "alphaCutoff", 0, 1e30, &mt->alpha_cutoff))
        return false;
    if (cJSON_GetObjectItemCaseSensitive(j, "alphaCutoff") && mt->alpha_mode != MH_GLTF_ALPHA_MASK)
        WARN(c, "MATERIAL_ALPHA_CUTOFF_INVALID_MODE", p, "alphaCutoff is used only with alphaMode MASK");
    return true;
}

static bool load_material(ctx *c, const cJSON *j, const char *p, mh_gltf_material *mt)
{
    *mt = mh_gltf_material_default();
    mt->name = mh_gltf_name(c, j);
    bool ok = true;
    const cJSON *pbr = cJSON_GetObjectItemCaseSensitive(j, "pbrMetallicRoughness");
    char pp[96];
    mh_json_ptr_key(pp, sizeof pp, p, "pbrMetallicRoughness");
    if (pbr && mh_gltf_object(c, pbr, pp)) {
        ok = factors_in_range(c, pbr, pp, "baseColorFactor", 4, mt->base_color) && ok;
        ok = mh_gltf_number(c, pbr, pp, "metallicFactor", 0, 1, &mt->metallic) && ok;
        ok = mh_gltf_number(c, pbr, pp, "roughnessFactor", 0, 1, &mt->roughness) && ok;
        ok = texture_ref(c, pbr, pp, "baseColorTexture", NULL, &mt->base_color_texture) && ok;
        ok = texture_ref(c, pbr, pp, "metallicRoughnessTexture", NULL, &mt->metallic_roughness_texture) && ok;
    } else if (pbr) {
        ok = false;
    }
    ok = texture_ref(c, j, p, "normalTexture", "scale", &mt->normal_texture) && ok;
    ok = texture_ref(c, j, p, "occlusionTexture", "strength", &mt->occlusion_texture) && ok;
    ok = texture_ref(c, j, p, "emissiveTexture", NULL, &mt->emissive_texture) && ok;
    ok = factors_in_range(c, j, p, "emissiveFactor", 3, mt->emissive) && ok;
    ok = alpha_mode(c, j, p, mt) && ok;
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(j, "doubleSided");
    mt->double_sided = cJSON_IsTrue(ds);
    mt->unlit = mh_gltf_ext(j, "KHR_materials_unlit") != NULL;
    const cJSON *es = mh_gltf_ext(j, "KHR_materials_emissive_strength");
    if (es) {
        char ep[128];
        snprintf(ep, sizeof ep, "%s/extensions/KHR_materials_emissive_strength", p);
        ok = mh_gltf_number(c, es, ep, "emissiveStrength", 0, 1e9, &mt->emissive_strength) && ok;
    }
    return ok;
}

bool mh_gltf_load_materials(ctx *c, mh_gltf_model *m)
{
    bool ok = load_samplers(c, m) && load_textures(c, m);
    int n;
    const cJSON *mats = mh_gltf_array(c, c->root, "", "materials", &n);
    m->materials = mh_gltf_alloc(c, sizeof(mh_gltf_material) * (size_t)(n + 1));
    if (!m->materials)
        return ISSUE(c, "BUDGET_EXCEEDED", "/materials", "too many materials");
    int i = 0;
    for (const cJSON *j = mats ? mats->child : NULL; j; j = j->next, i++) {
        char p[64];
        mh_json_ptr_index(p, sizeof p, "/materials", i);
        ok = load_material(c, j, p, &m->materials[i]) && ok;
    }
    m->material_count = n;
    return ok;
}

/* ---- helpers for users ------------------------------------------------------------- */

float *mh_gltf_ref_uvs(const mh_gltf_prim *prim, const mh_gltf_texture_ref *ref, mh_arena *arena)
{
    if (!ref || ref->texture < 0 || ref->texcoord < 0 || ref->texcoord > 1 || !prim->texcoords[ref->texcoord])
        return NULL;
    float *o = mh_arena_alloc(arena, sizeof(float) * 2 * (size_t)prim->vertex_count);
    if (!o)
        return NULL;
    const float *uv = prim->texcoords[ref->texcoord], *t = ref->transform;
    for (uint32_t i = 0; i < prim->vertex_count; i++) {
        float u = uv[2 * i], v = uv[2 * i + 1];
        o[2 * i] = ref->has_transform ? t[0] * u + t[2] * v + t[4] : u;
        o[2 * i + 1] = ref->has_transform ? t[1] * u + t[3] * v + t[5] : v;
    }
    return o;
}
