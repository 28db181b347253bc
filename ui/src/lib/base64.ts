// Base64 of a file's bytes for commands that take `contentBase64`. Encoded in chunks (a multiple of 3 bytes, so the
// pieces join into one valid base64 text) because spreading megabytes into String.fromCharCode overflows the stack.

/** Bytes per chunk: a multiple of 3, small enough for `String.fromCharCode.apply`. */
export const BASE64_CHUNK = 3 * 8192;

/** Standard base64 (with padding) of `bytes`; `chunk` must be a positive multiple of 3. */
export function bytesToBase64(bytes: Uint8Array, chunk: number = BASE64_CHUNK): string {
  if (chunk <= 0 || chunk % 3 !== 0) throw new RangeError(`chunk must be a positive multiple of 3, not ${chunk}`);
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += chunk) {
    const piece = bytes.subarray(start, start + chunk);
    parts.push(btoa(String.fromCharCode.apply(null, piece as unknown as number[])));
  }
  return parts.join("");
}
