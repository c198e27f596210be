/* mh_options.c - the command line and the configuration file: the option
 * tables, one setter per kind of option (flags, numbers, strings), and the
 * config file's keys, which are the long options without their dashes. */
#include "mh_options.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/mh_secret.h"
#include "metahall_tools.h"
#include "mh_args.h"
#include "service/mh_config.h"

static const char USAGE[] =
    "usage: metahall [OPTIONS]                 run the kiosk\n"
    "       metahall render [OPTIONS] --out FILE.png\n"
    "                                          render one frame headless to a PNG\n"
    "       metahall render --model FILE.glb [--size WxH] [--camera auto|NAME|EX,EY,EZ,TX,TY,TZ,FOV,NEAR,FAR]\n"
    "                       [--env DIR|none] [--env-intensity S] [--light DX,DY,DZ,R,G,B,LUX] [--time T]\n"
    "                       [--background R,G,B] [--msaa N] --out FILE.png\n"
    "                                          a glTF model alone, as metahall draws exhibits: auto-framed,\n"
    "                                          lit by the hall's own light (or six Radiance faces in DIR)\n"
    "       metahall view FILE.glb [--env DIR|none] [--size WxH] [--fullscreen]\n"
    "                                          the model in a window: drag to orbit, wheel or W/S to zoom,\n"
    "                                          a turntable after 3 s without input\n"
    "       metahall export [--hall DIR] --out FILE.glb\n"
    "                                          write the whole hall as one glTF binary (Blender, three.js)\n"
    "       metahall bench [OPTIONS]           frame times, CPU, start-up and memory on a fixed camera\n"
    "                                          path, headless ('metahall bench --help')\n"
    "       metahall validate PATH...          check halls, exhibits, models (.gltf/.glb) and PNGs;\n"
    "                                          one line per problem, exit 0 valid, 1 invalid\n"
    "       metahall doctor [--config FILE] [--hall DIR] [OPTIONS]\n"
    "                                          check this machine for the kiosk (GL, screens, input, fonts,\n"
    "                                          headset runtime, hall, ports, broker, disk): OK/WARN/FAIL\n"
    "                                          lines with fixes, exit 0 when nothing FAILs, else 1\n"
    "       metahall ctl [--addr HOST:PORT] [--token-file F] [--out F.png] COMMAND...\n"
    "                                          send one control command to a running kiosk\n"
    "       metahall hub --mqtt HOST:PORT [--listen ADDR:PORT] [--token-file F]\n"
    "                                          the control page for every kiosk of the fleet\n"
    "\n"
    "options:\n"
    "  --config FILE        read settings from FILE first (key = value; keys are these options'\n"
    "                       names without dashes); options on the command line win\n"
    "  --hall DIR           hall folder with hall.json (default: the hall shipped in assets/)\n"
    "  --platform NAME      desktop (SDL2 window, or KMS/DRM without a desktop), headless (EGL,\n"
    "                       no display), openxr (a headset through the OpenXR runtime), or auto\n"
    "                       (the headset when a runtime and headset are there, else desktop);\n"
    "                       default desktop\n"
    "  --stereo             desktop, headless and render: both eyes side by side (VR preview)\n"
    "  --multiview          with --stereo, headless and render: both eyes in one pass, as a headset\n"
    "                       draws them where GL_OVR_multiview2 exists (the image is the same)\n"
    "  --fullscreen         fill the screen (kiosk mode: locked down unless --no-lockdown)\n"
    "  --lockdown, --no-lockdown\n"
    "                       visitors cannot quit: keys and window-close are ignored, the keyboard\n"
    "                       is grabbed; only SIGTERM or QUIT with the token stop the kiosk\n"
    "  --view VIEW          where to start: entrance (default) or booth:<exhibit-id>\n"
    "  --size WxH           window or image size in pixels (default 1280x720)\n"
    "  --frames N           stop after N frames and print frame times\n"
    "  --screenshot FILE    with --frames: write the last frame as a PNG\n"
    "  --dwell SECONDS      select what the reticle rests on this long (default off; 1.5 on a\n"
    "                       headset without a controller; 0 = off)\n"
    "  --quality Q          low (edge blend), medium (FXAA), high (4x MSAA) or auto (default:\n"
    "                       low on a CPU rasteriser such as llvmpipe, high on a GPU)\n"
    "  --bloom B            the glow of light boxes, screens and ceiling panels: on, off or\n"
    "                       auto (default: on at quality high)\n"
    "  --reflection R       the hall mirrored in the polished floor: on, off or auto\n"
    "                       (default: on at quality high)\n"
    "  --msaa N             multisample count: 1 (none), 2, 4, 8, replacing the quality\n"
    "                       level's anti-aliasing (default: 4 on a GPU, none on llvmpipe)\n"
    "  --no-vsync           do not wait for the display's refresh\n"
    "  --max-fps N          headless: at most N frames a second (default 60 when running until\n"
    "                       stopped, unlimited with --frames or --script; 0 = unlimited)\n"
    "  --out FILE.png       render: where to write the image\n"
    "  --save-env DIR       render: also write the hall's image-based light (its capture of itself)\n"
    "                       as six Radiance faces DIR/px.hdr ... nz.hdr (for other renderers)\n"
    "  --panel ID           render: exhibit ID's info panel, open at its booth (--page N and\n"
    "                       --panel-view N: which page and view, from 1; one past the last is an\n"
    "                       error that says how many there are)\n"
    "  --volume N           sound volume 0-100 (default 80);  --mute: start muted\n"
    "  --still              nothing in the hall moves on its own (landmarks, screens' light sweeps):\n"
    "                       for visitors who prefer it, and for screenshots taken at different times\n"
    "  --audio-out FILE.wav headless: write the mixed sound (48 kHz stereo) to a WAV file\n"
    "  --no-interface       the hall alone: no panels, buttons, captions or sound (to record a\n"
    "                       flythrough with --script)\n"
    "  -v, --verbose        more log output;  -q, --quiet: errors only\n"
    "  -h, --help           this text;  --version: the version\n"
    "\n"
    "headset (--platform openxr; see README, 'Headset'):\n"
    "  --headset-grace S    the headset off this long resets the visit (default 5; 0 = never)\n"
    "  --seated             visitors sit: each visit's view is raised to standing eye height\n"
    "  --eye-height M       the eye height that seated mode and height calibration set (default 1.6)\n"
    "  --render-scale F     eye images at F times the runtime's recommended size (0.25 to 2; default 1)\n"
    "\n"
    "operator control (see README, 'Operator control'):\n"
    "  --control HOST:PORT  TCP and UDP control port (default " MH_DEFAULT_CONTROL "; off to disable);\n"
    "                       an address beyond loopback needs --token\n"
    "  --control-unix PATH  also listen on a Unix socket (mode 0600; counts as authenticated)\n"
    "  --token-file FILE    shared secret, the first line of FILE: clients send AUTH TOKEN first\n"
    "                       (UDP: as a prefix); or $METAHALL_TOKEN, or token = in the config file\n"
    "  --token TOKEN        the same on the command line (visible in ps: prefer the others)\n"
    "  --rate-limit N       commands per second per client (default 500)\n"
    "  --max-clients N      control connections at once (default 16)\n"
    "  --max-per-address N  connections from one address before it proves the token (default 8)\n"
    "  --control-idle S     close a connection without the token after S idle seconds (default 30;\n"
    "                       0 = never)\n"
    "  --state-dir DIR      where the kiosk keeps its state (exhibit, language, volume), statistics\n"
    "                       and screenshots (default $STATE_DIRECTORY, else ~/.local/state/metahall)\n"
    "  --screenshot-dir DIR where SCREENSHOT FILE writes (default STATE-DIR/screenshots)\n"
    "  --screenshot-reply png|file\n"
    "                       what a bare SCREENSHOT answers over TCP: the image (default) or a file name\n"
    "  --screenshot-max-files N, --screenshot-max-mb N\n"
    "                       the screenshot folder's quota (default 100 files, 200 MB)\n"
    "  --hours SCHEDULE     opening hours, e.g. \"mon-fri 09:00-18:00, sat 10:00-16:00\"; outside them\n"
    "                       a dark closed screen at 1 frame a second (WAKE opens it)\n"
    "  --holidays DATES     closed all day: \"2026-01-01, 2026-10-01..2026-10-07\"\n"
    "  --http ADDR:PORT     serve this kiosk's own control page (beyond loopback needs a token)\n"
    "  --kiosk-id ID        this kiosk's name in STATUS and fleet topics (default the host name)\n"
    "  --mqtt HOST:PORT     join the fleet on this MQTT broker (topics metahall/<hall>/<kiosk-id>/...)\n"
    "  --mqtt-user USER, --mqtt-password PASSWORD\n"
    "                       broker credentials (better in the config file than on the command line)\n"
    "  --mqtt-cafile FILE   TLS to the broker with this CA (PEM); --mqtt-certfile, --mqtt-keyfile:\n"
    "                       a client certificate\n"
    "  --mqtt-allow LIST    commands that run over MQTT without the token (default all but QUIT\n"
    "                       and RELOAD; \"none\", \"all\", or names: \"SWITCH NEXT PREV STATUS\")\n"
    "  --thumb-interval S   a thumbnail of the screen on MQTT every S seconds (default 10; 0 = off)\n"
    "\n"
    "controls: W/A/S/D or arrows walk and turn, drag with the left mouse button to look,\n"
    "          Shift hurries; click or tap a booth to go there and open its panel; Enter selects\n"
    "          what the reticle is on; L language, T guided tour (pause/resume), N next stop,\n"
    "          H back to the entrance, Backspace closes the panel. Game controller: sticks walk\n"
    "          and look, A select, B close, X tour, Y language, Start entrance, RB next stop.\n"
    "          Touch: tap to select, drag up/down to walk, sideways to turn.\n";

