import { describe, expect, it } from "vitest";
import {
  abbreviate,
  containsBidiControl,
  containsControlCharacter,
  displayParagraph,
  displayValue,
} from "../../app/domain/display-text";

const RLO = "\u202E";

describe("shopper text as it is displayed", () => {
  it.each([
    [
      "an address disguised by a right-to-left override",
      `ann${RLO}moc.live@example.com`,
      "annmoc.live@example.com",
    ],
    [
      "every embedding, override, isolate and mark",
      "a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i\u200Ej\u200Fk\u061Cl",
      "abcdefghijkl",
    ],
    ["control characters and DEL", "ann\u0000\u0007@ex\u007Fample\u009B.com", "ann@example.com"],
    ["tabs and line breaks, which become one space", "Ann\t\r\nLee", "Ann Lee"],
    ["right-to-left letters, which are text, not controls", "مريم@example.com", "مريم@example.com"],
    ["zero-width joiners, which emoji and some scripts need", "👩\u200D💻 Priya", "👩\u200D💻 Priya"],
    [
      "markup, which React escapes and is kept as typed",
      "<img src=x onerror=alert(1)>",
      "<img src=x onerror=alert(1)>",
    ],
  ])("GIVEN %s WHEN displayed as a value THEN it reads as typed", (_case, input, shown) => {
    expect(displayValue(input)).toBe(shown);
  });

  it("GIVEN a reason over several lines WHEN displayed as a paragraph THEN line breaks stay and controls go", () => {
    expect(displayParagraph(`First line\r\nSecond${RLO} line\u0000\tend`)).toBe(
      "First line\nSecond line\tend",
    );
  });

  it("GIVEN text WHEN checked for hidden characters THEN bidi and control characters are named apart", () => {
    expect(containsBidiControl(`x${RLO}y`)).toBe(true);
    expect(containsBidiControl("x\u2069")).toBe(true);
    expect(containsBidiControl("plain@example.com")).toBe(false);
    expect(containsControlCharacter("a\nb")).toBe(true);
    expect(containsControlCharacter("a\u0085b")).toBe(true);
    expect(containsControlCharacter("a b")).toBe(false);
  });

  it.each([
    ["short", 10, "short"],
    ["exactly-10", 10, "exactly-10"],
    ["averyveryverylongname@example.com", 15, "averyve…ple.com"],
    [
      "\u{1F469}\u200D\u{1F4BB}abcdef\u{1F469}\u200D\u{1F4BB}",
      5,
      "\u{1F469}\u200D\u{1F4BB}a…f\u{1F469}\u200D\u{1F4BB}",
    ],
  ])("GIVEN %j WHEN abbreviated to %i characters THEN the middle gives way: %j", (value, max, expected) => {
    expect(abbreviate(value, max)).toBe(expected);
  });
});
