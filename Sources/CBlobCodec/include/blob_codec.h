#ifndef LESSON_BLOB_CODEC_H
#define LESSON_BLOB_CODEC_H

#include <stddef.h>
#include <stdint.h>

/// Arrays of 32-bit values (float32 tensors, int32 ids) stored compressed: each chunk of up to
/// LESSON_BLOB_CHUNK bytes is split into four planes (every value's first bytes, then its
/// second bytes, ...), which puts the slowly varying sign and exponent bytes of floats side by
/// side, and the planes are deflated (zlib, level 1) as one stream.

#define LESSON_BLOB_CHUNK (1 << 20)

/// Writes `data` (`length` bytes, a multiple of 4) compressed to the file descriptor `fd` at its
/// current position. Returns the bytes written, or -1 with errno set (or 0 when zlib failed:
/// then errno is EIO).
int64_t lesson_blob_deflate(const uint8_t *data, size_t length, int fd);

/// Reads a stream `lesson_blob_deflate` wrote from `fd` at `offset` (exactly `stored` bytes)
/// into `out` (exactly `length` bytes). Returns 0, or a negative code: -1 read error (errno),
/// -2 corrupt or truncated stream, -3 the stream holds more or fewer bytes than `length`.
int lesson_blob_inflate(int fd, int64_t offset, int64_t stored, uint8_t *out, size_t length);

#endif