int mh_usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "metahall: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'metahall --help' for the options.\n");
    return 2;
}

/* Options that take no value. */
static const char *const FLAGS[] = {"-v",          "--verbose", "-q",         "--quiet",        "--fullscreen",
                                    "--no-vsync",  "--stereo",  "--lockdown", "--no-lockdown",  "-h",
                                    "--help",      "--version", "--mute",     "--no-interface", "--seated",
                                    "--multiview", "--still"};

/* Options that take a value. */
static const char *const VALUED[] = {"--hall",
                                     "--platform",
                                     "--view",
                                     "--size",
                                     "--frames",
                                     "--screenshot",
                                     "--msaa",
                                     "--quality",
                                     "--bloom",
                                     "--reflection",
                                     "--out",
                                     "--script",
                                     "--lang",
                                     "--idle-timeout",
                                     "--dwell",
                                     "--config",
                                     "--control",
                                     "--control-unix",
                                     "--token",
                                     "--kiosk-id",
                                     "--screenshot-dir",
                                     "--mqtt",
                                     "--mqtt-user",
                                     "--mqtt-password",
                                     "--rate-limit",
                                     "--max-clients",
                                     "--max-fps",
                                     "--token-file",
                                     "--state-dir",
                                     "--hours",
                                     "--holidays",
                                     "--screenshot-reply",
                                     "--screenshot-max-files",
                                     "--screenshot-max-mb",
                                     "--control-idle",
                                     "--max-per-address",
                                     "--mqtt-allow",
                                     "--mqtt-cafile",
                                     "--mqtt-certfile",
                                     "--mqtt-keyfile",
                                     "--thumb-interval",
                                     "--http",
                                     "--panel",
                                     "--page",
                                     "--panel-view",
                                     "--volume",
                                     "--audio-out",
                                     "--headset-grace",
                                     "--eye-height",
                                     "--render-scale",
                                     "--save-env"};

