/* mh_platform_sdl.c - the desktop platform: an SDL2 window with a GLES 3.0
 * context under X11 or Wayland, or SDL's KMS/DRM driver on a kiosk console
 * with no desktop. Keyboard, mouse, touch and game controllers are merged
 * into one mh_input_state per frame.
 *
 * Lockdown (a kiosk in front of visitors): the window stays fullscreen, grabs
 * the keyboard (Alt+Tab and the Super key stay in the kiosk), and ignores
 * window-close requests (Alt+F4) and Esc/F11; only SIGTERM/SIGINT (systemd,
 * the operator's QUIT) end it. */
#include <SDL2/SDL.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../mh_platform.h"
#include "metahall.h"

#define MOUSE_LOOK 0.0035f /* radians per pixel of mouse drag */
#define TOUCH_TURN 2.5f    /* radians per full-width touch drag */
#define STICK_DEADZONE 0.2f
#define MAX_PADS 4

static struct {
    SDL_Window *window;
    SDL_GLContext context;
    SDL_GameController *pads[MAX_PADS];
    bool fullscreen;
    bool lockdown;
    bool mouse_look;         /* left button held */
    bool mouse_in;           /* the mouse is over the window: it is the pointer */
    int mouse_x, mouse_y;    /* window coordinates */
    int press_x, press_y;    /* where the left button went down */
    int press_travel;        /* pixels moved since: a click stays under CLICK_SLOP */
    SDL_AudioDeviceID audio; /* 0: no sound */
    int audio_rate, audio_channels;
    SDL_FingerID finger; /* the finger that walks and turns */
    bool finger_down;
    float finger_x0, finger_y0, finger_x, finger_y;
    Uint32 finger_t0;
} g;

static volatile sig_atomic_t g_signalled;
static void on_signal(int sig)
{
    (void)sig;
    g_signalled = 1;
}

#define CLICK_SLOP 6   /* pixels a click may wander before it is a drag */
#define TAP_SLOP 0.02f /* fraction of the screen a tap may wander */
#define TAP_MS 400
#define SWIPE_MIN 0.06f /* fraction of the screen a swipe covers at least */
#define SWIPE_MS 600

static bool create_window(const mh_platform_desc *d, int samples, Uint32 flags)
{
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, samples > 1);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLESAMPLES, samples > 1 ? samples : 0);
    g.window = SDL_CreateWindow(d->title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, d->width, d->height, flags);
    if (!g.window)
        return false;
    g.context = SDL_GL_CreateContext(g.window);
    if (!g.context) {
        SDL_DestroyWindow(g.window);
        g.window = NULL;
        return false;
    }
    return true;
}

static void destroy_window(void)
{
    if (g.context)
        SDL_GL_DeleteContext(g.context);
    if (g.window)
        SDL_DestroyWindow(g.window);
    g.context = NULL;
    g.window = NULL;
}

static bool is_software_gl(void)
{
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get_string = (get_string_fn)SDL_GL_GetProcAddress("glGetString");
    const unsigned int GL_RENDERER_ENUM = 0x1F01;
    return get_string && mh_gl_renderer_is_software((const char *)get_string(GL_RENDERER_ENUM));
}

