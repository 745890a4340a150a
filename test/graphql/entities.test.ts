import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Account, type TestApp } from '../support/app.js';
import {
  ADD_MEMBER,
  CREATE_CONTENT,
  CREATE_SPACE,
  createContent,
  createSpace,
  DELETE_CONTENT,
  errorCode,
  ok,
  relate,
  relationsFrom,
  space,
  UPDATE_CONTENT,
  user,
} from './operations.js';

let t: TestApp;
let owner: Account;
let stranger: Account;

const USER_FIELDS = `type accountId accountType email publicName displayName profilePicture { path width height isDefault } userKey username`;
const CONTENT = `query($id: ID!, $status: String, $version: Int) {
  content(id: $id, status: $status, version: $version) { id type status title space { key } version { number when by { accountId } message minorEdit } } }`;
const SPACE = `query($key: String!) { space(key: $key) { id key name type status description public } }`;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.account('Owner');
  stranger = await t.account('Stranger');
  // DOCS (public) and HIDDEN (private, the stranger no member) are the spaces the tests share; none changes them.
  await createSpace(t, owner.token, 'DOCS');
  await createSpace(t, owner.token, 'HIDDEN', false);
}, 60_000);

afterAll(() => t?.close());

describe('users', () => {
  it('me shows every user field of the caller', async () => {
    const { me } = await ok(t, owner.token, `{ me { ${USER_FIELDS} } }`);
    expect(me).toEqual({
      type: 'known',
      accountId: owner.user.accountId,
      accountType: 'atlassian',
      email: owner.user.email,
      publicName: owner.user.username,
      displayName: 'Owner',
      profilePicture: { path: expect.any(String), width: 48, height: 48, isDefault: true },
      userKey: owner.user.userKey,
      username: owner.user.username,
    });
  });

  it('user finds by current, accountId, userKey and username, and is null for an unknown key', async () => {
    const query = `query($key: String!) { user(key: $key) { accountId } }`;
    for (const key of ['current', owner.user.accountId, owner.user.userKey, owner.user.username]) {
      expect((await ok(t, owner.token, query, { key })).user).toEqual({ accountId: owner.user.accountId });
    }
    expect((await ok(t, owner.token, query, { key: 'no-such-user' })).user).toBeNull();
  });

  it('createUser lets a site admin create a user whose token works', async () => {
    const create = `mutation($input: CreateUserInput!) { createUser(input: $input) {
      __typename ... on CreateUserSuccess { token user { displayName email username } } ... on ValidationError { message field } ... on Error { message } } }`;
    const { createUser } = await ok(t, t.admin.token, create, { input: { email: 'New.Person@Example.com', displayName: 'New Person' } });
    expect(createUser).toMatchObject({ __typename: 'CreateUserSuccess', user: { displayName: 'New Person', email: 'new.person@example.com', username: 'new.person' } });
    expect((await ok(t, createUser.token, `{ me { displayName } }`)).me.displayName).toBe('New Person');

    const again = await ok(t, t.admin.token, create, { input: { email: 'new.person@example.com', displayName: 'Twin' } });
    expect(again.createUser).toMatchObject({ __typename: 'ValidationError', field: 'email' });
    const invalid = await ok(t, t.admin.token, create, { input: { email: 'not-an-address', displayName: 'X' } });
    expect(invalid.createUser).toMatchObject({ __typename: 'ValidationError', field: 'email' });
    const forbidden = await ok(t, owner.token, create, { input: { email: 'x@example.com', displayName: 'X' } });
    expect(forbidden.createUser.__typename).toBe('ForbiddenError');
  });
});

