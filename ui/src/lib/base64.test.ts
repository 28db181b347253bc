import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { BASE64_CHUNK, bytesToBase64 } from "./base64";

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256);

describe("bytesToBase64", () => {
  it("encodes empty and short inputs with padding", () => {
    expect(bytesToBase64(new Uint8Array())).toBe("");
    expect(bytesToBase64(new TextEncoder().encode("M"))).toBe("TQ==");
    expect(bytesToBase64(new TextEncoder().encode("Ma"))).toBe("TWE=");
    expect(bytesToBase64(new TextEncoder().encode("%PDF-1.7"))).toBe("JVBERi0xLjc=");
  });

  it("gives the same text whatever the chunk size, for every remainder", () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 299, 300, 301]) {
      const data = bytes(n);
      const expected = Buffer.from(data).toString("base64");
      for (const chunk of [3, 6, 9, 300]) expect(bytesToBase64(data, chunk)).toBe(expected);
    }
  });

  it("encodes every byte value", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString("base64"));
  });

  it("encodes a multi-megabyte file without overflowing the stack", () => {
    const big = bytes(5 * 1024 * 1024 + 1);
    expect(big.length).toBeGreaterThan(BASE64_CHUNK * 100);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString("base64"));
  });

  it("refuses a chunk that would split a 3-byte group", () => {
    expect(() => bytesToBase64(bytes(10), 4)).toThrow(RangeError);
    expect(() => bytesToBase64(bytes(10), 0)).toThrow(RangeError);
  });
});
