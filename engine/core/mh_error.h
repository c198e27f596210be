/* mh_error.h - the error record every fallible engine function fills.
 *
 * It is declared in the public engine/include/metahall.h, because platforms
 * fill and print the same record; engine code includes this name. */
#ifndef MH_ERROR_H
#define MH_ERROR_H

#include "../include/metahall.h"

#endif
