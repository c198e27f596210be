/* mh_shaders.h - GLSL ES sources from shaders/, embedded at build time
 * (the build generates mh_shaders_embed.c from the files). */
#ifndef MH_SHADERS_H
#define MH_SHADERS_H

extern const char mh_shader_lit_vert[];
extern const char mh_shader_lit_frag[];
extern const char mh_shader_ui_vert[];
extern const char mh_shader_ui_frag[];
extern const char mh_shader_post_vert[];
extern const char mh_shader_post_frag[];
extern const char mh_shader_shadow_vert[];
extern const char mh_shader_shadow_frag[];
extern const char mh_shader_bloom_frag[];

#endif
