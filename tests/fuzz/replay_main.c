/* replay_main.c - runs a fuzz target's LLVMFuzzerTestOneInput over files and
 * folders without libFuzzer, so any compiler (and the ASan test suite) can
 * replay the crash regressions and seed corpora. Prints how many it ran. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mh_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    char *data;
    size_t size;
    mh_error err;
    if (!mh_fs_read_file(path, 64u << 20, &data, &size, &err)) {
        fprintf(stderr, "replay: %s: %s\n", path, err.message);
        return 0;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, size);
    free(data);
    return 1;
}

static int run_path(const char *path, int depth)
{
    if (!mh_fs_is_dir(path))
        return run_file(path);
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *e;
    while (d && depth < 8 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4400];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        n += run_path(sub, depth + 1);
    }
    if (d)
        closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    int n = 0;
    for (int i = 1; i < argc; i++)
        n += run_path(argv[i], 0);
    printf("replayed %d inputs\n", n);
    return 0;
}