static bool sdl_init(const mh_platform_desc *user_desc, mh_error *err)
{
    mh_platform_desc resolved = mh_platform_desc_defaults(user_desc);
    const mh_platform_desc *d = &resolved;
    memset(&g, 0, sizeof g);
    SDL_SetHint(SDL_HINT_VIDEO_X11_FORCE_EGL, "1"); /* same EGL path as Wayland and KMS/DRM */
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    g.lockdown = d->lockdown;
    /* SIGTERM/SIGINT become SDL_QUIT; under lockdown our own handler tells
     * a signal from a visitor's Alt+F4 (which SDL also reports as SDL_QUIT) */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, g.lockdown ? "1" : "0");
    if (g.lockdown) {
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
        SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
        SDL_SetHint(SDL_HINT_ALLOW_ALT_TAB_WHILE_GRABBED, "0");
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    }
    /* Only real screens: left to itself SDL falls back to its "offscreen"
     * driver, and a kiosk would run showing nothing. SDL_VIDEODRIVER in the
     * environment still wins (e.g. SDL_VIDEODRIVER=kmsdrm). */
    if (!getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, d->video_drivers);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_GAMECONTROLLER | SDL_INIT_EVENTS) != 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", SDL_GetError()); /* SDL_Quit frees SDL's copy */
        SDL_Quit();
        if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
            return mh_fail(err, "", "",
                           "no display: DISPLAY and WAYLAND_DISPLAY are unset and KMS/DRM is not usable (%s). "
                           "Run metahall from a desktop session, or on the kiosk console as a user in the "
                           "'video' and 'input' groups (SDL_VIDEODRIVER=kmsdrm), or use --platform headless "
                           "or 'metahall render --out FILE.png' on a machine without a screen",
                           why);
        return mh_fail(err, "", "", "SDL cannot start video: %s", why);
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    bool kms = driver && strcmp(driver, "KMSDRM") == 0;
    g.fullscreen = d->fullscreen || kms || g.lockdown;
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI |
                   (g.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    int samples = d->msaa == 0 ? 4 : d->msaa;
    if (!create_window(d, samples, flags) && !(samples > 1 && create_window(d, samples = 1, flags))) {
        char why[256];
        snprintf(why, sizeof why, "%s", SDL_GetError());
        SDL_Quit();
        return mh_fail(err, "", "", "cannot open a window with OpenGL ES 3.0 (%s driver): %s", driver, why);
    }
    if (d->msaa == 0 && samples > 1 && is_software_gl()) {
        /* auto MSAA: a CPU rasteriser pays for every sample; start over without */
        destroy_window();
        if (!create_window(d, 1, flags)) {
            char why[256];
            snprintf(why, sizeof why, "%s", SDL_GetError());
            SDL_Quit();
            return mh_fail(err, "", "", "cannot open a window with OpenGL ES 3.0 (%s driver): %s", driver, why);
        }
    }
    if (SDL_GL_SetSwapInterval(d->vsync ? 1 : 0) != 0 && d->vsync)
        mh_log_warn("sdl", "vsync is not available: %s", SDL_GetError());
    if (g.fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    if (g.lockdown)
        SDL_SetWindowKeyboardGrab(g.window, SDL_TRUE);
    mh_log_info("sdl", "video driver %s%s%s", driver, g.fullscreen ? ", fullscreen" : "",
                g.lockdown ? ", locked down" : "");
    return true;
}

static void open_pad(int index)
{
    for (int i = 0; i < MAX_PADS; i++) {
        if (!g.pads[i]) {
            g.pads[i] = SDL_GameControllerOpen(index);
            if (g.pads[i])
                mh_log_info("sdl", "game controller: %s", SDL_GameControllerName(g.pads[i]));
            return;
        }
    }
}

static void close_pad(SDL_JoystickID id)
{
    for (int i = 0; i < MAX_PADS; i++) {
        if (g.pads[i] && SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(g.pads[i])) == id) {
            SDL_GameControllerClose(g.pads[i]);
            g.pads[i] = NULL;
        }
    }
}

static float stick(SDL_GameController *c, SDL_GameControllerAxis axis)
{
    float v = (float)SDL_GameControllerGetAxis(c, axis) / 32767.0f;
    if (v > -STICK_DEADZONE && v < STICK_DEADZONE)
        return 0;
    /* rescale so motion starts smoothly at the edge of the dead zone */
    return (v > 0 ? v - STICK_DEADZONE : v + STICK_DEADZONE) / (1.0f - STICK_DEADZONE);
}

