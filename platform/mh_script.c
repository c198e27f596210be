/* mh_script.c - reading and replaying input scripts (see mh_script.h). */
#include "mh_script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metahall_tools.h"

#define MAX_LINE 512

struct mh_script {
    char path[256];
    char *text;
    char *cursor;
    int line;
    /* the command being played */
    long frames_left;
    mh_input_state held;
    bool awaiting;                         /* a control command is not answered yet */
    uint8_t headset;                       /* mh_headset_state from the last `headset` line (it stays) */
    char until_field[32], until_value[96]; /* `until`: waiting for this field to read this */
    long until_left;                       /* frames before it gives up (0: not waiting) */
    int until_line;
    bool arc_release; /* `arc`: teleport (the aim let go) on the frame after */
    bool pointer;
    float px, py;
    int swipe_frames; /* frames of a swipe's drag left */
    float sx0, sy0, sx1, sy1;
};

mh_script *mh_script_load(const char *path, mh_error *err)
{
    size_t size;
    mh_script *s = calloc(1, sizeof *s);
    if (!s) {
        mh_fail(err, path, "", "out of memory");
        return NULL;
    }
    if (!mh_tools_read_file(path, 1u << 20, &s->text, &size, err)) {
        free(s);
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", path);
    s->cursor = s->text;
    return s;
}

void mh_script_free(mh_script **ps)
{
    if (!ps || !*ps)
        return;
    free((*ps)->text);
    free(*ps);
    *ps = NULL;
}

/* The next line without its comment and surrounding blanks; NULL at the end. */
static char *next_line(mh_script *s, char *buf)
{
    while (*s->cursor) {
        char *end = strchr(s->cursor, '\n');
        size_t n = end ? (size_t)(end - s->cursor) : strlen(s->cursor);
        s->line++;
        snprintf(buf, MAX_LINE, "%.*s", (int)(n < MAX_LINE - 1 ? n : MAX_LINE - 1), s->cursor);
        s->cursor += n + (end ? 1 : 0);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *p = buf;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
            p[--len] = '\0';
        if (*p)
            return p;
    }
    return NULL;
}

static int bad(const mh_script *s, const char *what, const char *line)
{
    mh_log_error("script", "%s:%d: %s: '%s'", s->path, s->line, what, line);
    return -1;
}

static uint32_t action_named(const char *name)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } acts[] = {
        {"select", MH_ACT_SELECT},       {"back", MH_ACT_BACK},           {"home", MH_ACT_HOME},
        {"lang", MH_ACT_LANG},           {"tour", MH_ACT_TOUR},           {"next", MH_ACT_NEXT},
        {"teleport", MH_ACT_TELEPORT},   {"page_next", MH_ACT_PAGE_NEXT}, {"page_prev", MH_ACT_PAGE_PREV},
        {"view_next", MH_ACT_VIEW_NEXT}, {"view_prev", MH_ACT_VIEW_PREV}, {"volume", MH_ACT_VOLUME},
        {"menu", MH_ACT_MENU},
    };
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++)
        if (!strcmp(name, acts[i].name))
            return acts[i].bit;
    return 0;
}

static int check(mh_script *s, const char *field, const char *want, const mh_script_hooks *h, const char *line)
{
    char got[128] = "";
    if (!h->field || !h->field(h->user, field, got, sizeof got))
        return bad(s,
                   "unknown field (expected mode, lang, panel, hover, at, tour_stop, tour_paused, featured, reply, "
                   "reply_code, pos, heading, headset, visits, menu, seated, page, pages, view, views, view_name, "
                   "page_turns, caption_part, volume or muted)",
                   line);
    const char *w = strcmp(want, "-") ? want : "";
    if (strcmp(got, w) != 0) {
        mh_log_error("script", "%s:%d: expected %s %s, got %s", s->path, s->line, field, want, got[0] ? got : "-");
        return -1;
    }
    mh_log_debug("script", "%s:%d: %s is %s", s->path, s->line, field, want);
    return 0;
}

