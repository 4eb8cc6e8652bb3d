/* TODO stub, replaced by the engine work */
#include "lb-thumbnail-scheduler.h"
