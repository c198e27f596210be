/* fuzz_png.c - libFuzzer target: any bytes as a PNG and as a JPEG, decoded
 * within the default pixel budget as the kiosk decodes them (an image over
 * it is refused from its header). */
#include <stddef.h>
#include <stdint.h>

#include "asset/mh_budget.h"
#include "asset/mh_jpeg.h"
#include "asset/mh_png.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mh_image img;
    mh_error err;
    uint64_t max = mh_budget_defaults((mh_budget){0}).image_pixels;
    if (mh_png_decode_max(data, size, "fuzz.png", max, &img, &err))
        mh_image_free(&img);
    if (mh_jpeg_decode_max(data, size, "fuzz.jpg", max, &img, &err))
        mh_image_free(&img);
    return 0;
}
