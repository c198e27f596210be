/* mh_qr.h - QR codes for the take-away link on a panel, through Debian's
 * libqrencode: a URL becomes a square of dark and light modules. */
#ifndef MH_QR_H
#define MH_QR_H

#include <stdbool.h>
#include <stdint.h>

/* Encodes text (8-bit mode, error correction level M, the smallest version
 * that holds it) into modules[size * size] (1 = dark, rows top to bottom).
 * Returns the side in modules, or 0 when it does not fit `max_side` or the
 * encoder fails. */
int mh_qr_encode(const char *text, uint8_t *modules, int max_side);

#endif
