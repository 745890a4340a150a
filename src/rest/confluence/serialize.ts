// Users, spaces and content in the Confluence wire shapes (seeds 000 and 004).
import type { Content, ContentVersion, LongTask, Space, User } from '../../generated/prisma/client.js';
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

/** Content as shown: its latest state, or the version a relation end (or a request) pinned. */
export interface ContentView {
  content: Content;
  /** The version row shown (the latest one unless pinned). */
  version: ContentVersion | null;
  pinned: boolean;
  by: User | null;
  /** Present when the space is expanded. */
  space?: Space | null;
}

export function contentSelfPath(content: Content, pinnedVersion?: number): string {
  if (pinnedVersion) return withQuery(contentPath(content.id), { status: 'historical', version: pinnedVersion });
  return withQuery(contentPath(content.id), { status: content.status === 'current' ? undefined : content.status });
}

/** What a view shows: a pinned version shows its own title and status ("historical" once superseded). */
export function contentShown({ content, version, pinned }: ContentView) {
  const historical = pinned && version !== null && version.number < content.version;
  return {
    status: historical ? 'historical' : pinned && version ? version.status : content.status,
    title: pinned && version ? version.title : content.title,
    selfPath: contentSelfPath(content, pinned ? version?.number : undefined),
  };
}

/** The version fields of a view; content without its version row shows its own. */
export function versionShown({ content, version }: ContentView) {
  return {
    when: (version?.when ?? content.updatedAt).toISOString(),
    message: version?.message ?? '',
    number: version?.number ?? content.version,
    minorEdit: version?.minorEdit ?? false,
  };
}

export const contentSpacePath = (content: Content) => withQuery(contentPath(content.id), { expand: 'space' });

export function versionJson(view: ContentView, links: Links) {
  const { when, message, number, minorEdit } = versionShown(view);
  return {
    ...(view.by ? { by: userJson(view.by, links) } : {}),
    when,
    message,
    number,
    minorEdit,
  };
}

export function contentJson(view: ContentView, links: Links, top = false) {
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
