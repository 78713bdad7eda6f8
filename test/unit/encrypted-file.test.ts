import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ExportFileError,
  readEncryptedFile,
  writeEncryptedFile,
} from "../../app/exports/encrypted-file.server";
import { createKeyring, UnknownKeyError } from "../../app/security/keyring";

const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-files-"));
const keyA = Buffer.alloc(32, 1).toString("base64");
const keyB = Buffer.alloc(32, 2).toString("base64");
const ring = createKeyring(keyA);

async function* pieces(data: Buffer, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(file: string, id: string, keyring = ring) {
  const parts: Buffer[] = [];
  for await (const part of readEncryptedFile(file, id, keyring)) parts.push(part);
  return Buffer.concat(parts);
}

async function encrypted(data: Buffer, id = "file-1") {
  const file = path.join(dir, `${id}-${randomBytes(4).toString("hex")}.pdx`);
  await writeEncryptedFile(file, id, ring, pieces(data, 10_000));
  return file;
}

describe("encrypted export files", () => {
  it.each([0, 1, 65_535, 65_536, 65_537, 300_000])(
    "round-trips %d bytes, never storing plaintext",
    async (size) => {
      const data = randomBytes(size);
      const file = await encrypted(data);
      expect(await readAll(file, "file-1")).toEqual(data);
      if (size > 64) expect(readFileSync(file).includes(data.subarray(0, 64))).toBe(false);
    },
  );

  it("fails with a clear error when one byte is flipped", async () => {
    const file = await encrypted(Buffer.from("x".repeat(200_000)));
    const bytes = readFileSync(file);
    bytes[bytes.length - 100_000]! ^= 0x01;
    writeFileSync(file, bytes);
    await expect(readAll(file, "file-1")).rejects.toThrow(ExportFileError);
    await expect(readAll(file, "file-1")).rejects.toThrow(
      /Export file file-1 is damaged or was tampered with: chunk 1 fails authentication/,
    );
  });

  it("detects a file cut after a whole chunk (truncation)", async () => {
    const file = await encrypted(randomBytes(150_000));
    const bytes = readFileSync(file);
    const headerEnd = 6 + bytes.readUInt16BE(4);
    const firstRecordEnd = headerEnd + 5 + bytes.readUInt32BE(headerEnd + 1) + 16;
    writeFileSync(file, bytes.subarray(0, firstRecordEnd));
    await expect(readAll(file, "file-1")).rejects.toThrow(/ends before its last chunk/);
  });

  it("detects a middle chunk relabelled as the last one, with the rest cut off", async () => {
    const file = await encrypted(randomBytes(150_000));
    const bytes = readFileSync(file);
    const headerEnd = 6 + bytes.readUInt16BE(4);
    const firstRecordEnd = headerEnd + 5 + bytes.readUInt32BE(headerEnd + 1) + 16;
    const cut = Buffer.from(bytes.subarray(0, firstRecordEnd));
    cut[headerEnd] = 1; // "last chunk"
    writeFileSync(file, cut);
    await expect(readAll(file, "file-1")).rejects.toThrow(/chunk 0 fails authentication/);
  });

  it("detects chunks put in another order", async () => {
    const file = await encrypted(randomBytes(65_536 * 2 + 10));
    const bytes = readFileSync(file);
    const headerEnd = 6 + bytes.readUInt16BE(4);
    const record = 5 + 65_536 + 16;
    const swapped = Buffer.concat([
      bytes.subarray(0, headerEnd),
      bytes.subarray(headerEnd + record, headerEnd + 2 * record),
      bytes.subarray(headerEnd, headerEnd + record),
      bytes.subarray(headerEnd + 2 * record),
    ]);
    writeFileSync(file, swapped);
    await expect(readAll(file, "file-1")).rejects.toThrow(/chunk 0 fails authentication/);
  });

  it("refuses a file presented under another export's id", async () => {
    const file = await encrypted(Buffer.from("hello"), "export-a");
    await expect(readAll(file, "export-b")).rejects.toThrow(/its key does not open/);
  });

  it("still opens files written before a key rotation, and says which key is missing otherwise", async () => {
    const file = await encrypted(Buffer.from("before rotation"));
    const rotated = createKeyring(keyB, [keyA]);
    expect((await readAll(file, "file-1", rotated)).toString()).toBe("before rotation");
    await expect(readAll(file, "file-1", createKeyring(keyB))).rejects.toThrow(UnknownKeyError);
  });

  it("leaves no file behind when the source fails mid-way", async () => {
    const target = path.join(dir, "broken.pdx");
    async function* failing() {
      yield Buffer.alloc(100_000);
      throw new Error("source broke");
    }
    await expect(writeEncryptedFile(target, "broken", ring, failing())).rejects.toThrow("source broke");
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith("broken"))).toEqual([]);
  });
});
