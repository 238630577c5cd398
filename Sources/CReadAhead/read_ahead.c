// Read-ahead for the MQTT network thread's socket, by interposing `read`.
//
// libmosquitto reads each packet with two to four read(2) calls (the command byte, the length
// bytes one at a time, then the rest): 3.7 system calls per heartbeat at full-rate QoS 0
// ingest, and half of the daemon's CPU was the kernel's (docs/benchmarks.md, "Round 2, fourth
// pass"). It has no hook for its socket reads, but it calls `read` through the PLT, and a
// definition in the executable comes first in the dynamic linker's lookup. This one serves the
// reads of one attached socket, on the thread that attached it, from a buffer filled 64 KiB at a
// time, and hands every other call straight to the C library.
//
// Why that is safe:
// - The state is thread-local: only the thread that attached the socket is served from the
//   buffer. Another thread reading a descriptor with the same number reads it directly.
// - The network thread attaches on each CONNACK and detaches on each disconnect, before each
//   reconnect and when its loop ends (MQTTClient.swift), so bytes of one connection never reach
//   another, even when the new socket gets the old one's number. (libmosquitto closes its socket
//   only with a disconnect callback, except inside mosquitto_reconnect, which is preceded by a
//   detach.)
// - Bytes come out in the order they came in, and an end of stream or an error is reported only
//   once the buffer is empty, as the socket itself would have reported it.
// - The one difference: the kernel does not know about buffered bytes, so `pselect` on the
//   socket does not wake for them. The network loop drains until a read says EAGAIN (buffer and
//   socket empty) and asks `fleetwatch_read_ahead_pending` before it waits.
#define _GNU_SOURCE
#include "read_ahead.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

// glibc's own entry point for read(2): `read` itself is ours in this process.
extern ssize_t __read(int fd, void *buffer, size_t count);

enum { capacity = 64 * 1024 };

static __thread int attached_fd = -1;
static __thread unsigned char *buffered;
static __thread size_t start, end;

ssize_t fleetwatch_read_ahead_read(int fd, void *buffer, size_t count) {
    if (fd != attached_fd || fd < 0 || count == 0) return __read(fd, buffer, count);
    if (start == end) {
        if (count >= capacity) return __read(fd, buffer, count);
        ssize_t got = __read(fd, buffered, capacity);
        if (got <= 0) return got;  // errno (EAGAIN, ECONNRESET, …) is the kernel's
        start = 0;
        end = (size_t)got;
    }
    size_t n = end - start;
    if (n > count) n = count;
    memcpy(buffer, buffered + start, n);
    start += n;
    return (ssize_t)n;
}

ssize_t read(int fd, void *buffer, size_t count) __attribute__((alias("fleetwatch_read_ahead_read")));

int fleetwatch_read_ahead_attach(int fd) {
    // Attached already: a second CONNACK on one connection (a broker misbehaving) must not drop
    // the stream's bytes. Every new socket is preceded by a detach.
    if (fd == attached_fd && buffered != NULL) return 0;
    if (buffered == NULL) {
        buffered = malloc(capacity);
        if (buffered == NULL) {
            attached_fd = -1;
            errno = ENOMEM;
            return -1;
        }
    }
    start = end = 0;
    attached_fd = fd;
    return 0;
}

void fleetwatch_read_ahead_detach(void) {
    attached_fd = -1;
    start = end = 0;
    free(buffered);
    buffered = NULL;
}

size_t fleetwatch_read_ahead_pending(void) { return end - start; }

int fleetwatch_read_ahead_interposes(void) {
    return dlsym(RTLD_DEFAULT, "read") == (void *)fleetwatch_read_ahead_read;
}
