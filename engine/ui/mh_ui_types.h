/* mh_ui_types.h - the plain types the visit's parts (panel, chart, screen
 * interface, visit) share: the visitor's language and what the pointer is over. */
#ifndef MH_UI_TYPES_H
#define MH_UI_TYPES_H

typedef enum mh_lang { MH_LANG_ZH, MH_LANG_EN } mh_lang;

/* What the pointer is over. */
typedef enum mh_target_kind {
    MH_TARGET_NONE,
    MH_TARGET_BOOTH, /* id: booth index */
    MH_TARGET_STAGE,
    MH_TARGET_PANEL, /* id: mh_panel_button */
    MH_TARGET_HUD,   /* id: mh_hud_button */
    MH_TARGET_MAP,   /* id: booth index, or -1 entrance, -2 stage */
} mh_target_kind;

typedef struct mh_target {
    mh_target_kind kind;
    int id;
} mh_target;

#endif
