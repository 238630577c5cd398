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
#include <sys/socket.h>

// glibc's own entry points for read(2) and write(2): `read` and `write` themselves are ours in
// this process.
extern ssize_t __read(int fd, void *buffer, size_t count);
extern ssize_t __write(int fd, const void *buffer, size_t count);

enum { capacity = 64 * 1024, unsent_capacity = 16 * 1024 };

static __thread int attached_fd = -1;
// One allocation, made at the first attach: `capacity` bytes read ahead, then `unsent_capacity`
// bytes of acknowledgements held (the write-behind below).
static __thread unsigned char *buffered;
static __thread size_t start, end;
static __thread unsigned char *unsent_bytes;
static __thread size_t unsent;

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
        buffered = malloc(capacity + unsent_capacity);
        if (buffered == NULL) {
            attached_fd = -1;
            errno = ENOMEM;
            return -1;
        }
        unsent_bytes = buffered + capacity;
    }
    start = end = 0;
    unsent = 0;
    attached_fd = fd;
    return 0;
}

static __thread int wake_fd = -1;

void fleetwatch_read_ahead_detach(void) {
    attached_fd = -1;
    wake_fd = -1;
    start = end = 0;
    unsent = 0;
    free(buffered);
    buffered = NULL;
    unsent_bytes = NULL;
}

size_t fleetwatch_read_ahead_pending(void) { return end - start; }

// Write-behind of QoS 1 acknowledgements on the same socket and thread.
//
// libmosquitto writes each PUBACK with a write(2) of its own as soon as the PUBLISH is read: at
// full-rate QoS 1 ingest that was one system call (and one pass through the loopback TCP path)
// per heartbeat, 1.9 writes per message with the wake-up pipe's byte (docs/benchmarks.md, "Round
// 2, fifth pass"). Only writes that are exactly one MQTT 3.1.1 PUBACK (0x40 0x02 and a 2-byte
// packet id) are held, and the network loop sends them in one write after each drain. Every
// other write on the socket (PUBLISH, SUBSCRIBE, PINGREQ, DISCONNECT) first sends what is held,
// so the stream's order is the order libmosquitto wrote in; while held bytes cannot be sent (the
// socket's buffer is full) that write reports EAGAIN, and libmosquitto keeps its packet queued and
// tries again, as it does when the kernel says so. With `mosquitto_threaded_set` on, every socket
// write is the network thread's (the other threads' publishes are queued for it), so nothing
// writes the socket behind this buffer's back. Acknowledgements held when the connection is lost
// are dropped with it: the broker sends those messages again (QoS 1 is at least once).

int fleetwatch_write_behind_flush(void) {
    if (attached_fd < 0) {
        unsent = 0;
        return 0;
    }
    size_t sent = 0;
    while (sent < unsent) {
        ssize_t n = __write(attached_fd, unsent_bytes + sent, unsent - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            memmove(unsent_bytes, unsent_bytes + sent, unsent - sent);
            unsent -= sent;
            return -1;  // errno: EAGAIN (try again), or the connection's error
        }
        sent += (size_t)n;
    }
    unsent = 0;
    return 0;
}

size_t fleetwatch_write_behind_pending(void) { return unsent; }

static int is_puback(const unsigned char *bytes, size_t count) {
    return count == 4 && bytes[0] == 0x40 && bytes[1] == 0x02;
}

// The wake-up byte. libmosquitto writes one byte (0) to a socketpair of its own whenever a
// packet is queued, to break the network thread out of `pselect`, and its loop reads one such
// byte per pass. When the network thread queues the packet itself (every QoS 1 PUBACK, queued
// while it handles the PUBLISH) there is no one to wake, and at full-rate QoS 1 ingest those
// bytes were a `write` per message, a `read` per pass and a `pselect` that never slept, since
// they came faster than one a pass (1.4 writes, 1.5 reads and 0.7 `pselect`s per message:
// docs/benchmarks.md, "Round 2, seventh pass"). So on the attached thread a one-byte write of 0
// to a Unix-domain socket is dropped; the packet itself is written by the same thread's loop
// (`mosquitto_loop` waits for the socket to be writable while packets are queued, and the
// drain writes after each read). Other threads' wake-ups, e.g. a publish from the engine loop,
// are written as before.
static int is_wake_socket(int fd) {
    if (fd == wake_fd) return 1;
    int domain = 0;
    socklen_t size = sizeof domain;
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) != 0 || domain != AF_UNIX) return 0;
    wake_fd = fd;
    return 1;
}

ssize_t fleetwatch_write_behind_write(int fd, const void *buffer, size_t count) {
    if (attached_fd >= 0 && fd != attached_fd && count == 1 && *(const unsigned char *)buffer == 0
        && is_wake_socket(fd)) {
        return 1;
    }
    if (fd != attached_fd || fd < 0 || count == 0) return __write(fd, buffer, count);
    if (is_puback(buffer, count) && unsent + count <= unsent_capacity) {
        memcpy(unsent_bytes + unsent, buffer, count);
        unsent += count;
        return (ssize_t)count;
    }
    if (unsent > 0 && fleetwatch_write_behind_flush() != 0) return -1;
    return __write(fd, buffer, count);
}

ssize_t write(int fd, const void *buffer, size_t count) __attribute__((alias("fleetwatch_write_behind_write")));

int fleetwatch_read_ahead_interposes(void) {
    return dlsym(RTLD_DEFAULT, "read") == (void *)fleetwatch_read_ahead_read
        && dlsym(RTLD_DEFAULT, "write") == (void *)fleetwatch_write_behind_write;
}
