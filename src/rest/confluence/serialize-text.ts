// The shapes of serialize.ts written straight as JSON text, for relation answers: a page of relations
// repeats the same creator (and often the same space or version author) on every row, so each user and
// space is written once per request, and no object graph is built only to be stringified.
// Byte for byte the same as JSON.stringify(userJson(…)) etc.: test/confluence/serialize-text.test.ts.
import type { Space, User } from '../../generated/prisma/client.js';
import { absolute, spacePath, userPath, type Links } from './links.js';
import { isoTime } from '../../domain/dates.js';
import { str } from '../../http/json-text.js';
import { contentShown, contentSpacePath, profilePicturePath, versionShown, type LoadedContentView } from './serialize.js';

/** A date as JSON.stringify writes it (isoTime is toISOString's text): ISO text, which never needs escaping. */
export const date = (value: Date) => `"${isoTime(value)}"`;

/** One per request (its links); remembers each user and space it has written. */
export class EntityText {
  private readonly users = new Map<number, string>();
  private readonly spaces = new Map<number, string>();
  private readonly picture: string;
  private readonly baseAndContext: string;

  constructor(private readonly links: Links) {
    this.picture = `"profilePicture":{"path":${str(profilePicturePath(links))},"width":48,"height":48,"isDefault":true}`;
    this.baseAndContext = `"base":${str(links.base)},"context":${str(links.context)}`;
  }

  /** `_links` as embedded entities show it. */
  private selfLink(path: string): string {
    return `"_links":{"self":${str(absolute(this.links, path))}}`;
  }

  /** `_links` as a top-level answer shows it (topLinks without extras). */
  topLinks(path: string): string {
    return `"_links":{${this.baseAndContext},"self":${str(absolute(this.links, path))}}`;
  }

  user(user: User): string {
    let text = this.users.get(user.id);
    if (text === undefined) {
      text =
        `{"type":"known","accountId":${str(user.accountId)},"accountType":${str(user.accountType)},"email":${str(user.email)},` +
        `"publicName":${str(user.username)},${this.picture},"displayName":${str(user.displayName)},` +
        `"userKey":${str(user.userKey)},"username":${str(user.username)},"_expandable":{},${this.selfLink(userPath(user.accountId))}}`;
      this.users.set(user.id, text);
    }
    return text;
  }

  space(space: Space): string {
    let text = this.spaces.get(space.id);
    if (text === undefined) {
      text =
        `{"id":${space.id},"key":${str(space.key)},"name":${str(space.name)},"type":${str(space.type)},"status":${str(space.status)},` +
        `"description":{"plain":{"value":${str(space.description)},"representation":"plain","embeddedContent":[]}},` +
        `"_expandable":{},${this.selfLink(spacePath(space.key))}}`;
      this.spaces.set(space.id, text);
    }
    return text;
  }

  content(view: LoadedContentView): string {
    const { content } = view;
    const { status, title, selfPath } = contentShown(view);
    const { when, message, number, minorEdit } = versionShown(view);
    const space = view.space ? `"space":${this.space(view.space)},` : '';
    const by = view.by ? `"by":${this.user(view.by)},` : '';
    const expandable = view.space ? '{}' : `{"space":${str(contentSpacePath(content))}}`;
    return (
      `{"id":${str(String(content.id))},"type":${str(content.type)},"status":${str(status)},"title":${str(title)},${space}` +
      `"version":{${by}"when":${str(when)},"message":${str(message)},"number":${number},"minorEdit":${minorEdit}},` +
      `"_expandable":${expandable},${this.selfLink(selfPath)}}`
    );
  }
}
