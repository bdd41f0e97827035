/**
 * User text inside a LIKE/ILIKE pattern. PostgreSQL's default escape
 * character is the backslash, and Prisma's `contains`, `startsWith` and
 * `endsWith` filters build LIKE patterns from the value as given, so a search
 * for "50%" would match "500" and "a_b" would match "axb". Every pattern built
 * from user input goes through this: raw SQL (`%${escapeLike(q)}%`) and Prisma
 * string filters alike.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
