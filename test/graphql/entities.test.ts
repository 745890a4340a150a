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

  const USER = `query($key: String!) { user(key: $key) { accountId } }`;

  it.each([
    ['current', () => 'current'],
    ['accountId', () => owner.user.accountId],
    ['userKey', () => owner.user.userKey],
    ['username', () => owner.user.username],
  ])('user finds a user by %s', async (_, key) => {
    expect((await ok(t, owner.token, USER, { key: key() })).user).toEqual({ accountId: owner.user.accountId });
  });

  it('user is null for an unknown key', async () => {
    expect((await ok(t, owner.token, USER, { key: 'no-such-user' })).user).toBeNull();
  });

  const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) {
    __typename ... on CreateUserSuccess { token user { displayName email username } } ... on ValidationError { message field } ... on Error { message } } }`;

  it('createUser lets a site admin create a user whose token works', async () => {
    const { createUser } = await ok(t, t.admin.token, CREATE_USER, { input: { email: 'New.Person@Example.com', displayName: 'New Person' } });
    expect(createUser).toMatchObject({ __typename: 'CreateUserSuccess', user: { displayName: 'New Person', email: 'new.person@example.com', username: 'new.person' } });
    expect((await ok(t, createUser.token, `{ me { displayName } }`)).me.displayName).toBe('New Person');
  });

  it('createUser rejects an e-mail that is taken, whatever its case', async () => {
    await ok(t, t.admin.token, CREATE_USER, { input: { email: 'Taken.Person@Example.com', displayName: 'Taken' } });
    const again = await ok(t, t.admin.token, CREATE_USER, { input: { email: 'taken.person@example.com', displayName: 'Twin' } });
    expect(again.createUser).toMatchObject({ __typename: 'ValidationError', field: 'email' });
  });

  it('createUser rejects a malformed e-mail', async () => {
    const invalid = await ok(t, t.admin.token, CREATE_USER, { input: { email: 'not-an-address', displayName: 'X' } });
    expect(invalid.createUser).toMatchObject({ __typename: 'ValidationError', field: 'email' });
  });

  it('createUser is forbidden to a user who is not a site admin', async () => {
    const forbidden = await ok(t, owner.token, CREATE_USER, { input: { email: 'x@example.com', displayName: 'X' } });
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

  it.each([
    ['a taken key', { key: 'DOCS', name: 'Again' }],
    ['a malformed key', { key: 'no spaces', name: 'X' }],
  ])('createSpace rejects %s', async (_, input) => {
    expect((await ok(t, stranger.token, CREATE_SPACE, { input })).createSpace).toMatchObject({ __typename: 'ValidationError', field: 'key' });
  });

  it.each([
    ['a private space the caller is not a member of', 'HIDDEN'],
    ['a missing space', 'NOPE'],
  ])('space is null for %s', async (_, key) => {
    expect((await ok(t, stranger.token, SPACE, { key })).space).toBeNull();
  });

  it('space shows a private space to its members', async () => {
    expect((await ok(t, owner.token, SPACE, { key: 'HIDDEN' })).space.public).toBe(false);
  });

  describe('addSpaceMember', () => {
    // Each test has its own private club, so the stranger's membership of one is no other test's business.
    const club = async (key: string) => {
      await createSpace(t, owner.token, key, false);
      return { spaceKey: key, user: stranger.user.username, level: 'VIEW' };
    };

    it('is a NotFoundError to someone who cannot see the space', async () => {
      const input = await club('CLUB1');
      expect((await ok(t, stranger.token, ADD_MEMBER, { input: { ...input, user: 'current' } })).addSpaceMember.__typename).toBe('NotFoundError');
    });

    it('lets a space admin add a member, who then sees the private space', async () => {
      const input = await club('CLUB2');
      const added = (await ok(t, owner.token, ADD_MEMBER, { input })).addSpaceMember;
      expect(added).toEqual({ __typename: 'AddSpaceMemberSuccess', space: { key: 'CLUB2' }, user: { displayName: 'Stranger' }, level: 'VIEW' });
      expect((await ok(t, stranger.token, SPACE, { key: 'CLUB2' })).space.key).toBe('CLUB2');
    });

    it('is a ForbiddenError to a member who is not a space admin', async () => {
      const input = await club('CLUB3');
      await ok(t, owner.token, ADD_MEMBER, { input });
      expect((await ok(t, stranger.token, ADD_MEMBER, { input: { ...input, user: 'current', level: 'ADMIN' } })).addSpaceMember.__typename).toBe('ForbiddenError');
    });

    it('is a NotFoundError for an unknown user', async () => {
      const input = await club('CLUB4');
      expect((await ok(t, owner.token, ADD_MEMBER, { input: { ...input, user: 'ghost' } })).addSpaceMember.__typename).toBe('NotFoundError');
    });

    it('with an unknown level is a 400 that names the level', async () => {
      const input = await club('CLUB5');
      const badLevel = await t.graphql(ADD_MEMBER, { input: { ...input, level: 'OWNER' } }, owner.token);
      expect(badLevel.status).toBe(400);
      expect(badLevel.body.errors?.[0].message).toMatch(/OWNER/);
    });
  });

  describe('deleteSpace', () => {
    const REMOVE = `mutation($key: String!) { deleteSpace(input: { key: $key }) { __typename ... on DeleteSpaceSuccess { space { key } } ... on Error { message } } }`;

    it('is a ForbiddenError to someone who is not a space admin', async () => {
      await createSpace(t, owner.token, 'KEEP');
      expect((await ok(t, stranger.token, REMOVE, { key: 'KEEP' })).deleteSpace.__typename).toBe('ForbiddenError');
    });

    it('removes the space and the relations to it and to its content', async () => {
      await createSpace(t, owner.token, 'GONE');
      const page = await createContent(t, owner.token, 'GONE', 'Inside');
      await relate(t, owner.token, 'likes', user('current'), space('GONE'));
      await relate(t, owner.token, 'likes', user('current'), { type: 'CONTENT', key: page.id });
      expect((await ok(t, owner.token, REMOVE, { key: 'GONE' })).deleteSpace).toEqual({ __typename: 'DeleteSpaceSuccess', space: { key: 'GONE' } });
      expect((await ok(t, owner.token, SPACE, { key: 'GONE' })).space).toBeNull();
      expect((await relationsFrom(t, owner.token, { name: 'likes', source: user('current'), targetType: 'SPACE' })).totalCount).toBe(0);
      expect((await relationsFrom(t, owner.token, { name: 'likes', source: user('current'), targetType: 'CONTENT', targetStatus: 'any' })).totalCount).toBe(0);
    });

    it('of a space already deleted is a NotFoundError', async () => {
      await createSpace(t, owner.token, 'TWICE');
      await ok(t, owner.token, REMOVE, { key: 'TWICE' });
      expect((await ok(t, owner.token, REMOVE, { key: 'TWICE' })).deleteSpace.__typename).toBe('NotFoundError');
    });

    it("records no long task (those are the Confluence face's)", async () => {
      await createSpace(t, owner.token, 'NOTASK');
      const before = await t.db.prisma.longTask.count();
      const remove = `mutation { deleteSpace(input: { key: "NOTASK" }) { __typename } }`;
      expect((await ok(t, owner.token, remove)).deleteSpace.__typename).toBe('DeleteSpaceSuccess');
      expect(await t.db.prisma.longTask.count()).toBe(before);
    });
  });
});

describe('content', () => {
  describe('createContent', () => {
    it('creates content in a space the caller may edit', async () => {
      const created = (await ok(t, owner.token, CREATE_CONTENT, { input: { spaceKey: 'DOCS', title: 'Guide', type: 'blogpost' } })).createContent;
      expect(created).toMatchObject({
        __typename: 'CreateContentSuccess',
        content: { type: 'blogpost', status: 'current', title: 'Guide', space: { key: 'DOCS' }, version: { number: 1, by: { displayName: 'Owner' } } },
      });
    });

    it.each([
      ['is a ForbiddenError without EDIT', () => stranger, { spaceKey: 'DOCS', title: 'Mine' }, { __typename: 'ForbiddenError' }],
      ['rejects an unknown type', () => owner, { spaceKey: 'DOCS', title: 'X', type: 'novel' }, { __typename: 'ValidationError', field: 'type' }],
      ['rejects a title with control characters', () => owner, { spaceKey: 'DOCS', title: 'a\u0001b' }, { __typename: 'ValidationError', field: 'title' }],
      ['is a NotFoundError in a missing space', () => owner, { spaceKey: 'NOPE', title: 'X' }, { __typename: 'NotFoundError' }],
    ])('%s', async (_, caller, input, expected) => {
      expect((await ok(t, caller().token, CREATE_CONTENT, { input })).createContent).toMatchObject(expected);
    });
  });

  describe('updateContent and content versions', () => {
    // A page the owner wrote as 'First draft' (version 1) and retitled 'Second draft' (version 2).
    const retitled = async () => {
      const page = await createContent(t, owner.token, 'DOCS', 'First draft');
      const updated = (await ok(t, owner.token, UPDATE_CONTENT, { input: { id: page.id, title: 'Second draft' } })).updateContent;
      return { page, updated };
    };

    it('updateContent bumps the version', async () => {
      const { page, updated } = await retitled();
      expect(updated).toEqual({ __typename: 'UpdateContentSuccess', content: { id: page.id, title: 'Second draft', status: 'current', version: { number: 2 } } });
    });

    it('content with a version shows that version, with or without status historical', async () => {
      const { page } = await retitled();
      const old = (await ok(t, stranger.token, CONTENT, { id: page.id, version: 1 })).content;
      expect(old).toMatchObject({ title: 'First draft', version: { number: 1, by: { accountId: owner.user.accountId }, message: '', minorEdit: false } });
      const pinned = (await ok(t, stranger.token, CONTENT, { id: page.id, status: 'historical', version: 1 })).content;
      expect(pinned.title).toBe('First draft');
    });

    it('content without a version shows the latest', async () => {
      const { page } = await retitled();
      expect((await ok(t, stranger.token, CONTENT, { id: page.id })).content).toMatchObject({ id: page.id, type: 'page', title: 'Second draft', version: { number: 2 } });
    });

    it('content of a version that does not exist is null', async () => {
      const { page } = await retitled();
      expect((await ok(t, owner.token, CONTENT, { id: page.id, version: 9 })).content).toBeNull();
    });

    it.each([
      ['historical without a version', 'historical'],
      ['unknown', 'sideways'],
    ])('content with a status that is %s is a BAD_USER_INPUT error', async (_, status) => {
      const { page } = await retitled();
      expect(await errorCode(t, owner.token, CONTENT, { id: page.id, status })).toBe('BAD_USER_INPUT');
    });

    it('updateContent is a ForbiddenError without EDIT', async () => {
      const { page } = await retitled();
      expect((await ok(t, stranger.token, UPDATE_CONTENT, { input: { id: page.id, title: 'Vandal' } })).updateContent.__typename).toBe('ForbiddenError');
    });

    it('updateContent rejects an unknown status', async () => {
      const { page } = await retitled();
      expect((await ok(t, owner.token, UPDATE_CONTENT, { input: { id: page.id, status: 'gone' } })).updateContent).toMatchObject({
        __typename: 'ValidationError',
        field: 'status',
      });
    });

    it('updateContent of missing content is a NotFoundError', async () => {
      expect((await ok(t, owner.token, UPDATE_CONTENT, { input: { id: '777777', title: 'X' } })).updateContent.__typename).toBe('NotFoundError');
    });
  });

  describe('content is null', () => {
    it.each([
      ['in a private space the caller cannot view', { status: undefined }],
      ['in a private space the caller cannot view, whatever its status', { status: 'any' }],
    ])('%s', async (_, options) => {
      const secret = await createContent(t, owner.token, 'HIDDEN', 'Members only');
      const outsider = await t.account('Outsider');
      expect((await ok(t, outsider.token, CONTENT, { id: secret.id, ...options })).content).toBeNull();
    });

    it.each([
      ['for missing content', '888888'],
      ['for a malformed id', '../etc'],
    ])('%s', async (_, id) => {
      expect((await ok(t, owner.token, CONTENT, { id })).content).toBeNull();
    });
  });

  describe('deleteContent', () => {
    // Trashing needs EDIT and purging needs ADMIN, so an editor of DOCS who is no space admin tells the two apart.
    const editorOfDocs = async () => {
      const editor = await t.account('Editor');
      await ok(t, owner.token, ADD_MEMBER, { input: { spaceKey: 'DOCS', user: editor.user.accountId, level: 'EDIT' } });
      return editor;
    };
    const trashedPage = async () => {
      const page = await createContent(t, owner.token, 'DOCS', 'Old news');
      await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id } });
      return page;
    };

    it('is a ForbiddenError without EDIT', async () => {
      const page = await createContent(t, owner.token, 'DOCS', 'Old news');
      expect((await ok(t, stranger.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent.__typename).toBe('ForbiddenError');
    });

    it('rejects a purge of content that is not trashed', async () => {
      const page = await createContent(t, owner.token, 'DOCS', 'Old news');
      expect((await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent.__typename).toBe('ValidationError');
    });

    it('trashes the content for an editor', async () => {
      const page = await createContent(t, owner.token, 'DOCS', 'Old news');
      const editor = await editorOfDocs();
      expect((await ok(t, editor.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent).toEqual({
        __typename: 'DeleteContentSuccess',
        purged: false,
        content: { id: page.id, status: 'trashed' },
      });
    });

    it('leaves trashed content visible only with status trashed', async () => {
      const page = await trashedPage();
      expect((await ok(t, owner.token, CONTENT, { id: page.id })).content).toBeNull();
      expect((await ok(t, owner.token, CONTENT, { id: page.id, status: 'trashed' })).content.status).toBe('trashed');
    });

    it('is a ForbiddenError to an editor who purges', async () => {
      const page = await trashedPage();
      const editor = await editorOfDocs();
      expect((await ok(t, editor.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent.__typename).toBe('ForbiddenError');
    });

    it('purges trashed content for a space admin, after which no status finds it', async () => {
      const page = await trashedPage();
      expect((await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id, purge: true } })).deleteContent).toMatchObject({ purged: true });
      expect((await ok(t, owner.token, CONTENT, { id: page.id, status: 'any' })).content).toBeNull();
    });

    it('of purged content is a NotFoundError', async () => {
      const page = await trashedPage();
      await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id, purge: true } });
      expect((await ok(t, owner.token, DELETE_CONTENT, { input: { id: page.id } })).deleteContent.__typename).toBe('NotFoundError');
    });
  });
});
