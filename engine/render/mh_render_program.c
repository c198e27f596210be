/* mh_render_program.c - the lit shader's variants: a key of feature bits
 * per draw (the material's textures and the sets they read, alpha test,
 * unlit, double-sided (lit only: an unlit surface has no normal to turn,
 * its culling is GL state), emissive light from the vertices; the part's skin, morph targets and lights; the
 * crossfade; the featured exhibit's shadow at quality high), turned into
 * #defines, compiled once on first need and cached
 * (at most MH_RENDER_MAX_VARIANTS). A plain surface's variant samples no
 * texture but the environment, and only MASK and the crossfade discard.
 *
 * Mesa builds its GLSL built-in functions at a context's first
 * glCompileShader and keeps them until glReleaseShaderCompiler (6-7 MB off
 * the default hall's peak on llvmpipe): the end of a frame in which a program was linked
 * releases them (mh_render_release_compiler), as does the warm-up's end
 * (mh_renderer_warm_finish); a later link builds them again (~5 ms; see
 * tests/bench/NOTES.md, "The GLSL compiler released"). */
#include <stdio.h>
#include <string.h>

#include "../core/mh_log.h"
#include "mh_renderer_internal.h"
#include "mh_shaders.h"

/* Compiles src with `defines` ("#define X 1\n" lines, or "") inserted after
 * its #version line. */
