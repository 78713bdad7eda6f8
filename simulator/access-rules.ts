import {
  getNamedType,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import type { ProtectedField } from "../app/domain/access-requirements";

/**
 * Shopify's access rules for every part of the Admin API the app reaches, each with the page it
 * comes from, and the errors Shopify answers when a rule is not met. The simulator enforces them
 * field by field while it executes a document; test/unit/admin-operations-access.test.ts reads
 * them to check what the app declares for each operation.
 *
 * Scope refusals (shopify.dev/changelog/new-error-messages-for-graphql-operations-without-necessary-access-scopes;
 * shapes seen in Shopify community threads, e.g. customerCreate without write_customers):
 *   {"message":"Access denied for dataSaleOptOut field. Required access: `write_privacy_settings` access scope.",
 *    "locations":[…],"path":["dataSaleOptOut"],
 *    "extensions":{"code":"ACCESS_DENIED","documentation":"https://shopify.dev/api/usage/access-scopes",
 *                  "requiredAccess":"`write_privacy_settings` access scope."}}
 * with the field null in `data`; several acceptable scopes read "Any of `a`, `b` access scopes.".
 *
 * Protected customer data (shopify.dev/docs/apps/launch/protected-customer-data: "If you aren't
 * approved … you might need to update your app to handle errors or redacted data"): an
 * unapproved field comes back null with an ACCESS_DENIED error, e.g. "This app is not approved to
 * use the email field." (path ending at defaultEmailAddress), "… the phone field.", "… the
 * firstName field."; an app without level 1 approval gets "This app is not approved to access
 * the Customer object." (likewise Order, and MailingAddress for addresses). Messages as reported
 * in public issues of apps that met them (e.g. Shopify/shopify-api-js#748, MONEI/Shopify-api-node#672).
 */
export interface ScopeRule {
  /** Any one of these grants access. */
  anyOf: readonly string[];
  /** A scope that does not gate access but widens what comes back. */
  widenedBy?: string;
  source: string;
}

const DOCS = "https://shopify.dev/docs/api/admin-graphql/2026-07";
const ORDERS: ScopeRule = {
  anyOf: ["read_orders", "read_marketplace_orders"],
  // "Only the last 60 days' worth of orders from a store are accessible from the Order object by
  // default … request access to all orders … add the read_all_orders … scopes" (2026-07 schema).
  widenedBy: "read_all_orders",
  source: `${DOCS}/objects/Order (queries/orderByIdentifier names the same two scopes)`,
};
const CUSTOMERS: ScopeRule = { anyOf: ["read_customers"], source: `${DOCS}/objects/Customer` };
const OPEN: ScopeRule = { anyOf: [], source: "no access scope on the field's reference page" };

/**
 * Every root field the simulator answers, with its rule. A root field missing here is refused:
 * the app must not reach a part of the API whose access rules nobody has checked.
 */
export const ROOT_FIELD_RULES: Record<string, ScopeRule> = {
  "QueryRoot.customer": CUSTOMERS,
  "QueryRoot.customers": CUSTOMERS,
  "QueryRoot.order": ORDERS,
  "QueryRoot.orders": ORDERS,
  "QueryRoot.customerByIdentifier": { ...CUSTOMERS, source: `${DOCS}/queries/customerByIdentifier` },
  "QueryRoot.shop": { ...OPEN, source: `${DOCS}/queries/shop (the shop of the token; no scope listed)` },
  "QueryRoot.currentAppInstallation": { ...OPEN, source: `${DOCS}/queries/currentAppInstallation` },
  "QueryRoot.bulkOperation": { ...OPEN, source: `${DOCS}/queries/bulkOperation` },
  // The bulk query itself is executed under these same rules; a refusal fails the operation with
  // errorCode ACCESS_DENIED (BulkOperationErrorCode in the 2026-07 schema).
  "Mutation.bulkOperationRunQuery": { ...OPEN, source: `${DOCS}/mutations/bulkOperationRunQuery` },
  "Mutation.customerUpdate": { anyOf: ["write_customers"], source: `${DOCS}/mutations/customerUpdate` },
  // "Also: The user must have access to erase customer data" applies to online tokens (the acting
  // staff member); the app calls it with the offline token, so only the scope is modelled.
  "Mutation.customerRequestDataErasure": {
    anyOf: ["write_customer_data_erasure"],
    source: `${DOCS}/mutations/customerRequestDataErasure`,
  },
  "Mutation.dataSaleOptOut": {
    anyOf: ["write_privacy_settings"],
    source: `${DOCS}/mutations/dataSaleOptOut ("Requires write_privacy_settings access scope")`,
  },
};

/** Object types guarded wherever they are reached (Customer.orders reaches Order). */
export const TYPE_RULES: Record<string, ScopeRule> = {
  Customer: CUSTOMERS,
  Order: ORDERS,
  CustomerRequestDataErasureUserError: {
    anyOf: ["read_customer_data_erasure"],
    source: `${DOCS}/objects/CustomerRequestDataErasureUserError`,
  },
};

/** Types Shopify withholds without level 1 approval, and the one withheld as the "address" field. */
const LEVEL_1_TYPES = new Set(["Customer", "Order"]);
const ADDRESS_TYPE = "MailingAddress";

/** Level 2 fields, by schema coordinate. */
export const PROTECTED_FIELD_RULES: Record<string, ProtectedField> = {
  "Customer.firstName": "name",
  "Customer.lastName": "name",
  "Customer.displayName": "name",
  "Customer.email": "email",
  "Customer.defaultEmailAddress": "email",
  "Customer.phone": "phone",
  "Customer.defaultPhoneNumber": "phone",
  "MailingAddress.firstName": "name",
  "MailingAddress.lastName": "name",
  "MailingAddress.name": "name",
  "MailingAddress.phone": "phone",
  "Order.email": "email",
  "Order.phone": "phone",
};

/**
 * Arguments that use protected data: finding a customer by email address uses the email field.
 * Shopify's page does not say so; the strict reading (ADR 009) refuses it without email approval.
 */
export const PROTECTED_ARGUMENT_RULES: Record<
  string,
  { argument: string; field: string; protects: ProtectedField }
> = {
  "QueryRoot.customerByIdentifier": { argument: "identifier", field: "emailAddress", protects: "email" },
};

/** What a store has granted the app, as the simulator holds it per store. */
export interface StoreAccess {
  /** Granted scopes, with the read scope each write scope implies (expandScopes). */
  scopes: ReadonlySet<string>;
  protectedCustomerData: { level1: boolean; fields: Set<ProtectedField> };
}

export const PROTECTED_DATA_DOCS = "https://shopify.dev/docs/apps/launch/protected-customer-data";
const SCOPES_DOCS = "https://shopify.dev/api/usage/access-scopes";

/** `X`, `XConnection` and `XEdge` are guarded as `X`. */
const guardedType = (typeName: string) => typeName.replace(/(Connection|Edge)$/, "");

function requiredAccessText(anyOf: readonly string[]) {
  return anyOf.length === 1
    ? `\`${anyOf[0]}\` access scope.`
    : `Any of ${anyOf.map((scope) => `\`${scope}\``).join(", ")} access scopes.`;
}

function scopeDenied(fieldName: string, rule: ScopeRule): GraphQLError {
  const requiredAccess = requiredAccessText(rule.anyOf);
  return new GraphQLError(`Access denied for ${fieldName} field. Required access: ${requiredAccess}`, {
    extensions: { code: "ACCESS_DENIED", documentation: SCOPES_DOCS, requiredAccess },
  });
}

function notApproved(what: string): GraphQLError {
  return new GraphQLError(
    `This app is not approved to ${what}. See ${PROTECTED_DATA_DOCS} for more details.`,
    {
      extensions: { code: "ACCESS_DENIED", documentation: PROTECTED_DATA_DOCS },
    },
  );
}

/**
 * Shopify's refusal of one field for this store, or null when the store's grants allow it.
 * Scopes are checked first, then level 1 approval, then the level 2 field.
 */
export function fieldAccessDenial(
  parentType: string,
  fieldName: string,
  returnType: string,
  access: StoreAccess,
  args: Record<string, unknown> = {},
): GraphQLError | null {
  const granted = access.scopes;
  const coordinate = `${parentType}.${fieldName}`;
  const isRoot = parentType === "QueryRoot" || parentType === "Mutation";
  const rootRule = ROOT_FIELD_RULES[coordinate];
  if (isRoot && !rootRule)
    return new GraphQLError(
      `The simulator has no access rule for ${coordinate}; add one from Shopify's docs.`,
      {
        extensions: { code: "SIMULATOR_UNMODELLED" },
      },
    );
  const target = guardedType(returnType);
  for (const rule of [rootRule, TYPE_RULES[target]]) {
    if (rule && rule.anyOf.length && !rule.anyOf.some((scope) => granted.has(scope)))
      return scopeDenied(fieldName, rule);
  }
  const approval = access.protectedCustomerData;
  if (LEVEL_1_TYPES.has(target) && !approval.level1) return notApproved(`access the ${target} object`);
  if (target === ADDRESS_TYPE && !(approval.level1 && approval.fields.has("address")))
    return notApproved(`access the ${ADDRESS_TYPE} object`);
  const field = PROTECTED_FIELD_RULES[coordinate];
  if (field && !(approval.level1 && approval.fields.has(field)))
    return notApproved(`use the ${field === "name" ? fieldName : field} field`);
  const argumentRule = PROTECTED_ARGUMENT_RULES[coordinate];
  const argument = argumentRule
    ? (args[argumentRule.argument] as Record<string, unknown> | undefined)
    : undefined;
  if (
    argumentRule &&
    argument?.[argumentRule.field] != null &&
    !(approval.level1 && approval.fields.has(argumentRule.protects))
  )
    return notApproved(`use the ${argumentRule.protects} field`);
  return null;
}

