#ifndef NAKLADNA_CLIBPQ_SHIM_H
#define NAKLADNA_CLIBPQ_SHIM_H

// PostgreSQL's client library (Debian's libpq-dev): the PostgreSQL store talks to its server through it.
#include <libpq-fe.h>

#endif
