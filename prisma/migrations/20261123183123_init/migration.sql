-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EntityType" AS ENUM ('USER', 'SPACE', 'CONTENT');

-- CreateEnum
CREATE TYPE "SpaceLevel" AS ENUM ('VIEW', 'EDIT', 'ADMIN');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "user_key" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "account_type" TEXT NOT NULL DEFAULT 'atlassian',
    "site_admin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "spaces" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'global',
    "status" TEXT NOT NULL DEFAULT 'current',
    "description" TEXT NOT NULL DEFAULT '',
    "public" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "spaces_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "space_members" (
    "space_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "level" "SpaceLevel" NOT NULL,

    CONSTRAINT "space_members_pkey" PRIMARY KEY ("space_id","user_id")
);

-- CreateTable
CREATE TABLE "content" (
    "id" SERIAL NOT NULL,
    "space_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "content_versions" (
    "content_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "minor_edit" BOOLEAN NOT NULL DEFAULT false,
    "by_id" INTEGER,
    "when" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "content_versions_pkey" PRIMARY KEY ("content_id","number")
);

-- CreateTable
CREATE TABLE "relations" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source_type" "EntityType" NOT NULL,
    "source_id" INTEGER NOT NULL,
    "source_version" INTEGER NOT NULL DEFAULT 0,
    "target_type" "EntityType" NOT NULL,
    "target_id" INTEGER NOT NULL,
    "target_version" INTEGER NOT NULL DEFAULT 0,
    "source_user_id" INTEGER,
    "source_space_id" INTEGER,
    "source_content_id" INTEGER,
    "target_user_id" INTEGER,
    "target_space_id" INTEGER,
    "target_content_id" INTEGER,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "comment" TEXT,

    CONSTRAINT "relations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "long_tasks" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "user_id" INTEGER,

    CONSTRAINT "long_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_account_id_key" ON "users"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_user_key_key" ON "users"("user_key");

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens"("hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "spaces_key_key" ON "spaces"("key");

-- CreateIndex
CREATE INDEX "spaces_created_by_id_idx" ON "spaces"("created_by_id");

-- CreateIndex
CREATE INDEX "space_members_user_id_space_id_idx" ON "space_members"("user_id", "space_id");

-- CreateIndex
CREATE INDEX "content_space_id_id_idx" ON "content"("space_id", "id");

-- CreateIndex
CREATE INDEX "content_created_by_id_idx" ON "content"("created_by_id");

-- CreateIndex
CREATE INDEX "content_versions_by_id_idx" ON "content_versions"("by_id");

-- CreateIndex
CREATE INDEX "relations_from_idx" ON "relations"("name", "source_type", "source_id", "target_type", "id");

-- CreateIndex
CREATE INDEX "relations_to_idx" ON "relations"("name", "target_type", "target_id", "source_type", "id");

-- CreateIndex
CREATE INDEX "relations_source_user_id_idx" ON "relations"("source_user_id");

-- CreateIndex
CREATE INDEX "relations_source_space_id_idx" ON "relations"("source_space_id");

-- CreateIndex
CREATE INDEX "relations_source_content_id_idx" ON "relations"("source_content_id");

-- CreateIndex
CREATE INDEX "relations_target_user_id_idx" ON "relations"("target_user_id");

-- CreateIndex
CREATE INDEX "relations_target_space_id_idx" ON "relations"("target_space_id");

-- CreateIndex
CREATE INDEX "relations_target_content_id_idx" ON "relations"("target_content_id");

-- CreateIndex
CREATE INDEX "relations_created_by_id_idx" ON "relations"("created_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "relations_identity_key" ON "relations"("name", "source_type", "source_id", "source_version", "target_type", "target_id", "target_version");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "spaces" ADD CONSTRAINT "spaces_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_members" ADD CONSTRAINT "space_members_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "space_members" ADD CONSTRAINT "space_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "content" ADD CONSTRAINT "content_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "content" ADD CONSTRAINT "content_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "content_versions" ADD CONSTRAINT "content_versions_content_id_fkey" FOREIGN KEY ("content_id") REFERENCES "content"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "content_versions" ADD CONSTRAINT "content_versions_by_id_fkey" FOREIGN KEY ("by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_source_user_id_fkey" FOREIGN KEY ("source_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_source_space_id_fkey" FOREIGN KEY ("source_space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_source_content_id_fkey" FOREIGN KEY ("source_content_id") REFERENCES "content"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_target_user_id_fkey" FOREIGN KEY ("target_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_target_space_id_fkey" FOREIGN KEY ("target_space_id") REFERENCES "spaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_target_content_id_fkey" FOREIGN KEY ("target_content_id") REFERENCES "content"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "relations" ADD CONSTRAINT "relations_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language has no CHECK constraints; its differ ignores them):
-- exactly the typed foreign key matching the entity type repeats the id, so deletes cascade to relations.
-- The IS NOT NULL terms matter: a CHECK whose expression is NULL passes.
ALTER TABLE "relations" ADD CONSTRAINT "relations_source_ref_check" CHECK (
    ("source_type" = 'USER' AND "source_user_id" IS NOT NULL AND "source_user_id" = "source_id" AND "source_space_id" IS NULL AND "source_content_id" IS NULL)
 OR ("source_type" = 'SPACE' AND "source_space_id" IS NOT NULL AND "source_space_id" = "source_id" AND "source_user_id" IS NULL AND "source_content_id" IS NULL)
 OR ("source_type" = 'CONTENT' AND "source_content_id" IS NOT NULL AND "source_content_id" = "source_id" AND "source_user_id" IS NULL AND "source_space_id" IS NULL)
);
ALTER TABLE "relations" ADD CONSTRAINT "relations_target_ref_check" CHECK (
    ("target_type" = 'USER' AND "target_user_id" IS NOT NULL AND "target_user_id" = "target_id" AND "target_space_id" IS NULL AND "target_content_id" IS NULL)
 OR ("target_type" = 'SPACE' AND "target_space_id" IS NOT NULL AND "target_space_id" = "target_id" AND "target_user_id" IS NULL AND "target_content_id" IS NULL)
 OR ("target_type" = 'CONTENT' AND "target_content_id" IS NOT NULL AND "target_content_id" = "target_id" AND "target_user_id" IS NULL AND "target_space_id" IS NULL)
);
ALTER TABLE "relations" ADD CONSTRAINT "relations_version_check" CHECK ("source_version" >= 0 AND "target_version" >= 0);
ALTER TABLE "relations" ADD CONSTRAINT "relations_name_check" CHECK (char_length("name") BETWEEN 1 AND 255);
