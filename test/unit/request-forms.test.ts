import { describe, expect, it } from "vitest";
import { fieldErrors, newRequestForm } from "../../app/domain/request-forms";

const valid = {
  type: "access",
  regime: "gdpr",
  channel: "email",
  receivedOn: "2026-11-20",
  email: "ann@example.com",
  phone: "",
  customerId: "",
  verified: "on",
};

/** A well-formed address of exactly `length` characters (64-character local part, labels of at most 63). */
function addressOfLength(length: number) {
  const local = "a".repeat(64);
  const middle = length - local.length - "@".length - ".com".length;
  const labels = [63, 63, middle - 63 - 63 - 2].map((size, i) => "bcd"[i]!.repeat(size));
  return `${local}@${labels.join(".")}.com`;
}

const errorsFor = (overrides: Record<string, string>) => {
  const parsed = newRequestForm.safeParse({ ...valid, ...overrides });
  return parsed.success ? {} : fieldErrors(parsed.error);
};

describe("the 'Record a request' form, on the way in", () => {
  it("GIVEN a plain request WHEN parsed THEN it is accepted, blanks as null", () => {
    expect(newRequestForm.parse(valid)).toMatchObject({
      email: "ann@example.com",
      phone: null,
      customerId: null,
    });
  });

  it.each([
    [
      "a 5,000-character address",
      `${"a".repeat(4988)}@example.com`,
      "The email address is longer than 254 characters",
    ],
    ["255 characters", addressOfLength(255), "The email address is longer than 254 characters"],
    [
      "a right-to-left override",
      "ann\u202Emoc.live@example.com",
      "contains control or invisible formatting characters",
    ],
    [
      "a left-to-right isolate",
      "ann\u2066@example.com",
      "contains control or invisible formatting characters",
    ],
    ["a line break", "ann\n@example.com", "contains control or invisible formatting characters"],
    ["a NUL", "ann\u0000@example.com", "contains control or invisible formatting characters"],
    ["no domain dot", "caller@localhost", "has no valid domain after the @"],
    [
      "two at signs",
      "a@b@example.com",
      "has characters or dots that an email address cannot have before the @",
    ],
    [
      "markup",
      "<script>@example.com",
      "has characters or dots that an email address cannot have before the @",
    ],
    [
      "a space",
      "ann lee@example.com",
      "has characters or dots that an email address cannot have before the @",
    ],
    [
      "a leading dot",
      ".ann@example.com",
      "has characters or dots that an email address cannot have before the @",
    ],
    [
      "consecutive dots",
      "ann..lee@example.com",
      "has characters or dots that an email address cannot have before the @",
    ],
    [
      "a 65-character local part",
      `${"a".repeat(65)}@example.com`,
      "needs a part before the @ of 1 to 64 characters",
    ],
    ["a label starting with a hyphen", "ann@-example.com", "has no valid domain after the @"],
    ["a numeric top-level label", "ann@example.123", "has no valid domain after the @"],
  ])("GIVEN an email with %s WHEN recorded THEN it is refused", (_case, email, message) => {
    expect(errorsFor({ email }).email).toContain(message);
  });

  it.each([
    ["a plus address", "ann+privacy@example.com"],
    ["subdomains", "ann.lee@mail.shop.example.co.uk"],
    ["an international domain in its xn-- form", "ann@xn--mller-kva.xn--p1ai"],
    ["letters beyond ASCII, as RFC 6531 allows", "josé@exämple.de"],
    ["254 characters exactly", addressOfLength(254)],
  ])("GIVEN an email with %s WHEN recorded THEN it is accepted", (_case, email) => {
    expect(email.length).toBeLessThanOrEqual(254);
    expect(errorsFor({ email })).toEqual({});
  });

  it.each([
    ["+44 (20) 7946-0958", null],
    ["020.7946.0958", null],
    ["555 0100 ext 4", "may hold only digits, spaces and + ( ) - ."],
    ["+1 555\u202E0100", "may hold only digits, spaces and + ( ) - ."],
    ["()-", "has no digits"],
    ["+1 (555) 010-0000 0000 0000 0000 00", "is longer than 32 characters"],
  ])("GIVEN the phone %j WHEN recorded THEN %s", (phone, message) => {
    const errors = errorsFor({ phone });
    if (message === null) expect(errors).toEqual({});
    else expect(errors.phone).toContain(message);
  });

  it("GIVEN corrections WHEN they carry hidden characters or a bad address THEN each field says so", () => {
    const errors = errorsFor({
      type: "rectification",
      customerId: "42",
      firstName: "Al\u202Eice",
      newEmail: "new@localhost",
      newPhone: "call me",
    });
    expect(errors).toMatchObject({
      firstName: expect.stringContaining("hidden formatting"),
      newEmail: "The corrected email address has no valid domain after the @",
      newPhone: "The corrected phone number may hold only digits, spaces and + ( ) - .",
    });
  });
});
