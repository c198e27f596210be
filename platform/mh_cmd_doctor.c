/* mh_cmd_doctor.c - `metahall doctor [OPTIONS]`: what an installer runs on
 * site before leaving a kiosk. With the kiosk's own options (--config, --hall,
 * --platform, --control, --mqtt, --state-dir...) it checks, one line each:
 * GL through headless EGL (renderer, version), the GPU and KMS devices
 * (/dev/dri cards, their driver, connectors and modes), input devices, the
 * hall's fonts and their Chinese coverage, the OpenXR runtime, the hall's
 * validity, the control port, the MQTT broker, and free disk for the state
 * and screenshots. Each line is OK, WARN or FAIL; a line that is not OK is
 * followed by its fix. Exit 0 when nothing FAILs, else 1. */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "control/mh_hostport.h"
#include "metahall_tools.h"
#include "mh_cmd.h"
#include "mh_platform.h"
#include "service/mh_state.h"

/* The sample the hall's font must cover: its Chinese signs and English. */
#define DOCTOR_SAMPLE "中文展厅欢迎参观 Welcome 0123"
#define DOCTOR_DISK_WARN_MB 512
#define DOCTOR_DISK_FAIL_MB 64
#define DOCTOR_CONNECT_MS 3000

typedef enum { DOC_OK, DOC_WARN, DOC_FAIL } doc_level;

typedef struct doctor {
    const mh_options *o;
    const char *hall;
    int count[3];
} doctor;

/* One result: "LEVEL what: message", then "      fix: ..." when not OK. */
static void say(doctor *d, doc_level lv, const char *what, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void say(doctor *d, doc_level lv, const char *what, const char *fix, const char *fmt, ...)
{
    static const char *const names[] = {"OK  ", "WARN", "FAIL"};
    char text[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    printf("%s %-8s %s\n", names[lv], what, text);
    if (lv != DOC_OK && fix)
        printf("              fix: %s\n", fix);
    d->count[lv]++;
}

/* ---- GL through headless EGL ------------------------------------------------------ */

/* "OpenGL ES 3.2 Mesa ..." -> 32; 0 when it does not say. */
static int gles_version(const char *version)
{
    int major = 0, minor = 0;
    const char *p = strstr(version, "OpenGL ES ");
    if (!p || sscanf(p + 10, "%d.%d", &major, &minor) != 2)
        return 0;
    return major * 10 + minor;
}

static void check_gl(doctor *d)
{
    mh_error err = {0};
    const mh_platform *p = &mh_platform_headless;
    if (!p->init(&(mh_platform_desc){.width = 64, .height = 64}, &err)) {
        char text[1200];
        say(d, DOC_FAIL, "gl",
            "apt install libegl-mesa0 libgl1-mesa-dri (and the GPU's firmware); "
            "the kiosk user needs the render group for a GPU",
            "no OpenGL ES context through headless EGL: %s", mh_error_text(&err, text, sizeof text));
        p->shutdown();
        return;
    }
    char renderer[256], version[256];
    bool ok = mh_tools_gl_strings(renderer, sizeof renderer, version, sizeof version);
    p->shutdown();
    int v = gles_version(version);
    if (!ok || v < 30)
        say(d, DOC_FAIL, "gl", "metahall needs OpenGL ES 3.0: update Mesa, or use a GPU that has it",
            "%s: %s, not OpenGL ES 3.0 or later", ok ? renderer : "no renderer", ok ? version : "no version");
    else if (mh_gl_renderer_is_software(renderer))
        say(d, DOC_WARN, "gl",
            "no GPU driver answered: check that /dev/dri/renderD* exists and the user is in "
            "the render group, and that the GPU's Mesa driver is installed (libgl1-mesa-dri)",
            "%s, %s: a CPU rasteriser (a few frames a second for a whole hall)", renderer, version);
    else
        say(d, DOC_OK, "gl", NULL, "%s, %s (headless EGL)", renderer, version);
}

/* ---- /dev/dri: GPU and KMS devices --------------------------------------------------- */

static void read_line(const char *path, char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(out, (int)size, f))
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

/* "Virtual-1 connected 1280x720, HDMI-A-1 disconnected" for card N; counts
 * the connected ones. */
static int card_connectors(const char *card, char *out, size_t size)
{
    char pattern[128];
    snprintf(pattern, sizeof pattern, "/sys/class/drm/%s-*/status", card);
    glob_t g;
    int connected = 0;
    out[0] = '\0';
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char status[64], mode[64], modes_path[PATH_MAX], name[128];
        read_line(g.gl_pathv[i], status, sizeof status);
        snprintf(modes_path, sizeof modes_path, "%.*s/modes", (int)(strrchr(g.gl_pathv[i], '/') - g.gl_pathv[i]),
                 g.gl_pathv[i]);
        read_line(modes_path, mode, sizeof mode);
        const char *base = strstr(g.gl_pathv[i], card) + strlen(card) + 1;
        snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "/"), base);
        bool on = !strcmp(status, "connected");
        connected += on;
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s %s%s%s", len ? ", " : "", name, status, on && mode[0] ? " " : "",
                 on ? mode : "");
    }
    globfree(&g);
    return connected;
}