static bool takes_value(const char *a)
{
    for (size_t i = 0; i < sizeof VALUED / sizeof *VALUED; i++)
        if (!strcmp(a, VALUED[i]))
            return true;
    return false;
}

static bool is_flag(const char *a)
{
    for (size_t i = 0; i < sizeof FLAGS / sizeof *FLAGS; i++)
        if (!strcmp(a, FLAGS[i]))
            return true;
    return false;
}

static int set_flag(mh_options *o, const char *a)
{
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
        fputs(USAGE, stdout);
        return 0;
    } else if (!strcmp(a, "--version")) {
        printf("metahall %s\n", METAHALL_VERSION);
        return 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
        mh_log_set_level(MH_LOG_DEBUG);
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
        mh_log_set_level(MH_LOG_ERROR);
    } else if (!strcmp(a, "--fullscreen")) {
        o->fullscreen = true;
    } else if (!strcmp(a, "--no-vsync")) {
        o->vsync = false;
    } else if (!strcmp(a, "--stereo")) {
        o->stereo = true;
    } else if (!strcmp(a, "--multiview")) {
        o->multiview = true;
    } else if (!strcmp(a, "--mute")) {
        o->mute = true;
    } else if (!strcmp(a, "--no-interface")) {
        o->no_interface = true;
    } else if (!strcmp(a, "--seated")) {
        o->seated = true;
    } else if (!strcmp(a, "--still")) {
        o->still = true;
    } else {
        o->lockdown = !strcmp(a, "--lockdown");
    }
    return -1;
}

