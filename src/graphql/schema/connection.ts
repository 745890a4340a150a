// The connection types of every keyset list (relations, spaces, users, a space's content): edges, nodes,
// pageInfo and a totalCount counted only when selected, with cursors of the list's own kind.
import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder.js';
import { encodeCursor, endCursor, type CursorKind, type Page } from '../../services/paging.js';

/** What a connection field resolves to: one page, the cursor position it started after, and a count made only when totalCount is selected. */
export interface Connection<T> extends Page<T> {
  after: number | null;
  count: () => Promise<number>;
}

/** The schema types of this builder, for refs passed around. */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The edge and connection types of a list of `kind` whose rows (with ids) are shown as `node(row)`. */
export function connectionType<T extends { id: number }, N>(
  name: string,
  kind: CursorKind,
  nodeRef: ObjectRef<Types, N>,
  node: (row: T) => N,
  description: string,
  counted = 'rows',
) {
  const Edge = builder.objectRef<T>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.string({ resolve: (row) => encodeCursor(row.id, kind) }),
      // Pothos cannot resolve its result types for a generic N; the ref and `node` agree by this function's signature.
      node: t.field({ type: nodeRef, resolve: (row) => node(row) as never }),
    }),
  });
  return builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    description,
    fields: (t) => ({
      edges: t.field({ type: [Edge], resolve: (p) => p.rows }),
      nodes: t.field({ type: [nodeRef], resolve: (p) => p.rows.map(node) }),
      pageInfo: t.field({
        type: builder.pageInfoRef(),
        resolve: (p) => ({
          hasNextPage: p.hasMore,
          hasPreviousPage: p.after !== null,
          startCursor: p.rows.length ? encodeCursor(p.rows[0].id, kind) : null,
          endCursor: endCursor(p, kind),
        }),
      }),
      totalCount: t.int({ description: `All ${counted} the caller may view, across pages`, resolve: (p) => p.count() }),
    }),
  });
}
