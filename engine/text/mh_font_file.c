/* mh_font_file.c - a FreeType stream over pread(2) (mh_font_file.h). */
#include "mh_font_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long read_at(FT_Stream s, unsigned long offset, unsigned char *buffer, unsigned long count)
{
    if (count == 0) /* a seek: FreeType's way of asking whether offset is inside the file */
        return offset > s->size ? 1 : 0;
    unsigned long done = 0;
    while (done < count) {
        ssize_t n = pread((int)s->descriptor.value, buffer + done, count - done, (off_t)(offset + done));
        if (n <= 0)
            break;
        done += (unsigned long)n;
    }
    return done;
}

static void close_file(FT_Stream s)
{
    close((int)s->descriptor.value);
    free(s);
}

FT_Error mh_font_file_open(FT_Library lib, const char *path, FT_Long index, FT_Face *face)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    FT_Stream s = fd >= 0 ? calloc(1, sizeof *s) : NULL;
    if (!s || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        if (fd >= 0)
            close(fd);
        free(s);
        return FT_Err_Cannot_Open_Resource;
    }
    s->size = (unsigned long)st.st_size;
    s->descriptor.value = fd;
    s->read = read_at;
    s->close = close_file;
    FT_Open_Args args = {.flags = FT_OPEN_STREAM, .stream = s};
    /* FreeType closes the stream (close_file) when the face is done, or
     * here when it cannot open one on it (an external stream's close is
     * called on failure too) */
    return FT_Open_Face(lib, &args, index, face);
}
