-- Read replicas (DATABASE_READ_URL): the primary's WAL position (in bytes) after the token's last writing
-- request. The token lookup, which runs on the primary, reads it; a replica serves that caller only once it
-- has replayed this far. Written and read by raw statements only (src/db/database.ts, src/services/tokens.ts);
-- NULL until the first write with replicas configured.
ALTER TABLE "api_tokens" ADD COLUMN "write_lsn" BIGINT;
