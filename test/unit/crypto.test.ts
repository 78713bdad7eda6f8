import { describe, expect, it } from "vitest";
import { emailBlindIndex, normalizeEmail } from "../../app/security/blind-index";
import { DecryptionError, open, seal } from "../../app/security/envelope";
import { createKeyring, keyIdOf, UnknownKeyError } from "../../app/security/keyring";

const key = Buffer.alloc(32, 3);

describe("envelope encryption (AES-256-GCM)", () => {
  it("round-trips text, with a fresh nonce each time", () => {
    const a = seal(key, "john@example.com", "s1:email");
    const b = seal(key, "john@example.com", "s1:email");
    expect(a).not.toBe(b);
    expect(open(key, a, "s1:email")).toBe("john@example.com");
  });

  it("refuses a flipped byte, another key, or another context", () => {
    const sealed = seal(key, "secret", "s1:email");
    const [v, nonce, tag, body] = sealed.split(".");
    const raw = Buffer.from(body!, "base64url");
    raw[0]! ^= 0x01;
    expect(() => open(key, [v, nonce, tag, raw.toString("base64url")].join("."), "s1:email")).toThrow(
      DecryptionError,
    );
    expect(() => open(Buffer.alloc(32, 4), sealed, "s1:email")).toThrow(DecryptionError);
    expect(() => open(key, sealed, "s2:email")).toThrow(DecryptionError);
    expect(() => open(key, "garbage", "")).toThrow(/known version/);
  });
});

describe("keyring", () => {
  const current = Buffer.alloc(32, 5).toString("base64");
  const retired = Buffer.alloc(32, 6).toString("base64");

  it("finds current and retired keys by id, and refuses unknown ones", () => {
    const ring = createKeyring(current, [retired]);
    expect(ring.current.id).toBe(keyIdOf(Buffer.alloc(32, 5)));
    expect(ring.byId(keyIdOf(Buffer.alloc(32, 6))).material).toEqual(Buffer.alloc(32, 6));
    expect(() => ring.byId("nope")).toThrow(UnknownKeyError);
  });

  it("derives distinct subkeys per purpose, never the master key", () => {
    const ring = createKeyring(current);
    const chain = ring.derive("audit-chain");
    const index = ring.derive("email-index");
    expect(chain).toHaveLength(32);
    expect(chain.equals(index)).toBe(false);
    expect(chain.equals(ring.current.material)).toBe(false);
  });

  it("rejects a key that is not 32 bytes", () => {
    expect(() => createKeyring(Buffer.alloc(16).toString("base64"))).toThrow(/32 bytes of base64, got 16/);
  });
});

describe("email blind index", () => {
  it("matches case and whitespace variants, and depends on the key", () => {
    expect(normalizeEmail("  John@Example.COM ")).toBe("john@example.com");
    expect(emailBlindIndex(key, "John@Example.com")).toBe(emailBlindIndex(key, "john@example.com "));
    expect(emailBlindIndex(key, "john@example.com")).not.toBe(
      emailBlindIndex(Buffer.alloc(32, 8), "john@example.com"),
    );
  });
});
