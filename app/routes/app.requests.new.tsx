import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { adminContext, badRequest } from "../admin-context.server";
import { TYPE_LABEL } from "../components/labels";
import { MAX_EMAIL_LENGTH, MAX_PHONE_LENGTH } from "../domain/contact-details";
import { fieldErrors, newRequestForm } from "../domain/request-forms";
import { REQUEST_TYPES } from "../domain/request-lifecycle";
import { recordMerchantRequest } from "../services/staff-actions.server";

export const meta = () => [{ title: "Record a request · Privacy Desk" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await adminContext(request, "request.create");
  return json({ today: new Date().toISOString().slice(0, 10) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { db, keyring, staff } = await adminContext(request, "request.create");
  const parsed = newRequestForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return badRequest("Check the highlighted fields", fieldErrors(parsed.error));
  const created = await recordMerchantRequest(db, keyring, staff, parsed.data);
  return redirect(`/app/requests/${created.id}?created=1`);
};

export default function NewRequest() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = result?.fieldErrors ?? {};
  const [form, setForm] = useState({
    type: "access",
    regime: "gdpr",
    channel: "email",
    receivedOn: new Date().toISOString().slice(0, 10),
    email: "",
    phone: "",
    customerId: "",
    verified: false,
    firstName: "",
    lastName: "",
    newEmail: "",
    newPhone: "",
  });
  const set = (key: keyof typeof form) => (value: string | boolean) =>
    setForm((current) => ({ ...current, [key]: value }));
  const text = (
    key: Exclude<keyof typeof form, "verified">,
    label: string,
    extra: Partial<Parameters<typeof TextField>[0]> = {},
  ) => (
    <TextField
      label={label}
      name={key}
      value={form[key]}
      onChange={set(key)}
      error={errors[key]}
      autoComplete="off"
      {...extra}
    />
  );

  return (
    <Page title="Record a request" backAction={{ content: "Requests", url: "/app/requests" }}>
      <Layout>
        <Layout.Section>
          <Form method="post">
            <BlockStack gap="400">
              {result?.error ? (
                <Banner tone="critical" title={result.error}>
                  <p>Nothing was saved.</p>
                </Banner>
              ) : null}
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    <Select
                      label="Request"
                      name="type"
                      options={REQUEST_TYPES.map((t) => ({ label: TYPE_LABEL[t]!, value: t }))}
                      value={form.type}
                      onChange={set("type")}
                      error={errors.type}
                    />
                    <Select
                      label="Law"
                      name="regime"
                      options={[
                        { label: "GDPR (one month)", value: "gdpr" },
                        { label: "CCPA (45 days)", value: "ccpa" },
                      ]}
                      value={form.regime}
                      onChange={set("regime")}
                      error={errors.regime}
                    />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <Select
                      label="Received by"
                      name="channel"
                      options={[
                        { label: "Email", value: "email" },
                        { label: "Phone", value: "phone" },
                        { label: "Post", value: "mail" },
                        { label: "Other", value: "other" },
                      ]}
                      value={form.channel}
                      onChange={set("channel")}
                      error={errors.channel}
                    />
                    {text("receivedOn", "Date received", { type: "date" })}
                  </FormLayout.Group>
                  <FormLayout.Group>
                    {text("email", "Shopper's email", { type: "email", maxLength: MAX_EMAIL_LENGTH })}
                    {text("phone", "Shopper's phone", { type: "tel", maxLength: MAX_PHONE_LENGTH })}
                    {text("customerId", "Shopify customer id", {
                      helpText: "Required for erasure and rectification",
                    })}
                  </FormLayout.Group>
                  <Checkbox
                    label="I have verified the requester's identity"
                    checked={form.verified}
                    onChange={set("verified")}
                  />
                  <input type="hidden" name="verified" value={form.verified ? "on" : ""} />
                </FormLayout>
              </Card>
              {form.type === "rectification" ? (
                <Card>
                  <BlockStack gap="300">
                    <Text as="h2" variant="headingMd">
                      Corrections asked for
                    </Text>
                    <FormLayout>
                      <FormLayout.Group>
                        {text("firstName", "First name")}
                        {text("lastName", "Last name")}
                      </FormLayout.Group>
                      <FormLayout.Group>
                        {text("newEmail", "Email", { type: "email", maxLength: MAX_EMAIL_LENGTH })}
                        {text("newPhone", "Phone", { type: "tel", maxLength: MAX_PHONE_LENGTH })}
                      </FormLayout.Group>
                    </FormLayout>
                  </BlockStack>
                </Card>
              ) : null}
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                Record request
              </Button>
            </BlockStack>
          </Form>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
