/* fuzz_png.c - libFuzzer target: any bytes as a PNG and as a JPEG. */
#include <stddef.h>
#include <stdint.h>

#include "asset/mh_jpeg.h"
#include "asset/mh_png.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_image img;
    mh_error err;
    if (mh_png_decode(data, size, "fuzz.png", &img, &err))
        mh_image_free(&img);
    if (mh_jpeg_decode(data, size, "fuzz.jpg", &img, &err))
        mh_image_free(&img);
    return 0;
}
