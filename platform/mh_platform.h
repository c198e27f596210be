/* mh_platform.h - what a platform layer provides to the main loop.
 *
 * One backend per file (desktop_sdl/, headless/, openxr/), each exporting one
 * mh_platform filled with designated initialisers. The contract:
 *   - init() creates the window or surface and makes a GLES 3.0 context
 *     current on the calling thread; on failure it fills err and returns
 *     false, leaving nothing open.
 *   - poll() gathers all input since the last call into *input (zeroed by
 *     the caller) and returns false when the user or the system asks to quit.
 *   - drawable_size() is the size the engine should draw at, in pixels.
 *   - present() shows the frame (swap) or does nothing offscreen.
 *   - now() is a monotonic clock in seconds.
 *   - shutdown() releases everything init() made; safe after a failed init.
 * The engine is created after init() and destroyed before shutdown(). */
#ifndef MH_PLATFORM_H
#define MH_PLATFORM_H

#include <stdbool.h>

#include "metahall.h"

typedef struct mh_platform_desc {
    int width, height; /* 0 = platform default */
    bool fullscreen;
    bool vsync;
    bool lockdown;      /* kiosk: no key or window-close request quits (signals and QUIT do) */
    int msaa;           /* samples; 0 = auto (4 on a GPU, off on llvmpipe), 1 = off */
    float render_scale; /* headsets: of the runtime's recommended eye size; 0 = 1 */
    const char *title;
    /* desktop: SDL's video drivers to try, in order (NULL = "x11,wayland,kmsdrm";
     * SDL_VIDEODRIVER in the environment still wins) */
    const char *video_drivers;
} mh_platform_desc;

typedef struct mh_platform {
    const char *name;
    bool offscreen;  /* the engine renders into its own target */
    bool fixed_step; /* advance time by exactly 1/60 s per frame */
    bool (*init)(const mh_platform_desc *desc, mh_error *err);
    bool (*poll)(mh_input_state *input);
    void (*drawable_size)(int *w, int *h);
    void (*present)(void);
    double (*now)(void);
    void (*shutdown)(void);
    /* Headsets only (NULL elsewhere): waits for the runtime's next frame and
     * fills in->framebuffer, width, height, eyes and eyes_from_floor. False:
     * draw nothing this time (the session is not visible yet, or the runtime
     * said not to render); present() is called either way and submits the
     * frame. present() after a true begin_frame shows what the engine drew. */
    bool (*begin_frame)(mh_frame_input *in);
    /* Optional: after poll() returned false, true when the platform stopped
     * because something broke (a headset's runtime went away) rather than
     * because it was asked to; err says what. The kiosk then exits 1. */
    bool (*failed)(mh_error *err);
    /* Optional (NULL: no sound device): starts pulling the engine's sound
     * (mh_engine_audio_mix, from the device's own thread) once the engine
     * exists; audio(NULL) stops it before the engine is destroyed. */
    void (*audio)(mh_engine *e);
    /* Optional (headsets): where the visitor looks now becomes straight
     * ahead; the kiosk calls it when the engine asks (mh_frame_output.recenter). */
    void (*recenter)(void);
    /* Optional: GL extension functions by name, for the engine (multiview). */
    mh_gl_proc gl_proc;
} mh_platform;

extern const mh_platform mh_platform_headless;
#ifdef MH_HAVE_SDL
extern const mh_platform mh_platform_desktop;
#endif
#ifdef MH_HAVE_OPENXR
extern const mh_platform mh_platform_openxr;
#endif

/* Zero means default: 1280 x 720, titled "metahall", every screen SDL can
 * use (msaa 0 stays: each platform's auto, 4x on a GPU and off on a CPU
 * rasteriser). */
mh_platform_desc mh_platform_desc_defaults(const mh_platform_desc *desc);

/* Chooses a platform by name; NULL when unknown or not built (mh_platform.c). */
const mh_platform *mh_platform_find(const char *name);
/* Finds and inits the platform `name`. "auto" tries, in order, the headset
 * (OpenXR), a desktop window (X11 or Wayland, when DISPLAY or WAYLAND_DISPLAY
 * is set), the screen through KMS/DRM (when /dev/dri has a card), and
 * headless, logging why each one before the chosen one was passed over.
 * NULL + err when none opened. */
const mh_platform *mh_platform_open(const char *name, const mh_platform_desc *desc, mh_error *err);

#endif
