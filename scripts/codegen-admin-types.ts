import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  typeFromAST,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { loadAdminSchema } from "../app/shopify-admin/schema.server";
import { ADMIN_OPERATIONS } from "../app/shopify-admin/operations";

/**
 * TypeScript types for every Admin API operation the app sends, generated from the vendored
 * 2026-07 schema: each operation's variables and the exact shape of its result (fragments
 * inlined, nullability kept). Written to app/shopify-admin/generated/ (git-ignored); `npm ci`
 * (postinstall) and `npm run typecheck` regenerate it, so the types can never drift from the
 * documents. The client's `request(name, variables)` is typed with it.
 */
export const GENERATED_FILE = path.resolve("app/shopify-admin/generated/admin-operations.ts");

const SCALARS: Record<string, string> = {
  Int: "number",
  Float: "number",
  Boolean: "boolean",
  JSON: "unknown",
};
const scalar = (name: string) => SCALARS[name] ?? "string"; // ID, String, DateTime, URL, Decimal, Money…

export function generateAdminTypes(schema: GraphQLSchema, operations: Record<string, string>): string {
  const inputs = new Map<string, string>();

  function outputType(
    type: GraphQLOutputType,
    selection: SelectionSetNode | undefined,
    fragments: Record<string, FragmentDefinitionNode>,
    indent: string,
  ): string {
    if (isNonNullType(type))
      return outputType(type.ofType, selection, fragments, indent).replace(/ \| null$/, "");
    let rendered: string;
    if (isListType(type)) rendered = `Array<${outputType(type.ofType, selection, fragments, indent)}>`;
    else if (isScalarType(type)) rendered = scalar(type.name);
    else if (isEnumType(type))
      rendered = type
        .getValues()
        .map((value) => JSON.stringify(value.name))
        .join(" | ");
    else rendered = objectType(type as GraphQLCompositeType, selection!, fragments, indent);
    return `${rendered} | null`;
  }

  function objectType(
    parent: GraphQLCompositeType,
    selectionSet: SelectionSetNode,
    fragments: Record<string, FragmentDefinitionNode>,
    indent: string,
  ): string {
    const fields: string[] = [];
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments[selection.name.value]!;
          if (fragment.typeCondition.name.value !== parent.name)
            throw new Error(
              `Fragment ${fragment.name.value} on ${fragment.typeCondition.name.value} spread into ${parent.name}: not supported`,
            );
          visit(fragment.selectionSet);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (selection.typeCondition && selection.typeCondition.name.value !== parent.name)
            throw new Error(`Inline fragment on another type in ${parent.name}: not supported`);
          visit(selection.selectionSet);
        } else {
          const name = selection.alias?.value ?? selection.name.value;
          if (selection.name.value === "__typename") {
            fields.push(`${indent}  __typename: ${JSON.stringify(parent.name)};`);
            continue;
          }
          if (!isObjectType(parent) && !("getFields" in parent))
            throw new Error(`Cannot select ${name} on union ${parent.name}`);
          const field = (parent as Exclude<GraphQLCompositeType, { getTypes: unknown }>).getFields()[
            selection.name.value
          ];
          if (!field) throw new Error(`${parent.name} has no field ${selection.name.value}`);
          fields.push(
            `${indent}  ${name}: ${outputType(field.type, selection.selectionSet, fragments, `${indent}  `)};`,
          );
        }
      }
    };
    visit(selectionSet);
    return `{\n${[...new Set(fields)].join("\n")}\n${indent}}`;
  }

  function inputType(type: GraphQLInputType): string {
    if (isNonNullType(type)) return inputType(type.ofType).replace(/ \| null$/, "");
    let rendered: string;
    if (isListType(type)) rendered = `Array<${inputType(type.ofType)}>`;
    else if (isScalarType(type)) rendered = scalar(type.name);
    else if (isEnumType(type))
      rendered = type
        .getValues()
        .map((value) => JSON.stringify(value.name))
        .join(" | ");
    else if (isInputObjectType(type)) {
      if (!inputs.has(type.name)) {
        inputs.set(type.name, ""); // recursion guard
        const fields = Object.values(type.getFields()).map(
          (field) => `  ${field.name}${isNonNullType(field.type) ? "" : "?"}: ${inputType(field.type)};`,
        );
        inputs.set(type.name, `export interface ${type.name} {\n${fields.join("\n")}\n}`);
      }
      rendered = type.name;
    } else throw new Error(`Unexpected input type ${String(type)}`);
    return `${rendered} | null`;
  }

  const blocks: string[] = [];
  const map: string[] = [];
  for (const [name, source] of Object.entries(operations)) {
    const document = parse(source);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    const fragments = Object.fromEntries(
      document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
    const variables = (operation.variableDefinitions ?? []).map((definition) => {
      const type = typeFromAST(schema, definition.type) as GraphQLInputType;
      return `  ${definition.variable.name.value}${isNonNullType(type) ? "" : "?"}: ${inputType(type)};`;
    });
    blocks.push(`export interface ${name}Variables {\n${variables.join("\n")}\n}`);
    blocks.push(`export type ${name}Result = ${objectType(root, operation.selectionSet, fragments, "")};`);
    map.push(`  ${name}: { variables: ${name}Variables; result: ${name}Result };`);
  }
  return [
    "// Generated by scripts/codegen-admin-types.ts from vendor/shopify/admin_2026-07.json.gz. Do not edit.",
    ...[...inputs.values()],
    ...blocks,
    `export interface AdminOperationTypes {\n${map.join("\n")}\n}`,
    "",
  ].join("\n\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = generateAdminTypes(loadAdminSchema(), ADMIN_OPERATIONS);
  mkdirSync(path.dirname(GENERATED_FILE), { recursive: true });
  let previous = "";
  try {
    previous = readFileSync(GENERATED_FILE, "utf8");
  } catch {
    // first run
  }
  if (previous !== code) writeFileSync(GENERATED_FILE, code);
}
