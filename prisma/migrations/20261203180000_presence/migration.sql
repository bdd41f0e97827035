-- CreateTable
CREATE TABLE "presence" (
    "userId" INTEGER NOT NULL,
    "articleId" INTEGER NOT NULL,
    "editing" BOOLEAN NOT NULL DEFAULT false,
    "lastSeen" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "presence_pkey" PRIMARY KEY ("userId","articleId")
);

-- CreateIndex
CREATE INDEX "presence_articleId_lastSeen_idx" ON "presence"("articleId", "lastSeen");

-- CreateIndex
CREATE INDEX "presence_lastSeen_idx" ON "presence"("lastSeen");

-- AddForeignKey
ALTER TABLE "presence" ADD CONSTRAINT "presence_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "presence" ADD CONSTRAINT "presence_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

