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
/// What this process's `write` does: on the attaching thread, a write of the attached socket
/// that is one MQTT PUBACK is held (up to 16 KiB of them); any other write of it first sends
/// what is held (-1 with EAGAIN while that cannot be done).
ssize_t fleetwatch_write_behind_write(int fd, const void *buffer, size_t count);
/// Sends the held acknowledgements: 0, or -1 with errno (EAGAIN: the rest stays held).
int fleetwatch_write_behind_flush(void);
/// Bytes held, not yet sent, on this thread.
size_t fleetwatch_write_behind_pending(void);
/// 1 when the process's `read` and `write` are this module's: in an executable linked with
/// this module (fleetwatchd, fleetsim, and on Linux the test runner too). 0 if it were loaded as
/// a shared object with dlopen, where the C library's `read` comes first.
int fleetwatch_read_ahead_interposes(void);
#endif
