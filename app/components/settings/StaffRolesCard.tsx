import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import type { Role } from "../../domain/roles";
import type { StaffRosterRow } from "../../services/settings.server";
import { ShopperText } from "../ShopperText";

const ROLE_LABEL: Record<Role, string> = { viewer: "Viewer", approver: "Approver", admin: "Admin" };

/**
 * Who may do what: every staff member who has opened Privacy Desk in this store, by name, with the
 * role they have now and who gave it. An admin picks one of them (not themselves, not the owner)
 * and a role; typing ids is never needed.
 */
export function StaffRolesCard(props: {
  roster: StaffRosterRow[];
  you: { userId: string; role: Role; isOwner: boolean; name: string | null };
  canEdit: boolean;
  errors: Record<string, string>;
}) {
  const { roster, you, canEdit, errors } = props;
  const choosable = roster.filter((row) => row.userId !== you.userId && !row.isOwner);
  const [assignment, setAssignment] = useState({ userId: choosable[0]?.userId ?? "", role: "approver" });
  const busy = useNavigation().state === "submitting";
  const selected = choosable.find((row) => row.userId === assignment.userId) ?? choosable[0];

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Staff roles
        </Text>
        <Text as="p" tone="subdued">
          Viewers see requests; approvers act on them and download exports; admins also change settings. The
          store owner is always an admin; staff without a role are viewers. Staff appear here once they have
          opened Privacy Desk from the Shopify admin.
        </Text>
        <DataTable
          columnContentTypes={["text", "text", "text"]}
          headings={["Staff member", "Role", "Given by"]}
          rows={roster.map((row) => [
            <BlockStack gap="050" key={row.userId}>
              <Text as="span" fontWeight="medium">
                <ShopperText value={row.name} />
                {row.userId === you.userId ? " (you)" : ""}
              </Text>
              {row.email && row.email !== row.name ? (
                <Text as="span" variant="bodySm" tone="subdued">
                  <ShopperText value={row.email} />
                </Text>
              ) : null}
              {row.mayEraseCustomerData === false ? (
                <Text as="span" variant="bodySm" tone="subdued">
                  Shopify does not let them erase customer data, so they cannot approve erasures
                </Text>
              ) : null}
            </BlockStack>,
            row.isOwner ? "Admin (store owner)" : ROLE_LABEL[row.role],
            row.isOwner ? "—" : row.assignedBy ? <ShopperText value={row.assignedBy} /> : "Nobody (default)",
          ])}
        />
        {canEdit && choosable.length > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="assign-role" />
            <InlineStack gap="300" blockAlign="end">
              <Select
                label="Staff member"
                name="userId"
                options={choosable.map((row) => ({
                  label: `${row.name}${row.email && row.email !== row.name ? ` (${row.email})` : ""}`,
                  value: row.userId,
                }))}
                value={selected?.userId ?? ""}
                onChange={(userId) =>
                  setAssignment({ userId, role: assignment.role === "none" ? "approver" : assignment.role })
                }
                error={errors.userId}
              />
              <Select
                label="Role"
                name="role"
                options={[
                  { label: "Viewer", value: "viewer" },
                  { label: "Approver", value: "approver" },
                  { label: "Admin", value: "admin" },
                  ...(selected?.assigned ? [{ label: "Remove the role (viewer)", value: "none" }] : []),
                ]}
                value={assignment.role}
                onChange={(role) => setAssignment({ ...assignment, role })}
                error={errors.role}
              />
              <Button submit loading={busy}>
                Give role
              </Button>
            </InlineStack>
          </Form>
        ) : null}
        {canEdit && choosable.length === 0 ? (
          <Text as="p" tone="subdued">
            No other staff member has opened Privacy Desk yet.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
