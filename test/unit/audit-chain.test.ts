import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  verifyChain,
  type StoredChainedEvent,
} from "../../app/domain/audit-chain";

const key = Buffer.alloc(32, 1);
const keys = (id: string) => {
  if (id === "k1") return key;
  throw new Error(`unknown key ${id}`);
};

function buildChain(n: number): StoredChainedEvent[] {
  const events: StoredChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const fields = {
      shopId: "shop1",
      seq,
      requestId: "r1",
      actor: "shopify",
      action: `a${seq}`,
      occurredAt: new Date(Date.UTC(2026, 0, seq)),
      data: canonicalJson({ seq }),
      subjectId: null,
      piiCipher: null,
      chainKeyId: "k1",
      prevHash,
    };
    const hash = chainHash(key, fields);
    events.push({ ...fields, id: `e${seq}`, hash });
    prevHash = hash;
  }
  return events;
}

describe("canonical JSON", () => {
  it("encodes the same value to the same bytes whatever the key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, skip: undefined })).toBe('{"a":1}');
    expect(canonicalJson(new Date("2026-01-01T00:00:00Z"))).toBe('"2026-01-01T00:00:00.000Z"');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
  });
});

describe("audit hash chain", () => {
  it("verifies an intact chain", () => {
    expect(verifyChain(buildChain(5), keys)).toEqual({ ok: true, count: 5 });
    expect(verifyChain([], keys)).toEqual({ ok: true, count: 0 });
  });

  it("names an edited event", () => {
    const events = buildChain(5);
    events[2] = { ...events[2]!, data: '{"seq":99}' };
    expect(verifyChain(events, keys)).toMatchObject({
      ok: false,
      count: 2,
      badEvent: { id: "e3", seq: 3 },
      reason: expect.stringMatching(/edited/),
    });
  });

  it("names the event after a deleted one", () => {
    const events = buildChain(5);
    events.splice(1, 1);
    expect(verifyChain(events, keys)).toMatchObject({
      ok: false,
      badEvent: { id: "e3" },
      reason: expect.stringMatching(/expected sequence number 2/),
    });
  });

  it("catches a rewritten event whose hash was recomputed without the key (the next link breaks)", () => {
    const events = buildChain(4);
    const forgedKey = Buffer.alloc(32, 9);
    const forged = { ...events[1]!, action: "forged" };
    events[1] = { ...forged, hash: chainHash(forgedKey, forged) };
    expect(verifyChain(events, keys)).toMatchObject({ ok: false, badEvent: { id: "e2" } });
  });

  it("catches a key holder who rewrites one event and re-hashes only it: the next link breaks", () => {
    const events = buildChain(4);
    const rewritten = { ...events[1]!, data: '{"seq":42}' };
    events[1] = { ...rewritten, hash: chainHash(key, rewritten) };
    expect(verifyChain(events, keys)).toMatchObject({
      ok: false,
      count: 2,
      badEvent: { id: "e3", seq: 3 },
      reason: expect.stringMatching(/link to the previous event/),
    });
  });

  it("catches a re-linked chain whose hashes were recomputed with a wrong key at the first changed event", () => {
    const events = buildChain(3);
    expect(verifyChain(events, () => Buffer.alloc(32, 2))).toMatchObject({
      ok: false,
      badEvent: { id: "e1" },
    });
  });

  it("reports an event signed with a key it does not have", () => {
    const events = buildChain(2).map((e) => ({ ...e, chainKeyId: "gone" }));
    expect(verifyChain(events, keys)).toMatchObject({
      ok: false,
      badEvent: { id: "e1" },
      reason: "unknown key gone",
    });
  });

  it("ignores extra properties on stored rows (id, hash) when hashing", () => {
    const [event] = buildChain(1);
    expect(chainHash(key, event!)).toBe(event!.hash);
  });
});
