// Constraint violations a concurrent request can cause (an end deleted meanwhile): a not-found, never a bug.

/** A foreign key refused the row: what it pointed at was deleted after we read it. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string; meta?: unknown };
  const text = String(e?.message ?? '') + JSON.stringify(e?.meta ?? '');
  return e?.code === 'P2003' || /23503|foreign key/i.test(text);
}
