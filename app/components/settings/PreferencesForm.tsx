import { Form, useNavigation } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import type { ShopPreferences } from "../../domain/settings";
import { LOCALE_NAMES } from "../../domain/storefront-texts";
import { TEAM_EMAIL_LANGUAGES, type TeamEmailLanguage } from "../../domain/team-email-texts";

const POLICY_OPTIONS = [
  { label: "A one-time code sent to the shopper's email address", value: "email_confirmation" },
  {
    label: "Only signed-in customers (with a code to their account's address)",
    value: "shopify_customer_login",
  },
  { label: "Staff verify every request by hand", value: "manual_review" },
];

const TEAM_LANGUAGE_OPTIONS = TEAM_EMAIL_LANGUAGES.map((code) => ({
  label: LOCALE_NAMES[code],
  value: code,
}));

/**
 * The shop's preferences: how storefront requests are verified and approved (used by the
 * storefront page), notification addresses and the language the team's emails are written in,
 * export retention, and how requesters' emails are signed.
 */
export function PreferencesForm(props: {
  preferences: ShopPreferences;
  canEdit: boolean;
  errors: Record<string, string>;
}) {
  const { preferences, canEdit, errors } = props;
  const busy = useNavigation().state === "submitting";
  const [form, setForm] = useState({
    ...preferences,
    notificationEmails: preferences.notificationEmails.join(", "),
    exportRetentionDays: String(preferences.exportRetentionDays),
    emailSenderName: preferences.emailSenderName ?? "",
    emailReplyTo: preferences.emailReplyTo ?? "",
  });

  return (
    <Form method="post">
      <input type="hidden" name="intent" value="preferences" />
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Requests from the storefront
            </Text>
            <FormLayout>
              <Select
                label="How storefront requests are verified"
                name="verificationPolicy"
                helpText="“Do not sell or share” opt-outs never need verification (CCPA). Signed-in customers always confirm access, correction and deletion with a code sent to their account's address."
                options={POLICY_OPTIONS}
                value={form.verificationPolicy}
                onChange={(value) =>
                  setForm({ ...form, verificationPolicy: value as typeof form.verificationPolicy })
                }
                disabled={!canEdit}
                error={errors.verificationPolicy}
              />
              <Checkbox
                label="Approve access requests from logged-in customers automatically"
                helpText="Once they confirm with their code, a signed-in customer's access or portability request is approved and their export built without waiting for review."
                checked={form.autoApproveCustomerAccess}
                onChange={(value) => setForm({ ...form, autoApproveCustomerAccess: value })}
                disabled={!canEdit}
              />
              <input
                type="hidden"
                name="autoApproveCustomerAccess"
                value={form.autoApproveCustomerAccess ? "on" : ""}
              />
              <TextField
                label="Notification addresses"
                name="notificationEmails"
                helpText="Told when a request waits for review or fails, and every morning (UTC) about requests due within 7 days or overdue; separate with commas."
                value={form.notificationEmails}
                onChange={(value) => setForm({ ...form, notificationEmails: value })}
                autoComplete="off"
                disabled={!canEdit}
                error={errors.notificationEmails}
              />
              <Select
                label="Team email language"
                name="teamEmailLanguage"
                helpText="Applies to the emails sent to the notification addresses: review needed, request failed and the daily digest. Requesters are always written to in the language they used."
                options={TEAM_LANGUAGE_OPTIONS}
                value={form.teamEmailLanguage}
                onChange={(value) => setForm({ ...form, teamEmailLanguage: value as TeamEmailLanguage })}
                disabled={!canEdit}
                error={errors.teamEmailLanguage}
              />
            </FormLayout>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Exports
            </Text>
            <TextField
              label="Keep exports for (days)"
              name="exportRetentionDays"
              type="number"
              helpText="An export package is deleted this many days after it is ready (1 to 90)."
              value={form.exportRetentionDays}
              onChange={(value) => setForm({ ...form, exportRetentionDays: value })}
              autoComplete="off"
              disabled={!canEdit}
              error={errors.exportRetentionDays}
            />
            <Checkbox
              label="Hold exports until an approver releases them to the requester"
              helpText="The requester is emailed a download link, and can download from their account, only once an approver clicks Release on the request."
              checked={form.holdExportsForRelease}
              onChange={(value) => setForm({ ...form, holdExportsForRelease: value })}
              disabled={!canEdit}
            />
            <input
              type="hidden"
              name="holdExportsForRelease"
              value={form.holdExportsForRelease ? "on" : ""}
            />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Emails to requesters
            </Text>
            <FormLayout>
              <TextField
                label="Sender name"
                name="emailSenderName"
                helpText="Shown as who the email is from; the sending address stays Privacy Desk's. Blank: your store's name."
                value={form.emailSenderName}
                onChange={(value) => setForm({ ...form, emailSenderName: value })}
                autoComplete="off"
                maxLength={80}
                disabled={!canEdit}
                error={errors.emailSenderName}
              />
              <TextField
                label="Reply-to address"
                name="emailReplyTo"
                type="email"
                helpText="Where a requester's reply goes, e.g. your privacy or support address."
                value={form.emailReplyTo}
                onChange={(value) => setForm({ ...form, emailReplyTo: value })}
                autoComplete="off"
                disabled={!canEdit}
                error={errors.emailReplyTo}
              />
            </FormLayout>
          </BlockStack>
        </Card>
        {canEdit ? (
          <InlineStack>
            <Button submit variant="primary" loading={busy}>
              Save settings
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Form>
  );
}
