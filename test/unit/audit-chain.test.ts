import { describe, expect, it } from "vitest";
import { formatAnchor, GENESIS_HASH, parseAnchor, type ChainHead } from "../../app/domain/audit-anchor";
import { canonicalJson, chainHash, verifyChain, type StoredChainedEvent } from "../../app/domain/audit-chain";

const key = Buffer.alloc(32, 1);
const keys = (id: string) => {
  if (id === "k1") return key;
  throw new Error(`unknown key ${id}`);
};

function buildChain(n: number, options: { shopId?: string; action?: (seq: number) => string } = {}) {
  return extendChain([], n, options);
}

/** Appends `n` events after `events`, each hashed with the real key, as the app would. */
function extendChain(
  events: StoredChainedEvent[],
  n: number,
  options: { shopId?: string; action?: (seq: number) => string } = {},
): StoredChainedEvent[] {
  const chain = [...events];
  let prevHash = chain.at(-1)?.hash ?? GENESIS_HASH;
  for (let seq = chain.length + 1; seq <= events.length + n; seq += 1) {
    const fields = {
      shopId: options.shopId ?? "shop1",
      seq,
      requestId: "r1",
      actor: "shopify",
      action: options.action?.(seq) ?? `a${seq}`,
      occurredAt: new Date(Date.UTC(2026, 0, seq)),
      data: canonicalJson({ seq }),
      subjectId: null,
      piiCipher: null,
      chainKeyId: "k1",
      prevHash,
    };
    const hash = chainHash(key, fields);
    chain.push({ ...fields, id: `e${seq}`, hash });
    prevHash = hash;
  }
  return chain;
}

const headOf = (events: StoredChainedEvent[], seq = events.length): ChainHead => ({
  seq,
  hash: events[seq - 1]!.hash,
});

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
    const events = buildChain(5);
    expect(verifyChain(events, keys)).toEqual({ ok: true, count: 5, head: headOf(events), anchor: null });
    expect(verifyChain([], keys)).toEqual({
      ok: true,
      count: 0,
      head: { seq: 0, hash: GENESIS_HASH },
      anchor: null,
    });
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

const HEX = "ab".repeat(32);

describe("chain anchors (seq:hash)", () => {
  it.each([
    [`42:${HEX}`, { seq: 42, hash: HEX }],
    [`  7:${HEX.toUpperCase()}\n`, { seq: 7, hash: HEX }],
    [`0:${GENESIS_HASH}`, { seq: 0, hash: GENESIS_HASH }],
    [`2147483647:${HEX}`, { seq: 2147483647, hash: HEX }],
  ])("GIVEN %j WHEN parsed THEN it is the anchor %j", (text, anchor) => {
    expect(parseAnchor(text)).toEqual({ ok: true, anchor });
    expect(parseAnchor(formatAnchor(anchor))).toEqual({ ok: true, anchor });
  });

  it.each([
    ["", /<event number>:<64 hex characters>/],
    ["42", /<event number>:<64 hex characters>/],
    ["42:", /<event number>:<64 hex characters>/],
    [`:${HEX}`, /<event number>:<64 hex characters>/],
    [`-1:${HEX}`, /<event number>:<64 hex characters>/],
    [`1.5:${HEX}`, /<event number>:<64 hex characters>/],
    [`42:${HEX.slice(1)}`, /<event number>:<64 hex characters>/],
    [`42:${HEX}0`, /<event number>:<64 hex characters>/],
    [`42:${"g".repeat(64)}`, /<event number>:<64 hex characters>/],
    [`42 ${HEX}`, /<event number>:<64 hex characters>/],
    [`42:${HEX} 43:${HEX}`, /<event number>:<64 hex characters>/],
    [`2147483648:${HEX}`, /no chain has an event number as large as 2147483648/],
    [`0:${HEX}`, /event number 0 is the empty chain/],
  ])("GIVEN %j WHEN parsed THEN it is refused: %s", (text, problem) => {
    const parsed = parseAnchor(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.problem).toMatch(problem);
  });
});

