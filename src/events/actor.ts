import { Prisma } from '../generated/prisma/client.js';

/**
 * A condition for a DELETE's WHERE that names the caller for the event log: the relation triggers record it as
 * the actor of the DELETED events the statement causes, cascades included (the setting lasts until the
 * transaction ends). Always true, so it filters nothing; part of the statement, so it costs no round trip.
 */
export function asActor(userId: number): Prisma.Sql {
  return Prisma.sql`set_config('relation_gateway.actor', ${String(userId)}, true) IS NOT NULL`;
}