static void read_devices(mh_input_state *in)
{
    const Uint8 *k = SDL_GetKeyboardState(NULL);
    in->move_forward +=
        (float)(k[SDL_SCANCODE_W] || k[SDL_SCANCODE_UP]) - (float)(k[SDL_SCANCODE_S] || k[SDL_SCANCODE_DOWN]);
    in->move_right += (float)k[SDL_SCANCODE_D] - (float)k[SDL_SCANCODE_A];
    in->turn +=
        (float)(k[SDL_SCANCODE_RIGHT] || k[SDL_SCANCODE_E]) - (float)(k[SDL_SCANCODE_LEFT] || k[SDL_SCANCODE_Q]);
    in->tilt += (float)k[SDL_SCANCODE_PAGEUP] - (float)k[SDL_SCANCODE_PAGEDOWN];
    in->fast = in->fast || k[SDL_SCANCODE_LSHIFT] || k[SDL_SCANCODE_RSHIFT];
    for (int i = 0; i < MAX_PADS; i++) {
        SDL_GameController *c = g.pads[i];
        if (!c)
            continue;
        in->move_forward -= stick(c, SDL_CONTROLLER_AXIS_LEFTY);
        in->move_right += stick(c, SDL_CONTROLLER_AXIS_LEFTX);
        in->turn += stick(c, SDL_CONTROLLER_AXIS_RIGHTX);
        in->tilt -= stick(c, SDL_CONTROLLER_AXIS_RIGHTY);
        in->fast = in->fast || SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_LEFTSTICK);
    }
    if (g.finger_down) /* drag up walks forward, down walks back */
        in->move_forward += SDL_clamp((g.finger_y0 - g.finger_y) * 5.0f, -1.0f, 1.0f);
}

/* Window coordinates -> drawable pixels (they differ on HiDPI screens). */
static void to_pixels(float wx, float wy, float *px, float *py)
{
    int ww, wh, dw, dh;
    SDL_GetWindowSize(g.window, &ww, &wh);
    SDL_GL_GetDrawableSize(g.window, &dw, &dh);
    *px = ww > 0 ? wx * (float)dw / (float)ww : wx;
    *py = wh > 0 ? wy * (float)dh / (float)wh : wy;
}

static uint32_t key_action(SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE: return MH_ACT_SELECT;
    case SDLK_BACKSPACE: return MH_ACT_BACK;
    case SDLK_h:
    case SDLK_HOME: return MH_ACT_HOME;
    case SDLK_l: return MH_ACT_LANG;
    case SDLK_t: return MH_ACT_TOUR;
    case SDLK_n: return MH_ACT_NEXT;
    case SDLK_RIGHTBRACKET: return MH_ACT_PAGE_NEXT;
    case SDLK_LEFTBRACKET: return MH_ACT_PAGE_PREV;
    case SDLK_PERIOD: return MH_ACT_VIEW_NEXT;
    case SDLK_COMMA: return MH_ACT_VIEW_PREV;
    case SDLK_v: return MH_ACT_VOLUME;
    case SDLK_m: return MH_ACT_MENU;
    default: return 0;
    }
}

static uint32_t pad_action(Uint8 button)
{
    switch (button) {
    case SDL_CONTROLLER_BUTTON_A: return MH_ACT_SELECT;
    case SDL_CONTROLLER_BUTTON_B: return MH_ACT_BACK;
    case SDL_CONTROLLER_BUTTON_X: return MH_ACT_TOUR;
    case SDL_CONTROLLER_BUTTON_Y: return MH_ACT_LANG;
    case SDL_CONTROLLER_BUTTON_START: return MH_ACT_HOME;
    case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER: return MH_ACT_NEXT;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT: return MH_ACT_PAGE_NEXT;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT: return MH_ACT_PAGE_PREV;
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN: return MH_ACT_VIEW_NEXT;
    case SDL_CONTROLLER_BUTTON_DPAD_UP: return MH_ACT_VIEW_PREV;
    default: return 0;
    }
}

/* Mouse: a click selects where it is; a drag looks around. */
static void mouse_button(const SDL_MouseButtonEvent *b, mh_input_state *in)
{
    if (b->which == SDL_TOUCH_MOUSEID || b->button != SDL_BUTTON_LEFT)
        return;
    g.mouse_look = b->type == SDL_MOUSEBUTTONDOWN;
    g.mouse_in = true;
    g.mouse_x = b->x;
    g.mouse_y = b->y;
    if (b->type == SDL_MOUSEBUTTONDOWN) {
        g.press_x = b->x;
        g.press_y = b->y;
        g.press_travel = 0;
        in->activity = true;
    } else if (g.press_travel < CLICK_SLOP) {
        in->actions |= MH_ACT_SELECT;
    }
}

