/* mh_no_dlclose.c - preloaded into sanitizer test runs only.
 *
 * Mesa unloads its driver at eglTerminate; LeakSanitizer then sees the
 * driver's still-referenced globals as leaks from "<unknown module>", which
 * no suppression can name. Keeping libraries loaded keeps those references
 * visible, so LeakSanitizer reports only real leaks (ours among them). */
int dlclose(void *handle)
{
    (void)handle;
    return 0;
}