describe('spaces', () => {
  it('createSpace creates a space its creator administers', async () => {
    const { createSpace: result } = await ok(t, owner.token, CREATE_SPACE, { input: { key: 'MANUAL', name: 'Manual', description: 'All the docs' } });
    expect(result).toEqual({
      __typename: 'CreateSpaceSuccess',
      space: { id: expect.any(Number), key: 'MANUAL', name: 'Manual', type: 'global', status: 'current', description: 'All the docs', public: true },
    });
    expect((await ok(t, stranger.token, SPACE, { key: 'MANUAL' })).space.key).toBe('MANUAL');
  });

  it('createSpace rejects a taken or malformed key', async () => {
    expect((await ok(t, stranger.token, CREATE_SPACE, { input: { key: 'DOCS', name: 'Again' } })).createSpace).toMatchObject({
      __typename: 'ValidationError',
      field: 'key',
    });
    expect((await ok(t, stranger.token, CREATE_SPACE, { input: { key: 'no spaces', name: 'X' } })).createSpace).toMatchObject({
      __typename: 'ValidationError',
      field: 'key',
    });
  });

  it('space is null for a missing space and for a private one the caller is not a member of', async () => {
    expect((await ok(t, stranger.token, SPACE, { key: 'HIDDEN' })).space).toBeNull();
    expect((await ok(t, stranger.token, SPACE, { key: 'NOPE' })).space).toBeNull();
    expect((await ok(t, owner.token, SPACE, { key: 'HIDDEN' })).space.public).toBe(false);
  });

  it('addSpaceMember is for space admins and makes a private space visible', async () => {
    await createSpace(t, owner.token, 'CLUB', false);
    const input = { spaceKey: 'CLUB', user: stranger.user.username, level: 'VIEW' };
    expect((await ok(t, stranger.token, ADD_MEMBER, { input: { ...input, user: 'current' } })).addSpaceMember.__typename).toBe('NotFoundError');
    const added = (await ok(t, owner.token, ADD_MEMBER, { input })).addSpaceMember;
    expect(added).toEqual({ __typename: 'AddSpaceMemberSuccess', space: { key: 'CLUB' }, user: { displayName: 'Stranger' }, level: 'VIEW' });
    expect((await ok(t, stranger.token, SPACE, { key: 'CLUB' })).space.key).toBe('CLUB');
    expect((await ok(t, stranger.token, ADD_MEMBER, { input: { ...input, user: 'current', level: 'ADMIN' } })).addSpaceMember.__typename).toBe('ForbiddenError');
    expect((await ok(t, owner.token, ADD_MEMBER, { input: { ...input, user: 'ghost' } })).addSpaceMember.__typename).toBe('NotFoundError');
    const badLevel = await t.graphql(ADD_MEMBER, { input: { ...input, level: 'OWNER' } }, owner.token);
    expect(badLevel.status).toBe(400);
    expect(badLevel.body.errors?.[0].message).toMatch(/OWNER/);
  });

  it('deleteSpace is for space admins and removes the space and its relations', async () => {
    await createSpace(t, owner.token, 'GONE');
    const page = await createContent(t, owner.token, 'GONE', 'Inside');
    await relate(t, owner.token, 'likes', user('current'), space('GONE'));
    await relate(t, owner.token, 'likes', user('current'), { type: 'CONTENT', key: page.id });
    const remove = `mutation($key: String!) { deleteSpace(input: { key: $key }) { __typename ... on DeleteSpaceSuccess { space { key } } ... on Error { message } } }`;
    expect((await ok(t, stranger.token, remove, { key: 'GONE' })).deleteSpace.__typename).toBe('ForbiddenError');
    expect((await ok(t, owner.token, remove, { key: 'GONE' })).deleteSpace).toEqual({ __typename: 'DeleteSpaceSuccess', space: { key: 'GONE' } });
    expect((await ok(t, owner.token, SPACE, { key: 'GONE' })).space).toBeNull();
    expect((await relationsFrom(t, owner.token, { name: 'likes', source: user('current'), targetType: 'SPACE' })).totalCount).toBe(0);
    expect((await relationsFrom(t, owner.token, { name: 'likes', source: user('current'), targetType: 'CONTENT', targetStatus: 'any' })).totalCount).toBe(0);
    expect((await ok(t, owner.token, remove, { key: 'GONE' })).deleteSpace.__typename).toBe('NotFoundError');
  });

  it("deleteSpace records no long task (those are the Confluence face's)", async () => {
    await createSpace(t, owner.token, 'NOTASK');
    const before = await t.db.prisma.longTask.count();
    const remove = `mutation { deleteSpace(input: { key: "NOTASK" }) { __typename } }`;
    expect((await ok(t, owner.token, remove)).deleteSpace.__typename).toBe('DeleteSpaceSuccess');
    expect(await t.db.prisma.longTask.count()).toBe(before);
  });
});

