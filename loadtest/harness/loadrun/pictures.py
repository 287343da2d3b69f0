"""Distinct PNG pictures made here (stdlib only), so a content-addressed store cannot deduplicate them."""
import random
import struct
import zlib


def png(width, height, seed):
    """A width x height RGB PNG: gradients plus seeded noise, roughly as compressible as a photo's PNG."""
    rng = random.Random(seed)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            n = rng.getrandbits(5)
            rows += bytes(((x + seed) & 0xFF ^ n, (y * 3) & 0xFF ^ n, (x * y + seed * 7) & 0xFF ^ n))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + _chunk(b"IEND", b""))


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


BOUNDARY = "loadtest-boundary-7d1f3a"


def multipart(field, filename, content_type, data):
    """One file part, the body a browser form sends: hey uploads it as a prebuilt body."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


MULTIPART_CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
