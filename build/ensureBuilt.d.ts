/** The types of build/ensureBuilt.js's exports, for the TypeScript that uses them. */
import type * as ts from "typescript";

export function ensureBuilt(entries?: readonly string[]): void;
export function compiled(entry: string): unknown;
export function staleness(entries: readonly string[]): string | undefined;
export function importedModules(typescript: typeof ts, fileName: string, text: string): string[];
