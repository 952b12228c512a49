import { createHash } from 'node:crypto'

/** A store key part for an identifier that must not appear in plain text (session ids, subjects, tokens). */
export function keyHash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32)
}