static void card_driver(const char *card, char *out, size_t size)
{
    char link[PATH_MAX], target[PATH_MAX];
    snprintf(link, sizeof link, "/sys/class/drm/%s/device/driver", card);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    const char *slash = strrchr(target, '/');
    snprintf(out, size, "%.100s", n > 0 ? (slash ? slash + 1 : target) : "unknown driver");
}

static void check_dri(doctor *d)
{
    glob_t g;
    if (glob("/dev/dri/card*", 0, NULL, &g) != 0) {
        say(d, DOC_WARN, "kms",
            "load the GPU's kernel driver (vc4/v3d on a Raspberry Pi, i915, amdgpu; "
            "virtio-gpu in a VM); without it only --platform headless or a desktop session can draw",
            "no /dev/dri/card*: no GPU or display device, so no KMS/DRM screen");
        return;
    }
    int usable = 0, screens = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *card = strrchr(g.gl_pathv[i], '/') + 1;
        char driver[128], conn[700];
        card_driver(card, driver, sizeof driver);
        int connected = card_connectors(card, conn, sizeof conn);
        int fd = open(g.gl_pathv[i], O_RDWR | O_CLOEXEC);
        int e = errno;
        if (fd >= 0)
            close(fd);
        usable += fd >= 0;
        screens += fd >= 0 ? connected : 0;
        say(d, fd >= 0 ? DOC_OK : DOC_FAIL, "kms",
            "add the kiosk user to the video and render groups (the package's metahall user is in them), "
            "or run the doctor as that user: sudo -u metahall metahall doctor",
            "%s (%s)%s: %s", g.gl_pathv[i], driver, fd >= 0 ? "" : ", cannot open it",
            fd >= 0 ? (conn[0] ? conn : "no connectors (a render-only GPU)") : strerror(e));
    }
    globfree(&g);
    if (usable && !screens)
        say(d, DOC_WARN, "screen", "connect the screen and switch it on; check the cable and the input it shows",
            "no connector reports a connected screen (a desktop session or headless still work)");
}

/* ---- /dev/input ----------------------------------------------------------------- */