/* Reads commands until one that plays frames; 1 when frames are due. */
static int parse(mh_script *s, const mh_script_hooks *h)
{
    char buf[MAX_LINE], a[MAX_LINE], b[MAX_LINE];
    char *line;
    while ((line = next_line(s, buf)) != NULL) {
        char cmd[32];
        float x = 0, y = 0;
        long n = 0;
        int k;
        s->held = (mh_input_state){0};
        if (sscanf(line, "%31s", cmd) != 1)
            continue;
        const char *args = line + strlen(cmd);
        if (!strcmp(cmd, "wait") && sscanf(args, "%ld", &n) == 1 && n >= 0) {
            s->frames_left = n;
        } else if (!strcmp(cmd, "seconds") && sscanf(args, "%f", &x) == 1 && x >= 0) {
            s->frames_left = (long)(x * 60.0f + 0.5f);
        } else if (!strcmp(cmd, "walk") && sscanf(args, "%f %f %ld", &x, &y, &n) == 3) {
            s->held.move_forward = x;
            s->held.move_right = y;
            s->frames_left = n;
        } else if (!strcmp(cmd, "turn") && sscanf(args, "%f %ld", &x, &n) == 2) {
            s->held.turn = x;
            s->frames_left = n;
        } else if (!strcmp(cmd, "look") && sscanf(args, "%f %f", &x, &y) == 2) {
            s->held.look_yaw = x;
            s->held.look_pitch = y;
            s->frames_left = 1;
        } else if (!strcmp(cmd, "point") && sscanf(args, "%511s", a) == 1 && !strcmp(a, "off")) {
            s->pointer = false;
            s->frames_left = 1;
        } else if ((!strcmp(cmd, "point") || !strcmp(cmd, "click") || !strcmp(cmd, "tap")) &&
                   sscanf(args, "%f %f", &x, &y) == 2) {
            s->pointer = strcmp(cmd, "tap") != 0;
            s->px = x;
            s->py = y;
            s->held.pointer = true; /* this frame at least */
            s->held.pointer_x = x;
            s->held.pointer_y = y;
            s->held.actions = strcmp(cmd, "point") ? MH_ACT_SELECT : 0;
            s->frames_left = 1;
        } else if (!strcmp(cmd, "swipe") && sscanf(args, "%f %f %f %f", &x, &y, &s->sx1, &s->sy1) == 4) {
            /* a finger from (x, y) to (x1, y1) over 8 frames, then the swipe */
            s->sx0 = x;
            s->sy0 = y;
            s->swipe_frames = 8;
            s->held.dragging = true;
            s->held.drag_x = x;
            s->held.drag_y = y;
            s->held.look_yaw = -(s->sx1 - x) * 0.0008f;
            s->frames_left = 9;
        } else if (!strcmp(cmd, "headset") && sscanf(args, "%511s", a) == 1 &&
                   (!strcmp(a, "on") || !strcmp(a, "off"))) {
            s->headset = !strcmp(a, "on") ? MH_HEADSET_WORN : MH_HEADSET_OFF;
            s->frames_left = 1;
        } else if (!strcmp(cmd, "arc") && sscanf(args, "%ld", &n) == 1 && n >= 1) {
            bool hold = sscanf(args, "%*d %511s", a) == 1 && !strcmp(a, "hold");
            s->held.teleport_aim = true;
            s->frames_left = n;
            s->arc_release = !hold;
        } else if (!strcmp(cmd, "key") && sscanf(args, "%511s", a) == 1 && action_named(a)) {
            s->held.actions = action_named(a);
            s->frames_left = 1;
        } else if (!strcmp(cmd, "screenshot") && sscanf(args, "%511s", a) == 1) {
            if (!h->screenshot || !h->screenshot(h->user, a))
                return bad(s, "cannot write the screenshot", line);
            continue;
        } else if (!strcmp(cmd, "timing") && (k = sscanf(args, "%511s %511s", a, b)) >= 1) {
            if (h->timing)
                h->timing(h->user, a, k == 2 ? b : NULL);
            continue;
        } else if (!strcmp(cmd, "control") && sscanf(args, "%511s", a) == 1) {
            while (*args == ' ' || *args == '\t')
                args++;
            if (!h->control)
                return bad(s, "this run takes no control commands", line);
            if (!h->control(h->user, args)) {
                s->awaiting = true;
                return 1;
            }
            continue;
        } else if (!strcmp(cmd, "print") && sscanf(args, "%511s", a) == 1) {
            char got[128] = "";
            if (!h->field || !h->field(h->user, a, got, sizeof got))
                return bad(s, "unknown field", line);
            mh_log_info("script", "%s:%d: %s = %s", s->path, s->line, a, got[0] ? got : "-");
            continue;
        } else if (!strcmp(cmd, "until") && sscanf(args, "%31s %95s", s->until_field, s->until_value) == 2) {
            x = 30;
            sscanf(args, "%*s %*s %f", &x);
            char got[128];
            if (!h->field || !h->field(h->user, s->until_field, got, sizeof got))
                return bad(s, "unknown field", line);
            s->until_left = (long)(x * 60.0f + 0.5f) + 1;
            s->until_line = s->line;
            return 1;
        } else if (!strcmp(cmd, "expect") && sscanf(args, "%511s %511s", a, b) == 2) {
            if (check(s, a, b, h, line) < 0)
                return -1;
            continue;
        } else {
            return bad(s, "unknown or malformed command", line);
        }
        if (s->frames_left > 0)
            return 1;
    }
    return 0;
}

