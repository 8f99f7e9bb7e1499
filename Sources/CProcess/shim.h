#ifndef NAKLADNA_CPROCESS_SHIM_H
#define NAKLADNA_CPROCESS_SHIM_H

#include <signal.h>
#include <sys/prctl.h>

// prctl is variadic, which Swift cannot call: a station's run that a chain's worker started dies with that worker
// (SIGKILL when its parent goes), so a killed worker leaves no run behind holding the station.
static inline int nakladna_die_with_parent(void) {
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

#endif
