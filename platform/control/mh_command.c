/* mh_command.c - the operator command language: parse one line, do it to the
 * engine, answer "OK ..." or "ERR <code> <message>". Transports (TCP, UDP,
 * Unix socket, MQTT, the web page) only move lines; everything a command
 * means is here (STATUS and LIST: mh_command_status.c; SCREENSHOT:
 * mh_screenshot.c).
 *
 * Commands that load (SWITCH, NEXT, PREV, RELOAD) hold a job slot until
 * their reply is taken. The commander reads each job's result right after
 * every engine call that can end one (and after every frame), so the
 * engine's small ring of results can never drop one a reply still waits
 * for; when all MH_COMMANDER_JOBS slots are taken the next such command gets
 * ERR 503. */
#include "mh_command_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "metahall_tools.h"
#include "service/mh_hours.h"
#include "service/mh_stats.h"

static const char *const NAMES[MH_CMD_KIND_COUNT] = {
    "PING",   "STATUS", "SWITCH", "NEXT", "PREV",  "TOUR",   "RESET", "LANG",  "SCREENSHOT",
    "RELOAD", "QUIT",   "HELP",   "LIST", "STATS", "VOLUME", "WAKE",  "SLEEP",
};

const char *mh_command_name(mh_command_kind kind) { return kind < MH_CMD_KIND_COUNT ? NAMES[kind] : NULL; }

int mh_command_find(const char *word)
{
    for (int k = 0; k < MH_CMD_KIND_COUNT; k++)
        if (strcasecmp(word, NAMES[k]) == 0)
            return k;
    return -1;
}

/* ---- replies -------------------------------------------------------------- */

/* A reply is one line: line breaks from error texts become spaces. */
static void one_line(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

bool mh_reply_text(mh_reply *r, const char *fmt, ...)
{
    size_t n = 0;
    if (r->id[0])
        n = (size_t)snprintf(r->text, sizeof r->text, "#%s ", r->id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text + n, sizeof r->text - n, fmt, ap);
    va_end(ap);
    one_line(r->text);
    r->ticket = 0;
    return true;
}

void mh_reply_set(mh_reply *r, const char *text) { mh_reply_text(r, "%s", text); }

bool mh_reply_long(mh_reply *r, const char *head, const char *body)
{
    size_t n = strlen(r->id) + strlen(head) + strlen(body) + 3;
    free(r->line);
    r->line = malloc(n);
    if (!r->line)
        return mh_reply_text(r, "ERR 500 out of memory for the reply");
    snprintf(r->line, n, "%s%s%s%s%s", r->id[0] ? "#" : "", r->id, r->id[0] ? " " : "", head, body);
    one_line(r->line);
    r->ticket = 0;
    r->text[0] = '\0';
    return true;
}

const char *mh_reply_line(const mh_reply *r) { return r->line ? r->line : r->text; }

void mh_reply_release(mh_reply *r)
{
    free(r->line);
    free(r->data);
    r->line = NULL;
    r->data = NULL;
    r->data_len = 0;
}

/* ---- parsing ---------------------------------------------------------------- */

static bool id_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
           ch == ':' || ch == '-';
}

size_t mh_command_take_id(const char *line, size_t len, char id[MH_REQUEST_ID_MAX])
{
    id[0] = '\0';
    if (len < 2 || line[0] != '#')
        return 0;
    size_t n = 1;
    while (n < len && id_char(line[n]))
        n++;
    if (n == 1 || n - 1 >= MH_REQUEST_ID_MAX || (n < len && line[n] != ' ' && line[n] != '\t'))
        return 0;
    memcpy(id, line + 1, n - 1);
    id[n - 1] = '\0';
    while (n < len && (line[n] == ' ' || line[n] == '\t'))
        n++;
    return n;
}

