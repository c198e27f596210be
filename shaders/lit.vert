#version 300 es
// lit.vert - hall and model geometry for the metallic-roughness shader.
// Static vertices are already in world space (u_model is the identity);
// parts an animation moves are in model space with u_model per draw, and
// skinned (MH_SKIN: four joints of 3x4 matrices) or morphed (MH_MORPH: the
// targets with the largest weights, deltas from a float texture) first.
// Vertex colours arrive sRGB-encoded in bytes and are linearised here so
// all lighting happens in linear space. Texture coordinates go through
// each texture's KHR_texture_transform here (affine, so interpolating them
// is exact): one varying when every texture reads the same set with the
// same transform (MH_UV_SHARED), else one per texture.
// MH_SHADOW (quality high, near the featured exhibit): the position in its
// shadow map, pushed out along the normal by a texel and a half against acne.
// MH_MULTIVIEW (GL_OVR_multiview2): both eyes in one draw, each eye's camera
// picked from the Views block by gl_ViewID_OVR (Frame's is then unused).
#ifdef MH_MULTIVIEW
#extension GL_OVR_multiview2 : require
layout(num_views = 2) in;
layout(std140) uniform Views {
    mat4 u_mv_view_proj[2];
    vec4 u_mv_eye[2];    // xyz
};
flat out vec3 v_eye;     // this eye's position, for lit.frag
#endif
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_normal;
layout(location = 2) in vec2 a_uv;
layout(location = 3) in vec4 a_color;    // sRGB rgb, linear alpha, normalised bytes
layout(location = 4) in vec4 a_params;   // glow, metallic, roughness, occlusion
layout(location = 5) in vec4 a_tangent;  // xyz, w = bitangent sign
layout(location = 6) in vec2 a_uv1;
layout(location = 7) in vec4 a_joints;
layout(location = 8) in vec4 a_weights;

layout(std140) uniform Frame {
    mat4 u_view_proj;
    vec4 u_eye;          // xyz
    vec4 u_sun_dir;      // xyz: toward the light
    vec4 u_sun_color;    // rgb
    vec4 u_fog;          // rgb: colour, a: density
    vec4 u_sh[9];        // irradiance / pi (mh_env.h)
    vec4 u_env;          // x: specular intensity, y: the prefiltered cube's last level, z: diffuse intensity
};

layout(std140) uniform Material {
    vec4 u_emissive;     // rgb, a: normal scale
    vec4 u_mparams;      // x: occlusion strength, y: alpha cutoff
    vec4 u_xform[10];    // per texture: (m00, m10, m01, m11), (m02, m12, -, -)
};

uniform mat4 u_model;
uniform mat3 u_normal_matrix;
#ifdef MH_SKIN
uniform vec4 u_joints[192];     // 64 joints, 3 rows each
#endif
#ifdef MH_MORPH
uniform highp sampler2D u_morph;
uniform ivec4 u_morph_info;     // active targets, vertices per target, first vertex
uniform ivec4 u_morph_target[2];
uniform vec4 u_morph_weight[2];
#endif

#ifdef MH_SHADOW
uniform mat4 u_shadow_matrix;   // world -> the shadow map's texture coordinates and depth
uniform vec4 u_shadow_params[3];   // [0].x: normal offset (metres); lit.frag: the rest
out vec3 v_shadow;
#endif
out vec3 v_world;
out vec3 v_normal;
out vec4 v_color;
out vec4 v_params;
#if !defined(MH_NORMAL_MAP) && !defined(MH_DOUBLE_SIDED) && !defined(MH_UNLIT)
out vec3 v_irradiance;   // the diffuse light from the harmonics (lit.frag)
#define VERTEX_IRRADIANCE 1
#endif
#ifdef MH_NORMAL_MAP
out vec4 v_tangent;
#endif
#ifdef MH_VERTEX_EMISSIVE
out vec3 v_emissive;     // the baked light per vertex (the tangent's xyz), times u_emissive
#endif
#ifdef MH_UV_SHARED
out vec2 v_uv;
#else
#ifdef MH_TEX_BASE
out vec2 v_uv_base;
#endif
#ifdef MH_TEX_MR
out vec2 v_uv_mr;
#endif
#ifdef MH_NORMAL_MAP
out vec2 v_uv_normal;
#endif
#ifdef MH_TEX_OCCLUSION
out vec2 v_uv_occlusion;
#endif
#ifdef MH_TEX_EMISSIVE
out vec2 v_uv_emissive;
#endif
#endif

vec3 srgb_to_linear(vec3 c)
{
    return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), c));
}