/* `until`: 1 while waiting (frames go on), 0 once the field reads the
 * value, -1 when it gave up. */
static int waiting(mh_script *s, const mh_script_hooks *h)
{
    char got[128] = "";
    const char *want = strcmp(s->until_value, "-") ? s->until_value : "";
    h->field(h->user, s->until_field, got, sizeof got);
    if (!strcmp(got, want)) {
        mh_log_debug("script", "%s:%d: %s is %s", s->path, s->until_line, s->until_field, s->until_value);
        s->until_left = 0;
        return 0;
    }
    if (--s->until_left > 0)
        return 1;
    mh_log_error("script", "%s:%d: %s never became %s (it is %s)", s->path, s->until_line, s->until_field,
                 s->until_value, got[0] ? got : "-");
    return -1;
}

int mh_script_step(mh_script *s, mh_input_state *in, const mh_script_hooks *h)
{
    if (s->until_left > 0) {
        int w = waiting(s, h);
        if (w < 0)
            return -1;
        if (w > 0) {
            if (s->headset)
                in->headset = s->headset;
            return 1; /* frames go on, without input */
        }
    }
    if (s->awaiting) {
        if (!h->control_poll(h->user))
            return 1; /* frames go on while the command works */
        s->awaiting = false;
    }
    if (s->frames_left <= 0 && s->arc_release) { /* the stick let go: one frame of TELEPORT */
        s->arc_release = false;
        s->held = (mh_input_state){.actions = MH_ACT_TELEPORT};
        s->frames_left = 1;
    } else if (s->frames_left <= 0) {
        int r = parse(s, h);
        if (r <= 0)
            return r;
        if (s->until_left > 0)
            return mh_script_step(s, in, h); /* check it at once */
    }
    s->frames_left--;
    if (s->held.dragging && s->swipe_frames-- <= 0) { /* the finger lifts: the swipe */
        s->held = (mh_input_state){.pointer = true,
                                   .pointer_x = s->sx0,
                                   .pointer_y = s->sy0,
                                   .actions = s->sx1 < s->sx0 ? MH_ACT_SWIPE_LEFT : MH_ACT_SWIPE_RIGHT};
    }
    const mh_input_state *k = &s->held;
    in->move_forward += k->move_forward;
    in->move_right += k->move_right;
    in->turn += k->turn;
    in->look_yaw += k->look_yaw;
    in->look_pitch += k->look_pitch;
    in->actions |= k->actions;
    if (k->dragging) {
        in->dragging = true;
        in->drag_x = k->drag_x;
        in->drag_y = k->drag_y;
    }
    in->teleport_aim |= k->teleport_aim;
    if (s->headset)
        in->headset = s->headset;
    if (k->pointer || s->pointer) {
        in->pointer = true;
        in->pointer_x = k->pointer ? k->pointer_x : s->px;
        in->pointer_y = k->pointer ? k->pointer_y : s->py;
    }
    s->held.actions = 0; /* actions and taps happen once */
    s->held.look_yaw = s->held.look_pitch = 0;
    s->held.pointer = false;
    return 1;
}
