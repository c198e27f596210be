/* mh_options.h - the command line and configuration file of the kiosk and
 * `metahall render`, parsed into one mh_options (mh_options.c); the usage
 * text, and where the hall that ships with metahall is. */
#ifndef MH_OPTIONS_H
#define MH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define MH_DEFAULT_CONTROL "127.0.0.1:7700"

typedef struct mh_options {
    const char *command; /* "run", "render" or "doctor" */
    const char *hall;
    const char *platform;
    const char *view;
    const char *out;        /* render: PNG path */
    const char *save_env;   /* render: where to write the hall's light as .hdr faces */
    const char *screenshot; /* run: PNG of the last frame */
    const char *script;     /* run: input script to replay */
    const char *lang;       /* a fresh visit's language */
    float idle_timeout;     /* seconds; 0 = default, < 0 never */
    float dwell;            /* < 0: default (off, 1.5 s on a headset) */
    int width, height;
    long frames; /* run: stop after N frames (0 = until asked) */
    int msaa;
    int quality;    /* --quality: 0 auto, 1 low, 2 medium, 3 high */
    int bloom;      /* --bloom: 0 auto, 1 on, -1 off */
    int reflection; /* --reflection: 0 auto, 1 on, -1 off */
    bool fullscreen, vsync;
    bool stereo;       /* both eyes side by side (desktop, headless, render) */
    bool multiview;    /* with --stereo offscreen: both eyes in one pass (GL_OVR_multiview2) */
    bool no_interface; /* the hall alone: no panels, buttons or sound (recording flythroughs) */
    int lockdown;      /* -1 = with --fullscreen, 0 off, 1 on */
    /* headsets */
    float headset_grace; /* seconds off before the visit resets; 0 = default (5), < 0 never */
    bool seated;
    float eye_height;   /* metres; 0 = default (1.6) */
    float render_scale; /* of the runtime's recommended size; 0 = 1 */
    /* operator control, fleet, service */
    const char *config;
    const char *control; /* HOST:PORT, "off", or NULL = default */
    const char *control_unix;
    const char *token; /* resolved: --token, --token-file or $METAHALL_TOKEN (NULL = none) */
    const char *token_file;
    const char *kiosk_id;
    const char *screenshot_dir;
    const char *screenshot_reply; /* "png" (default) or "file": what a bare SCREENSHOT does over TCP */
    long screenshot_max_files, screenshot_max_mb;
    const char *state_dir;        /* state file, statistics, default screenshots; NULL = the default place */
    const char *hours, *holidays; /* opening hours (mh_hours.h); NULL = always open */
    const char *mqtt, *mqtt_user, *mqtt_password;
    const char *mqtt_cafile, *mqtt_certfile, *mqtt_keyfile;
    const char *mqtt_allow; /* commands that run over MQTT without the token */
    const char *http;       /* ADDR:PORT of the kiosk's own web page; NULL = none */
    float thumb_interval;   /* seconds between MQTT thumbnails; 0 = default, < 0 = never */
    float control_idle;     /* seconds; 0 = default (30), < 0 = never */
    long rate_limit, max_clients, max_per_address;
    long max_fps; /* -1 = default */
    /* render --panel: one exhibit's panel at a page and view (1-based; 0 = the first) */
    const char *panel;
    long page, panel_view;
    /* sound */
    long volume; /* 0..100; -1 = default */
    bool mute;
    bool still;            /* --still: nothing in the hall moves on its own */
    const char *audio_out; /* headless: write the mixed sound to this WAV file */
    bool token_on_command_line;
    char token_buf[256];    /* the token when read from a file or the environment (or wiped from argv) */
    char password_buf[256]; /* the broker password, when wiped from argv */
    char store[48][512];    /* copies of values read from the config file */
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
