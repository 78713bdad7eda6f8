import type { Db, Tx } from "../../db-types";
import {
  isStorefrontLocale,
  isTextKey,
  resolveTexts,
  STOREFRONT_LOCALES,
  textOverrideProblem,
  type StorefrontLocale,
  type StorefrontTexts,
  type TextKey,
} from "../../domain/storefront-texts";
import type { Keyring } from "../../security/keyring";
import { appendAuditEvent, type Actor } from "../audit-log.server";

export type TextOverrides = Record<StorefrontLocale, Partial<Record<TextKey, string>>>;

/** A shop's overrides, per language (rows for unknown keys or languages are ignored). */
export async function textOverrides(db: Db | Tx, shopId: string): Promise<TextOverrides> {
  const rows = await db.storefrontText.findMany({
    where: { shopId },
    select: { locale: true, key: true, value: true },
  });
  const overrides = Object.fromEntries(STOREFRONT_LOCALES.map((locale) => [locale, {}])) as TextOverrides;
  for (const row of rows)
    if (isStorefrontLocale(row.locale) && isTextKey(row.key)) overrides[row.locale][row.key] = row.value;
  return overrides;
}

/** What a shopper reads in `locale` in this shop. */
export async function shopTexts(
  db: Db | Tx,
  shopId: string,
  locale: StorefrontLocale,
): Promise<StorefrontTexts> {
  return resolveTexts(locale, (await textOverrides(db, shopId))[locale]);
}

export class TextOverrideError extends Error {
  constructor(readonly problems: Record<string, string>) {
    super("Some texts cannot be used");
    this.name = "TextOverrideError";
  }
}

/**
 * Replaces a language's overrides with `values` (key → text; blank means "use the default"), in
 * one transaction with an audit event naming who changed which texts. Every text is checked
 * first; one bad text changes nothing.
 */
export async function saveTextOverrides(
  db: Db,
  keyring: Keyring,
  input: {
    shopId: string;
    locale: StorefrontLocale;
    values: Partial<Record<TextKey, string>>;
    actor: Actor;
    now: Date;
  },
): Promise<{ changed: TextKey[] }> {
  const problems: Record<string, string> = {};
  const next = new Map<TextKey, string>();
  for (const [key, raw] of Object.entries(input.values)) {
    if (!isTextKey(key)) {
      problems[key] = "is not a text of the storefront";
      continue;
    }
    const value = (raw ?? "").replace(/\r\n/g, "\n");
    if (value.trim() === "") continue;
    const problem = textOverrideProblem(key, value);
    if (problem) problems[key] = `This text ${problem}`;
    else next.set(key, value);
  }
  if (Object.keys(problems).length) throw new TextOverrideError(problems);
  return db.$transaction(async (tx) => {
    const before = (await textOverrides(tx, input.shopId))[input.locale];
    const keys = new Set<TextKey>([...(Object.keys(before) as TextKey[]), ...next.keys()]);
    const changed = [...keys].filter((key) => before[key] !== next.get(key)).sort();
    if (changed.length === 0) return { changed };
    await tx.storefrontText.deleteMany({ where: { shopId: input.shopId, locale: input.locale } });
    if (next.size)
      await tx.storefrontText.createMany({
        data: [...next].map(([key, value]) => ({ shopId: input.shopId, locale: input.locale, key, value })),
      });
    await appendAuditEvent(tx, keyring, {
      shopId: input.shopId,
      actor: input.actor,
      action: "settings.storefront_texts_updated",
      occurredAt: input.now,
      data: { locale: input.locale, changed },
    });
    return { changed };
  });
}

/** What Settings shows for the storefront: whether codes can be sent, and the shop's texts. */
export async function storefrontSettings(
  db: Db,
  shopId: string,
  env: { SMTP_URL?: string; MAIL_FROM?: string },
): Promise<{ mailReady: boolean; overrides: TextOverrides }> {
  return { mailReady: Boolean(env.SMTP_URL && env.MAIL_FROM), overrides: await textOverrides(db, shopId) };
}

/**
 * Settings › Storefront texts, as posted: `locale` and one `text.<key>` field per text. Each
 * problem is named on its field; one bad text changes nothing.
 */
export async function saveStorefrontTexts(
  db: Db,
  keyring: Keyring,
  staff: { shopId: string; actor: Actor },
  form: Record<string, FormDataEntryValue>,
  now: Date,
): Promise<
  { ok: true; message: string } | { ok: false; message: string; fieldErrors: Record<string, string> }
> {
  const locale = form.locale;
  if (!isStorefrontLocale(locale))
    return {
      ok: false,
      message: "Choose a language",
      fieldErrors: { locale: "Choose English, German, French or Spanish" },
    };
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(form))
    if (name.startsWith("text.") && typeof value === "string") values[name.slice("text.".length)] = value;
  try {
    const { changed } = await saveTextOverrides(db, keyring, {
      shopId: staff.shopId,
      locale,
      values,
      actor: staff.actor,
      now,
    });
    return {
      ok: true,
      message: changed.length ? `Storefront texts saved (${changed.length} changed)` : "No text changed",
    };
  } catch (error) {
    if (!(error instanceof TextOverrideError)) throw error;
    return {
      ok: false,
      message: "Some texts cannot be used",
      fieldErrors: Object.fromEntries(
        Object.entries(error.problems).map(([key, problem]) => [`text.${key}`, problem]),
      ),
    };
  }
}
