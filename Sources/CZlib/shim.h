#ifndef PIKOU_CZLIB_SHIM_H
#define PIKOU_CZLIB_SHIM_H

#include <zlib.h>
#include <string.h>

/* Inflates raw DEFLATE data (a ZIP member, method 8) into `out` of exactly `outLength` bytes:
   1 when the stream ends there, 0 when it is corrupt, shorter or longer (a zip bomb stops at
   `outLength`). inflateInit2 is a macro: Swift cannot call it. */
static inline int CZlib_inflate_raw(const unsigned char *in, size_t inLength, unsigned char *out, size_t outLength) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return 0;
    stream.next_in = (Bytef *)in;
    stream.avail_in = (uInt)inLength;
    stream.next_out = out;
    stream.avail_out = (uInt)outLength;
    int status = inflate(&stream, Z_FINISH);
    int ok = status == Z_STREAM_END && stream.total_out == outLength;
    inflateEnd(&stream);
    return ok;
}

#endif
