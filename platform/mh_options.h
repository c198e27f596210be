/* mh_options.h - the command line and configuration file of the kiosk and
 * `metahall render`, parsed into one mh_options (mh_options.c); the usage
 * text, and where the hall that ships with metahall is. */
#ifndef MH_OPTIONS_H
#define MH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define MH_DEFAULT_CONTROL "127.0.0.1:7700"

typedef struct mh_options {
    const char *command;      /* "run" or "render" */
    const char *hall;
    const char *platform;
    const char *view;
    const char *out;          /* render: PNG path */
    const char *screenshot;   /* run: PNG of the last frame */
    const char *script;       /* run: input script to replay */
    const char *lang;         /* a fresh visit's language */
    float idle_timeout;       /* seconds; 0 = default, < 0 never */
    float dwell;              /* < 0: default (off, 1.5 s on a headset) */
    int width, height;
    long frames;              /* run: stop after N frames (0 = until asked) */
    int msaa;
    bool fullscreen, vsync;
    bool stereo;              /* both eyes side by side (desktop, headless, render) */
    int lockdown;             /* -1 = with --fullscreen, 0 off, 1 on */
    /* headsets */
    float headset_grace;      /* seconds off before the visit resets; 0 = default (5), < 0 never */
    bool seated;
    float eye_height;         /* metres; 0 = default (1.6) */
    float render_scale;       /* of the runtime's recommended size; 0 = 1 */
    /* operator control, fleet, service */
    const char *config;
    const char *control;      /* HOST:PORT, "off", or NULL = default */
    const char *control_unix;
    const char *token;
    const char *kiosk_id;
    const char *screenshot_dir;
    const char *mqtt, *mqtt_user, *mqtt_password;
    long rate_limit, max_clients;
    long max_fps;             /* -1 = default */
    char store[24][512];      /* copies of values read from the config file */
    int stored;
} mh_options;

/* Parses argv (and the --config file it names). Returns -1 when parsed,
 * else the exit status (0 for --help and --version, 2 for a bad command line). */
int mh_options_parse(int argc, char **argv, mh_options *o);

/* "metahall: <fmt with arg>" and a pointer to --help on stderr; returns 2. */
int mh_usage_error(const char *fmt, const char *arg);

/* The hall that ships with metahall: next to the installed binary, or in the
 * source tree it was built from. Returns buf. */
const char *mh_default_hall(char *buf, size_t size);

#endif