static int set_number(mh_options *o, const char *a, const char *v)
{
    long n;
    if (!strcmp(a, "--frames")) {
        if (!mh_parse_long(v, 1, 100000000, &o->frames))
            return mh_usage_error("bad frame count '%s' (expected a whole number from 1)", v);
    } else if (!strcmp(a, "--msaa")) {
        if (!mh_parse_long(v, 1, 16, &n))
            return mh_usage_error("bad sample count '%s' (expected 1 to 16)", v);
        o->msaa = (int)n;
    } else if (!strcmp(a, "--rate-limit")) {
        if (!mh_parse_long(v, 1, 1000000, &o->rate_limit))
            return mh_usage_error("bad rate limit '%s' (expected commands per second, 1 to 1000000)", v);
    } else if (!strcmp(a, "--max-clients")) {
        if (!mh_parse_long(v, 1, 1000, &o->max_clients))
            return mh_usage_error("bad client count '%s' (expected 1 to 1000)", v);
    } else if (!strcmp(a, "--max-fps")) {
        if (!mh_parse_long(v, 0, 1000, &o->max_fps))
            return mh_usage_error("bad frame rate '%s' (expected 0 to 1000; 0 = unlimited)", v);
    } else if (!strcmp(a, "--max-per-address")) {
        if (!mh_parse_long(v, 1, 1000, &o->max_per_address))
            return mh_usage_error("bad connection count '%s' (expected 1 to 1000)", v);
    } else if (!strcmp(a, "--screenshot-max-files")) {
        if (!mh_parse_long(v, 1, 1000000, &o->screenshot_max_files))
            return mh_usage_error("bad file count '%s' (expected 1 to 1000000)", v);
    } else if (!strcmp(a, "--screenshot-max-mb")) {
        if (!mh_parse_long(v, 1, 1000000, &o->screenshot_max_mb))
            return mh_usage_error("bad size '%s' (expected megabytes, 1 to 1000000)", v);
    } else if (!strcmp(a, "--page") || !strcmp(a, "--panel-view")) {
        if (!mh_parse_long(v, 1, 1000, !strcmp(a, "--page") ? &o->page : &o->panel_view))
            return mh_usage_error("bad number '%s' (expected a page or view from 1)", v);
    } else if (!strcmp(a, "--volume")) {
        if (!mh_parse_long(v, 0, 100, &o->volume))
            return mh_usage_error("bad volume '%s' (expected 0 to 100)", v);
    } else if (!strcmp(a, "--eye-height") || !strcmp(a, "--render-scale")) {
        bool h = !strcmp(a, "--eye-height");
        char *end;
        double x = strtod(v, &end);
        if (!*v || *end || x < (h ? 0.5 : 0.25) || x > (h ? 2.5 : 2.0))
            return mh_usage_error(h ? "bad eye height '%s' (expected 0.5 to 2.5 metres)"
                                    : "bad render scale '%s' (expected 0.25 to 2)",
                                  v);
        *(h ? &o->eye_height : &o->render_scale) = (float)x;
    } else {
        char *end;
        double sec = strtod(v, &end);
        if (!*v || *end || sec < 0 || sec > 86400)
            return mh_usage_error("bad number of seconds '%s' (expected 0 to 86400)", v);
        if (!strcmp(a, "--dwell"))
            o->dwell = (float)sec;
        else if (!strcmp(a, "--control-idle"))
            o->control_idle = sec == 0 ? -1.0f : (float)sec;
        else if (!strcmp(a, "--thumb-interval"))
            o->thumb_interval = sec == 0 ? -1.0f : (float)sec;
        else if (!strcmp(a, "--headset-grace"))
            o->headset_grace = sec == 0 ? -1.0f : (float)sec;
        else
            o->idle_timeout = sec == 0 ? -1.0f : (float)sec;
    }
    return -1;
}

