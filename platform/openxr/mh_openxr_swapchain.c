/* mh_openxr_swapchain.c - the images the engine draws a headset frame into:
 * ONE colour swapchain twice the eye width holding both eyes side by side
 * (left eye in the left half), a depth swapchain of the same size when the
 * runtime takes depth layers (else a depth renderbuffer of our own), and one
 * framebuffer object per colour image. Where GL has GL_OVR_multiview2 (and
 * no multisampling is asked for) the swapchains have two layers instead, one
 * eye each, attached with glFramebufferTextureMultiviewOVR: the engine draws
 * both eyes in one pass (MH_XR_MULTIVIEW=0 keeps them side by side). With
 * multisampling the engine draws
 * into multisampled renderbuffers of the same formats instead, resolved
 * (colour and depth) into the swapchain images when they are released.
 * Formats are chosen by name from the runtime's list, never by position in it. */
#include <stdlib.h>
#include <string.h>

#include "metahall.h"
#include "mh_openxr.h"

typedef void (*attach_fn)(GLenum, GLenum, GLuint, GLint, GLint, GLsizei);

#ifndef GL_FRAMEBUFFER_SRGB_EXT
#define GL_FRAMEBUFFER_SRGB_EXT 0x8DB9
#endif

static const int64_t COLOR_FORMATS[] = {GL_SRGB8_ALPHA8, GL_RGBA8};
static const int64_t DEPTH_FORMATS[] = {GL_DEPTH_COMPONENT24, GL_DEPTH_COMPONENT32F, GL_DEPTH_COMPONENT16};

static const char *format_name(int64_t f)
{
    switch (f) {
    case GL_SRGB8_ALPHA8: return "GL_SRGB8_ALPHA8";
    case GL_RGBA8: return "GL_RGBA8";
    case GL_DEPTH_COMPONENT24: return "GL_DEPTH_COMPONENT24";
    case GL_DEPTH_COMPONENT32F: return "GL_DEPTH_COMPONENT32F";
    case GL_DEPTH_COMPONENT16: return "GL_DEPTH_COMPONENT16";
    default: return "another format";
    }
}

static bool has_gl_extension(const char *name)
{
    GLint n = 0;
    glGetIntegerv(GL_NUM_EXTENSIONS, &n);
    for (GLint i = 0; i < n; i++) {
        const char *e = (const char *)glGetStringi(GL_EXTENSIONS, (GLuint)i);
        if (e && !strcmp(e, name))
            return true;
    }
    return false;
}

/* The first of want[] that the runtime offers; 0 when none. */
static int64_t pick(const int64_t *offered, uint32_t n, const int64_t *want, size_t nwant)
{
    for (size_t w = 0; w < nwant; w++)
        for (uint32_t i = 0; i < n; i++)
            if (offered[i] == want[w])
                return want[w];
    return 0;
}

/* The engine's shaders write sRGB-encoded colour. An sRGB swapchain is what a
 * compositor reads correctly, but only when GL does not encode a second time
 * on write, which GL_EXT_sRGB_write_control can switch off. */
static bool pick_formats(XrSession session, int64_t *color, int64_t *depth, mh_error *err)
{
    int64_t offered[64];
    uint32_t n = 0;
    XrResult r = xrEnumerateSwapchainFormats(session, 64, &n, offered);
    if (XR_FAILED(r))
        return mh_xr_fail(err, r, "asking the OpenXR runtime for its swapchain formats");
    bool write_control = has_gl_extension("GL_EXT_sRGB_write_control");
    size_t first = write_control ? 0 : 1;
    *color = pick(offered, n, COLOR_FORMATS + first, sizeof COLOR_FORMATS / sizeof *COLOR_FORMATS - first);
    if (!*color && !write_control && pick(offered, n, COLOR_FORMATS, 1)) {
        *color = GL_SRGB8_ALPHA8;
        mh_log_warn("openxr", "only an sRGB swapchain is offered and GL cannot skip its sRGB encoding: "
                              "colours will look too light");
    }
    if (!*color)
        return mh_fail(err, "", "",
                       "the OpenXR runtime offers no 8-bit RGBA swapchain format "
                       "(GL_SRGB8_ALPHA8 or GL_RGBA8) among its %u formats",
                       n);
    if (*color == GL_SRGB8_ALPHA8 && write_control)
        glDisable(GL_FRAMEBUFFER_SRGB_EXT); /* the shaders' output goes in as it is */
    if (depth)
        *depth = pick(offered, n, DEPTH_FORMATS, sizeof DEPTH_FORMATS / sizeof *DEPTH_FORMATS);
    return true;
}

