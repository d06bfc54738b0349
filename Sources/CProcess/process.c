#define _GNU_SOURCE
#include "lesson_process.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* Room for one descriptor's ancillary data, aligned as cmsghdr needs. */
typedef union {
    char buffer[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
} descriptor_space;

/* A message of one buffer, with `control` ready to carry a descriptor. */
static struct msghdr message_of(struct iovec *io, descriptor_space *control) {
    struct msghdr message;
    memset(&message, 0, sizeof message);
    memset(control, 0, sizeof *control);
    message.msg_iov = io;
    message.msg_iovlen = 1;
    message.msg_control = control->buffer;
    message.msg_controllen = sizeof control->buffer;
    return message;
}

int lesson_send_record(int socket, const lesson_record *record, int fd) {
    struct iovec io = { .iov_base = (void *)record, .iov_len = sizeof *record };
    descriptor_space control;
    struct msghdr message = message_of(&io, &control);
    if (fd < 0) {
        message.msg_control = NULL;
        message.msg_controllen = 0;
    }
    if (fd >= 0) {
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &fd, sizeof(int));
    }
    for (;;) {
        ssize_t sent = sendmsg(socket, &message, MSG_NOSIGNAL);
        if (sent == (ssize_t)sizeof *record) return 0;
        if (sent < 0 && errno == EINTR) continue;
        if (sent >= 0) errno = EIO;
        return -1;
    }
}

int lesson_receive_record(int socket, lesson_record *record, int *fd) {
    *fd = -1;
    char *bytes = (char *)record;
    size_t got = 0;
    while (got < sizeof *record) {
        struct iovec io = { .iov_base = bytes + got, .iov_len = sizeof *record - got };
        descriptor_space control;
        struct msghdr message = message_of(&io, &control);
        ssize_t n = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) {
            if (got == 0) return 0;
            errno = EPROTO;
            return -1;
        }
        for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
            if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS
                && header->cmsg_len == CMSG_LEN(sizeof(int))) {
                int received;
                memcpy(&received, CMSG_DATA(header), sizeof(int));
                if (*fd >= 0) close(*fd);
                *fd = received;
            }
        }
        got += (size_t)n;
    }
    return 1;
}

int lesson_socket_pair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}

int lesson_fork(void) {
    return (int)fork();
}
