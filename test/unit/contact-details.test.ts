import { describe, expect, it } from "vitest";
import { emailProblem, phoneProblem } from "../../app/domain/contact-details";

describe("shopper email addresses", () => {
  it.each([
    "john@example.com",
    "John.Smith+orders@example.co.uk",
    "o'brien@example.ie",
    "user_name-1@sub-domain.example.org",
    "josé@exämple.de",
    "用户@例子.广告",
    `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`, // 254 characters
  ])("accepts %s", (email) => {
    expect(emailProblem(email)).toBeNull();
  });

  it.each([
    ["5,000 characters", `${"a".repeat(4988)}@example.com`, /longer than 254/],
    [
      "255 characters",
      `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`,
      /longer than 254/,
    ],
    ["a right-to-left override", "\u202Emoc.elpmaxe@nhoj", /control or invisible formatting/],
    ["a left-to-right isolate", "john\u2066@example.com", /control or invisible formatting/],
    ["a right-to-left mark", "john@example.com\u200F", /control or invisible formatting/],
    ["a zero-width joiner", "jo\u200Dhn@example.com", /control or invisible formatting/],
    ["a newline", "john@example.com\nBcc: x@example.com", /control or invisible formatting/],
    ["a NUL", "john\u0000@example.com", /control or invisible formatting/],
    ["no @", "john.example.com", /no @/],
    ["nothing before the @", "@example.com", /part before the @/],
    ["a 65-character local part", `${"a".repeat(65)}@example.com`, /part before the @/],
    ["markup", "<script>alert(1)</script>@example.com", /characters or dots/],
    ["two dots in a row", "john..smith@example.com", /characters or dots/],
    ["a leading dot", ".john@example.com", /characters or dots/],
    ["a quoted local part", '"john smith"@example.com', /characters or dots/],
    ["two @", "john@smith@example.com", /characters or dots/],
    ["a domain without a dot", "john@localhost", /no valid domain/],
    ["an address literal", "john@[127.0.0.1]", /no valid domain/],
    ["a numeric top-level domain", "john@127.0.0.1", /no valid domain/],
    ["a label starting with a hyphen", "john@-example.com", /no valid domain/],
    ["an empty label", "john@example..com", /no valid domain/],
    ["a space", "john smith@example.com", /characters or dots/],
  ])("refuses an address with %s", (_name, email, message) => {
    expect(emailProblem(email)).toMatch(message);
  });
});

describe("shopper phone numbers", () => {
  it.each(["555-625-1199", "+16135551111", "+44 (20) 7946.0958", "0"])("accepts %s", (phone) => {
    expect(phoneProblem(phone)).toBeNull();
  });

  it.each([
    ["letters", "call me", /only digits/],
    ["an extension", "555-1199 ext 2", /only digits/],
    ["markup", "<b>555</b>", /only digits/],
    ["a right-to-left override", "\u202E5551199", /only digits/],
    ["33 characters", "1".repeat(33), /longer than 32/],
    ["no digits", "+() -", /no digits/],
  ])("refuses a phone with %s", (_name, phone, message) => {
    expect(phoneProblem(phone)).toMatch(message);
  });
});
