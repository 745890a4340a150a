// What a query asks for below a field, so a service can leave out what no one will show.
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether a field named `name` appears anywhere below the field being resolved, through inline and named
 * fragments. Errs towards yes: a fragment it cannot find counts as selecting it (reading more is only slower).
 */
export function selectsBelow(info: GraphQLResolveInfo, name: string): boolean {
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean => {
    if (!set) return false;
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        if (selection.name.value === name || walk(selection.selectionSet)) return true;
      } else if (selection.kind === 'InlineFragment') {
        if (walk(selection.selectionSet)) return true;
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = info.fragments?.[selection.name.value];
        if (!fragment || walk(fragment.selectionSet)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}
