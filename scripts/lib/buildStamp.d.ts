export interface BuildStep {
  /** The step's output folder; its fingerprint is written to `.stamp` inside it. */
  out: string;
  stamp: string;
}
export function walk(dir: string): string[];
export function hashFiles(root: string, files: string[]): string;
export function prismaStep(root: string): BuildStep;
export function adminStep(root: string): BuildStep;
export const SERVER_ENTRIES: readonly string[];
export function serverStep(root: string): BuildStep;
export function isStale(step: BuildStep): boolean;
