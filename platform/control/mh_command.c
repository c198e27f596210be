/* mh_command.c - the operator command language: parse one line, do it to the
 * engine, answer "OK ..." or "ERR <code> <message>". Transports (TCP, UDP,
 * Unix socket, MQTT) only move lines; everything a command means is here. */
#include "mh_command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "metahall_tools.h"
#include "mh_frame_stats.h"

#define FRAME_RING 256          /* frame times kept for fps, p50, p99 */
#define PENDING_MAX 64          /* jobs the commander remembers the meaning of */

typedef struct pending {
    uint32_t ticket;
    mh_command_kind kind;
    char arg[MH_COMMAND_ARG_MAX];
} pending;

struct mh_commander {
    mh_commander_desc desc;
    char kiosk_id[64], hall_name[64], screenshot_dir[512];
    double started;
    /* frames: times, when they ended, and the sorted copy STATUS reads */
    mh_frame_stats frames;
    float frame_ms[FRAME_RING], frame_sorted[FRAME_RING];
    double frame_at[FRAME_RING];
    int width, height;
    /* jobs in flight */
    pending jobs[PENDING_MAX];
    int job_next;
    /* STATUS bookkeeping */
    char last_error[320];
    uint32_t serial;
    char seen[160];             /* what STATUS showed last frame, to notice changes */
    bool quit;
    unsigned screenshots;
};

static const char *const NAMES[MH_CMD_KIND_COUNT] = {
    "PING", "STATUS", "SWITCH", "NEXT", "PREV", "TOUR", "RESET", "LANG", "SCREENSHOT", "RELOAD", "QUIT", "HELP",
};

/* ---- replies -------------------------------------------------------------- */

