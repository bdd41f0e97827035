-- CreateTable
CREATE TABLE "paragraph_confirmations" (
    "articleId" INTEGER NOT NULL,
    "paragraphIndex" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "confirmedById" INTEGER NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "paragraph_confirmations_pkey" PRIMARY KEY ("articleId","paragraphIndex")
);

-- CreateIndex
CREATE INDEX "paragraph_confirmations_confirmedById_idx" ON "paragraph_confirmations"("confirmedById");

-- AddForeignKey
ALTER TABLE "paragraph_confirmations" ADD CONSTRAINT "paragraph_confirmations_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "paragraph_confirmations" ADD CONSTRAINT "paragraph_confirmations_confirmedById_fkey" FOREIGN KEY ("confirmedById") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
