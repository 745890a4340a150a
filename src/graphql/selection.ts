// What a relation field's selection asks for, where the SQL can leave out what nothing shows. Conservative
// by design: the answer may say "shown" for something the query never displays (that only costs a join),
// never the other way round.
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

// Per field node of a parsed document: yoga caches parsed documents, so a query asked again finds its answer here.
const versionShown = new WeakMap<FieldNode, boolean>();

/**
 * Whether the field's selection may show a content end's version (`Content.version`, its number, date and
 * author): any field named `version` anywhere below the field, through fragments and nested relations alike.
 * Without it the relation pages join a content end's version only where the end pins one (its title and status
 * are then the version's).
 */
export function showsVersion(info: GraphQLResolveInfo): boolean {
  let shown = false;
  for (const node of info.fieldNodes) {
    let known = versionShown.get(node);
    if (known === undefined) {
      known = selectsField(node.selectionSet, 'version', info.fragments, new Set());
      versionShown.set(node, known);
    }
    shown ||= known;
  }
  return shown;
}

function selectsField(set: SelectionSetNode | undefined, name: string, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  if (!set) return false;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name || selectsField(selection.selectionSet, name, fragments, seen)) return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (selectsField(selection.selectionSet, name, fragments, seen)) return true;
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      // A fragment the document does not define fails validation before anything runs; say "shown" regardless.
      const fragment = fragments[selection.name.value];
      if (!fragment || selectsField(fragment.selectionSet, name, fragments, seen)) return true;
    }
  }
  return false;
}