static bool reply_text(mh_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool reply_text(mh_reply *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof r->text, fmt, ap);
    va_end(ap);
    /* a reply is one line: error texts from files must not break it */
    for (char *p = r->text; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    r->ticket = 0;
    return true;
}

/* ---- parsing ---------------------------------------------------------------- */

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
        bool real_fffd = s - at == 3 && (unsigned char)at[0] == 0xEF && (unsigned char)at[1] == 0xBF &&
                         (unsigned char)at[2] == 0xBD;
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

static int find_kind(const char *word)
{
    for (int k = 0; k < MH_CMD_KIND_COUNT; k++)
        if (strcasecmp(word, NAMES[k]) == 0)
            return k;
    return -1;
}

/* How many arguments each command takes. */
static int arg_count(mh_command_kind k)
{
    return k == MH_CMD_SWITCH || k == MH_CMD_TOUR || k == MH_CMD_LANG ? 1 : 0;
}

static bool check_arg(mh_command *cmd, const char *arg, mh_reply *r)
{
    if (strlen(arg) >= sizeof cmd->arg)
        return !reply_text(r, "ERR 400 argument too long (%zu bytes)", strlen(arg));
    snprintf(cmd->arg, sizeof cmd->arg, "%s", arg);
    switch (cmd->kind) {
    case MH_CMD_SWITCH:
        if (!mh_engine_exhibit_id_valid(arg))
            return !reply_text(r, "ERR 400 \"%.40s\" is not an exhibit id (1-31 of a-z, 0-9, _ and -)", arg);
        return true;
    case MH_CMD_TOUR:
        for (char *p = cmd->arg; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        if (strcmp(cmd->arg, "START") && strcmp(cmd->arg, "STOP"))
            return !reply_text(r, "ERR 400 TOUR takes START or STOP, not \"%.40s\"", arg);
        return true;
    case MH_CMD_LANG:
        for (char *p = cmd->arg; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        if (strcmp(cmd->arg, "zh") && strcmp(cmd->arg, "en"))
            return !reply_text(r, "ERR 400 LANG takes zh or en, not \"%.40s\"", arg);
        return true;
    default:
        return true;
    }
}

bool mh_command_parse(const char *line, size_t len, mh_command *cmd, mh_reply *r)
{
    memset(cmd, 0, sizeof *cmd);
    if (len > MH_COMMAND_MAX)
        return !reply_text(r, "ERR 413 line too long (max %d bytes)", MH_COMMAND_MAX);
    const char *why = NULL;
    if (!clean_utf8(line, len, &why))
        return !reply_text(r, "ERR 400 %s", why);
    char buf[MH_COMMAND_MAX + 1];
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *w[3];
    int n = split_words(buf, w, 2);
    if (n == 0)
        return !reply_text(r, "ERR 400 empty command");
    int k = find_kind(w[0]);
    if (k < 0) {
        if (strcasecmp(w[0], "AUTH") == 0)
            return !reply_text(r, "ERR 400 AUTH is not needed here");
        return !reply_text(r, "ERR 400 unknown command \"%.40s\" (try HELP)", w[0]);
    }
    cmd->kind = (mh_command_kind)k;
    int want = arg_count(cmd->kind);
    if (n - 1 < want)
        return !reply_text(r, "ERR 400 %s needs an argument: %s", NAMES[k],
                           k == MH_CMD_SWITCH ? "SWITCH <exhibit-id>" : k == MH_CMD_TOUR ? "TOUR START|STOP"
                                                                                          : "LANG zh|en");
    if (n - 1 > want)
        return !reply_text(r, "ERR 400 %s takes %s", NAMES[k], want ? "one argument" : "no arguments");
    return want == 0 || check_arg(cmd, w[1], r);
}

/* ---- the commander -------------------------------------------------------- */

/* Zero means default: the kiosk is named after the host ("kiosk" when it
 * has none), the hall has no name, and without a screenshot folder
 * SCREENSHOT is refused. The strings are copied into the commander. */
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
}

mh_commander *mh_commander_create(const mh_commander_desc *desc)
{
    mh_commander *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    commander_desc_defaults(c, desc);
    c->started = desc->now ? desc->now() : 0;
    mh_frame_stats_init(&c->frames, &(mh_frame_stats_desc){.ms = c->frame_ms, .scratch = c->frame_sorted,
                                                            .at = c->frame_at, .capacity = FRAME_RING});
    return c;
}

void mh_commander_destroy(mh_commander **pc)
{
    if (pc && *pc) {
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

bool mh_commander_quit_requested(const mh_commander *c) { return c->quit; }
uint32_t mh_commander_state_serial(const mh_commander *c) { return c->serial; }
const char *mh_commander_kiosk_id(const mh_commander *c) { return c->kiosk_id; }

static bool remember(mh_commander *c, uint32_t ticket, mh_command_kind kind, const char *arg, mh_reply *r)
{
    pending *p = &c->jobs[c->job_next++ % PENDING_MAX];
    *p = (pending){ticket, kind, ""};
    snprintf(p->arg, sizeof p->arg, "%s", arg);
    r->ticket = ticket;
    r->text[0] = '\0';
    return false;
}

static bool do_switch(mh_commander *c, mh_command_kind kind, const char *id, mh_reply *r)
{
    mh_error err;
    uint32_t t = mh_engine_feature(c->desc.engine, id, &err);
    if (!t)
        return reply_text(r, "ERR 404 %s", err.message);
    mh_log_info("control", "%s %s", NAMES[kind], id);
    return remember(c, t, kind, id, r);
}

/* NEXT and PREV step from what the stage shows, or is about to show. */
static bool do_step(mh_commander *c, mh_command_kind kind, mh_reply *r)
{
    mh_engine *e = c->desc.engine;
    int n = mh_engine_exhibit_count(e);
    if (n == 0)
        return reply_text(r, "ERR 404 this hall has no exhibits");
    const char *loading = mh_engine_loading(e);
    const char *from = loading && strcmp(loading, "RELOAD") ? loading : mh_engine_featured(e);
    int at = -1;
    for (int i = 0; i < n; i++)
        if (!strcmp(mh_engine_exhibit_id(e, i), from))
            at = i;
    int next = at < 0 ? 0 : (at + (kind == MH_CMD_NEXT ? 1 : n - 1)) % n;
    return do_switch(c, kind, mh_engine_exhibit_id(e, next), r);
}

static void make_dirs(const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

static bool do_screenshot(mh_commander *c, mh_reply *r)
{
    if (!c->desc.screenshot_dir)
        return reply_text(r, "ERR 503 no screenshot folder is configured (screenshot-dir)");
    if (c->width <= 0 || c->height <= 0)
        return reply_text(r, "ERR 503 no frame has been drawn yet");
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char name[160], path[700];
    snprintf(name, sizeof name, "metahall-%.40s-%04d%02d%02d-%02d%02d%02d-%u.png", c->kiosk_id, tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ++c->screenshots);
    make_dirs(c->desc.screenshot_dir);
    snprintf(path, sizeof path, "%s/%s", c->desc.screenshot_dir, name);
    uint8_t *px = malloc((size_t)c->width * (size_t)c->height * 4);
    mh_error err;
    if (!px)
        return reply_text(r, "ERR 500 out of memory");
    bool ok = mh_engine_read_pixels(c->desc.engine, px, c->width, c->height) &&
              mh_tools_write_png(path, px, c->width, c->height, &err);
    free(px);
    if (!ok)
        return reply_text(r, "ERR 500 cannot write %s: %s", path, err.message);
    mh_log_info("control", "screenshot %s", path);
    return reply_text(r, "OK %s", name);
}

static bool do_help(mh_reply *r)
{
    return reply_text(r, "OK commands: SWITCH <exhibit-id>, NEXT, PREV, TOUR START|STOP, RESET, LANG zh|en, "
                         "STATUS, SCREENSHOT, RELOAD, PING, QUIT (with the token), HELP");
}

static bool run(mh_commander *c, const mh_command *cmd, unsigned flags, mh_reply *r)
{
    mh_engine *e = c->desc.engine;
    switch (cmd->kind) {
    case MH_CMD_PING: return reply_text(r, "OK PONG");
    case MH_CMD_HELP: return do_help(r);
    case MH_CMD_STATUS: {
        char json[MH_REPLY_MAX - 4];
        mh_commander_status_json(c, json, sizeof json);
        return reply_text(r, "OK %s", json);
    }
    case MH_CMD_QUIT:
        if (!(flags & MH_CMD_AUTHED))
            return reply_text(r, "ERR 403 QUIT needs the token (AUTH <token> first, or the Unix socket)");
        mh_log_info("control", "QUIT: shutting down");
        c->quit = true;
        return reply_text(r, "OK quitting");
    default: break;
    }
    if (!e)
        return reply_text(r, "ERR 503 no hall is loaded");
    switch (cmd->kind) {
    case MH_CMD_SWITCH: return do_switch(c, cmd->kind, cmd->arg, r);
    case MH_CMD_NEXT:
    case MH_CMD_PREV: return do_step(c, cmd->kind, r);
    case MH_CMD_RELOAD:
        mh_log_info("control", "RELOAD");
        return remember(c, mh_engine_reload(e, NULL), MH_CMD_RELOAD, "", r);
    case MH_CMD_TOUR:
        if (!mh_engine_tour(e, !strcmp(cmd->arg, "START")))
            return reply_text(r, "ERR 503 this hall has no guided tour (or no visitor interface)");
        mh_log_info("control", "TOUR %s", cmd->arg);
        return reply_text(r, "OK tour %s", strcmp(cmd->arg, "START") ? "stopped" : "started");
    case MH_CMD_RESET:
        mh_engine_attract(e);
        mh_log_info("control", "RESET: attract mode");
        return reply_text(r, "OK attract");
    case MH_CMD_LANG:
        if (!mh_engine_set_language(e, cmd->arg))
            return reply_text(r, "ERR 503 no visitor interface to switch");
        mh_log_info("control", "LANG %s", cmd->arg);
        return reply_text(r, "OK language %s", cmd->arg);
    case MH_CMD_SCREENSHOT: return do_screenshot(c, r);
    default: return reply_text(r, "ERR 500 unhandled command");
    }
}

bool mh_commander_exec(mh_commander *c, const char *line, size_t len, unsigned flags, mh_reply *r)
{
    mh_command cmd;
    if (!mh_command_parse(line, len, &cmd, r))
        return true;
    return run(c, &cmd, flags, r);
}

bool mh_commander_poll(mh_commander *c, mh_reply *r)
{
    if (!r->ticket)
        return true;
    const pending *p = NULL;
    for (int i = 0; i < PENDING_MAX; i++)
        if (c->jobs[i].ticket == r->ticket)
            p = &c->jobs[i];
    mh_error err;
    mh_job_state st = c->desc.engine ? mh_engine_job(c->desc.engine, r->ticket, &err) : MH_JOB_UNKNOWN;
    if (st == MH_JOB_PENDING)
        return false;
    bool reload = p && p->kind == MH_CMD_RELOAD;
    char text[900];
    switch (st) {
    case MH_JOB_DONE:
        if (reload)
            return reply_text(r, "OK reloaded%s%s", err.message[0] ? " (warning: " : "",
                              err.message[0] ? mh_error_text(&err, text, sizeof text) : "");
        return reply_text(r, "OK featured %s", p ? p->arg : mh_engine_featured(c->desc.engine));
    case MH_JOB_FAILED:
        mh_error_text(&err, text, sizeof text);
        mh_commander_note_error(c, text);
        return reply_text(r, "ERR 422 %s%s failed to load, %s stays: %s", reload ? "the hall" : "exhibit ",
                          reload ? "" : p ? p->arg : "", reload ? "the old hall" : "the current exhibit", text);
    case MH_JOB_SUPERSEDED: return reply_text(r, "ERR 409 %s", err.message);
    default: return reply_text(r, "ERR 500 lost track of this command's job");
    }
}

/* ---- frames and STATUS ------------------------------------------------------ */

void mh_commander_frame(mh_commander *c, int width, int height, double frame_ms)
{
    mh_frame_stats_push(&c->frames, (float)frame_ms, c->desc.now ? c->desc.now() : 0);
    c->width = width;
    c->height = height;
    if (!c->desc.engine)
        return;
    /* notice what a STATUS would show differently (for the fleet's state) */
    mh_visit_status vs;
    mh_engine_visit_status(c->desc.engine, &vs);
    const char *loading = mh_engine_loading(c->desc.engine);
    char seen[sizeof c->seen];
    snprintf(seen, sizeof seen, "%s|%s|%s|%s", mh_engine_featured(c->desc.engine), vs.mode, vs.language,
             loading ? loading : "");
    if (strcmp(seen, c->seen)) {
        snprintf(c->seen, sizeof c->seen, "%s", seen);
        c->serial++;
    }
}

/* Appends s as a JSON string (or null) to out. */
static void json_string(char *out, size_t size, const char *s)
{
    size_t n = strlen(out);
    if (!s) {
        snprintf(out + n, size - n, "null");
        return;
    }
    if (n + 1 < size)
        out[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 8 < size; p++) {
        if (*p == '"' || *p == '\\')
            n += (size_t)snprintf(out + n, size - n, "\\%c", *p);
        else if (*p < 0x20)
            n += (size_t)snprintf(out + n, size - n, "\\u%04x", *p);
        else
            out[n++] = (char)*p;
    }
    snprintf(out + n, size - n, "\"");
}

/* Resident memory from /proc/self/statm, read without stdio: the fleet asks
 * from the frame loop, which must not allocate. */
static double rss_mb(void)
{
    char buf[128];
    long pages = 0, resident = 0;
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0 || (buf[n] = '\0', sscanf(buf, "%ld %ld", &pages, &resident)) != 2)
        resident = 0;
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

double mh_commander_fps(const mh_commander *c) { return mh_frame_stats_fps(&c->frames, 1.0); }

void mh_commander_status_json(mh_commander *c, char *out, size_t size)
{
    mh_visit_status vs = {.mode = "none", .language = "zh"};
    const char *featured = NULL, *loading = NULL;
    if (c->desc.engine) {
        mh_engine_visit_status(c->desc.engine, &vs);
        featured = mh_engine_featured(c->desc.engine);
        loading = mh_engine_loading(c->desc.engine);
    }
    mh_frame_summary fs = mh_frame_stats_last(&c->frames, FRAME_RING);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double now = c->desc.now ? c->desc.now() : 0;
    out[0] = '\0';
    size_t n;
#define ADD(...) (n = strlen(out), snprintf(out + n, size - n, __VA_ARGS__))
    ADD("{\"kiosk\":");
    json_string(out, size, c->kiosk_id);
    ADD(",\"hall\":");
    json_string(out, size, c->hall_name);
    ADD(",\"exhibit\":");
    json_string(out, size, featured && featured[0] ? featured : NULL);
    ADD(",\"loading\":");
    json_string(out, size, loading);
    ADD(",\"state\":");
    json_string(out, size, vs.mode);
    ADD(",\"language\":");
    json_string(out, size, vs.language);
    ADD(",\"at\":");
    json_string(out, size, vs.at);
    ADD(",\"panel\":");
    json_string(out, size, vs.panel[0] ? vs.panel : NULL);
    ADD(",\"fps\":%.1f,\"frame_ms_p50\":%.2f,\"frame_ms_p99\":%.2f,\"frames\":%ld", mh_commander_fps(c),
        fs.median_ms, fs.p99_ms, c->frames.count);
    ADD(",\"rss_mb\":%.1f,\"peak_rss_mb\":%.1f,\"uptime_s\":%.1f", rss_mb(), (double)ru.ru_maxrss / 1024.0,
        now - c->started);
    ADD(",\"last_error\":");
    json_string(out, size, c->last_error[0] ? c->last_error : NULL);
    ADD(",\"version\":\"%s\"}", METAHALL_VERSION);
#undef ADD
}
