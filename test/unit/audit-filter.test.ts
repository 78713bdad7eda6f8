import { describe, expect, it } from "vitest";
import { calendarDay, parseAuditFilter } from "../../app/domain/audit-filter";

const parse = (query: string) => parseAuditFilter(new URLSearchParams(query));

describe("audit log filter", () => {
  it("GIVEN no filter parameters, only Shopify's WHEN parsed THEN the filter is empty", () => {
    expect(parse("shop=x.myshopify.com&host=abc&embedded=1&from=&actor=")).toEqual({ ok: true, filter: {} });
  });

  it("GIVEN every filter WHEN parsed THEN dates are UTC days, the end date inclusive", () => {
    expect(parse("requestId=+r1+&actor=staff:7&from=2026-02-01&to=2026-02-28&before=51")).toEqual({
      ok: true,
      filter: {
        requestId: "r1",
        actor: "staff:7",
        from: new Date("2026-02-01T00:00:00.000Z"),
        to: new Date("2026-03-01T00:00:00.000Z"),
        beforeSeq: 51,
      },
    });
    expect(parse("from=2028-02-29&to=2028-02-29")).toMatchObject({
      ok: true,
      filter: { from: new Date("2028-02-29T00:00:00Z"), to: new Date("2028-03-01T00:00:00Z") },
    });
  });

  // Issue 8, finding 14: impossible dates reached the query as Invalid Date and gave a 500.
  it.each([
    ["from=2026-13-45", "from", /2026-13-45 is not a real date/],
    ["from=2026-02-30", "from", /2026-02-30 is not a real date/],
    ["to=2027-02-29", "to", /2027-02-29 is not a real date/],
    ["to=2026-00-10", "to", /not a real date/],
    ["from=0000-01-01", "from", /not a real date/],
    ["to=9999-12-31", "to", /not a real date/],
    ["from=2026-1-5", "from", /YYYY-MM-DD/],
    ["from=yesterday", "from", /YYYY-MM-DD/],
    ["from=2026-02-01T00:00:00Z", "from", /YYYY-MM-DD/],
    [`from=${"2".repeat(5000)}`, "from", /YYYY-MM-DD/],
    ["from=2026-03-02&to=2026-03-01", "to", /before the start date/],
    [`requestId=${"r".repeat(101)}`, "requestId", /at most 100 characters/],
    [`actor=${"a".repeat(10_000)}`, "actor", /at most 100 characters/],
    ["before=0", "before", /an event number/],
    ["before=-3", "before", /an event number/],
    ["before=1.5", "before", /an event number/],
    ["before=0x10", "before", /an event number/],
    ["before=2147483648", "before", /an event number/],
    [`before=${"9".repeat(400)}`, "before", /an event number/],
  ])("GIVEN %s WHEN parsed THEN it is refused, naming %s", (query, field, problem) => {
    const parsed = parse(query);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors)).toEqual([field]);
    expect(parsed.errors[field as keyof typeof parsed.errors]).toMatch(problem);
    expect(parsed.message).toMatch(new RegExp(`^${field}: `));
  });

  it("GIVEN several bad fields WHEN parsed THEN each is named once", () => {
    const parsed = parse("from=2026-13-45&to=nope&before=x");
    expect(parsed).toMatchObject({ ok: false, errors: { from: expect.any(String), to: expect.any(String) } });
    expect(parsed.ok ? "" : parsed.message).toMatch(/^from: .*; to: .*; before: /);
  });

  it.each([
    ["2026-01-31", "2026-01-31T00:00:00.000Z"],
    ["1970-01-01", "1970-01-01T00:00:00.000Z"],
    ["9998-12-31", "9998-12-31T00:00:00.000Z"],
    ["2026-04-31", null],
    ["2100-02-29", null],
    ["2026-12-32", null],
  ])("calendarDay(%s) is %s", (input, expected) => {
    expect(calendarDay(input)?.toISOString() ?? null).toBe(expected);
  });
});
