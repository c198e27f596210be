/* mh_log.h - one small logger for the whole engine and its platforms.
 *
 * It is declared in the public engine/include/metahall.h, because platforms
 * log through it too; engine code includes this name. */
#ifndef MH_LOG_H
#define MH_LOG_H

#include "../include/metahall.h"

#endif
