/* mh_platform_sdl.c - the desktop platform: an SDL2 window with a GLES 3.0
 * context under X11 or Wayland, or SDL's KMS/DRM driver on a kiosk console
 * with no desktop. Keyboard, mouse, touch and game controllers are merged
 * into one mh_input_state per frame. */
#include <SDL2/SDL.h>
#include <stdlib.h>
#include <string.h>

#include "../mh_platform.h"
#include "core/mh_log.h"

#define MOUSE_LOOK 0.0035f      /* radians per pixel of mouse drag */
#define TOUCH_TURN 2.5f         /* radians per full-width touch drag */
#define STICK_DEADZONE 0.2f
#define MAX_PADS 4

static struct {
    SDL_Window *window;
    SDL_GLContext context;
    SDL_GameController *pads[MAX_PADS];
    bool fullscreen;
    bool mouse_look;             /* left button held */
    SDL_FingerID finger;         /* the finger that walks and turns */
    bool finger_down;
    float finger_x0, finger_y0, finger_y;
} g;

static bool create_window(const mh_platform_desc *d, int samples, Uint32 flags)
{
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 24);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, samples > 1);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLESAMPLES, samples > 1 ? samples : 0);
    int w = d->width > 0 ? d->width : 1280, h = d->height > 0 ? d->height : 720;
    g.window = SDL_CreateWindow(d->title ? d->title : "metahall", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w,
                                h, flags);
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

static bool sdl_init(const mh_platform_desc *d, mh_error *err)
{
    memset(&g, 0, sizeof g);
    SDL_SetHint(SDL_HINT_VIDEO_X11_FORCE_EGL, "1");          /* same EGL path as Wayland and KMS/DRM */
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "0");           /* SIGTERM/SIGINT become SDL_QUIT */
    /* Only real screens: left to itself SDL falls back to its "offscreen"
     * driver, and a kiosk would run showing nothing. SDL_VIDEODRIVER in the
     * environment still wins (e.g. SDL_VIDEODRIVER=kmsdrm). */
    if (!getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11,wayland,kmsdrm");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_GAMECONTROLLER | SDL_INIT_EVENTS) != 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", SDL_GetError());  /* SDL_Quit frees SDL's copy */
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
    g.fullscreen = d->fullscreen || kms;
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
    mh_log_info("sdl", "video driver %s%s", driver, g.fullscreen ? ", fullscreen" : "");
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
    in->move_forward += (float)(k[SDL_SCANCODE_W] || k[SDL_SCANCODE_UP]) - (float)(k[SDL_SCANCODE_S] || k[SDL_SCANCODE_DOWN]);
    in->move_right += (float)k[SDL_SCANCODE_D] - (float)k[SDL_SCANCODE_A];
    in->turn += (float)(k[SDL_SCANCODE_RIGHT] || k[SDL_SCANCODE_E]) - (float)(k[SDL_SCANCODE_LEFT] || k[SDL_SCANCODE_Q]);
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
        in->fast = in->fast || SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_LEFTSTICK) ||
                   SDL_GameControllerGetButton(c, SDL_CONTROLLER_BUTTON_RIGHTSHOULDER);
    }
    if (g.finger_down) /* drag up walks forward, down walks back */
        in->move_forward += SDL_clamp((g.finger_y0 - g.finger_y) * 5.0f, -1.0f, 1.0f);
}

static bool handle_key(const SDL_KeyboardEvent *e)
{
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
        case SDL_QUIT: keep = false; break;
        case SDL_KEYDOWN: keep = handle_key(&e.key) && keep; break;
        case SDL_CONTROLLERDEVICEADDED: open_pad(e.cdevice.which); break;
        case SDL_CONTROLLERDEVICEREMOVED: close_pad(e.cdevice.which); break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            if (e.button.which != SDL_TOUCH_MOUSEID && e.button.button == SDL_BUTTON_LEFT)
                g.mouse_look = e.type == SDL_MOUSEBUTTONDOWN;
            break;
        case SDL_MOUSEMOTION:
            if (g.mouse_look && e.motion.which != SDL_TOUCH_MOUSEID) {
                in->look_yaw -= (float)e.motion.xrel * MOUSE_LOOK;
                in->look_pitch -= (float)e.motion.yrel * MOUSE_LOOK;
            }
            break;
        case SDL_FINGERDOWN:
            if (!g.finger_down) {
                g.finger_down = true;
                g.finger = e.tfinger.fingerId;
                g.finger_x0 = e.tfinger.x;
                g.finger_y0 = g.finger_y = e.tfinger.y;
            }
            break;
        case SDL_FINGERMOTION:
            if (g.finger_down && e.tfinger.fingerId == g.finger) {
                in->look_yaw -= e.tfinger.dx * TOUCH_TURN;
                g.finger_y = e.tfinger.y;
            }
            break;
        case SDL_FINGERUP:
            if (e.tfinger.fingerId == g.finger)
                g.finger_down = false;
            break;
        default: break;
        }
    }
    read_devices(in);
    return keep;
}

static void sdl_size(int *w, int *h) { SDL_GL_GetDrawableSize(g.window, w, h); }
static void sdl_present(void) { SDL_GL_SwapWindow(g.window); }
static double sdl_now(void) { return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency(); }

static void sdl_shutdown(void)
{
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
};
