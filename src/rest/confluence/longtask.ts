// Long tasks: space deletion reports one, already finished.
import { getLongTask } from '../../services/long-tasks.js';
import type { Api } from './env.js';
import { parseRequest } from './params.js';
import { longTaskRequest } from './schemas.js';
import { longTaskJson } from './serialize.js';

export function registerLongTasks(api: Api): void {
  api.get('/longtask/:id', async (c) => {
    const { params } = await parseRequest(c, longTaskRequest);
    const task = await getLongTask({ ctx: c.var.ctx, id: params.id });
    return c.json(longTaskJson(task, c.var.links));
  });
}
