// Users, spaces and content in the Confluence wire shapes (docs/confluence.md).
import type { Content, ContentVersion, LongTask, Space, User } from '../../generated/prisma/client.js';
import { contentAsShown, type ContentView } from '../../domain/content-view.js';
import { isoTime } from '../../domain/dates.js';
import { absolute, API, contentPath, longTaskPath, spacePath, topLinks, userPath, withQuery, type Links } from './links.js';

export const profilePicturePath = (links: Links) => `${links.context}/images/icons/profilepics/default.svg`;

export function userJson(user: User, links: Links, top = false) {
  const self = userPath(user.accountId);
  return {
    type: 'known',
    accountId: user.accountId,
    accountType: user.accountType,
    email: user.email,
    publicName: user.username,
    profilePicture: { path: profilePicturePath(links), width: 48, height: 48, isDefault: true },
    displayName: user.displayName,
    userKey: user.userKey,
    username: user.username,
    _expandable: {},
    _links: top ? topLinks(links, self) : { self: absolute(links, self) },
  };
}

export function spaceJson(space: Space, links: Links, top = false) {
  const self = spacePath(space.key);
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    description: { plain: { value: space.description, representation: 'plain', embeddedContent: [] } },
    _expandable: {},
    _links: top ? topLinks(links, self, { collection: `${API}/space` }) : { self: absolute(links, self) },
  };
}

/** A content view with what the Confluence shape adds: the version row shown, its author, and the space when expanded. */
export interface LoadedContentView extends ContentView {
  /** The version row shown: the pinned one, else the latest. */
  version: ContentVersion | null;
  by: User | null;
  /** Present when the space is expanded. */
  space?: Space | null;
}

export function contentSelfPath(content: Content, pinnedVersion?: number): string {
  if (pinnedVersion) return withQuery(contentPath(content.id), { status: 'historical', version: pinnedVersion });
  return withQuery(contentPath(content.id), { status: content.status === 'current' ? undefined : content.status });
}

/** What a view shows, in Confluence's words: a superseded pinned version is "historical". */
export function contentShown(view: ContentView) {
  const { title, status, historical } = contentAsShown(view);
  return { status: historical ? 'historical' : status, title, selfPath: contentSelfPath(view.content, view.pinned?.number) };
}

/** The version fields of a view; content without its version row shows its own. */
export function versionShown({ content, version }: LoadedContentView) {
  return {
    when: isoTime(version?.when ?? content.updatedAt),
    message: version?.message ?? '',
    number: version?.number ?? content.version,
    minorEdit: version?.minorEdit ?? false,
  };
}

export const contentSpacePath = (content: Content) => withQuery(contentPath(content.id), { expand: 'space' });

export function versionJson(view: LoadedContentView, links: Links) {
  const { when, message, number, minorEdit } = versionShown(view);
  return {
    ...(view.by ? { by: userJson(view.by, links) } : {}),
    when,
    message,
    number,
    minorEdit,
  };
}

export function contentJson(view: LoadedContentView, links: Links, top = false) {
  const { content } = view;
  const { status, title, selfPath } = contentShown(view);
  return {
    id: String(content.id),
    type: content.type,
    status,
    title,
    ...(view.space ? { space: spaceJson(view.space, links) } : {}),
    version: versionJson(view, links),
    _expandable: view.space ? {} : { space: contentSpacePath(content) },
    _links: top ? topLinks(links, selfPath, { collection: `${API}/content` }) : { self: absolute(links, selfPath) },
  };
}

export function longTaskJson(task: LongTask, links: Links) {
  const finished = task.finishedAt !== null;
  return {
    id: task.id,
    name: { key: 'com.atlassian.confluence.space.delete', args: [{ name: task.name }] },
    elapsedTime: finished ? task.finishedAt!.getTime() - task.createdAt.getTime() : Date.now() - task.createdAt.getTime(),
    percentageComplete: finished ? 100 : 0,
    successful: finished,
    finished,
    status: finished ? 'COMPLETE' : 'RUNNING',
    messages: [],
    _links: topLinks(links, longTaskPath(task.id)),
  };
}
