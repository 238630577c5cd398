#ifndef FLEETWATCH_CPOSTGRES_SHIM_H
#define FLEETWATCH_CPOSTGRES_SHIM_H
// Debian's libpq-dev puts the client headers under /usr/include/postgresql.
#include <postgresql/libpq-fe.h>

// PG_DIAG_SQLSTATE is a character-literal macro ('C'), which Swift does not import.
static inline int fleetwatch_pg_diag_sqlstate(void) {
    return PG_DIAG_SQLSTATE;
}
#endif
