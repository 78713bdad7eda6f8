import { beforeEach, describe, expect, it } from "vitest";
import { action } from "../../app/routes/app.requests.new";
import { countAllRows } from "../helpers/db";
import { resetDatabase } from "../helpers/reset";
import { embeddedRequest, respond, signedInStaff } from "../helpers/staff";

beforeEach(resetDatabase);

const form = (overrides: Record<string, string>) => ({
  type: "access",
  regime: "gdpr",
  channel: "phone",
  receivedOn: new Date().toISOString().slice(0, 10),
  email: "caller@example.com",
  phone: "",
  customerId: "",
  verified: "on",
  ...overrides,
});

async function record(fields: Record<string, string>) {
  const approver = await signedInStaff({ userId: "501", role: "approver" });
  const before = await countAllRows();
  const response = await respond(async () =>
    action({
      request: await embeddedRequest(approver, "/app/requests/new", { form: form(fields) }),
      params: {},
      context: {},
    }),
  );
  return { response, before };
}

describe("'Record a request': what the server lets in", () => {
  it.each([
    [
      "a 5,000-character email",
      { email: `${"a".repeat(4988)}@example.com` },
      "email",
      "The email address is longer than 254 characters",
    ],
    [
      "an email disguised with U+202E",
      { email: "ann\u202Egpj.evil@example.com" },
      "email",
      "contains control or invisible formatting characters",
    ],
    [
      "a phone with letters",
      { phone: "call me maybe" },
      "phone",
      "may hold only digits, spaces and + ( ) - .",
    ],
    ["a phone with a NUL", { phone: "+1 555\u00000100" }, "phone", "may hold only digits"],
  ])(
    "GIVEN %s WHEN posted THEN 400 naming the field, and nothing is stored",
    async (_case, fields, field, message) => {
      const { response, before } = await record(fields);

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        fieldErrors: { [field]: expect.stringContaining(message) },
      });
      expect(await countAllRows()).toEqual(before);
    },
  );

  it("GIVEN a well-formed email and phone WHEN posted THEN the request is recorded and the page opens", async () => {
    const { response } = await record({ phone: "+44 (20) 7946-0958" });

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/app\/requests\/[\w-]+\?created=1$/);
  });
});
