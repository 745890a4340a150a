import { builder } from '../builder.js';
import type { Content, ContentVersion, Space } from '../../generated/prisma/client.js';
import { contentAsShown, type ContentView } from '../../domain/content-view.js';
import { createContent, getContent, purgeContent, trashContent, updateContent } from '../../services/content.js';
import { resultOf } from './errors.js';
import { mapLoaded } from '../../loaders.js';
import { SpaceRef } from './space.js';
import { UserRef } from './user.js';

export const ContentRef = builder.objectRef<ContentView>('Content');

const VersionRef = builder.objectRef<ContentVersion>('Version').implement({
  fields: (t) => ({
    number: t.exposeInt('number'),
    when: t.expose('when', { type: 'DateTime' }),
    by: t.field({ type: UserRef, nullable: true, resolve: (v, _, ctx) => (v.byId === null ? null : ctx.loaders.users.get(v.byId)) }),
    message: t.exposeString('message'),
    minorEdit: t.exposeBoolean('minorEdit'),
  }),
});

ContentRef.implement({
  description: 'A page, blog post or other content in a space, at its latest or a pinned version',
  fields: (t) => ({
    id: t.id({ resolve: (v) => String(v.content.id) }),
    type: t.string({ description: 'page, blogpost, comment, attachment, whiteboard, database, embed or folder', resolve: (v) => v.content.type }),
    status: t.string({ description: 'current, draft, trashed or archived', resolve: (v) => contentAsShown(v).status }),
    title: t.string({ resolve: (v) => contentAsShown(v).title }),
    space: t.field({ type: SpaceRef, resolve: (v, _, ctx) => ctx.loaders.spaces.get(v.content.spaceId) as Space | Promise<Space> }),
    version: t.field({
      type: VersionRef,
      resolve: ({ content, pinned }, _, ctx) =>
        pinned ??
        mapLoaded(
          ctx.loaders.contentVersions.get(`${content.id}:${content.version}`),
          (latest) =>
            latest ?? {
              // Purged content keeps no versions: describe the last one from the row itself.
              contentId: content.id,
              number: content.version,
              title: content.title,
              status: content.status,
              message: '',
              minorEdit: false,
              byId: null,
              when: content.updatedAt,
            },
        ),
    }),
  }),
});

const latest = (content: Content): ContentView => ({ content, pinned: null });

builder.queryField('content', (t) =>
  t.field({
    type: ContentRef,
    nullable: true,
    description: 'Content by id; `status` defaults to current (`any` for every status), `version` shows it as it was',
    args: { id: t.arg.id({ required: true }), status: t.arg.string(), version: t.arg.int() },
    resolve: async (_, { id, status, version }, ctx) => {
      const found = await getContent({ ctx, id: String(id), status, version });
      return found && { content: found.content, pinned: found.pinned };
    },
  }),
);

const CreateContentInput = builder.inputType('CreateContentInput', {
  fields: (t) => ({
    spaceKey: t.string({ required: true }),
    title: t.string({ required: true }),
    type: t.string({ description: 'Default page' }),
    status: t.string({ description: 'Default current' }),
  }),
});

const UpdateContentInput = builder.inputType('UpdateContentInput', {
  fields: (t) => ({ id: t.id({ required: true }), title: t.string(), status: t.string() }),
});

const DeleteContentInput = builder.inputType('DeleteContentInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    purge: t.boolean({ description: 'Purge trashed content (and its relations) instead of trashing current content' }),
  }),
});

const contentSuccess = (name: string) =>
  builder.objectRef<{ content: Content }>(name).implement({
    fields: (t) => ({ content: t.field({ type: ContentRef, resolve: (r) => latest(r.content) }) }),
  });

const CreateContentSuccess = contentSuccess('CreateContentSuccess');
const UpdateContentSuccess = contentSuccess('UpdateContentSuccess');

const DeleteContentSuccess = builder.objectRef<{ content: Content; purged: boolean }>('DeleteContentSuccess').implement({
  fields: (t) => ({
    content: t.field({ type: ContentRef, description: 'Trashed: as it is now; purged: as it was', resolve: (r) => latest(r.content) }),
    purged: t.exposeBoolean('purged'),
  }),
});

builder.mutationFields((t) => ({
  createContent: t.field({
    type: CreateContentSuccess,
    description: 'Needs EDIT in the space',
    errors: resultOf('CreateContent'),
    args: { input: t.arg({ type: CreateContentInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({ content: await createContent({ ctx, ...input }) }),
  }),
  updateContent: t.field({
    type: UpdateContentSuccess,
    description: 'Changing the title or status bumps the version; needs EDIT',
    errors: resultOf('UpdateContent'),
    args: { input: t.arg({ type: UpdateContentInput, required: true }) },
    resolve: async (_, { input }, ctx) => ({
      content: await updateContent({ ctx, id: String(input.id), title: input.title, status: input.status }),
    }),
  }),
  deleteContent: t.field({
    type: DeleteContentSuccess,
    description: 'Trashes current content (needs EDIT) or, with purge, removes trashed content and its relations (needs ADMIN)',
    errors: resultOf('DeleteContent'),
    args: { input: t.arg({ type: DeleteContentInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const id = String(input.id);
      return input.purge ? { content: await purgeContent({ ctx, id }), purged: true } : { content: await trashContent({ ctx, id }), purged: false };
    },
  }),
}));