/* One option with its value. Returns -1 when taken, else an exit status. */
static int set_option(mh_options *o, const char *a, const char *v)
{
    static const char *const numbers[] = {"--frames",
                                          "--msaa",
                                          "--rate-limit",
                                          "--max-clients",
                                          "--max-fps",
                                          "--idle-timeout",
                                          "--dwell",
                                          "--max-per-address",
                                          "--screenshot-max-files",
                                          "--screenshot-max-mb",
                                          "--control-idle",
                                          "--thumb-interval",
                                          "--page",
                                          "--panel-view",
                                          "--volume",
                                          "--headset-grace",
                                          "--eye-height",
                                          "--render-scale"};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        if (!strcmp(a, numbers[i]))
            return set_number(o, a, v);
    struct {
        const char *name;
        const char **field;
    } strings[] = {
        {"--hall", &o->hall},
        {"--view", &o->view},
        {"--screenshot", &o->screenshot},
        {"--out", &o->out},
        {"--save-env", &o->save_env},
        {"--script", &o->script},
        {"--config", &o->config},
        {"--control", &o->control},
        {"--control-unix", &o->control_unix},
        {"--token", &o->token},
        {"--kiosk-id", &o->kiosk_id},
        {"--screenshot-dir", &o->screenshot_dir},
        {"--mqtt", &o->mqtt},
        {"--mqtt-user", &o->mqtt_user},
        {"--mqtt-password", &o->mqtt_password},
        {"--state-dir", &o->state_dir},
        {"--hours", &o->hours},
        {"--holidays", &o->holidays},
        {"--mqtt-cafile", &o->mqtt_cafile},
        {"--mqtt-certfile", &o->mqtt_certfile},
        {"--mqtt-keyfile", &o->mqtt_keyfile},
        {"--mqtt-allow", &o->mqtt_allow},
        {"--http", &o->http},
        {"--panel", &o->panel},
        {"--audio-out", &o->audio_out},
    };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        if (!strcmp(a, strings[i].name)) {
            *strings[i].field = v;
            return -1;
        }
    }
    /* the last of --token and --token-file given wins (the command line after the file) */
    if (!strcmp(a, "--token") || !strcmp(a, "--token-file")) {
        o->token = !strcmp(a, "--token") ? v : NULL;
        o->token_file = !strcmp(a, "--token-file") ? v : NULL;
        return -1;
    }
    if (!strcmp(a, "--quality")) {
        static const char *const levels[] = {"auto", "low", "medium", "high"};
        for (int i = 0; i < 4; i++)
            if (!strcmp(v, levels[i])) {
                o->quality = i;
                return -1;
            }
        return mh_usage_error("bad quality '%s' (expected low, medium, high or auto)", v);
    }
    if (!strcmp(a, "--bloom")) {
        if (strcmp(v, "auto") && strcmp(v, "on") && strcmp(v, "off"))
            return mh_usage_error("bad bloom '%s' (expected on, off or auto)", v);
        o->bloom = !strcmp(v, "on") ? 1 : !strcmp(v, "off") ? -1 : 0;
        return -1;
    }
    if (!strcmp(a, "--reflection")) {
        if (strcmp(v, "auto") && strcmp(v, "on") && strcmp(v, "off"))
            return mh_usage_error("bad reflection '%s' (expected on, off or auto)", v);
        o->reflection = !strcmp(v, "on") ? 1 : !strcmp(v, "off") ? -1 : 0;
        return -1;
    }
    if (!strcmp(a, "--screenshot-reply")) {
        if (strcmp(v, "png") && strcmp(v, "file"))
            return mh_usage_error("bad screenshot-reply '%s' (expected png or file)", v);
        o->screenshot_reply = v;
        return -1;
    }
    if (!strcmp(a, "--platform")) {
        if (strcmp(v, "desktop") && strcmp(v, "headless") && strcmp(v, "openxr") && strcmp(v, "auto"))
            return mh_usage_error("unknown platform '%s' (expected desktop, headless, openxr or auto)", v);
        if (!strcmp(o->command, "render") && strcmp(v, "headless") != 0)
            return mh_usage_error("render always uses the headless platform, not '%s'", v);
        o->platform = v;
    } else if (!strcmp(a, "--size")) {
        if (!mh_parse_size(v, &o->width, &o->height))
            return mh_usage_error("bad size '%s' (expected WxH, 16 to 8192 each, e.g. 1280x720)", v);
    } else if (!strcmp(a, "--lang")) {
        if (strcmp(v, "zh") && strcmp(v, "en"))
            return mh_usage_error("unknown language '%s' (expected zh or en)", v);
        o->lang = v;
    } else {
        return mh_usage_error("unknown option '%s'", a);
    }
    return -1;
}