static void check_input(doctor *d)
{
    glob_t g;
    if (glob("/dev/input/event*", 0, NULL, &g) != 0) {
        say(d, DOC_WARN, "input",
            "connect the touch screen, keyboard or controller (without one the kiosk only "
            "plays its attract mode and obeys the control port)",
            "no /dev/input/event* devices");
        return;
    }
    int readable = 0;
    char names[600] = "";
    for (size_t i = 0; i < g.gl_pathc; i++) {
        int fd = open(g.gl_pathv[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        close(fd);
        readable++;
        char path[PATH_MAX], name[128];
        snprintf(path, sizeof path, "/sys/class/input/%s/device/name", strrchr(g.gl_pathv[i], '/') + 1);
        read_line(path, name, sizeof name);
        size_t len = strlen(names);
        if (readable <= 4 && name[0])
            snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", name);
    }
    int total = (int)g.gl_pathc;
    globfree(&g);
    if (readable < total)
        say(d, DOC_WARN, "input",
            "add the kiosk user to the input group (the package's metahall user is in it), "
            "or run the doctor as that user: sudo -u metahall metahall doctor",
            "%d of %d input devices readable by this user%s%s", readable, total, names[0] ? ": " : "", names);
    else
        say(d, DOC_OK, "input", NULL, "%d input devices readable%s%s", total, names[0] ? ": " : "", names);
}

/* ---- fonts ---------------------------------------------------------------------- */

static void check_fonts(doctor *d)
{
    char path[512], text[1200];
    int missing = 0;
    mh_error err = {0};
    if (!mh_tools_font_check(d->hall, DOCTOR_SAMPLE, path, sizeof path, &missing, &err))
        say(d, DOC_FAIL, "fonts",
            "apt install fonts-wqy-microhei, or list an installed CJK font under \"fonts\" "
            "in hall.json",
            "%s", mh_error_text(&err, text, sizeof text));
    else if (missing)
        say(d, DOC_FAIL, "fonts",
            "list a font with Chinese glyphs first under \"fonts\" in hall.json "
            "(fonts-wqy-microhei: /usr/share/fonts/truetype/wqy/wqy-microhei.ttc)",
            "%s has no glyph for %d of the characters of \"%s\": signs show boxes", path, missing, DOCTOR_SAMPLE);
    else
        say(d, DOC_OK, "fonts", NULL, "%s covers 中文 and English", path);
}

/* ---- OpenXR runtime ---------------------------------------------------------------- */

/* The active runtime manifest as the OpenXR loader finds it: $XR_RUNTIME_JSON,
 * then openxr/1/active_runtime.json under $XDG_CONFIG_HOME (~/.config),
 * each of $XDG_CONFIG_DIRS (/etc/xdg), and /etc. */
static bool find_runtime_json(char *out, size_t size)
{
    const char *env = getenv("XR_RUNTIME_JSON"), *home = getenv("HOME");
    const char *xdg_home = getenv("XDG_CONFIG_HOME"), *dirs = getenv("XDG_CONFIG_DIRS");
    if (env && env[0]) {
        snprintf(out, size, "%s", env);
        return true;
    }
    char list[1200] = "";
    if (xdg_home && xdg_home[0])
        snprintf(list, sizeof list, "%s:", xdg_home);
    else if (home && home[0])
        snprintf(list, sizeof list, "%s/.config:", home);
    size_t len = strlen(list);
    snprintf(list + len, sizeof list - len, "%s:/etc", dirs && dirs[0] ? dirs : "/etc/xdg");
    for (char *dir = strtok(list, ":"); dir; dir = strtok(NULL, ":")) {
        snprintf(out, size, "%s/openxr/1/active_runtime.json", dir);
        if (access(out, F_OK) == 0)
            return true;
    }
    return false;
}

/* The manifest's runtime.library_path, resolved against the manifest's
 * folder when relative; a bare name is left to the dynamic loader. */
static bool runtime_library(const char *json_path, char *lib, size_t size, char *why, size_t why_size)
{
    char *text = NULL;
    size_t n = 0;
    mh_error err = {0};
    if (!mh_tools_read_file(json_path, 1 << 20, &text, &n, &err)) {
        mh_error_text(&err, why, (int)why_size);
        return false;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    const char *path = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "runtime"), "library_path"));
    if (!path) {
        snprintf(why, why_size, "%.600s: no runtime.library_path (not an OpenXR runtime manifest)", json_path);
        cJSON_Delete(root);
        return false;
    }
    if (path[0] != '/' && strchr(path, '/'))
        snprintf(lib, size, "%.*s/%s", (int)(strrchr(json_path, '/') - json_path), json_path, path);
    else
        snprintf(lib, size, "%s", path);
    cJSON_Delete(root);
    return true;
}

static void check_openxr(doctor *d)
{
    bool wanted = !strcmp(d->o->platform, "openxr");
    doc_level bad = wanted ? DOC_FAIL : DOC_WARN;
#ifndef MH_HAVE_OPENXR
    say(d, bad, "openxr", "build metahall with libopenxr-dev installed (the Debian package has it)",
        "this build has no OpenXR platform: no headset visits");
    return;
#endif
    char json[PATH_MAX], lib[PATH_MAX], why[1200];
    if (!find_runtime_json(json, sizeof json)) {
        say(d, bad, "openxr",
            "only for a kiosk with a headset: install an OpenXR runtime (e.g. Monado: apt install "
            "monado-service) and make it active",
            "no active OpenXR runtime (active_runtime.json): no headset "
            "visits; --platform auto uses the screen");
        return;
    }
    if (!runtime_library(json, lib, sizeof lib, why, sizeof why)) {
        say(d, bad, "openxr", "reinstall the runtime, or point XR_RUNTIME_JSON at its manifest", "%s", why);
        return;
    }
    if (strchr(lib, '/') && access(lib, R_OK) != 0) {
        say(d, bad, "openxr", "reinstall the runtime, or point XR_RUNTIME_JSON at its manifest",
            "%s names %s, which is missing (%s)", json, lib, strerror(errno));
        return;
    }
    say(d, DOC_OK, "openxr", NULL,
        "runtime %s (%s); the headset itself is looked for when the kiosk starts "
        "(its log says why when there is none)",
        lib, json);
}

