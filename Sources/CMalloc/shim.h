// glibc's malloc tuning (mallopt, M_ARENA_MAX): not part of Swift's Glibc module.
// Used by the driftwatch executable only (DriftWatchCommand.main).
#include <malloc.h>
