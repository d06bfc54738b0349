#include "blob_codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static void shuffle4(const uint8_t *in, uint8_t *out, size_t length) {
    size_t values = length / 4;
    for (size_t i = 0; i < values; i++) {
        out[i] = in[4 * i];
        out[values + i] = in[4 * i + 1];
        out[2 * values + i] = in[4 * i + 2];
        out[3 * values + i] = in[4 * i + 3];
    }
}

static void unshuffle4(const uint8_t *in, uint8_t *out, size_t length) {
    size_t values = length / 4;
    for (size_t i = 0; i < values; i++) {
        out[4 * i] = in[i];
        out[4 * i + 1] = in[values + i];
        out[4 * i + 2] = in[2 * values + i];
        out[4 * i + 3] = in[3 * values + i];
    }
}

static int write_all(int fd, const uint8_t *bytes, size_t count) {
    size_t done = 0;
    while (done < count) {
        ssize_t n = write(fd, bytes + done, count - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        done += (size_t)n;
    }
    return 0;
}

int64_t lesson_blob_deflate(const uint8_t *data, size_t length, int fd) {
    if (length % 4 != 0) { errno = EINVAL; return -1; }
    uint8_t *planes = malloc(LESSON_BLOB_CHUNK);
    uint8_t *out = malloc(LESSON_BLOB_CHUNK);
    if (!planes || !out) { free(planes); free(out); errno = ENOMEM; return -1; }
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (deflateInit(&stream, 1) != Z_OK) { free(planes); free(out); errno = EIO; return 0; }
    int64_t written = 0;
    int failed = 0;
    size_t offset = 0;
    do {
        size_t chunk = length - offset < LESSON_BLOB_CHUNK ? length - offset : LESSON_BLOB_CHUNK;
        shuffle4(data + offset, planes, chunk);
        offset += chunk;
        int flush = offset == length ? Z_FINISH : Z_NO_FLUSH;
        stream.next_in = planes;
        stream.avail_in = (uInt)chunk;
        do {
            stream.next_out = out;
            stream.avail_out = LESSON_BLOB_CHUNK;
            int status = deflate(&stream, flush);
            if (status == Z_STREAM_ERROR) { failed = 1; errno = EIO; break; }
            size_t produced = LESSON_BLOB_CHUNK - stream.avail_out;
            if (write_all(fd, out, produced) != 0) { failed = 1; break; }
            written += (int64_t)produced;
        } while (stream.avail_out == 0);
    } while (!failed && offset < length);
    deflateEnd(&stream);
    free(planes);
    free(out);
    return failed ? -1 : written;
}

int lesson_blob_inflate(int fd, int64_t offset, int64_t stored, uint8_t *out, size_t length) {
    uint8_t *in = malloc(LESSON_BLOB_CHUNK);
    uint8_t *planes = malloc(LESSON_BLOB_CHUNK);
    if (!in || !planes) { free(in); free(planes); errno = ENOMEM; return -1; }
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) { free(in); free(planes); return -2; }
    int result = 0;
    int64_t consumed = 0;
    size_t filled = 0;   /* bytes of `out` complete */
    size_t pending = 0;  /* bytes of the current chunk's planes inflated so far */
    int ended = 0;
    while (!ended && result == 0) {
        if (stream.avail_in == 0) {
            if (consumed >= stored) { result = -2; break; }
            size_t want = stored - consumed < LESSON_BLOB_CHUNK ? (size_t)(stored - consumed) : LESSON_BLOB_CHUNK;
            ssize_t n = pread(fd, in, want, offset + consumed);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) { result = -1; break; }
            if (n == 0) { result = -2; break; }
            consumed += n;
            stream.next_in = in;
            stream.avail_in = (uInt)n;
        }
        size_t chunk = length - filled < LESSON_BLOB_CHUNK ? length - filled : LESSON_BLOB_CHUNK;
        if (chunk == 0) {
            /* Everything expected is in: the stream must end here, with nothing after it. */
            uint8_t extra;
            stream.next_out = &extra;
            stream.avail_out = 1;
            int status = inflate(&stream, Z_NO_FLUSH);
            if (status == Z_STREAM_END && stream.avail_out == 1) { ended = 1; break; }
            if (status == Z_OK || status == Z_BUF_ERROR) {
                if (stream.avail_out == 0) { result = -3; break; }
                continue;
            }
            result = -2;
            break;
        }
        stream.next_out = planes + pending;
        stream.avail_out = (uInt)(chunk - pending);
        int status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) { result = -2; break; }
        pending = chunk - stream.avail_out;
        if (pending == chunk) {
            unshuffle4(planes, out + filled, chunk);
            filled += chunk;
            pending = 0;
        }
        if (status == Z_STREAM_END) {
            if (filled != length || pending != 0) { result = -3; break; }
            ended = 1;
        }
    }
    if (result == 0 && (consumed != stored || stream.avail_in != 0)) result = -2;
    inflateEnd(&stream);
    free(in);
    free(planes);
    return result;
}
