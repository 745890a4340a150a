-- Hand-written (Prisma's schema language has no expression indexes; its differ ignores them, as it does the CHECKs):
-- the user search of Query.users (src/services/browse.ts) matches a case-insensitive prefix of the display
-- name, the e-mail or the username as a range of lower(column) under the byte-wise text_pattern_ops order, which
-- these indexes serve whatever the database's collation.

-- CreateIndex
CREATE INDEX "users_display_name_prefix_idx" ON "users" (lower("display_name") text_pattern_ops);

-- CreateIndex
CREATE INDEX "users_email_prefix_idx" ON "users" (lower("email") text_pattern_ops);

-- CreateIndex
CREATE INDEX "users_username_prefix_idx" ON "users" (lower("username") text_pattern_ops);
