import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { DecryptionError, openToBuffer, seal } from "../security/envelope";
import type { Keyring } from "../security/keyring";

/**
 * Export files at rest: a random 256-bit data key per file, wrapped by the master key (its key
 * id in the header, so files written before a rotation still open). The body is AES-256-GCM in
 * chunks (the STREAM construction): every chunk has its own tag, with its index and a "last
 * chunk" flag bound in, so a reader streaming a download verifies each chunk before releasing it,
 * and an edited, reordered or truncated file fails with a clear error instead of yielding data.
 *
 * Layout: "PDX1" | u16 header length | header JSON {keyId, wrappedKey, noncePrefix}
 *         then records: u8 last-flag | u32 ciphertext length | ciphertext | 16-byte tag
 */
const MAGIC = Buffer.from("PDX1");
const CHUNK_SIZE = 64 * 1024;
const TAG_LENGTH = 16;

export class ExportFileError extends DecryptionError {}

const wrapContext = (fileId: string) => `export-file:${fileId}`;

function chunkNonce(prefix: Buffer, index: number): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0, 0, 8);
  nonce.writeUInt32BE(index, 8);
  return nonce;
}

function chunkAad(fileId: string, index: number, last: boolean): Buffer {
  return Buffer.from(`${fileId}:${index}:${last ? 1 : 0}`);
}

/** Re-chunks any stream of bytes into CHUNK_SIZE pieces, and says which is the last. */
async function* fixedChunks(
  source: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ chunk: Buffer; last: boolean }> {
  let pending = Buffer.alloc(0);
  let held: Buffer | null = null;
  for await (const piece of source) {
    pending = Buffer.concat([pending, Buffer.from(piece)]);
    while (pending.length >= CHUNK_SIZE) {
      if (held) yield { chunk: held, last: false };
      held = pending.subarray(0, CHUNK_SIZE);
      pending = pending.subarray(CHUNK_SIZE);
    }
  }
  if (pending.length > 0) {
    if (held) yield { chunk: held, last: false };
    yield { chunk: pending, last: true };
  } else {
    yield { chunk: held ?? Buffer.alloc(0), last: true };
  }
}

export interface WrittenFile {
  keyId: string;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Encrypts `source` into `path`. Written to a temporary name and renamed, so a crash never
 * leaves a half-written file under the real name.
 */
export async function writeEncryptedFile(
  path: string,
  fileId: string,
  keyring: Keyring,
  source: AsyncIterable<Uint8Array>,
): Promise<WrittenFile> {
  const dataKey = randomBytes(32);
  const noncePrefix = randomBytes(8);
  const header = Buffer.from(
    JSON.stringify({
      keyId: keyring.current.id,
      wrappedKey: seal(keyring.current.material, dataKey, wrapContext(fileId)),
      noncePrefix: noncePrefix.toString("base64"),
    }),
  );
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary, { mode: 0o600 });
  // events.once also rejects if the stream errors while we wait, and removes its listeners.
  const write = async (buffer: Buffer) => {
    if (!out.write(buffer)) await once(out, "drain");
  };
  let bytesIn = 0;
  let bytesOut = 0;
  try {
    const lengths = Buffer.alloc(2);
    lengths.writeUInt16BE(header.length);
    await write(Buffer.concat([MAGIC, lengths, header]));
    bytesOut += MAGIC.length + 2 + header.length;
    let index = 0;
    for await (const { chunk, last } of fixedChunks(source)) {
      const cipher = createCipheriv("aes-256-gcm", dataKey, chunkNonce(noncePrefix, index));
      cipher.setAAD(chunkAad(fileId, index, last));
      const body = Buffer.concat([cipher.update(chunk), cipher.final()]);
      const prefix = Buffer.alloc(5);
      prefix.writeUInt8(last ? 1 : 0, 0);
      prefix.writeUInt32BE(body.length, 1);
      await write(Buffer.concat([prefix, body, cipher.getAuthTag()]));
      bytesIn += chunk.length;
      bytesOut += 5 + body.length + TAG_LENGTH;
      index += 1;
    }
    out.end();
    await finished(out);
    await rename(temporary, path);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
  return { keyId: keyring.current.id, bytesIn, bytesOut };
}

/** Reads exactly `n` bytes from a byte iterator, or fewer at the end of the file. */
function byteReader(source: AsyncIterator<Buffer>) {
  let buffered = Buffer.alloc(0);
  let done = false;
  return async (n: number): Promise<Buffer> => {
    while (buffered.length < n && !done) {
      const next = await source.next();
      if (next.done) done = true;
      else buffered = Buffer.concat([buffered, next.value]);
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(out.length);
    return out;
  };
}

/** The decrypted content, chunk by chunk, each verified before it is yielded. */
export async function* readEncryptedFile(
  path: string,
  fileId: string,
  keyring: Keyring,
): AsyncGenerator<Buffer> {
  const read = byteReader(createReadStream(path)[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const damaged = (what: string) =>
    new ExportFileError(`Export file ${fileId} is damaged or was tampered with: ${what}`);
  const magic = await read(4);
  if (!magic.equals(MAGIC)) throw damaged("not an encrypted export file");
  const headerLength = (await read(2)).readUInt16BE(0);
  let header: { keyId: string; wrappedKey: string; noncePrefix: string };
  try {
    header = JSON.parse((await read(headerLength)).toString("utf8")) as typeof header;
  } catch {
    throw damaged("unreadable header");
  }
  const master = keyring.byId(header.keyId);
  let dataKey: Buffer;
  try {
    dataKey = openToBuffer(master.material, header.wrappedKey, wrapContext(fileId));
  } catch {
    throw damaged("its key does not open (wrong file, or header edited)");
  }
  const noncePrefix = Buffer.from(header.noncePrefix, "base64");
  for (let index = 0; ; index += 1) {
    const prefix = await read(5);
    if (prefix.length === 0) throw damaged(`it ends before its last chunk (after ${index} chunks)`);
    if (prefix.length < 5) throw damaged(`chunk ${index} is cut short`);
    const last = prefix.readUInt8(0) === 1;
    const length = prefix.readUInt32BE(1);
    if (length > CHUNK_SIZE) throw damaged(`chunk ${index} has an impossible length`);
    const body = await read(length);
    const tag = await read(TAG_LENGTH);
    if (body.length < length || tag.length < TAG_LENGTH) throw damaged(`chunk ${index} is cut short`);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv("aes-256-gcm", dataKey, chunkNonce(noncePrefix, index));
      decipher.setAAD(chunkAad(fileId, index, last));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw damaged(`chunk ${index} fails authentication`);
    }
    yield plain;
    if (last) {
      if ((await read(1)).length > 0) throw damaged("data after its last chunk");
      return;
    }
  }
}