/* Touch: a short tap that barely moves selects where it landed; a quick
 * mostly horizontal flick is a swipe, reported where it started. */
static void finger_up(const SDL_TouchFingerEvent *f, mh_input_state *in)
{
    if (!g.finger_down || f->fingerId != g.finger)
        return;
    g.finger_down = false;
    float dx = f->x - g.finger_x0, dy = f->y - g.finger_y0;
    if (fabsf(dx) > SWIPE_MIN && fabsf(dx) > 2.0f * fabsf(dy) && f->timestamp - g.finger_t0 < SWIPE_MS) {
        int dw, dh;
        SDL_GL_GetDrawableSize(g.window, &dw, &dh);
        in->pointer = true;
        in->pointer_x = g.finger_x0 * (float)dw;
        in->pointer_y = g.finger_y0 * (float)dh;
        in->actions |= dx < 0 ? MH_ACT_SWIPE_LEFT : MH_ACT_SWIPE_RIGHT;
        g.mouse_in = false;
        return;
    }
    if (dx * dx + dy * dy < TAP_SLOP * TAP_SLOP && f->timestamp - g.finger_t0 < TAP_MS) {
        int dw, dh;
        SDL_GL_GetDrawableSize(g.window, &dw, &dh);
        in->pointer = true;
        in->pointer_x = f->x * (float)dw;
        in->pointer_y = f->y * (float)dh;
        in->actions |= MH_ACT_SELECT;
        g.mouse_in = false; /* the finger, not a mouse, is the pointer now */
    }
}

static bool handle_key(const SDL_KeyboardEvent *e)
{
    if (g.lockdown)
        return true; /* no key leaves or shrinks a locked-down kiosk */
    if (e->keysym.sym == SDLK_F11) {
        g.fullscreen = !g.fullscreen;
        SDL_SetWindowFullscreen(g.window, g.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        SDL_ShowCursor(g.fullscreen ? SDL_DISABLE : SDL_ENABLE);
    }
    /* Esc leaves a windowed session; a fullscreen kiosk ignores it */
    return !(e->keysym.sym == SDLK_ESCAPE && !g.fullscreen);
}

static bool sdl_poll(mh_input_state *in)
{
    SDL_Event e;
    bool keep = true;
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_QUIT:
            if (g.lockdown)
                mh_log_warn("sdl", "a request to close the window was ignored (lockdown; stop the kiosk with "
                                   "QUIT and the token, or SIGTERM)");
            else
                keep = false;
            break;
        case SDL_KEYDOWN:
            keep = handle_key(&e.key) && keep;
            if (!e.key.repeat)
                in->actions |= key_action(e.key.keysym.sym);
            break;
        case SDL_CONTROLLERDEVICEADDED: open_pad(e.cdevice.which); break;
        case SDL_CONTROLLERDEVICEREMOVED: close_pad(e.cdevice.which); break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP: mouse_button(&e.button, in); break;
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID)
                break;
            g.mouse_in = true;
            g.mouse_x = e.motion.x;
            g.mouse_y = e.motion.y;
            if (g.mouse_look) {
                g.press_travel += abs(e.motion.xrel) + abs(e.motion.yrel);
                if (g.press_travel >= CLICK_SLOP) {
                    in->look_yaw -= (float)e.motion.xrel * MOUSE_LOOK;
                    in->look_pitch -= (float)e.motion.yrel * MOUSE_LOOK;
                }
            }
            break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_LEAVE)
                g.mouse_in = false;
            break;
        case SDL_KEYUP: break;
        case SDL_CONTROLLERBUTTONDOWN:
            in->actions |= pad_action(e.cbutton.button);
            in->activity = true;
            g.mouse_in = false; /* a controller aims with the reticle */
            break;
        case SDL_FINGERDOWN:
            in->activity = true;
            if (!g.finger_down) {
                g.finger_down = true;
                g.finger = e.tfinger.fingerId;
                g.finger_x0 = g.finger_x = e.tfinger.x;
                g.finger_y0 = g.finger_y = e.tfinger.y;
                g.finger_t0 = e.tfinger.timestamp;
            }
            break;
        case SDL_FINGERMOTION:
            if (g.finger_down && e.tfinger.fingerId == g.finger) {
                in->look_yaw -= e.tfinger.dx * TOUCH_TURN;
                g.finger_x = e.tfinger.x;
                g.finger_y = e.tfinger.y;
            }
            break;
        case SDL_FINGERUP: finger_up(&e.tfinger, in); break;
        default: break;
        }
    }
    read_devices(in);
    if (g.finger_down) { /* the engine keeps a drag that starts on a panel from turning the view */
        int dw, dh;
        SDL_GL_GetDrawableSize(g.window, &dw, &dh);
        in->dragging = true;
        in->drag_x = g.finger_x0 * (float)dw;
        in->drag_y = g.finger_y0 * (float)dh;
    }
    if (g.mouse_in && !in->pointer) {
        in->pointer = true;
        to_pixels((float)g.mouse_x, (float)g.mouse_y, &in->pointer_x, &in->pointer_y);
    }
    return keep && !g_signalled;
}

