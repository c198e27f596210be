/* mh_lightbake.h - bakes a hall's light at asset build time (engine/scene/mh_scene.h says
 * what the files hold and how the scene applies them). */
#ifndef MH_LIGHTBAKE_H
#define MH_LIGHTBAKE_H

/* Builds the hall in hall_dir with the engine's scene code, ray-casts its
 * floor's, its walls' and columns' and each booth template's back wall's
 * occlusion and the light of its glowing surfaces (mh_lightbake.c,
 * mh_lightbake_walls.c, mh_lightbake_booth.c over mh_lightbake_trace.c), and
 * writes <hall_dir>/light.json, <hall_dir>/textures/light_floor.png and
 * <hall_dir>/textures/light_walls.png keyed by its hall.json. Returns 0 on
 * success (a message on stderr otherwise). */
int mh_lightbake(const char *hall_dir);

#endif