static bool create_chain(mh_xr_chain *c, XrSession session, int64_t format, XrSwapchainUsageFlags usage, int w, int h,
                         int layers, mh_error *err)
{
    XrSwapchainCreateInfo ci = {.type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
                                .usageFlags = usage,
                                .format = format,
                                .sampleCount = 1,
                                .width = (uint32_t)w,
                                .height = (uint32_t)h,
                                .faceCount = 1,
                                .arraySize = (uint32_t)layers,
                                .mipCount = 1};
    XrResult r = xrCreateSwapchain(session, &ci, &c->handle);
    if (XR_FAILED(r)) {
        c->handle = XR_NULL_HANDLE;
        return mh_xr_fail(err, r, "creating an OpenXR swapchain");
    }
    c->format = format;
    r = xrEnumerateSwapchainImages(c->handle, 0, &c->count, NULL);
    if (XR_SUCCEEDED(r) && !(c->images = calloc(c->count ? c->count : 1, sizeof *c->images)))
        return mh_fail(err, "", "", "out of memory for swapchain images");
    for (uint32_t i = 0; XR_SUCCEEDED(r) && i < c->count; i++)
        c->images[i].type = XR_TYPE_SWAPCHAIN_IMAGE_OPENGL_ES_KHR;
    if (XR_SUCCEEDED(r))
        r = xrEnumerateSwapchainImages(c->handle, c->count, &c->count, (XrSwapchainImageBaseHeader *)c->images);
    if (XR_FAILED(r) || c->count == 0)
        return mh_xr_fail(err, XR_FAILED(r) ? r : XR_ERROR_VALIDATION_FAILURE, "listing the swapchain's images");
    return true;
}

/* --msaa for the headset: 0 = 4 on a GPU and off on a CPU rasteriser, as
 * everywhere; at most what GL can do. */
static int pick_samples(int msaa)
{
    GLint max = 1;
    glGetIntegerv(GL_MAX_SAMPLES, &max);
    int want = msaa > 0 ? msaa : mh_gl_renderer_is_software((const char *)glGetString(GL_RENDERER)) ? 1 : 4;
    return want > max ? max : want < 1 ? 1 : want;
}

/* The multisampled target the engine draws into, resolved at release. */
static bool create_msaa(mh_xr_swapchains *s, mh_error *err)
{
    GLenum depth_format = s->depth.handle ? (GLenum)s->depth.format : GL_DEPTH_COMPONENT24;
    glGenRenderbuffers(1, &s->msaa_color);
    glBindRenderbuffer(GL_RENDERBUFFER, s->msaa_color);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, s->samples, (GLenum)s->color.format, s->width, s->height);
    glGenRenderbuffers(1, &s->msaa_depth);
    glBindRenderbuffer(GL_RENDERBUFFER, s->msaa_depth);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, s->samples, depth_format, s->width, s->height);
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    glGenFramebuffers(1, &s->msaa_fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, s->msaa_fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, s->msaa_color);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, s->msaa_depth);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "",
                       "cannot draw the headset's frames with %dx multisampling (framebuffer status "
                       "0x%x); try --msaa 1",
                       s->samples, (unsigned)status);
    return true;
}

/* Colour (and depth, for the compositor's depth layer) into the swapchain images. */
static void resolve_msaa(const mh_xr_swapchains *s)
{
    glBindFramebuffer(GL_READ_FRAMEBUFFER, s->msaa_fbo);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, s->fbos[s->color.index]);
    GLbitfield mask = GL_COLOR_BUFFER_BIT | (s->depth.handle ? GL_DEPTH_BUFFER_BIT : 0);
    glBlitFramebuffer(0, 0, s->width, s->height, 0, 0, s->width, s->height, mask, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
}