/* ---- the hall --------------------------------------------------------------------- */

typedef struct first_problem {
    char error[900], warning[900];
} first_problem;

static void note_problem(void *user, const char *file, const char *where, const char *message, bool error)
{
    first_problem *f = user;
    char *text = error ? f->error : f->warning;
    if (!text[0])
        snprintf(text, sizeof f->error, "%s%s%s: %s", file, where[0] ? ": " : "", where, message);
}

static void check_hall(doctor *d)
{
    first_problem first = {.error = "", .warning = ""};
    mh_tools_validate_counts st = {0};
    mh_tools_validate(d->hall, note_problem, &first, &st);
    mh_tools_validate_reset();
    char fix[PATH_MAX + 64];
    snprintf(fix, sizeof fix, "metahall validate %s lists every problem with its file and place", d->hall);
    if (st.errors)
        say(d, DOC_FAIL, "hall", fix, "%s: %d errors in %d files; the first: %s", d->hall, st.errors, st.files,
            first.error);
    else if (st.warnings)
        say(d, DOC_WARN, "hall", fix, "%s: valid, %d files, %d warnings; the first: %s", d->hall, st.files, st.warnings,
            first.warning);
    else
        say(d, DOC_OK, "hall", NULL, "%s: valid (%d files)", d->hall, st.files);
}

/* ---- the network: control port, MQTT broker ---------------------------------------- */

static struct addrinfo *resolve(const char *host, int port, int socktype, bool passive)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = socktype, .ai_flags = passive ? AI_PASSIVE : 0};
    struct addrinfo *ai = NULL;
    return getaddrinfo(host[0] ? host : NULL, service, &hints, &ai) == 0 ? ai : NULL;
}

/* Connects within DOCTOR_CONNECT_MS; 0 or the errno. */
static int try_connect(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    int e = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
    if (e == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        socklen_t len = sizeof e;
        e = poll(&p, 1, DOCTOR_CONNECT_MS) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 ? e : ETIMEDOUT;
    }
    close(fd);
    return e;
}

/* Binds TCP and UDP there as the kiosk would; 0 or the errno. */
static int try_bind(const char *host, int port)
{
    static const int types[] = {SOCK_STREAM, SOCK_DGRAM};
    for (int i = 0; i < 2; i++) {
        struct addrinfo *ai = resolve(host, port, types[i], true);
        if (!ai)
            return EADDRNOTAVAIL;
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0), one = 1, e = 0;
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
            bind(fd, ai->ai_addr, ai->ai_addrlen) != 0)
            e = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        if (e)
            return e;
    }
    return 0;
}

static void check_control(doctor *d)
{
    const char *addr = d->o->control ? d->o->control : MH_DEFAULT_CONTROL;
    char host[256];
    int port = 0;
    if (!strcmp(addr, "off")) {
        say(d, DOC_OK, "control", NULL, "off (control = off): no operator control port");
        return;
    }
    if (!mh_hostport_split(addr, host, sizeof host, &port, -1)) {
        say(d, DOC_FAIL, "control", "write control = HOST:PORT, e.g. 0.0.0.0:7700", "'%s' is not HOST:PORT", addr);
        return;
    }
    int e = try_bind(host, port);
    struct addrinfo *ai =
        e == EADDRINUSE ? resolve(host[0] && strcmp(host, "0.0.0.0") ? host : "127.0.0.1", port, SOCK_STREAM, false)
                        : NULL;
    if (!e)
        say(d, DOC_OK, "control", NULL, "%s can be bound (TCP and UDP)", addr);
    else if (ai && try_connect(ai) == 0)
        say(d, DOC_WARN, "control",
            "when it is the running kiosk, `metahall ctl PING` answers OK PONG; "
            "else choose another port (control = HOST:PORT)",
            "%s is in use: something listens there", addr);
    else
        say(d, DOC_FAIL, "control",
            "choose an address of this machine and a free port above 1023 "
            "(control = HOST:PORT), or control = off",
            "cannot bind %s: %s", addr, strerror(e));
    if (ai)
        freeaddrinfo(ai);
}

