// Long tasks, as Confluence clients expect them after a space deletion: the work is done by the time
// the request answers, so each task is recorded already finished.
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { LongTask, Prisma } from '../generated/prisma/client.js';
import { NotFoundError } from '../domain/errors.js';

/** Records a finished task; `db` is the transaction of the work it reports, so both land or neither does. */
export async function recordFinishedTask({ ctx, db, name }: { ctx: Ctx; db: Prisma.TransactionClient; name: string }): Promise<LongTask> {
  return db.longTask.create({ data: { id: randomUUID(), name, userId: ctx.viewer.id, finishedAt: new Date() } });
}

/** A task its owner (or a site admin) may read; anyone else's reads as absent. */
export async function getLongTask({ ctx, id }: { ctx: Ctx; id: string }): Promise<LongTask> {
  const valid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const task = valid ? await ctx.prisma.longTask.findUnique({ where: { id } }) : null;
  if (!task || (task.userId !== ctx.viewer.id && !ctx.viewer.siteAdmin)) throw new NotFoundError(`No long task with id '${id}'`);
  return task;
}
