import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Layout, Page } from "@shopify/polaris";
import { useEffect } from "react";
import { adminContext, badRequest, forbidden } from "../admin-context.server";
import { PreferencesForm } from "../components/settings/PreferencesForm";
import { StaffRolesCard } from "../components/settings/StaffRolesCard";
import { StorefrontSettingsCard } from "../components/settings/StorefrontSettingsCard";
import { getEnv } from "../env.server";
import { fieldErrors } from "../domain/request-forms";
import { can, ForbiddenActionError } from "../domain/roles";
import { preferencesForm, roleAssignmentForm } from "../domain/settings";
import { assignRole, savePreferences, shopPreferences, staffRoster } from "../services/settings.server";
import { saveStorefrontTexts, storefrontSettings } from "../services/storefront/storefront-texts.server";

export const meta = () => [{ title: "Settings · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { db, staff } = await adminContext(request, "settings.view");
  return {
    preferences: await shopPreferences(db, staff.shopId, getEnv().EXPORT_RETENTION_DAYS),
    roster: await staffRoster(db, { id: staff.shopId, domain: staff.shopDomain }),
    storefront: await storefrontSettings(db, staff.shopId, getEnv()),
    canEdit: can(staff.role, "settings.update"),
    you: { userId: staff.userId, role: staff.role, isOwner: staff.isOwner, name: staff.name },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "settings.view");
  if (!can(staff.role, "settings.update"))
    return forbidden(new ForbiddenActionError(staff.role, "settings.update"));
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "storefront-texts") {
    const saved = await saveStorefrontTexts(db, keyring, staff, form, new Date());
    if (!saved.ok) return badRequest(saved.message, saved.fieldErrors);
    return json({ ok: true as const, message: saved.message });
  }
  if (form.intent === "assign-role") {
    const parsed = roleAssignmentForm.safeParse(form);
    if (!parsed.success) return badRequest("Check the role assignment", fieldErrors(parsed.error));
    const change = await assignRole(db, keyring, staff, parsed.data, new Date());
    if (!change.ok)
      return json({ error: change.message, fieldErrors: { userId: change.message } }, { status: 422 });
    return json({ ok: true as const, message: change.message });
  }
  const parsed = preferencesForm.safeParse(form);
  if (!parsed.success) return badRequest("Check the highlighted fields", fieldErrors(parsed.error));
  await savePreferences(db, keyring, staff, parsed.data, new Date());
  return json({ ok: true as const, message: "Settings saved" });
};

export default function Settings() {
  const { preferences, roster, canEdit, you, storefront } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const shopify = useAppBridge();
  const errors: Record<string, string> = result && "fieldErrors" in result ? result.fieldErrors : {};

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
            <PreferencesForm preferences={preferences} canEdit={canEdit} errors={errors} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <StaffRolesCard roster={roster} you={you} canEdit={canEdit} errors={errors} />
        </Layout.Section>
        <Layout.Section>
          <StorefrontSettingsCard storefront={storefront} canEdit={canEdit} errors={errors} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
