import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/**
 * Query cost as Shopify documents it: scalars and enums 0, objects 1, a connection 2 plus its
 * page size times the cost of one node, a mutation 10. Requested cost is computed from the
 * document before running it; actual cost from what came back (Shopify refunds the difference).
 */
const MUTATION_COST = 10;

function argumentValue(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

const isConnection = (type: GraphQLOutputType) => getNamedType(type).name.endsWith("Connection");
const unwrapNonNull = (type: GraphQLOutputType) => (isNonNullType(type) ? type.ofType : type);

export function requestedCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  if (operation.operation === "mutation") return MUTATION_COST * operation.selectionSet.selections.length;
  const root = schema.getQueryType()!;

  function selectionCost(
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    listSize: number,
  ): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value]!;
        total += selectionCost(
          fragment.selectionSet,
          schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType,
          listSize,
        );
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType)
          : parent;
        total += selectionCost(selection.selectionSet, type, listSize);
        continue;
      }
      if (!("getFields" in parent)) continue;
      const field = parent.getFields()[selection.name.value];
      if (!field || isLeafType(getNamedType(field.type)) || !selection.selectionSet) continue;
      const named = getNamedType(field.type) as GraphQLCompositeType;
      if (named.name === "PageInfo") continue;
      if (isConnection(field.type)) {
        const arg = (name: string) =>
          argumentValue(selection.arguments?.find((a) => a.name.value === name)?.value, variables);
        const size = Number(arg("first") ?? arg("last") ?? 0);
        total += 2 + selectionCost(selection.selectionSet, named, size);
      } else if (isListType(unwrapNonNull(field.type))) {
        total += listSize * (1 + selectionCost(selection.selectionSet, named, 1));
      } else {
        total += 1 + selectionCost(selection.selectionSet, named, 1);
      }
    }
    return total;
  }

  return selectionCost(operation.selectionSet, root, 1);
}

/** The cost of what was actually returned: every object 1, every connection 2, page info free. */
export function actualCost(data: unknown, isMutation: boolean): number {
  if (isMutation) return MUTATION_COST;
  const walk = (value: unknown): number => {
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + walk(item), 0);
    if (value === null || typeof value !== "object") return 0;
    const entries = Object.entries(value as Record<string, unknown>);
    const isConnectionObject = entries.some(([key]) => key === "pageInfo");
    let sum = isConnectionObject ? 2 : 1;
    for (const [key, child] of entries) if (key !== "pageInfo") sum += walk(child);
    return sum;
  };
  // The data object itself is the query root, which is free.
  return Math.max(1, walk(data) - 1);
}
