-- DropIndex
DROP INDEX "relations_from_idx";

-- DropIndex
DROP INDEX "relations_to_idx";

-- CreateIndex
CREATE INDEX "relations_from_idx" ON "relations"("name", "source_type", "source_id", "target_type", "id", "source_version", "target_version", "target_id");

-- CreateIndex
CREATE INDEX "relations_to_idx" ON "relations"("name", "target_type", "target_id", "source_type", "id", "source_version", "target_version", "source_id");