static void attach_depth(const mh_xr_swapchains *s, uint32_t depth_index)
{
    if (s->multiview)
        s->attach_multiview(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT,
                            s->depth.handle ? s->depth.images[depth_index].image : s->depth_array, 0, 0, 2);
    else if (s->depth.handle)
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_TEXTURE_2D, s->depth.images[depth_index].image,
                               0);
    else
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, s->depth_rb);
}

/* Both eyes in one pass where GL can and nothing asks otherwise. */
static bool want_multiview(mh_xr_swapchains *s)
{
    const char *env = getenv("MH_XR_MULTIVIEW");
    if ((env && !strcmp(env, "0")) || s->samples > 1 || !has_gl_extension("GL_OVR_multiview2"))
        return false;
    s->attach_multiview = (attach_fn)eglGetProcAddress("glFramebufferTextureMultiviewOVR");
    return s->attach_multiview != NULL;
}

static void attach_color(const mh_xr_swapchains *s, uint32_t i)
{
    if (s->multiview)
        s->attach_multiview(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, s->color.images[i].image, 0, 0, 2);
    else
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, s->color.images[i].image, 0);
}

static bool create_fbos(mh_xr_swapchains *s, mh_error *err)
{
    if (!s->depth.handle && s->multiview) {
        glGenTextures(1, &s->depth_array);
        glBindTexture(GL_TEXTURE_2D_ARRAY, s->depth_array);
        glTexStorage3D(GL_TEXTURE_2D_ARRAY, 1, GL_DEPTH_COMPONENT24, s->eye_width, s->height, 2);
        glBindTexture(GL_TEXTURE_2D_ARRAY, 0);
    } else if (!s->depth.handle) {
        glGenRenderbuffers(1, &s->depth_rb);
        glBindRenderbuffer(GL_RENDERBUFFER, s->depth_rb);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, s->width, s->height);
        glBindRenderbuffer(GL_RENDERBUFFER, 0);
    }
    if (!(s->fbos = calloc(s->color.count, sizeof *s->fbos)))
        return mh_fail(err, "", "", "out of memory for framebuffers");
    glGenFramebuffers((GLsizei)s->color.count, s->fbos);
    GLenum status = GL_FRAMEBUFFER_COMPLETE;
    for (uint32_t i = 0; i < s->color.count && status == GL_FRAMEBUFFER_COMPLETE; i++) {
        glBindFramebuffer(GL_FRAMEBUFFER, s->fbos[i]);
        attach_color(s, i);
        attach_depth(s, 0);
        status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE)
        return mh_fail(err, "", "", "the headset's swapchain images cannot be drawn into (framebuffer status 0x%x)",
                       (unsigned)status);
    return true;
}

bool mh_xr_swapchains_create(mh_xr_swapchains *s, XrSession session, const mh_xr_runtime *rt, int msaa, mh_error *err)
{
    *s = (mh_xr_swapchains){0};
    int64_t color = 0, depth = 0;
    if (!pick_formats(session, &color, rt->has_depth_layer ? &depth : NULL, err))
        return false;
    s->eye_width = rt->eye_width;
    s->width = 2 * rt->eye_width;
    s->height = rt->eye_height;
    s->samples = pick_samples(msaa);
    s->multiview = want_multiview(s);
    int image_w = s->multiview ? s->eye_width : s->width, layers = s->multiview ? 2 : 1;
    bool ok = create_chain(&s->color, session, color,
                           XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_SAMPLED_BIT, image_w, s->height,
                           layers, err);
    if (ok && depth)
        ok = create_chain(&s->depth, session, depth, XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT, image_w,
                          s->height, layers, err);
    if (ok)
        ok = create_fbos(s, err);
    if (ok && s->samples > 1)
        ok = create_msaa(s, err);
    if (!ok) {
        mh_xr_swapchains_destroy(s);
        return false;
    }
    mh_log_info("openxr", "swapchain %dx%d %s %s, %u images; depth %s; %s", image_w, s->height,
                s->multiview ? "x 2 layers (one eye each, both drawn in one pass: GL_OVR_multiview2)"
                             : "(both eyes side by side)",
                format_name(color), s->color.count, depth ? format_name(depth) : "our own (no depth layer)",
                s->samples > 1 ? "multisampled, resolved at release" : "no multisampling");
    if (s->samples > 1)
        mh_log_info("openxr", "%dx multisampling", s->samples);
    return true;
}