#ifdef VERTEX_IRRADIANCE
vec3 sh_irradiance(vec3 n)
{
    return max(u_sh[0].rgb + u_sh[1].rgb * n.y + u_sh[2].rgb * n.z + u_sh[3].rgb * n.x +
               u_sh[4].rgb * (n.x * n.y) + u_sh[5].rgb * (n.y * n.z) + u_sh[6].rgb * (3.0 * n.z * n.z - 1.0) +
               u_sh[7].rgb * (n.x * n.z) + u_sh[8].rgb * (n.x * n.x - n.y * n.y), 0.0) * u_env.z;
}
#endif

vec2 xform(int slot, vec2 uv)
{
    vec4 a = u_xform[slot * 2], b = u_xform[slot * 2 + 1];
    return vec2(a.x * uv.x + a.z * uv.y + b.x, a.y * uv.x + a.w * uv.y + b.y);
}

#ifdef MH_MORPH
vec4 morph_texel(int i)
{
    return texelFetch(u_morph, ivec2(i % 1024, i / 1024), 0);
}
#endif

void main()
{
    vec3 pos = a_pos, nrm = a_normal, tan = a_tangent.xyz;
#ifdef MH_MORPH
    int vi = gl_VertexID - u_morph_info.z;
    for (int k = 0; k < u_morph_info.x; k++) {
        int t = u_morph_target[k / 4][k % 4];
        float w = u_morph_weight[k / 4][k % 4];
        int texel = 2 * (t * u_morph_info.y + vi);
        pos += w * morph_texel(texel).xyz;
        nrm += w * morph_texel(texel + 1).xyz;
    }
#endif
#ifdef MH_SKIN
    ivec4 j = ivec4(a_joints) * 3;
    vec4 w = a_weights;
    vec4 r0 = w.x * u_joints[j.x] + w.y * u_joints[j.y] + w.z * u_joints[j.z] + w.w * u_joints[j.w];
    vec4 r1 = w.x * u_joints[j.x + 1] + w.y * u_joints[j.y + 1] + w.z * u_joints[j.z + 1] + w.w * u_joints[j.w + 1];
    vec4 r2 = w.x * u_joints[j.x + 2] + w.y * u_joints[j.y + 2] + w.z * u_joints[j.z + 2] + w.w * u_joints[j.w + 2];
    vec4 p4 = vec4(pos, 1.0);
    pos = vec3(dot(r0, p4), dot(r1, p4), dot(r2, p4));
    nrm = vec3(dot(r0.xyz, nrm), dot(r1.xyz, nrm), dot(r2.xyz, nrm));
    tan = vec3(dot(r0.xyz, tan), dot(r1.xyz, tan), dot(r2.xyz, tan));
#endif
    vec4 world = u_model * vec4(pos, 1.0);
    v_world = world.xyz;
    v_normal = u_normal_matrix * nrm;
#ifdef MH_SHADOW
    v_shadow = (u_shadow_matrix * vec4(world.xyz + normalize(v_normal) * u_shadow_params[0].x, 1.0)).xyz;
#endif
#ifdef VERTEX_IRRADIANCE
    v_irradiance = sh_irradiance(normalize(v_normal));
#endif
    v_color = vec4(srgb_to_linear(a_color.rgb), a_color.a);
    v_params = a_params;
#ifdef MH_NORMAL_MAP
    v_tangent = vec4(mat3(u_model) * tan, a_tangent.w < 0.0 ? -1.0 : 1.0);
#endif
#ifdef MH_VERTEX_EMISSIVE
    v_emissive = a_tangent.xyz * u_emissive.rgb;
#endif
#ifdef MH_UV_SHARED
    v_uv = xform(MH_UV_SLOT, MH_UV_SET);
#else
#ifdef MH_TEX_BASE
    v_uv_base = xform(0, MH_SET_BASE);
#endif
#ifdef MH_TEX_MR
    v_uv_mr = xform(1, MH_SET_MR);
#endif
#ifdef MH_NORMAL_MAP
    v_uv_normal = xform(2, MH_SET_NORMAL);
#endif
#ifdef MH_TEX_OCCLUSION
    v_uv_occlusion = xform(3, MH_SET_OCCLUSION);
#endif
#ifdef MH_TEX_EMISSIVE
    v_uv_emissive = xform(4, MH_SET_EMISSIVE);
#endif
#endif
#ifdef MH_MULTIVIEW
    v_eye = u_mv_eye[gl_ViewID_OVR].xyz;
    gl_Position = u_mv_view_proj[gl_ViewID_OVR] * world;
#else
    gl_Position = u_view_proj * world;
#endif
}