static void check_mqtt(doctor *d)
{
    if (!d->o->mqtt) {
        say(d, DOC_OK, "mqtt", NULL, "no broker configured (no fleet)");
        return;
    }
    char host[256];
    int port = 0;
    if (!mh_hostport_split(d->o->mqtt, host, sizeof host, &port, d->o->mqtt_cafile ? 8883 : 1883) || !host[0]) {
        say(d, DOC_FAIL, "mqtt", "write mqtt = HOST:PORT, e.g. 192.168.1.10:1883", "'%s' is not HOST:PORT", d->o->mqtt);
        return;
    }
    struct addrinfo *ai = resolve(host, port, SOCK_STREAM, false);
    int e = ai ? try_connect(ai) : EHOSTUNREACH;
    if (ai)
        freeaddrinfo(ai);
    if (!ai)
        say(d, DOC_FAIL, "mqtt", "check the broker's name (DNS, /etc/hosts) or write its address",
            "cannot resolve the broker %s", host);
    else if (e)
        say(d, DOC_FAIL, "mqtt",
            "check that the broker runs (systemctl status mosquitto), its address and port, "
            "and the network and firewall between them (the kiosk keeps retrying meanwhile)",
            "cannot reach the broker %s:%d: %s", host, port, strerror(e));
    else
        say(d, DOC_OK, "mqtt", NULL, "the broker %s:%d answers (TCP)", host, port);
}

/* ---- disk ---------------------------------------------------------------------- */

/* The folder, or the nearest existing folder above it (made when the kiosk starts). */
static void existing_dir(const char *dir, char *out, size_t size)
{
    snprintf(out, size, "%s", dir);
    while (access(out, F_OK) != 0) {
        char *slash = strrchr(out, '/');
        if (!slash || slash == out) {
            snprintf(out, size, "/");
            return;
        }
        *slash = '\0';
    }
}

static void check_dir_space(doctor *d, const char *what, const char *dir)
{
    char near[PATH_MAX];
    existing_dir(dir, near, sizeof near);
    struct statvfs vs;
    if (statvfs(near, &vs) != 0) {
        say(d, DOC_FAIL, "disk", "make the folder, or name another (--state-dir, --screenshot-dir)", "%s %s: %s", what,
            dir, strerror(errno));
        return;
    }
    long long mb = (long long)vs.f_bavail * (long long)vs.f_frsize / (1024 * 1024);
    bool writable = access(near, W_OK) == 0;
    doc_level lv = !writable || mb < DOCTOR_DISK_FAIL_MB ? DOC_FAIL : mb < DOCTOR_DISK_WARN_MB ? DOC_WARN : DOC_OK;
    say(d, lv, "disk",
        writable ? "free space there (old screenshots: --screenshot-max-files/-mb), or name another "
                   "folder (--state-dir, --screenshot-dir)"
                 : "run as the kiosk user (systemd makes /var/lib/metahall for it: "
                   "StateDirectory=), or name a folder it may write (--state-dir, --screenshot-dir)",
        "%s %s: %lld MiB free%s%s", what, dir, mb, writable ? "" : ", not writable by this user at ",
        writable ? "" : near);
}

static void check_disk(doctor *d)
{
    char state[600], shots[700];
    if (!mh_state_dir(d->o->state_dir, state, sizeof state)) {
        say(d, DOC_WARN, "disk", "name one with --state-dir (systemd's StateDirectory= sets $STATE_DIRECTORY)",
            "no state folder: no $STATE_DIRECTORY, $XDG_STATE_HOME or $HOME; the kiosk starts without its state");
        state[0] = '\0';
    } else {
        check_dir_space(d, d->o->screenshot_dir ? "state" : "state and screenshots", state);
    }
    if (d->o->screenshot_dir)
        snprintf(shots, sizeof shots, "%s", d->o->screenshot_dir);
    else
        snprintf(shots, sizeof shots, "%s", state[0] ? state : "/tmp/metahall-screenshots");
    if (d->o->screenshot_dir || !state[0])
        check_dir_space(d, "screenshots", shots);
}

int mh_cmd_doctor(const mh_options *o, const char *hall_dir)
{
    doctor d = {.o = o, .hall = hall_dir};
    mh_log_level level = mh_log_get_level();
    mh_log_set_level(MH_LOG_ERROR + 1); /* the lines say it all; no log lines between them */
    check_gl(&d);
    check_dri(&d);
    check_input(&d);
    check_fonts(&d);
    check_openxr(&d);
    check_hall(&d);
    check_control(&d);
    check_mqtt(&d);
    check_disk(&d);
    mh_log_set_level(level);
    printf("metahall doctor: %d OK, %d WARN, %d FAIL: %s\n", d.count[DOC_OK], d.count[DOC_WARN], d.count[DOC_FAIL],
           d.count[DOC_FAIL] ? "not ready (fix the FAIL lines)" : "ready");
    fflush(stdout);
    return d.count[DOC_FAIL] ? 1 : 0;
}