export interface DocumentAccess {
  /** Every scope rule the document meets on its way (each must be satisfied). */
  rules: ScopeRule[];
  widenedBy: Set<string>;
  protectedFields: Set<ProtectedField>;
}

/** The access rules a document runs into, found by walking it over the schema (no execution). */
export function documentAccess(schema: GraphQLSchema, document: DocumentNode): DocumentAccess {
  const result: DocumentAccess = { rules: [], widenedBy: new Set(), protectedFields: new Set() };
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const add = (rule: ScopeRule | undefined) => {
    if (!rule) return;
    if (rule.anyOf.length && !result.rules.includes(rule)) result.rules.push(rule);
    if (rule.widenedBy) result.widenedBy.add(rule.widenedBy);
  };
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment: FragmentDefinitionNode = fragments.get(selection.name.value)!;
        walk(
          fragment.selectionSet,
          schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType,
        );
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType)
          : parent;
        walk(selection.selectionSet, type);
      } else if ("getFields" in parent && selection.name.value !== "__typename") {
        const field = parent.getFields()[selection.name.value]!;
        const target = guardedType(getNamedType(field.type).name);
        const coordinate = `${parent.name}.${field.name}`;
        add(ROOT_FIELD_RULES[coordinate]);
        add(TYPE_RULES[target]);
        const protectedField = PROTECTED_FIELD_RULES[coordinate];
        if (protectedField) result.protectedFields.add(protectedField);
        const argumentRule = PROTECTED_ARGUMENT_RULES[coordinate];
        const argument = selection.arguments?.find((arg) => arg.name.value === argumentRule?.argument);
        if (
          argumentRule &&
          argument?.value.kind === Kind.OBJECT &&
          argument.value.fields.some((field) => field.name.value === argumentRule.field)
        )
          result.protectedFields.add(argumentRule.protects);
        if (target === ADDRESS_TYPE) result.protectedFields.add("address");
        if (selection.selectionSet)
          walk(selection.selectionSet, schema.getType(getNamedType(field.type).name) as GraphQLCompositeType);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = definition.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
    walk(definition.selectionSet, root);
  }
  return result;
}
