#version 300 es
// ui.frag - text and shapes from the glyph atlas's signed distance field
// (edge at 0.5, anti-aliased over about one screen pixel whatever the
// magnification), or image texels times the vertex colour. Colours stay in
// sRGB, as interface colours are specified; blending is premultiplied.
// MH_UI_SOLID: opaque flat colours (a panel's card), drawn without blending
// and without a texture fetch, so a large card costs little per pixel.
precision mediump float;

in vec2 v_uv;
in vec4 v_color;

uniform sampler2D u_tex;
uniform bool u_sdf;

out vec4 o_color;

void main()
{
#ifdef MH_UI_SOLID
    o_color = vec4(v_color.rgb * v_color.a, v_color.a);
#else
    vec4 c = v_color;
    if (u_sdf) {
        float d = texture(u_tex, v_uv).r;
        float w = max(fwidth(d) * 0.75, 1.0 / 255.0);
        c.a *= smoothstep(0.5 - w, 0.5 + w, d);
    } else {
        c *= texture(u_tex, v_uv);
    }
    o_color = vec4(c.rgb * c.a, c.a);
#endif
}
