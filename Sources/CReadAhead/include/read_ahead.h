#ifndef FLEETWATCH_READ_AHEAD_H
#define FLEETWATCH_READ_AHEAD_H
#include <stddef.h>
#include <sys/types.h>

/// What this process's `read` does (read_ahead.c): the attached socket's reads on the attaching
/// thread come from a buffer; everything else goes to the C library's read(2).
ssize_t fleetwatch_read_ahead_read(int fd, void *buffer, size_t count);
/// Reads of `fd` from the calling thread go through a 64 KiB buffer from now on (bytes buffered
/// for an earlier socket are dropped; attaching the attached socket again keeps its bytes).
/// 0, or -1 with errno ENOMEM.
int fleetwatch_read_ahead_attach(int fd);
/// Back to plain reads on this thread; buffered bytes are dropped.
void fleetwatch_read_ahead_detach(void);
/// Bytes read from the socket and not yet handed on, on this thread.
size_t fleetwatch_read_ahead_pending(void);
/// 1 when the process's `read` is `fleetwatch_read_ahead_read`: in an executable linked with
/// this module (fleetwatchd, fleetsim, and on Linux the test runner too). 0 if it were loaded as
/// a shared object with dlopen, where the C library's `read` comes first.
int fleetwatch_read_ahead_interposes(void);
#endif
