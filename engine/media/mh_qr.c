/* mh_qr.c - QR codes through libqrencode (see mh_qr.h). */
#include "mh_qr.h"

#include <qrencode.h>
#include <string.h>

int mh_qr_encode(const char *text, uint8_t *modules, int max_side)
{
    if (!text || !*text)
        return 0;
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!q)
        return 0;
    int n = q->width;
    if (n > max_side) {
        QRcode_free(q);
        return 0;
    }
    for (int i = 0; i < n * n; i++)
        modules[i] = q->data[i] & 1; /* bit 0: dark; the others say which pattern it belongs to */
    QRcode_free(q);
    return n;
}
