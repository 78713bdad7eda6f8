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

const POLICY_OPTIONS = [
  { label: "A one-time code sent to the shopper's email address", value: "email_confirmation" },
  {
    label: "Only signed-in customers (with a code to their account's address)",
    value: "shopify_customer_login",
  },
  { label: "Staff verify every request by hand", value: "manual_review" },
];

const NOT_YET = "Not used yet: Privacy Desk does not send notifications to your team yet.";

/**
 * The shop's preferences: how storefront requests are verified and approved (used by the
 * storefront page), notification addresses (kept, and said to be unused until notifications
 * exist), and export retention.
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
                helpText={`To be told about new requests and deadlines; separate with commas. ${NOT_YET}`}
                value={form.notificationEmails}
                onChange={(value) => setForm({ ...form, notificationEmails: value })}
                autoComplete="off"
                disabled={!canEdit}
                error={errors.notificationEmails}
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
