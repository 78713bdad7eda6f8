import { Form, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import {
  DEFAULT_TEXTS,
  LOCALE_NAMES,
  STOREFRONT_LOCALES,
  TEXT_KEYS,
  type StorefrontLocale,
  type TextKey,
} from "../../domain/storefront-texts";

export interface StorefrontSettingsData {
  /** SMTP_URL and MAIL_FROM are set: codes and receipts can be sent. */
  mailReady: boolean;
  overrides: Record<StorefrontLocale, Partial<Record<TextKey, string>>>;
}

const GROUPS: { title: string; prefixes: string[] }[] = [
  { title: "The page and its form", prefixes: ["page.", "form.", "type.", "error.", "login.", "restart."] },
  { title: "The code step", prefixes: ["code."] },
  { title: "After the request", prefixes: ["done.", "limit.", "gone.", "unavailable.", "gpc."] },
  { title: "The export download page", prefixes: ["download."] },
  { title: "Emails", prefixes: ["email."] },
];

const LANGUAGE_OPTIONS = STOREFRONT_LOCALES.map((locale) => ({ label: LOCALE_NAMES[locale], value: locale }));

/**
 * The storefront page (/apps/privacy, the theme block and the privacy-choices embed): whether it
 * can send codes, and the shopper-facing texts in each language, each one the merchant's to
 * reword. A blank field uses Privacy Desk's text, shown as the placeholder.
 */
export function StorefrontSettingsCard(props: {
  storefront: StorefrontSettingsData;
  canEdit: boolean;
  errors: Record<string, string>;
  savedLocale?: string;
}) {
  const { storefront, canEdit, errors } = props;
  const busy = useNavigation().state === "submitting";
  const initial = (STOREFRONT_LOCALES as readonly string[]).includes(props.savedLocale ?? "")
    ? (props.savedLocale as StorefrontLocale)
    : "en";
  const [locale, setLocale] = useState<StorefrontLocale>(initial);
  const [values, setValues] = useState<Partial<Record<TextKey, string>>>(storefront.overrides[initial]);

  const chooseLocale = (next: string) => {
    setLocale(next as StorefrontLocale);
    setValues(storefront.overrides[next as StorefrontLocale]);
  };
  const changed = TEXT_KEYS.filter((key) => (storefront.overrides[locale][key] ?? "") !== "").length;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Storefront page and texts
        </Text>
        <Text as="p">
          Shoppers make requests at{" "}
          <Text as="span" fontWeight="semibold">
            /apps/privacy
          </Text>{" "}
          on your store, in the store&apos;s theme and language. In the theme editor you can also add the{" "}
          <Text as="span" fontWeight="semibold">
            Privacy request form
          </Text>{" "}
          block to a page, and the{" "}
          <Text as="span" fontWeight="semibold">
            Privacy choices
          </Text>{" "}
          embed, which adds a “Your privacy choices” link and honours Global Privacy Control signals.
        </Text>
        {storefront.mailReady ? null : (
          <Banner tone="critical" title="Storefront verification is unavailable">
            <p>
              Privacy Desk has no mail server to send one-time codes with (SMTP_URL is not set). Until it is,
              the storefront page takes only “do not sell or share” opt-outs, which need no code, and asks
              shoppers with other requests to try later or contact you.
            </p>
          </Banner>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="storefront-texts" />
          <input type="hidden" name="locale" value={locale} />
          <BlockStack gap="400">
            <Select
              label="Language"
              options={LANGUAGE_OPTIONS}
              value={locale}
              onChange={chooseLocale}
              helpText={`${changed} of ${TEXT_KEYS.length} texts reworded in ${LOCALE_NAMES[locale]}. Leave a field blank to use Privacy Desk's text. Words in {braces} are filled in by Privacy Desk.`}
            />
            {GROUPS.map((group) => (
              <BlockStack gap="300" key={group.title}>
                <Text as="h3" variant="headingSm">
                  {group.title}
                </Text>
                {TEXT_KEYS.filter((key) => group.prefixes.some((prefix) => key.startsWith(prefix))).map(
                  (key) => (
                    <TextField
                      key={`${locale}:${key}`}
                      label={key}
                      name={`text.${key}`}
                      value={values[key] ?? ""}
                      placeholder={DEFAULT_TEXTS[locale][key]}
                      onChange={(value) => setValues({ ...values, [key]: value })}
                      multiline={DEFAULT_TEXTS[locale][key].length > 80 ? 2 : undefined}
                      autoComplete="off"
                      disabled={!canEdit}
                      error={errors[`text.${key}`]}
                    />
                  ),
                )}
              </BlockStack>
            ))}
            {canEdit ? (
              <InlineStack>
                <Button submit variant="primary" loading={busy}>
                  {`Save ${LOCALE_NAMES[locale]} texts`}
                </Button>
              </InlineStack>
            ) : null}
          </BlockStack>
        </Form>
      </BlockStack>
    </Card>
  );
}
