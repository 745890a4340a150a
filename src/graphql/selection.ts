// What a relation field's selection asks for, where the SQL can leave out what nothing shows. Conservative
// by design: the answer may say "shown" for something the query never displays (that only costs a join),
// never the other way round.
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

// Per field node of a parsed document, per field name: yoga caches parsed documents, so a query asked again finds
// its answer here.
const selected = new Map<string, WeakMap<FieldNode, boolean>>();

/** Whether any field named `name` is selected anywhere below the resolved field, through fragments too. */
function selectsBelow(info: GraphQLResolveInfo, name: string): boolean {
  let known = selected.get(name);
  if (!known) selected.set(name, (known = new WeakMap()));
  let shown = false;
  for (const node of info.fieldNodes) {
    let answer = known.get(node);
    if (answer === undefined) {
      answer = selectsField(node.selectionSet, name, info.fragments, new Set());
      known.set(node, answer);
    }
    shown ||= answer;
  }
  return shown;
}

/**
 * Whether the field's selection may show a content end's version (`Content.version`, its number, date and
 * author): any field named `version` anywhere below the field, through fragments and nested relations alike.
 * Without it the relation pages join a content end's version only where the end pins one (its title and status
 * are then the version's).
 */
export function showsVersion(info: GraphQLResolveInfo): boolean {
  return selectsBelow(info, 'version');
}

/**
 * Whether it may show a version's author (`Version.by`, the schema's only field of that name). Without it
 * the pages leave the author's row out: a page of 25 content ends showing their version numbers read 25 users
 * (9 columns each) that nothing showed.
 */
export function showsVersionAuthor(info: GraphQLResolveInfo): boolean {
  return selectsBelow(info, 'by');
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