describe('content', () => {
  it('createContent needs EDIT and validates its input', async () => {
    const created = (await ok(t, owner.token, CREATE_CONTENT, { input: { spaceKey: 'DOCS', title: 'Guide', type: 'blogpost' } })).createContent;
    expect(created).toMatchObject({
      __typename: 'CreateContentSuccess',
      content: { type: 'blogpost', status: 'current', title: 'Guide', space: { key: 'DOCS' }, version: { number: 1, by: { displayName: 'Owner' } } },
    });
    expect((await ok(t, stranger.token, CREATE_CONTENT, { input: { spaceKey: 'DOCS', title: 'Mine' } })).createContent.__typename).toBe('ForbiddenError');
    expect((await ok(t, owner.token, CREATE_CONTENT, { input: { spaceKey: 'DOCS', title: 'X', type: 'novel' } })).createContent).toMatchObject({
      __typename: 'ValidationError',
      field: 'type',
    });
    expect((await ok(t, owner.token, CREATE_CONTENT, { input: { spaceKey: 'DOCS', title: 'a\u0001b' } })).createContent).toMatchObject({
      __typename: 'ValidationError',
      field: 'title',
    });
    expect((await ok(t, owner.token, CREATE_CONTENT, { input: { spaceKey: 'NOPE', title: 'X' } })).createContent.__typename).toBe('NotFoundError');
  });

  it('updateContent bumps the version and content(version) shows the old one', async () => {
    const page = await createContent(t, owner.token, 'DOCS', 'First draft');
    const updated = (await ok(t, owner.token, UPDATE_CONTENT, { input: { id: page.id, title: 'Second draft' } })).updateContent;
    expect(updated).toEqual({ __typename: 'UpdateContentSuccess', content: { id: page.id, title: 'Second draft', status: 'current', version: { number: 2 } } });
    const old = (await ok(t, stranger.token, CONTENT, { id: page.id, version: 1 })).content;
    expect(old).toMatchObject({ title: 'First draft', version: { number: 1, by: { accountId: owner.user.accountId }, message: '', minorEdit: false } });
    const pinned = (await ok(t, stranger.token, CONTENT, { id: page.id, status: 'historical', version: 1 })).content;
    expect(pinned.title).toBe('First draft');
    expect((await ok(t, stranger.token, CONTENT, { id: page.id })).content).toMatchObject({ id: page.id, type: 'page', title: 'Second draft', version: { number: 2 } });
    expect((await ok(t, owner.token, CONTENT, { id: page.id, version: 9 })).content).toBeNull();
    expect(await errorCode(t, owner.token, CONTENT, { id: page.id, status: 'historical' })).toBe('BAD_USER_INPUT');
    expect(await errorCode(t, owner.token, CONTENT, { id: page.id, status: 'sideways' })).toBe('BAD_USER_INPUT');

    expect((await ok(t, stranger.token, UPDATE_CONTENT, { input: { id: page.id, title: 'Vandal' } })).updateContent.__typename).toBe('ForbiddenError');
    expect((await ok(t, owner.token, UPDATE_CONTENT, { input: { id: page.id, status: 'gone' } })).updateContent).toMatchObject({
      __typename: 'ValidationError',
      field: 'status',
    });
    expect((await ok(t, owner.token, UPDATE_CONTENT, { input: { id: '777777', title: 'X' } })).updateContent.__typename).toBe('NotFoundError');
  });

  it('content is null for missing content, a malformed id, and a private space the caller cannot view', async () => {
    const secret = await createContent(t, owner.token, 'HIDDEN', 'Members only');
    const outsider = await t.account('Outsider');
    expect((await ok(t, outsider.token, CONTENT, { id: secret.id })).content).toBeNull();
    expect((await ok(t, outsider.token, CONTENT, { id: secret.id, status: 'any' })).content).toBeNull();
    expect((await ok(t, owner.token, CONTENT, { id: '888888' })).content).toBeNull();
    expect((await ok(t, owner.token, CONTENT, { id: '../etc' })).content).toBeNull();
  });

  it('deleteContent trashes with EDIT and purges trashed content with ADMIN', async () => {
    const page = await createContent(t, owner.token, 'DOCS', 'Old news');
    const editor = await t.account('Editor');
    await ok(t, owner.token, ADD_MEMBER, { input: { spaceKey: 'DOCS', user: editor.user.accountId, level: 'EDIT' } });
    expect((await ok(t, stranger.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent.__typename).toBe('ForbiddenError');
    expect((await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent.__typename).toBe('ValidationError');
    expect((await ok(t, editor.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent).toEqual({
      __typename: 'DeleteContentSuccess',
      purged: false,
      content: { id: page.id, status: 'trashed' },
    });
    expect((await ok(t, owner.token, CONTENT, { id: page.id })).content).toBeNull();
    expect((await ok(t, owner.token, CONTENT, { id: page.id, status: 'trashed' })).content.status).toBe('trashed');
    expect((await ok(t, editor.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent.__typename).toBe('ForbiddenError');
    expect((await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent).toMatchObject({ purged: true });
    expect((await ok(t, owner.token, CONTENT, { id: page.id, status: 'any' })).content).toBeNull();
    expect((await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent.__typename).toBe('NotFoundError');
  });
});
