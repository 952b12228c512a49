// Types for dev/provision.mjs (plain JavaScript so any Node can run it before the TypeScript tooling).
export type Found = { path: string; source: string } | { problem: string } | undefined
export function findChromium(env?: Record<string, string | undefined>): Found
export function findRedisServer(env?: Record<string, string | undefined>): Found
/** The path, or an Error naming the bad variable or `node dev/provision.mjs`. */
export function requireChromium(env?: Record<string, string | undefined>): string
export function requireRedisServer(env?: Record<string, string | undefined>): string
