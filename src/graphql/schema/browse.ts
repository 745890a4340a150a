// Browsing: Query.spaces, Query.users and Space.contents, keyset-paged connections shaped like RelationConnection.
import { builder } from '../builder.js';
import type { Content, Space, User } from '../../generated/prisma/client.js';
import type { ContentView } from '../../domain/content-view.js';
import { CONTENT_STATUSES, CONTENT_TYPES } from '../../domain/entities.js';
import { browseSpaces, browseUsers, countSpaces, countUsers } from '../../services/browse.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageArgs, type CursorKind, type KeysetPage } from '../../services/paging.js';
import { contentFilter, countSpaceContents, spaceContentsPage } from '../../services/space-contents.js';
import { connectionType } from './connection.js';
import { ContentRef } from './content.js';
import { SpaceRef } from './space.js';
import { UserRef } from './user.js';

/** The page a connection's `first` and `after` ask for; errors name those arguments. */
const keysetPage = (first: number | null | undefined, after: string | null | undefined, kind: CursorKind): KeysetPage => {
  const { limit, after: id } = pageArgs({ size: first, cursor: after, kind });
  return { limit, after: id };
};

const SpaceConnection = connectionType<Space, Space>('Space', 'space', SpaceRef, (space) => space, 'One page of spaces the caller may view, in id order');
const UserConnection = connectionType<User, User>('User', 'user', UserRef, (user) => user, 'One page of users, in id order');
const ContentConnection = connectionType<Content, ContentView>(
  'Content',
  'content',
  ContentRef,
  (content) => ({ content, pinned: null }),
  "One page of a space's content at its latest version, in id order",
);

const FIRST = `Page size: default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}`;
const AFTER = 'The endCursor of the previous page';

builder.queryFields((t) => ({
  spaces: t.field({
    type: SpaceConnection,
    description: 'The spaces the caller may view: every space for site admins, else the public ones and those the caller is a member of',
    args: { first: t.arg.int({ description: FIRST }), after: t.arg.string({ description: AFTER }) },
    resolve: async (_, args, ctx) => {
      const page = keysetPage(args.first, args.after, 'space');
      return { ...(await browseSpaces(ctx, page)), after: page.after, count: () => countSpaces(ctx) };
    },
  }),
  users: t.field({
    type: UserConnection,
    description: 'Users whose display name, e-mail or username starts with `query`, ignoring case (every user without one)',
    args: {
      query: t.arg.string({ description: 'A prefix; `%` and `_` match only themselves' }),
      first: t.arg.int({ description: FIRST }),
      after: t.arg.string({ description: AFTER }),
    },
    resolve: async (_, args, ctx) => {
      const page = keysetPage(args.first, args.after, 'user');
      return { ...(await browseUsers(ctx, args.query, page)), after: page.after, count: () => countUsers(ctx, args.query) };
    },
  }),
}));

builder.objectFields(SpaceRef, (t) => ({
  contents: t.field({
    type: ContentConnection,
    description: "The space's content: one type or all, status current unless asked (`any` for every status); the spaces of a query are read together",
    args: {
      type: t.arg.string({ description: `${CONTENT_TYPES.join(', ')}; omitted: every type` }),
      status: t.arg.string({ description: `${CONTENT_STATUSES.join(', ')} or any; default current` }),
      first: t.arg.int({ description: FIRST }),
      after: t.arg.string({ description: AFTER }),
    },
    resolve: async (space, args, ctx) => {
      const filter = contentFilter(args.type, args.status);
      const page = keysetPage(args.first, args.after, 'content');
      // Showing a row's space then costs nothing, however the parent was reached.
      ctx.loaders.spaces.prime(space.id, space);
      return { ...(await spaceContentsPage(ctx, space.id, filter, page)), after: page.after, count: () => countSpaceContents(ctx, space.id, filter) };
    },
  }),
}));