static GLuint compile(GLenum type, const char *src, const char *defines, const char *name, mh_error *err)
{
    GLuint s = glCreateShader(type);
    const char *body = strchr(src, '\n');
    body = body ? body + 1 : src;
    const char *parts[3] = {src, defines, body};
    GLint lengths[3] = {(GLint)(body - src), (GLint)strlen(defines), -1};
    glShaderSource(s, 3, parts, lengths);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[512] = "";
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        mh_fail(err, name, "", "shader does not compile: %s", log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

/* Programs linked in this process, and their count at the last release
 * (the GL thread's; Mesa's built-ins are the process's, not a context's). */
static unsigned links, links_released;

void mh_render_release_compiler(void)
{
    if (links == links_released)
        return;
    glReleaseShaderCompiler();
    links_released = links;
    mh_log_debug("gl", "the GLSL compiler's built-ins released (%u programs linked)", links);
}

GLuint mh_render_link(const char *vs_src, const char *fs_src, const char *defines, const char *name, mh_error *err)
{
    if (links_released && links == links_released)
        mh_log_debug("gl", "%s linked: the GLSL compiler's built-ins made again", name);
    links++;
    char vname[64], fname[64];
    snprintf(vname, sizeof vname, "shaders/%s.vert", name);
    snprintf(fname, sizeof fname, "shaders/%s.frag", name);
    GLuint vs = compile(GL_VERTEX_SHADER, vs_src, defines, vname, err);
    GLuint fs = vs ? compile(GL_FRAGMENT_SHADER, fs_src, defines, fname, err) : 0;
    if (!fs) {
        glDeleteShader(vs);
        return 0;
    }
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[512] = "";
        glGetProgramInfoLog(p, sizeof log, NULL, log);
        glDeleteProgram(p);
        mh_fail(err, vname, "", "shader program does not link: %s", log);
        return 0;
    }
    return p;
}

static bool same_uv(const mh_material_slot *a, const mh_material_slot *b)
{
    return a->set == b->set && memcmp(a->xform, b->xform, sizeof a->xform) == 0;
}

uint32_t mh_render_material_key(const mh_material *m)
{
    uint32_t key = 0;
    int first = -1;
    bool shared = true;
    bool vertex_emissive = m->vertex_emissive && mh_material_has(m, MH_TEX_EMISSIVE) && !m->unlit &&
                           !mh_material_has(m, MH_TEX_NORMAL); /* the tangent carries it */
    for (int s = 0; s < MH_TEX_SLOTS; s++) {
        if (!mh_material_has(m, (mh_tex_slot)s) || (s == MH_TEX_EMISSIVE && vertex_emissive))
            continue;
        key |= V_TEX(s) | (m->slots[s].set ? V_SET(s) : 0);
        if (first < 0)
            first = s;
        else if (!same_uv(&m->slots[first], &m->slots[s]))
            shared = false;
    }
    if (m->unlit) /* base colour only */
        key &= V_TEX(MH_TEX_BASE) | V_SET(MH_TEX_BASE);
    if (first >= 0 && shared) {
        key &= ~(V_SET(0) | V_SET(1) | V_SET(2) | V_SET(3) | V_SET(4));
        key |= V_UV_SHARED | (m->slots[first].set ? V_SET(0) : 0) | (uint32_t)first << V_SHARED_SLOT_SHIFT;
    }
    key |= m->alpha_mode == MH_ALPHA_MASK ? V_MASK : 0;
    key |= m->unlit ? V_UNLIT : 0;
    key |= m->double_sided && !m->unlit ? V_DOUBLE_SIDED : 0; /* unlit: only the cull state (draw_chunk) */
    key |= vertex_emissive ? V_VERTEX_EMISSIVE : 0;
    key |= m->sdf && (key & V_TEX(MH_TEX_BASE)) ? V_SDF : 0;
    return key;
}

/* The #define lines for a key. */
static void defines_of(uint32_t key, char *out, size_t size)
{
    static const char *const tex[MH_TEX_SLOTS] = {"MH_TEX_BASE", "MH_TEX_MR", "MH_NORMAL_MAP", "MH_TEX_OCCLUSION",
                                                  "MH_TEX_EMISSIVE"};
    static const char *const set[MH_TEX_SLOTS] = {"MH_SET_BASE", "MH_SET_MR", "MH_SET_NORMAL", "MH_SET_OCCLUSION",
                                                  "MH_SET_EMISSIVE"};
    static const struct {
        uint32_t bit;
        const char *name;
    } flags[] = {
        {V_MASK, "MH_MASK"},         {V_UNLIT, "MH_UNLIT"},     {V_DOUBLE_SIDED, "MH_DOUBLE_SIDED"},
        {V_SKIN, "MH_SKIN"},         {V_MORPH, "MH_MORPH"},     {V_LIGHTS, "MH_LIGHTS"},
        {V_DISSOLVE, "MH_DISSOLVE"}, {V_SHADOW, "MH_SHADOW"},   {V_VERTEX_EMISSIVE, "MH_VERTEX_EMISSIVE"},
        {V_SDF, "MH_SDF"},           {V_REFLECT, "MH_REFLECT"},
    };
    size_t n = 0;
    out[0] = 0;
    for (int s = 0; s < MH_TEX_SLOTS; s++) {
        if (!(key & V_TEX(s)))
            continue;
        n += (size_t)snprintf(out + n, size - n, "#define %s 1\n", tex[s]);
        if (!(key & V_UV_SHARED))
            n += (size_t)snprintf(out + n, size - n, "#define %s %s\n", set[s], key & V_SET(s) ? "a_uv1" : "a_uv");
    }
    if (key & V_UV_SHARED)
        n +=
            (size_t)snprintf(out + n, size - n, "#define MH_UV_SHARED 1\n#define MH_UV_SLOT %u\n#define MH_UV_SET %s\n",
                             (key >> V_SHARED_SLOT_SHIFT) & 7u, key & V_SET(0) ? "a_uv1" : "a_uv");
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (key & flags[i].bit)
            n += (size_t)snprintf(out + n, size - n, "#define %s 1\n", flags[i].name);
    if (key & V_MULTIVIEW) /* both eyes in one pass (mh_render_multiview.c) */
        n += (size_t)snprintf(out + n, size - n, "#define MH_MULTIVIEW 1\n");
}

/* Uniform locations, samplers on their units, blocks on their bindings. */
static void bind_locations(lit_program *p)
{
    GLuint id = p->id;
    glUseProgram(id);
    static const char *const samplers[MH_TEX_SLOTS] = {"u_tex_base", "u_tex_mr", "u_tex_normal", "u_tex_occlusion",
                                                       "u_tex_emissive"};
    for (int s = 0; s < MH_TEX_SLOTS; s++)
        glUniform1i(glGetUniformLocation(id, samplers[s]), s);
    glUniform1i(glGetUniformLocation(id, "u_env_cube"), UNIT_ENV);
    glUniform1i(glGetUniformLocation(id, "u_morph"), UNIT_MORPH);
    glUniform1i(glGetUniformLocation(id, "u_shadow_map"), UNIT_SHADOW);
    glUniform1i(glGetUniformLocation(id, "u_reflect_map"), UNIT_REFLECT);
    GLuint frame = glGetUniformBlockIndex(id, "Frame"), material = glGetUniformBlockIndex(id, "Material");
    GLuint views = glGetUniformBlockIndex(id, "Views"); /* MH_MULTIVIEW: both eyes' cameras */
    if (views != GL_INVALID_INDEX)
        glUniformBlockBinding(id, views, BLOCK_VIEWS);
    if (frame != GL_INVALID_INDEX)
        glUniformBlockBinding(id, frame, BLOCK_FRAME);
    if (material != GL_INVALID_INDEX)
        glUniformBlockBinding(id, material, BLOCK_MATERIAL);
    p->u_model = glGetUniformLocation(id, "u_model");
    p->u_normal_matrix = glGetUniformLocation(id, "u_normal_matrix");
    p->u_joints = glGetUniformLocation(id, "u_joints");
    p->u_morph_info = glGetUniformLocation(id, "u_morph_info");
    p->u_morph_target = glGetUniformLocation(id, "u_morph_target");
    p->u_morph_weight = glGetUniformLocation(id, "u_morph_weight");
    p->u_light_pos = glGetUniformLocation(id, "u_light_pos");
    p->u_light_dir = glGetUniformLocation(id, "u_light_dir");
    p->u_light_color = glGetUniformLocation(id, "u_light_color");
    p->u_light_cone = glGetUniformLocation(id, "u_light_cone");
    p->u_light_count = glGetUniformLocation(id, "u_light_count");
    p->u_dissolve = glGetUniformLocation(id, "u_dissolve");
    p->u_shadow_matrix = glGetUniformLocation(id, "u_shadow_matrix");
    p->u_shadow_params = glGetUniformLocation(id, "u_shadow_params");
    p->u_reflect = glGetUniformLocation(id, "u_reflect");
    static const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    static const float identity3[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    glUniformMatrix4fv(p->u_model, 1, GL_FALSE, identity);
    glUniformMatrix3fv(p->u_normal_matrix, 1, GL_FALSE, identity3);
    p->model = NULL;
}

lit_program *mh_render_program(mh_renderer *r, uint32_t key)
{
    if (key & V_UNLIT) /* the same shader either way (its normal is unused): one program */
        key &= ~V_DOUBLE_SIDED;
    for (int i = 0; i < r->program_count; i++)
        if (r->programs[i].key == key)
            return r->programs[i].id ? &r->programs[i] : NULL;
    if (r->program_count == MH_RENDER_MAX_VARIANTS) {
        mh_log_error("gl", "more than %d shader variants: variant 0x%x is not drawn", MH_RENDER_MAX_VARIANTS, key);
        return NULL;
    }
    char defines[768];
    defines_of(key, defines, sizeof defines);
    mh_error err;
    lit_program *p = &r->programs[r->program_count++];
    *p = (lit_program){.key = key, .id = mh_render_link(mh_shader_lit_vert, mh_shader_lit_frag, defines, "lit", &err)};
    if (!p->id) {
        char text[1024];
        mh_log_error("gl", "variant 0x%x: %s", key, mh_error_text(&err, text, sizeof text));
        return NULL; /* remembered as failed: it is not tried again */
    }
    bind_locations(p);
    mh_log_debug("gl", "shader variant 0x%x compiled (%d so far)", key, r->program_count);
    return p;
}

uint32_t mh_render_shared_key(uint32_t key)
{
    return key & (V_UNLIT | V_TEX(MH_TEX_EMISSIVE) | MH_RENDER_VERTEX_SECOND) ? key : key | V_VERTEX_EMISSIVE;
}

void mh_render_programs_destroy(mh_renderer *r)
{
    for (int i = 0; i < r->program_count; i++)
        glDeleteProgram(r->programs[i].id);
    r->program_count = 0;
}
