// PostGraphile 5 over the foreign-key schema `peer`. The permission filter is a custom condition,
// allRelations(condition: {sourceUserId, name, visibleTo: <viewer id>}), so a page stays one SQL statement.
import { createServer } from 'node:http';

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

const VisibleTo = addPgTableCondition(
  { schemaName: 'peer', tableName: 'relations' },
  'visibleTo',
  (build) => ({ type: build.graphql.GraphQLInt, description: 'Only relations whose target content this user may view' }),
  (value, { sql, sqlTableAlias }) =>
    sql`exists (select 1 from peer.content c join peer.spaces s on s.id = c.space_id
      where c.id = ${sqlTableAlias}.target_content_id and c.status = 'current'
        and (s.public or exists (select 1 from peer.space_members m where m.space_id = s.id and m.user_id = ${sql.value(value as number)})))`,
);

const port = Number(process.env.PORT) || 4101;
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  plugins: [VisibleTo],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['peer'], poolConfig: { max: Number(process.env.PG_POOL_MAX) || 10 } })],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
server.listen(port, '127.0.0.1', () => console.log(`postgraphile listening on http://127.0.0.1:${port}/graphql`));
process.on('SIGTERM', () => server.close(async () => {
  await pgl.release();
  process.exit(0);
}));