static bool acquire_one(mh_xr_chain *c)
{
    XrSwapchainImageAcquireInfo ai = {.type = XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
    XrResult r = xrAcquireSwapchainImage(c->handle, &ai, &c->index);
    if (XR_FAILED(r)) {
        mh_log_error("openxr", "xrAcquireSwapchainImage failed (%s)", mh_xr_result_name(r));
        return false;
    }
    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO, .timeout = XR_INFINITE_DURATION};
    r = xrWaitSwapchainImage(c->handle, &wi);
    if (XR_FAILED(r))
        mh_log_error("openxr", "xrWaitSwapchainImage failed (%s)", mh_xr_result_name(r));
    return true; /* acquired: it must be released either way */
}

static void release_one(mh_xr_chain *c)
{
    XrSwapchainImageReleaseInfo ri = {.type = XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    XrResult r = xrReleaseSwapchainImage(c->handle, &ri);
    if (XR_FAILED(r))
        mh_log_error("openxr", "xrReleaseSwapchainImage failed (%s)", mh_xr_result_name(r));
}

GLuint mh_xr_swapchains_acquire(mh_xr_swapchains *s)
{
    if (!acquire_one(&s->color))
        return 0;
    if (s->depth.handle && !acquire_one(&s->depth)) {
        release_one(&s->color);
        return 0;
    }
    s->acquired = true;
    GLuint fbo = s->fbos[s->color.index];
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    if (s->depth.handle)
        attach_depth(s, s->depth.index);
    if (s->samples > 1)
        glBindFramebuffer(GL_FRAMEBUFFER, fbo = s->msaa_fbo);
    return fbo;
}

void mh_xr_swapchains_release(mh_xr_swapchains *s)
{
    if (!s->acquired)
        return;
    if (s->samples > 1)
        resolve_msaa(s);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    release_one(&s->color);
    if (s->depth.handle)
        release_one(&s->depth);
    s->acquired = false;
}

XrSwapchainSubImage mh_xr_swapchains_eye(const mh_xr_swapchains *s, int eye, bool depth)
{
    return (XrSwapchainSubImage){.swapchain = depth ? s->depth.handle : s->color.handle,
                                 .imageRect = {{s->multiview ? 0 : eye * s->eye_width, 0}, {s->eye_width, s->height}},
                                 .imageArrayIndex = s->multiview ? (uint32_t)eye : 0};
}

static void destroy_chain(mh_xr_chain *c)
{
    if (c->handle != XR_NULL_HANDLE)
        xrDestroySwapchain(c->handle);
    free(c->images);
    *c = (mh_xr_chain){0};
}

void mh_xr_swapchains_destroy(mh_xr_swapchains *s)
{
    mh_xr_swapchains_release(s);
    if (s->fbos) {
        glDeleteFramebuffers((GLsizei)s->color.count, s->fbos);
        free(s->fbos);
    }
    if (s->depth_rb)
        glDeleteRenderbuffers(1, &s->depth_rb);
    if (s->depth_array)
        glDeleteTextures(1, &s->depth_array);
    if (s->msaa_fbo)
        glDeleteFramebuffers(1, &s->msaa_fbo);
    GLuint rbs[2] = {s->msaa_color, s->msaa_depth};
    if (rbs[0] || rbs[1])
        glDeleteRenderbuffers(2, rbs);
    destroy_chain(&s->color);
    destroy_chain(&s->depth);
    *s = (mh_xr_swapchains){0};
}
