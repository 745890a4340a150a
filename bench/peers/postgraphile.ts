// PostGraphile 5 over the foreign-key schema `peer` (bench/peers/schema.ts). Permission filters are custom
// conditions on allRelations, and writes are the schema's SQL functions, so a request stays one SQL statement.
// The viewer is an argument, taken on trust as by the limit.
import { createServer } from 'node:http';
import { answerCount } from './count.js';

// PostGraphile 5 targets Node >= 22; Node 20 lacks Promise.withResolvers, which grafast uses.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

const { postgraphile } = await import('postgraphile');
const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
const { makePgService } = await import('postgraphile/adaptors/pg');
const { grafserv } = await import('postgraphile/grafserv/node');
const { addPgTableCondition } = await import('postgraphile/utils');

const { sql } = await import('postgraphile/pg-sql2');
type Fragment = ReturnType<typeof sql.value>;

/** A condition on relations taking one argument, whose SQL is built from the row's alias and the argument. */
function condition(name: string, type: 'Int' | 'String', description: string, where: (r: Fragment, value: Fragment) => Fragment) {
  return addPgTableCondition(
    { schemaName: 'peer', tableName: 'relations' },
    name,
    (build) => ({ type: type === 'Int' ? build.graphql.GraphQLInt : build.graphql.GraphQLString, description }),
    (value, { sqlTableAlias }) => where(sqlTableAlias, sql.value(value as never)),
  );
}

// The rule of visibleSql (schema.ts), as a pg-sql2 fragment over the space alias `s`.
const visible = (viewer: Fragment) => sql`(s.public or exists (select 1 from peer.space_members m where m.space_id = s.id and m.user_id = ${viewer}))`;

const plugins = [
  condition(
    'visibleTo',
    'Int',
    'Only relations whose target content is current and visible to this user',
    (r, viewer) =>
      sql`exists (select 1 from peer.content c join peer.spaces s on s.id = c.space_id
      where c.id = ${r}.target_content_id and c.status = 'current' and ${visible(viewer)})`,
  ),
  condition(
    'targetVisibleTo',
    'Int',
    'Only relations whose target content, in any state, is visible to this user',
    (r, viewer) =>
      sql`exists (select 1 from peer.content c join peer.spaces s on s.id = c.space_id
      where c.id = ${r}.target_content_id and ${visible(viewer)})`,
  ),
  condition(
    'sourceVisibleTo',
    'Int',
    'Only relations whose source content, in any state, is visible to this user',
    (r, viewer) =>
      sql`exists (select 1 from peer.content c join peer.spaces s on s.id = c.space_id
      where c.id = ${r}.source_content_id and ${visible(viewer)})`,
  ),
  condition(
    'sourceAccountId',
    'String',
    'Only relations from the user with this accountId',
    (r, account) => sql`${r}.source_user_id = (select u.id from peer.users u where u.account_id = ${account})`,
  ),
];

const port = Number(process.env.PORT) || 4101;
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  plugins,
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['peer'], poolConfig: { max: Number(process.env.PG_POOL_MAX) || 10 } })],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const handle = serv.createHandler();
const server = createServer((req, res) => {
  if (!answerCount(req, res)) handle(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`postgraphile listening on http://127.0.0.1:${port}/graphql`));
process.on('SIGTERM', () =>
  server.close(async () => {
    await pgl.release();
    process.exit(0);
  }),
);
