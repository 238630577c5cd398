#ifndef FLEETWATCH_CMOSQUITTO_SHIM_H
#define FLEETWATCH_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#endif
