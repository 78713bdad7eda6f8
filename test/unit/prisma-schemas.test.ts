import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derivePostgresqlSchema, providerOf, SCHEMAS } from "../../prisma/schemas";

const source = readFileSync(SCHEMAS.sqlite.schema, "utf8");
const models = (schema: string) => schema.slice(schema.indexOf("model "));

describe("PostgreSQL's schema, derived from prisma/schema.prisma", () => {
  it("has the same models under PostgreSQL's datasource and its own client", () => {
    // WHEN the committed schema is derived
    const derived = derivePostgresqlSchema(source);
    // THEN only the datasource and the generator differ
    expect(derived).toMatch(/datasource db \{\s*provider = "postgresql"/);
    expect(derived).toContain('output     = "../../node_modules/@privacy-desk/prisma-postgresql"');
    expect(derived).not.toContain('provider = "sqlite"');
    expect(models(derived)).toBe(models(source));
  });

  it.each([
    ["a native type", "  name String @db.VarChar(10)", "@db."],
    ["a Json column", "  data Json", "Json"],
    ["a scalar list", "  tags String[]", "String[]"],
  ])("refuses %s, which only one provider has", (_, field, named) => {
    const schema = source.replace("model Shop {", `model Shop {\n${field}`);
    expect(() => derivePostgresqlSchema(schema)).toThrow(named);
  });

  it("keeps relation lists, which both providers have", () => {
    expect(source).toContain("PrivacyRequest[]");
    expect(() => derivePostgresqlSchema(source)).not.toThrow();
  });

  it("tells the providers apart by DATABASE_URL", () => {
    expect(providerOf("file:./dev.sqlite")).toBe("sqlite");
    expect(providerOf("postgresql://u:p@127.0.0.1:5432/db")).toBe("postgresql");
    expect(providerOf("postgres://u@h/db")).toBe("postgresql");
    expect(() => providerOf("mysql://h/db")).toThrow(/DATABASE_URL must start with/);
  });
});