/* True when the bytes are valid UTF-8 without control characters. */
static bool clean_utf8(const char *line, size_t len, const char **why)
{
    char buf[MH_COMMAND_MAX + 1];
    memcpy(buf, line, len);
    buf[len] = '\0';
    const char *s = buf;
    while (*s) {
        const char *at = s;
        uint32_t cp = mh_tools_utf8_next(&s);
        bool real_fffd =
            s - at == 3 && (unsigned char)at[0] == 0xEF && (unsigned char)at[1] == 0xBF && (unsigned char)at[2] == 0xBD;
        if (cp == 0xFFFD && !real_fffd) {
            *why = "the line is not valid UTF-8";
            return false;
        }
        if ((cp < 0x20 && cp != '\t') || cp == 0x7F) {
            *why = "the line contains control characters";
            return false;
        }
    }
    if ((size_t)(s - buf) != len) {
        *why = "the line contains a NUL byte";
        return false;
    }
    return true;
}

/* Splits on spaces and tabs into at most max words (NUL-terminated in buf). */
static int split_words(char *buf, char **words, int max)
{
    int n = 0;
    for (char *p = buf; *p;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return n;
}

/* How many arguments each command takes: at least, at most. */
static void arg_range(mh_command_kind k, int *lo, int *hi)
{
    *lo = k == MH_CMD_SWITCH || k == MH_CMD_TOUR || k == MH_CMD_LANG;
    *hi = *lo || k == MH_CMD_SCREENSHOT || k == MH_CMD_STATS || k == MH_CMD_VOLUME || k == MH_CMD_WAKE;
}

static const char *usage(mh_command_kind k)
{
    switch (k) {
    case MH_CMD_SWITCH: return "SWITCH <exhibit-id>";
    case MH_CMD_TOUR: return "TOUR START|STOP";
    case MH_CMD_LANG: return "LANG zh|en";
    case MH_CMD_SCREENSHOT: return "SCREENSHOT [FILE|THUMB]";
    case MH_CMD_STATS: return "STATS [today|hour]";
    case MH_CMD_VOLUME: return "VOLUME [0-100]";
    case MH_CMD_WAKE: return "WAKE [minutes]";
    default: return NAMES[k];
    }
}

static void case_fold(char *s, bool upper)
{
    for (; *s; s++) {
        if (upper && *s >= 'a' && *s <= 'z')
            *s = (char)(*s - 32);
        else if (!upper && *s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
    }
}

/* A whole number lo..hi with nothing after it. */
static bool whole(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool check_arg(mh_command *cmd, mh_reply *r)
{
    char *a = cmd->arg;
    long n;
    switch (cmd->kind) {
    case MH_CMD_SWITCH:
        if (!mh_engine_exhibit_id_valid(a))
            return !mh_reply_text(r, "ERR 400 \"%.40s\" is not an exhibit id (1-31 of a-z, 0-9, _ and -)", a);
        return true;
    case MH_CMD_TOUR:
        case_fold(a, true);
        if (strcmp(a, "START") && strcmp(a, "STOP"))
            return !mh_reply_text(r, "ERR 400 TOUR takes START or STOP, not \"%.40s\"", a);
        return true;
    case MH_CMD_LANG:
        case_fold(a, false);
        if (strcmp(a, "zh") && strcmp(a, "en"))
            return !mh_reply_text(r, "ERR 400 LANG takes zh or en, not \"%.40s\"", a);
        return true;
    case MH_CMD_SCREENSHOT:
        case_fold(a, true);
        return a[0] && strcmp(a, "FILE") && strcmp(a, "THUMB") && strcmp(a, "PNG")
                   ? !mh_reply_text(r, "ERR 400 SCREENSHOT takes FILE, PNG or THUMB, not \"%.40s\"", a)
                   : true;
    case MH_CMD_STATS:
        case_fold(a, false);
        return a[0] && strcmp(a, "today") && strcmp(a, "hour")
                   ? !mh_reply_text(r, "ERR 400 STATS takes today or hour, not \"%.40s\"", a)
                   : true;
    case MH_CMD_VOLUME:
        if (a[0] && !whole(a, 0, 100, &n))
            return !mh_reply_text(r, "ERR 400 VOLUME takes 0 to 100, not \"%.40s\"", a);
        return true;
    case MH_CMD_WAKE:
        return a[0] && !whole(a, 1, 24 * 60, &n)
                   ? !mh_reply_text(r, "ERR 400 WAKE takes minutes, 1 to 1440, not \"%.40s\"", a)
                   : true;
    default: return true;
    }
}

bool mh_command_parse(const char *line, size_t len, mh_command *cmd, mh_reply *r)
{
    memset(cmd, 0, sizeof *cmd);
    cmd->kind = MH_CMD_KIND_COUNT;
    if (len > MH_COMMAND_MAX)
        return !mh_reply_text(r, "ERR 413 line too long (max %d bytes)", MH_COMMAND_MAX);
    const char *why = NULL;
    if (!clean_utf8(line, len, &why))
        return !mh_reply_text(r, "ERR 400 %s", why);
    char buf[MH_COMMAND_MAX + 1];
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *w[3];
    int n = split_words(buf, w, 2);
    if (n == 0)
        return !mh_reply_text(r, "ERR 400 empty line (try HELP)");
    int k = mh_command_find(w[0]);
    if (k < 0) {
        if (strcasecmp(w[0], "AUTH") == 0)
            return !mh_reply_text(r, "ERR 400 AUTH is not needed here");
        return !mh_reply_text(r, "ERR 400 unknown command \"%.40s\" (try HELP)", w[0]);
    }
    cmd->kind = (mh_command_kind)k;
    int lo, hi;
    arg_range(cmd->kind, &lo, &hi);
    if (n - 1 < lo)
        return !mh_reply_text(r, "ERR 400 %s needs an argument: %s", NAMES[k], usage(cmd->kind));
    if (n - 1 > hi)
        return !mh_reply_text(r, "ERR 400 %s takes %s", NAMES[k], hi ? "one argument" : "no arguments");
    if (n == 1)
        return true;
    if (strlen(w[1]) >= sizeof cmd->arg)
        return !mh_reply_text(r, "ERR 400 argument too long (%zu bytes)", strlen(w[1]));
    snprintf(cmd->arg, sizeof cmd->arg, "%s", w[1]);
    return check_arg(cmd, r);
}

/* ---- the commander -------------------------------------------------------- */

/* Zero means default: the kiosk is named after the host ("kiosk" when it
 * has none), the hall has no name, without a screenshot folder SCREENSHOT
 * FILE is refused, the folder's quota is 100 files and 200 MB. The strings
 * are copied into the commander. */
static void commander_desc_defaults(mh_commander *c, const mh_commander_desc *d)
{
    c->desc = *d;
    if (d->kiosk_id && d->kiosk_id[0]) {
        snprintf(c->kiosk_id, sizeof c->kiosk_id, "%s", d->kiosk_id);
    } else if (gethostname(c->kiosk_id, sizeof c->kiosk_id - 1) != 0 || !c->kiosk_id[0]) {
        snprintf(c->kiosk_id, sizeof c->kiosk_id, "kiosk");
    }
    snprintf(c->hall_name, sizeof c->hall_name, "%s", d->hall_name ? d->hall_name : "");
    snprintf(c->screenshot_dir, sizeof c->screenshot_dir, "%s", d->screenshot_dir ? d->screenshot_dir : "");
    c->desc.kiosk_id = c->kiosk_id;
    c->desc.hall_name = c->hall_name;
    c->desc.screenshot_dir = c->screenshot_dir[0] ? c->screenshot_dir : NULL;
    c->desc.screenshot_max_files = d->screenshot_max_files > 0 ? d->screenshot_max_files : 100;
    c->desc.screenshot_max_mb = d->screenshot_max_mb > 0 ? d->screenshot_max_mb : 200;
}

mh_commander *mh_commander_create(const mh_commander_desc *desc)
{
    mh_commander *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    commander_desc_defaults(c, desc);
    c->started = desc->now ? desc->now() : 0;
    c->settings.volume = -1;
    c->shot_log = MH_RATELOG("control", "screenshot failures");
    mh_frame_stats_init(&c->frames, &(mh_frame_stats_desc){.ms = c->frame_ms,
                                                           .scratch = c->frame_sorted,
                                                           .at = c->frame_at,
                                                           .capacity = MH_FRAME_RING});
    return c;
}

void mh_commander_destroy(mh_commander **pc)
{
    if (pc && *pc) {
        mh_screenshot_free(*pc);
        free(*pc);
        *pc = NULL;
    }
}

void mh_commander_note_error(mh_commander *c, const char *text)
{
    size_t n = strlen(text) < sizeof c->last_error - 1 ? strlen(text) : sizeof c->last_error - 1;
    memcpy(c->last_error, text, n);
    c->last_error[n] = '\0';
    c->serial++;
}

static void clear_error(mh_commander *c)
{
    if (c->last_error[0]) {
        c->last_error[0] = '\0';
        c->serial++;
    }
}

void mh_commander_set_stats(mh_commander *c, struct mh_stats *stats) { c->desc.stats = stats; }
bool mh_commander_quit_requested(const mh_commander *c) { return c->quit; }
uint32_t mh_commander_state_serial(const mh_commander *c) { return c->serial; }
const char *mh_commander_kiosk_id(const mh_commander *c) { return c->kiosk_id; }
int mh_commander_volume(const mh_commander *c)
{
    if (c->desc.engine) { /* what the kiosk plays at: the visitor's button and the headset menu change it too */
        mh_visit_status vs;
        mh_engine_visit_status(c->desc.engine, &vs);
        return vs.muted ? 0 : vs.volume;
    }
    return c->settings.volume < 0 ? 100 : c->settings.volume;
}

uint32_t mh_commander_settings(const mh_commander *c, mh_operator_settings *out)
{
    *out = c->settings;
    return c->settings_serial;
}

void mh_commander_restore(mh_commander *c, const mh_operator_settings *s)
{
    c->settings = *s;
    if (s->language[0] && c->desc.engine)
        mh_engine_set_language(c->desc.engine, s->language);
    if (s->volume >= 0 && c->desc.engine) /* the operator's volume is the kiosk's sound volume */
        mh_engine_set_volume(c->desc.engine, s->volume);
    c->serial++;
}

/* ---- jobs ------------------------------------------------------------------- */

/* Reads every waiting job's result (the engine keeps only its last few). */
static void collect(mh_commander *c)
{
    if (!c->desc.engine || c->jobs_used == 0)
        return;
    for (int i = 0; i < MH_COMMANDER_JOBS; i++) {
        mh_job *j = &c->jobs[i];
        if (!j->ticket || j->final)
            continue;
        mh_job_state st = mh_engine_job(c->desc.engine, j->ticket, &j->err);
        if (st != MH_JOB_PENDING) {
            j->state = st;
            j->final = true;
        }
    }
}

static mh_job *find_job(mh_commander *c, uint32_t ticket)
{
    for (int i = 0; ticket && i < MH_COMMANDER_JOBS; i++)
        if (c->jobs[i].ticket == ticket)
            return &c->jobs[i];
    return NULL;
}

static bool remember(mh_commander *c, uint32_t ticket, mh_command_kind kind, const char *arg, mh_reply *r)
{
    mh_job *j = NULL; /* a free slot: there is one, checked before the engine was asked */
    for (int i = 0; !j && i < MH_COMMANDER_JOBS; i++)
        j = c->jobs[i].ticket ? NULL : &c->jobs[i];
    if (!j)
        return mh_reply_text(r, "ERR 500 no slot for the job");
    mh_visit_status vs;
    mh_engine_visit_status(c->desc.engine, &vs);
    *j = (mh_job){.ticket = ticket, .kind = kind, .touring = !strcmp(vs.mode, "tour")};
    snprintf(j->arg, sizeof j->arg, "%s", arg);
    c->jobs_used++;
    collect(c);
    r->ticket = ticket;
    r->text[0] = '\0';
    return false;
}

static void free_job(mh_commander *c, mh_job *j)
{
    j->ticket = 0;
    c->jobs_used--;
}

void mh_commander_forget(mh_commander *c, mh_reply *r)
{
    mh_job *j = find_job(c, r->ticket);
    if (j)
        free_job(c, j);
    r->ticket = 0;
}

/* ---- suggestions: the nearest exhibit ids by edit distance ------------------- */

static int edit_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int row[64];
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diag + cost;
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* " (did you mean a, b or c?)", or " (LIST shows this hall's exhibits)". */
static void suggest(const mh_commander *c, const char *given, char *out, size_t size)
{
    char want[MH_COMMAND_ARG_MAX];
    snprintf(want, sizeof want, "%s", given);
    case_fold(want, false);
    int n = mh_engine_exhibit_count(c->desc.engine), limit = (int)strlen(want) / 3;
    limit = limit < 2 ? 2 : limit;
    const char *best[3] = {0};
    int dist[3] = {99, 99, 99};
    for (int i = 0; i < n; i++) {
        const char *id = mh_engine_exhibit_id(c->desc.engine, i);
        int d = edit_distance(want, id);
        for (int k = 0; k < 3 && d <= limit; k++) {
            if (d < dist[k]) {
                memmove(&best[k + 1], &best[k], (size_t)(2 - k) * sizeof *best);
                memmove(&dist[k + 1], &dist[k], (size_t)(2 - k) * sizeof *dist);
                best[k] = id;
                dist[k] = d;
                break;
            }
        }
    }
    if (!best[0]) {
        snprintf(out, size, " (LIST shows this hall's exhibits)");
        return;
    }
    snprintf(out, size, " (did you mean %s%s%s%s%s?)", best[0], best[1] ? (best[2] ? ", " : " or ") : "",
             best[1] ? best[1] : "", best[2] ? " or " : "", best[2] ? best[2] : "");
}

/* ---- the commands ------------------------------------------------------------ */

static bool do_switch(mh_commander *c, mh_command_kind kind, const char *id, mh_reply *r)
{
    mh_error err;
    if (c->jobs_used >= MH_COMMANDER_JOBS)
        return mh_reply_text(r, "ERR 503 busy: %d commands are waiting for loads", c->jobs_used);
    uint32_t t = mh_engine_feature(c->desc.engine, id, &err);
    if (!t) {
        char hint[160];
        suggest(c, id, hint, sizeof hint);
        return mh_reply_text(r, "ERR 404 %s%s", err.message, hint);
    }
    mh_log_info("control", "%s %s", NAMES[kind], id);
    return remember(c, t, kind, id, r);
}

/* NEXT and PREV step from what the stage shows, or is about to show. */
static bool do_step(mh_commander *c, mh_command_kind kind, mh_reply *r)
{
    mh_engine *e = c->desc.engine;
    int n = mh_engine_exhibit_count(e);
    if (n == 0)
        return mh_reply_text(r, "ERR 404 this hall has no exhibits");
    const char *loading = mh_engine_loading(e);
    const char *from = loading && strcmp(loading, "RELOAD") ? loading : mh_engine_featured(e);
    int at = -1;
    for (int i = 0; i < n; i++)
        if (!strcmp(mh_engine_exhibit_id(e, i), from))
            at = i;
    int next = at < 0 ? 0 : (at + (kind == MH_CMD_NEXT ? 1 : n - 1)) % n;
    return do_switch(c, kind, mh_engine_exhibit_id(e, next), r);
}

static bool do_reload(mh_commander *c, mh_reply *r)
{
    if (c->jobs_used >= MH_COMMANDER_JOBS)
        return mh_reply_text(r, "ERR 503 busy: %d commands are waiting for loads", c->jobs_used);
    mh_log_info("control", "RELOAD");
    return remember(c, mh_engine_reload(c->desc.engine, NULL), MH_CMD_RELOAD, "", r);
}

static bool do_help(mh_reply *r)
{
    return mh_reply_text(r, "OK commands: SWITCH <exhibit-id>, NEXT, PREV, LIST, TOUR START|STOP, RESET, LANG zh|en, "
                            "VOLUME [0-100], STATUS, STATS [today|hour], SCREENSHOT [FILE|THUMB], RELOAD, "
                            "WAKE [minutes], "
                            "SLEEP, PING, HELP, QUIT (with the token, or on loopback when none is set), "
                            "AUTH <token> (TCP: first, when a token is set; UDP: AUTH <token> <command>); "
                            "#ID before a command comes back before its reply");
}

static bool do_status(mh_commander *c, mh_reply *r)
{
    char json[4 * MH_REPLY_MAX]; /* room for a last_error of control characters, each escaped */
    mh_commander_status_json(c, MH_STATUS_COMMAND, json, sizeof json);
    return mh_reply_long(r, "OK ", json);
}

static bool do_list(mh_commander *c, mh_reply *r)
{
    char *json = mh_commander_list_json(c);
    if (!json)
        return mh_reply_text(r, "ERR 500 out of memory for the list");
    mh_reply_long(r, "OK ", json);
    free(json);
    return true;
}

static bool do_stats(mh_commander *c, const char *arg, mh_reply *r)
{
    if (!c->desc.stats)
        return mh_reply_text(r, "ERR 503 no visitor statistics are kept here");
    char *json = mh_stats_json(c->desc.stats, arg[0] ? arg : "today", time(NULL));
    if (!json)
        return mh_reply_text(r, "ERR 500 out of memory for the statistics");
    mh_reply_long(r, "OK ", json);
    free(json);
    return true;
}

static bool do_volume(mh_commander *c, const char *arg, mh_reply *r)
{
    if (arg[0]) {
        c->settings.volume = atoi(arg);
        c->settings_serial++;
        c->serial++;
        mh_log_info("control", "VOLUME %d", c->settings.volume);
        if (c->desc.engine)
            mh_engine_set_volume(c->desc.engine, c->settings.volume);
    }
    return mh_reply_text(r, "OK volume %d", mh_commander_volume(c));
}

static bool do_hours(mh_commander *c, mh_command_kind kind, const char *arg, mh_reply *r)
{
    if (!c->desc.hours)
        return mh_reply_text(r, "ERR 503 no opening hours here");
    char msg[160];
    if (kind == MH_CMD_WAKE)
        mh_hours_wake(c->desc.hours, time(NULL), arg[0] ? atoi(arg) : 0, msg, sizeof msg);
    else
        mh_hours_sleep(c->desc.hours, time(NULL), msg, sizeof msg);
    mh_log_info("control", "%s: %s", NAMES[kind], msg);
    c->serial++;
    return mh_reply_text(r, "OK %s", msg);
}

static bool do_lang(mh_commander *c, const char *lang, mh_reply *r)
{
    if (!mh_engine_set_language(c->desc.engine, lang))
        return mh_reply_text(r, "ERR 503 no visitor interface to switch");
    snprintf(c->settings.language, sizeof c->settings.language, "%.2s", lang);
    c->settings_serial++;
    mh_log_info("control", "LANG %s", lang);
    return mh_reply_text(r, "OK language %s", lang);
}

/* Commands that need no hall. */
static bool run_plain(mh_commander *c, const mh_command *cmd, unsigned flags, mh_reply *r, bool *done)
{
    *done = true;
    switch (cmd->kind) {
    case MH_CMD_PING: return mh_reply_text(r, "OK PONG");
    case MH_CMD_HELP: return do_help(r);
    case MH_CMD_STATUS: return do_status(c, r);
    case MH_CMD_STATS: return do_stats(c, cmd->arg, r);
    case MH_CMD_VOLUME: return do_volume(c, cmd->arg, r);
    case MH_CMD_WAKE:
    case MH_CMD_SLEEP: return do_hours(c, cmd->kind, cmd->arg, r);
    case MH_CMD_QUIT:
        if (!(flags & MH_CMD_AUTHED))
            return mh_reply_text(r, "ERR 403 QUIT needs the token (AUTH <token> first, or the Unix socket)");
        mh_log_info("control", "QUIT: shutting down");
        c->quit = true;
        return mh_reply_text(r, "OK quitting");
    default: *done = false; return false;
    }
}

static bool run(mh_commander *c, const mh_command *cmd, unsigned flags, mh_reply *r)
{
    bool done;
    bool result = run_plain(c, cmd, flags, r, &done);
    if (done)
        return result;
    mh_engine *e = c->desc.engine;
    if (!e)
        return mh_reply_text(r, "ERR 503 no hall is loaded");
    switch (cmd->kind) {
    case MH_CMD_SWITCH: return do_switch(c, cmd->kind, cmd->arg, r);
    case MH_CMD_NEXT:
    case MH_CMD_PREV: return do_step(c, cmd->kind, r);
    case MH_CMD_RELOAD: return do_reload(c, r);
    case MH_CMD_LIST: return do_list(c, r);
    case MH_CMD_TOUR:
        if (!mh_engine_tour(e, !strcmp(cmd->arg, "START")))
            return mh_reply_text(r, "ERR 503 this hall has no guided tour (or no visitor interface)");
        mh_log_info("control", "TOUR %s", cmd->arg);
        return mh_reply_text(r, "OK tour %s", strcmp(cmd->arg, "START") ? "stopped" : "started");
    case MH_CMD_RESET:
        mh_engine_attract(e);
        mh_log_info("control", "RESET: attract mode");
        return mh_reply_text(r, "OK attract");
    case MH_CMD_LANG: return do_lang(c, cmd->arg, r);
    case MH_CMD_SCREENSHOT: return mh_screenshot_run(c, cmd->arg, flags, r);
    default: return mh_reply_text(r, "ERR 500 unhandled command");
    }
}

bool mh_commander_exec(mh_commander *c, const char *line, size_t len, unsigned flags, mh_reply *r)
{
    mh_command cmd;
    r->line = NULL;
    r->data = NULL;
    r->data_len = 0;
    r->ticket = 0;
    size_t skip = mh_command_take_id(line, len, r->id);
    if (mh_command_parse(line + skip, len - skip, &cmd, r))
        return run(c, &cmd, flags, r);
    /* a malformed SWITCH id (SWITCH QIANTANG) may still be close to one: say which */
    if (cmd.kind == MH_CMD_SWITCH && cmd.arg[0] && c->desc.engine && strstr(r->text, "is not an exhibit id")) {
        char hint[160];
        suggest(c, cmd.arg, hint, sizeof hint);
        size_t n = strlen(r->text);
        snprintf(r->text + n, sizeof r->text - n, "%s", hint);
    }
    return true;
}

/* The reply to a finished job. */
static bool job_reply(mh_commander *c, mh_job *j, mh_reply *r)
{
    bool reload = j->kind == MH_CMD_RELOAD;
    char text[900];
    const mh_error *err = &j->err;
    switch (j->state) {
    case MH_JOB_DONE:
        clear_error(c);
        if (reload) {
            mh_visit_status vs;
            mh_engine_visit_status(c->desc.engine, &vs);
            bool tour_ended = j->touring && strcmp(vs.mode, "tour") != 0;
            if (err->message[0])
                mh_commander_note_error(c, mh_error_text(err, text, sizeof text));
            const char *ended = tour_ended ? " (the guided tour ended: the new hall has none)" : "";
            return mh_reply_text(r, "OK reloaded%s%s%s%s", ended, err->message[0] ? " (warning: " : "",
                                 err->message[0] ? text : "", err->message[0] ? ")" : "");
        }
        snprintf(c->settings.exhibit, sizeof c->settings.exhibit, "%.31s", j->arg);
        c->settings_serial++;
        return mh_reply_text(r, "OK featured %s", j->arg);
    case MH_JOB_FAILED:
        mh_error_text(err, text, sizeof text);
        mh_commander_note_error(c, text);
        return mh_reply_text(r, "ERR 422 %s%s failed to load, %s stays: %s", reload ? "the hall" : "exhibit ",
                             reload ? "" : j->arg, reload ? "the old hall" : "the current exhibit", text);
    case MH_JOB_SUPERSEDED: return mh_reply_text(r, "ERR 409 %s", err->message);
    default: return mh_reply_text(r, "ERR 500 lost track of this command's job");
    }
}

bool mh_commander_poll(mh_commander *c, mh_reply *r)
{
    if (!r->ticket)
        return true;
    mh_job *j = find_job(c, r->ticket);
    if (!j)
        return mh_reply_text(r, "ERR 500 lost track of this command's job");
    collect(c);
    if (!j->final)
        return false;
    job_reply(c, j, r);
    free_job(c, j);
    return true;
}

void mh_commander_frame(mh_commander *c, int width, int height, double frame_ms)
{
    mh_frame_stats_push(&c->frames, (float)frame_ms, c->desc.now ? c->desc.now() : 0);
    for (int i = 0; i < MH_STATUS_READERS; i++)
        if ((float)frame_ms > c->worst[i])
            c->worst[i] = (float)frame_ms;
    c->width = width;
    c->height = height;
    collect(c);
    mh_commander_notice(c);
}