/* ---- the configuration file: each key is an option's long name ------------ */

static bool config_setting(void *user, const char *key, const char *value, int line, mh_error *err)
{
    mh_options *o = user;
    char where[32], opt[80];
    snprintf(where, sizeof where, "line %d", line);
    snprintf(opt, sizeof opt, "--%s", key);
    if (!strcmp(key, "config") || !strcmp(key, "out") || !strcmp(key, "help") || !strcmp(key, "version"))
        return mh_fail(err, o->config, where, "\"%s\" cannot be set in the configuration file", key);
    bool yes = !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on") || !strcmp(value, "1");
    bool no = !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off") || !strcmp(value, "0");
    if (!strcmp(key, "fullscreen") || !strcmp(key, "lockdown") || !strcmp(key, "vsync") || !strcmp(key, "verbose") ||
        !strcmp(key, "quiet") || !strcmp(key, "mute") || !strcmp(key, "seated") || !strcmp(key, "still")) {
        if (!yes && !no)
            return mh_fail(err, o->config, where, "%s takes true or false, not \"%.40s\"", key, value);
        if (!strcmp(key, "vsync"))
            o->vsync = yes;
        else if (!strcmp(key, "lockdown"))
            o->lockdown = yes;
        else if (!strcmp(key, "seated"))
            o->seated = yes;
        else if (!strcmp(key, "still"))
            o->still = yes;
        else if (yes)
            set_flag(o, opt);
        return true;
    }
    if (!takes_value(opt))
        return mh_fail(err, o->config, where, "unknown key \"%s\"", key);
    if (o->stored == (int)(sizeof o->store / sizeof *o->store))
        return mh_fail(err, o->config, where, "too many settings");
    char *copy = o->store[o->stored++];
    snprintf(copy, sizeof o->store[0], "%s", value);
    /* usage_error prints why; the file and line follow */
    if (set_option(o, opt, copy) >= 0)
        return mh_fail(err, o->config, where, "bad setting \"%s\" (see the message above)", key);
    return true;
}

static int load_config(int argc, char **argv, mh_options *o)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--config")) {
            o->config = argv[i + 1];
            mh_error err;
            char text[1200];
            if (!mh_config_load(o->config, config_setting, o, &err)) {
                fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
                return 2;
            }
        }
    }
    return -1;
}

/* The token from --token-file or $METAHALL_TOKEN when not given itself;
 * a token or broker password on the command line is wiped from argv (it
 * would show in ps) with a warning. Returns -1, or the exit status. */