/* The device's thread pulls the engine's mix (float, the device's rate). */
static void audio_pull(void *user, Uint8 *stream, int len)
{
    mh_engine_audio_mix(user, (float *)(void *)stream, len / (int)(sizeof(float) * (size_t)g.audio_channels),
                        g.audio_rate, g.audio_channels);
}

/* SDL2 audio: 48 kHz stereo float where the device allows, else what it
 * offers (the engine resamples). SDL_AUDIODRIVER=disk writes it to a file. */
static void sdl_audio(mh_engine *e)
{
    if (!e) {
        if (g.audio)
            SDL_CloseAudioDevice(g.audio);
        g.audio = 0;
        return;
    }
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        mh_log_warn("sdl", "no sound: %s", SDL_GetError());
        return;
    }
    SDL_AudioSpec want = {.freq = 48000,
                          .format = AUDIO_F32SYS,
                          .channels = 2,
                          .samples = 1024,
                          .callback = audio_pull,
                          .userdata = e},
                  have;
    g.audio =
        SDL_OpenAudioDevice(NULL, 0, &want, &have, SDL_AUDIO_ALLOW_FREQUENCY_CHANGE | SDL_AUDIO_ALLOW_CHANNELS_CHANGE);
    if (!g.audio) {
        mh_log_warn("sdl", "no sound device: %s", SDL_GetError());
        return;
    }
    g.audio_rate = have.freq;
    g.audio_channels = have.channels;
    mh_log_info("sdl", "sound: %s, %d Hz, %d channels", SDL_GetCurrentAudioDriver(), have.freq, have.channels);
    SDL_PauseAudioDevice(g.audio, 0);
}

static void sdl_size(int *w, int *h) { SDL_GL_GetDrawableSize(g.window, w, h); }
static void sdl_present(void) { SDL_GL_SwapWindow(g.window); }
static double sdl_now(void) { return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency(); }

static void sdl_shutdown(void)
{
    if (g.audio)
        SDL_CloseAudioDevice(g.audio);
    for (int i = 0; i < MAX_PADS; i++)
        if (g.pads[i])
            SDL_GameControllerClose(g.pads[i]);
    destroy_window();
    SDL_Quit();
    memset(&g, 0, sizeof g);
}

const mh_platform mh_platform_desktop = {
    .name = "desktop",
    .offscreen = false,
    .fixed_step = false,
    .init = sdl_init,
    .poll = sdl_poll,
    .drawable_size = sdl_size,
    .present = sdl_present,
    .now = sdl_now,
    .shutdown = sdl_shutdown,
    .audio = sdl_audio,
};
