#ifndef LESSON_PROCESS_H
#define LESSON_PROCESS_H

#include <stdint.h>

/// A fixed-size record on a worker host's control socket (see `ForkHost` and `lesson worker`).
typedef struct {
    int32_t kind;
    int32_t id;
    int64_t value;
} lesson_record;

/// Sends `record` on the Unix socket `socket`, with `fd` attached (SCM_RIGHTS) unless it is -1.
/// Returns 0, or -1 with errno set.
int lesson_send_record(int socket, const lesson_record *record, int fd);

/// Receives one record from `socket`; `*fd` gets an attached descriptor or -1.
/// Returns 1 for a record, 0 at the end of the stream, -1 with errno set on failure.
int lesson_receive_record(int socket, lesson_record *record, int *fd);

/// A connected pair of Unix stream sockets, both close-on-exec. Returns 0 or -1 with errno set.
int lesson_socket_pair(int fds[2]);

/// fork(2); in the child, only the calling thread goes on.
int lesson_fork(void);

#endif