describe("audit hash chain against an anchor", () => {
  it("GIVEN an anchor at the head or anywhere before it WHEN the untouched chain is verified THEN it holds", () => {
    const events = buildChain(5);
    for (const seq of [1, 3, 5]) {
      expect(verifyChain(events, keys, { anchor: headOf(events, seq) })).toEqual({
        ok: true,
        count: 5,
        head: headOf(events),
        anchor: headOf(events, seq),
      });
    }
  });

  it("GIVEN an anchor taken earlier WHEN events were appended since THEN it still holds, and the new head is reported", () => {
    const earlier = buildChain(3);
    const later = extendChain(earlier, 4);
    expect(verifyChain(later, keys, { anchor: headOf(earlier) })).toMatchObject({
      ok: true,
      count: 7,
      head: headOf(later),
    });
  });

  // Issue 8, finding 13: a prefix of the chain is itself a valid chain.
  it("GIVEN the newest events deleted WHEN verified against the anchor taken before THEN the removal is named (without it, the prefix passes)", () => {
    const events = buildChain(6);
    const anchor = headOf(events);
    const truncated = events.slice(0, 4);

    expect(verifyChain(truncated, keys)).toMatchObject({ ok: true, count: 4 });
    expect(verifyChain(truncated, keys, { anchor })).toEqual({
      ok: false,
      count: 4,
      head: headOf(truncated),
      badEvent: null,
      reason: "the chain ends at event 4, but the anchor names event 6: the newest 2 events were removed",
    });
    expect(verifyChain(events.slice(0, 5), keys, { anchor })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/the newest event was removed$/),
    });
  });

  it("GIVEN every event deleted WHEN verified against an anchor THEN the emptied chain fails", () => {
    const events = buildChain(3);

    expect(verifyChain([], keys)).toMatchObject({ ok: true, count: 0 });
    expect(verifyChain([], keys, { anchor: headOf(events, 1) })).toMatchObject({
      ok: false,
      count: 0,
      badEvent: null,
      reason: expect.stringMatching(/the chain is empty, but the anchor 1:[0-9a-f]{64} names event 1/),
    });
  });

  it("GIVEN the empty chain's own anchor (0:genesis) WHEN an empty or longer chain is verified THEN it holds", () => {
    const empty = { seq: 0, hash: GENESIS_HASH };
    expect(verifyChain([], keys, { anchor: empty })).toMatchObject({ ok: true, anchor: empty });
    expect(verifyChain(buildChain(2), keys, { anchor: empty })).toMatchObject({ ok: true, count: 2 });
  });

  it("GIVEN the newest events deleted and new ones written in their place WHEN verified THEN the anchored position is named", () => {
    const events = buildChain(5);
    const anchor = headOf(events);
    const replaced = extendChain(events.slice(0, 3), 3, { action: (seq) => `replacement${seq}` });

    expect(verifyChain(replaced, keys)).toMatchObject({ ok: true, count: 6 });
    expect(verifyChain(replaced, keys, { anchor })).toMatchObject({
      ok: false,
      count: 4,
      badEvent: { id: "e5", seq: 5 },
      reason: expect.stringMatching(/its hash differs from the anchor 5:/),
    });
  });

  it("GIVEN a key holder who rewrites an early event and re-hashes every later one WHEN verified THEN the chain alone passes and the anchor catches it", () => {
    const events = buildChain(5);
    const anchor = headOf(events, 4);
    const rewritten = extendChain(events.slice(0, 1), 4, {
      action: (seq) => (seq === 2 ? "forged" : `a${seq}`),
    });

    expect(verifyChain(rewritten, keys)).toMatchObject({ ok: true, count: 5 });
    expect(verifyChain(rewritten, keys, { anchor })).toMatchObject({
      ok: false,
      badEvent: { seq: 4 },
      reason: expect.stringMatching(/differs from the anchor/),
    });
  });

  it("GIVEN a key holder who rewrites only events after the anchor WHEN verified THEN it passes: an anchor vouches for what came before it, no more", () => {
    const events = buildChain(5);
    const anchor = headOf(events, 3);
    const rewrittenTail = extendChain(events.slice(0, 3), 2, { action: (seq) => `forged${seq}` });

    expect(verifyChain(rewrittenTail, keys, { anchor })).toMatchObject({ ok: true, anchor });
  });

  it("GIVEN another shop's anchor WHEN verified THEN it does not hold", () => {
    const mine = buildChain(3);
    const theirs = buildChain(3, { shopId: "shop2" });
    expect(verifyChain(mine, keys, { anchor: headOf(theirs, 2) })).toMatchObject({
      ok: false,
      badEvent: { seq: 2 },
      reason: expect.stringMatching(/or the anchor is from another shop/),
    });
  });

  it("GIVEN a chain broken before the anchored event WHEN verified THEN the first broken event is named", () => {
    const events = buildChain(5);
    const anchor = headOf(events);
    events[1] = { ...events[1]!, data: '{"seq":99}' };
    expect(verifyChain(events, keys, { anchor })).toMatchObject({
      ok: false,
      count: 1,
      badEvent: { id: "e2", seq: 2 },
      reason: expect.stringMatching(/edited/),
    });
  });
});
