// Distinct PNGs made in the script (k6 has no image library): stored (uncompressed) deflate
// blocks, so only CRC-32 and Adler-32 are needed. A new seed per upload gives new bytes, so the
// content-addressed store cannot deduplicate.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c >>> 0;
  }
  return table;
})();

/** @param {Uint8Array} bytes @param {number} start @param {number} end */
function crc32(bytes, start, end) {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) {
    c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** @param {Uint8Array} out @param {number} at @param {number} value */
function u32(out, at, value) {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/**
 * A width x height RGB PNG whose pixels depend on the seed.
 * @param {number} width @param {number} height @param {number} seed
 * @returns {ArrayBuffer}
 */
export function distinctPng(width, height, seed) {
  const rowBytes = width * 3 + 1;
  const raw = new Uint8Array(rowBytes * height);
  let state = (seed * 2654435761) >>> 0;
  for (let y = 0; y < height; y++) {
    raw[y * rowBytes] = 0;
    for (let x = 0; x < width; x++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const noise = state >>> 27;
      const at = y * rowBytes + 1 + x * 3;
      raw[at] = ((x + seed) & 0xff) ^ noise;
      raw[at + 1] = ((y * 3) & 0xff) ^ noise;
      raw[at + 2] = ((x * y) & 0xff) ^ noise;
    }
  }
  const blocks = Math.ceil(raw.length / 65535);
  const zlibLength = 2 + raw.length + blocks * 5 + 4;
  const png = new Uint8Array(8 + 25 + 12 + zlibLength + 12);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  let at = 8;
  u32(png, at, 13);
  png.set([0x49, 0x48, 0x44, 0x52], at + 4);
  u32(png, at + 8, width);
  u32(png, at + 12, height);
  png.set([8, 2, 0, 0, 0], at + 16);
  u32(png, at + 21, crc32(png, at + 4, at + 21));
  at += 25;
  u32(png, at, zlibLength);
  png.set([0x49, 0x44, 0x41, 0x54], at + 4);
  let p = at + 8;
  png[p++] = 0x78;
  png[p++] = 0x01;
  let a = 1;
  let b = 0;
  for (let i = 0; i < raw.length; i += 65535) {
    const len = Math.min(65535, raw.length - i);
    png[p++] = i + len >= raw.length ? 1 : 0;
    png[p++] = len & 0xff;
    png[p++] = len >>> 8;
    png[p++] = ~len & 0xff;
    png[p++] = (~len >>> 8) & 0xff;
    png.set(raw.subarray(i, i + len), p);
    p += len;
  }
  for (let i = 0; i < raw.length; i++) {
    a = (a + raw[i]) % 65521;
    b = (b + a) % 65521;
  }
  u32(png, p, ((b << 16) | a) >>> 0);
  p += 4;
  u32(png, p, crc32(png, at + 4, p));
  p += 4;
  u32(png, p, 0);
  png.set([0x49, 0x45, 0x4e, 0x44], p + 4);
  u32(png, p + 8, crc32(png, p + 4, p + 8));
  return png.buffer;
}