static int resolve_secrets(int argc, char **argv, mh_options *o)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (!strcmp(argv[i], "--token") || !strcmp(argv[i], "--mqtt-password")) {
            bool token = !strcmp(argv[i], "--token");
            if (token && o->token == argv[i + 1]) {
                snprintf(o->token_buf, sizeof o->token_buf, "%s", argv[i + 1]);
                o->token = o->token_buf;
                o->token_on_command_line = true;
            }
            if (!token && o->mqtt_password == argv[i + 1]) {
                snprintf(o->password_buf, sizeof o->password_buf, "%s", argv[i + 1]);
                o->mqtt_password = o->password_buf;
            }
            mh_log_warn("main",
                        "%s on the command line can be seen by every user (ps, /proc/PID/cmdline) until "
                        "it is wiped; use %s",
                        argv[i],
                        token ? "--token-file, METAHALL_TOKEN or token = in the "
                                "configuration file"
                              : "mqtt-password = in the configuration file");
            mh_secret_scrub(argv[i + 1]);
        }
    }
    if (o->token_file) {
        mh_error err;
        char text[1200];
        if (!mh_secret_read_file(o->token_file, o->token_buf, sizeof o->token_buf, &err)) {
            fprintf(stderr, "metahall: %s\n", mh_error_text(&err, text, sizeof text));
            return 2;
        }
        o->token = o->token_buf;
    }
    const char *env = getenv("METAHALL_TOKEN");
    if (!o->token && env && env[0]) {
        snprintf(o->token_buf, sizeof o->token_buf, "%s", env);
        o->token = o->token_buf;
    }
    return -1;
}

int mh_options_parse(int argc, char **argv, mh_options *o)
{
    *o = (mh_options){.command = "run",
                      .platform = "desktop",
                      .width = 1280,
                      .height = 720,
                      .vsync = true,
                      .lockdown = -1,
                      .max_fps = -1,
                      .dwell = -1,
                      .volume = -1};
    int i = 1;
    if (argc > 1 && strcmp(argv[1], "render") == 0) {
        o->command = "render";
        o->platform = "headless";
        i = 2;
    } else if (argc > 1 && strcmp(argv[1], "doctor") == 0) {
        o->command = "doctor"; /* checks what the kiosk with these options would need */
        i = 2;
    } else if (argc > 1 && argv[1][0] != '-') {
        return mh_usage_error(
            "unknown command '%s' (expected render, export, bench, validate, doctor, ctl, hub, or options)", argv[1]);
    }
    int rc = load_config(argc, argv, o);
    if (rc >= 0)
        return rc;
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (is_flag(a)) {
            rc = set_flag(o, a);
        } else if (!takes_value(a)) {
            rc = mh_usage_error("unknown option '%s'", a);
        } else if (!v) {
            rc = mh_usage_error("option %s needs a value", a);
        } else {
            rc = set_option(o, a, v);
            i++;
        }
        if (rc >= 0)
            return rc;
    }
    if (!strcmp(o->command, "render") && !o->out)
        return mh_usage_error("render needs --out FILE.png%s", "");
    if (!strcmp(o->command, "run") && o->out)
        return mh_usage_error("--out belongs to 'metahall render'; the kiosk takes --screenshot%s", "");
    if (o->screenshot && !o->frames)
        return mh_usage_error("--screenshot needs --frames N (the frame to capture)%s", "");
    if ((o->page || o->panel_view) && !o->panel)
        return mh_usage_error("--page and --panel-view go with --panel ID%s", "");
    if (o->panel && strcmp(o->command, "render"))
        return mh_usage_error("--panel belongs to 'metahall render'%s", "");
    if (o->script && !strcmp(o->command, "render"))
        return mh_usage_error("--script belongs to the kiosk ('metahall --platform headless --script FILE')%s", "");
    if (o->multiview && !o->stereo)
        return mh_usage_error("--multiview goes with --stereo (it draws both eyes in one pass)%s", "");
    if (o->lockdown < 0)
        o->lockdown = o->fullscreen;
    return resolve_secrets(argc, argv, o);
}

const char *mh_default_hall(char *buf, size_t size)
{
    char exe[PATH_MAX - 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        static const char *const rel[] = {"../share/metahall/halls/default", "../assets/halls/default",
                                          "assets/halls/default"};
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            char probe[PATH_MAX + 64];
            snprintf(buf, size, "%s/%s", exe, rel[i]);
            snprintf(probe, sizeof probe, "%s/hall.json", buf);
            if (mh_tools_is_file(probe))
                return buf;
        }
    }
    snprintf(buf, size, "%s", MH_SOURCE_ASSETS "/halls/default");
    return buf;
}
