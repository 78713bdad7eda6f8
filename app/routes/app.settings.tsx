import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { adminContext, badRequest, forbidden } from "../admin-context.server";
import { getEnv } from "../env.server";
import { fieldErrors } from "../domain/request-forms";
import { can, ForbiddenActionError } from "../domain/roles";
import { preferencesForm, roleAssignmentForm } from "../domain/settings";
import { assignRole, savePreferences, shopPreferences, staffRoles } from "../services/settings.server";

export const meta = () => [{ title: "Settings · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, staff } = await adminContext(request, "settings.view");
  return {
    preferences: await shopPreferences(db, staff.shopId, getEnv().EXPORT_RETENTION_DAYS),
    roles: await staffRoles(db, staff.shopId),
    canEdit: can(staff.role, "settings.update"),
    you: { userId: staff.userId, role: staff.role, isOwner: staff.isOwner },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "settings.view");
  if (!can(staff.role, "settings.update"))
    return forbidden(new ForbiddenActionError(staff.role, "settings.update"));
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "assign-role") {
    const parsed = roleAssignmentForm.safeParse(form);
    if (!parsed.success) return badRequest("Check the role assignment", fieldErrors(parsed.error));
    if (parsed.data.userId === staff.userId)
      return json(
        { error: "You cannot change your own role", fieldErrors: { userId: "That is you" } },
        { status: 422 },
      );
    await assignRole(db, keyring, staff, parsed.data, new Date());
    return json({
      ok: true as const,
      message: parsed.data.role === "none" ? "Role removed" : "Role assigned",
    });
  }
  const parsed = preferencesForm.safeParse(form);
  if (!parsed.success) return badRequest("Check the highlighted fields", fieldErrors(parsed.error));
  await savePreferences(db, keyring, staff, parsed.data, new Date());
  return json({ ok: true as const, message: "Settings saved" });
};

const POLICY_OPTIONS = [
  { label: "Logged-in Shopify customer account", value: "shopify_customer_login" },
  { label: "Confirmation link sent by email", value: "email_confirmation" },
  { label: "Staff verify every request by hand", value: "manual_review" },
];

export default function Settings() {
  const { preferences, roles, canEdit, you } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const errors: Record<string, string> = result && "fieldErrors" in result ? result.fieldErrors : {};
  const [form, setForm] = useState({
    ...preferences,
    notificationEmails: preferences.notificationEmails.join(", "),
    exportRetentionDays: String(preferences.exportRetentionDays),
  });
  const [assignment, setAssignment] = useState({ userId: "", role: "approver" });

  useEffect(() => {
    if (result && "ok" in result) shopify.toast.show(result.message);
  }, [result, shopify]);

  return (
    <Page title="Settings" backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {!canEdit ? (
              <Banner tone="info">
                <p>Only an admin can change settings. Your role is {you.role}.</p>
              </Banner>
            ) : null}
            {result && "error" in result ? (
              <Banner tone="critical" title={result.error}>
                <p>Nothing was changed.</p>
              </Banner>
            ) : null}
            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="preferences" />
                <FormLayout>
                  <Select
                    label="How storefront requests are verified"
                    name="verificationPolicy"
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
                    helpText="Told about new requests and deadlines; separate with commas"
                    value={form.notificationEmails}
                    onChange={(value) => setForm({ ...form, notificationEmails: value })}
                    autoComplete="off"
                    disabled={!canEdit}
                    error={errors.notificationEmails}
                  />
                  <TextField
                    label="Keep exports for (days)"
                    name="exportRetentionDays"
                    type="number"
                    value={form.exportRetentionDays}
                    onChange={(value) => setForm({ ...form, exportRetentionDays: value })}
                    autoComplete="off"
                    disabled={!canEdit}
                    error={errors.exportRetentionDays}
                  />
                  {canEdit ? (
                    <Button submit variant="primary" loading={navigation.state === "submitting"}>
                      Save settings
                    </Button>
                  ) : null}
                </FormLayout>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Staff roles
              </Text>
              <Text as="p" tone="subdued">
                Viewers see requests; approvers act on them and download exports; admins also change settings.
                The store owner is always an admin; staff without a role are viewers. You are user{" "}
                {you.userId} ({you.isOwner ? "store owner, " : ""}
                {you.role}).
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text"]}
                headings={["Staff user id", "Role", "Assigned by"]}
                rows={roles.map((row) => [row.userId, row.role, row.assignedBy])}
              />
              {canEdit ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="assign-role" />
                  <InlineStack gap="300" blockAlign="end">
                    <TextField
                      label="Staff user id"
                      name="userId"
                      value={assignment.userId}
                      onChange={(value) => setAssignment({ ...assignment, userId: value })}
                      autoComplete="off"
                      error={errors.userId}
                    />
                    <Select
                      label="Role"
                      name="role"
                      options={[
                        { label: "Viewer", value: "viewer" },
                        { label: "Approver", value: "approver" },
                        { label: "Admin", value: "admin" },
                        { label: "No role (viewer)", value: "none" },
                      ]}
                      value={assignment.role}
                      onChange={(value) => setAssignment({ ...assignment, role: value })}
                      error={errors.role}
                    />
                    <Button submit>Assign</Button>
                  </InlineStack>
                </Form>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
