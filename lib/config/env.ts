// Building blocks of the environment schema (lib/config), shared by the provider and sync-target
// registries, which declare their own variables with them. Pure: importable from dev/ and tests.
import { z } from 'zod'

export type Env = Record<string, string | undefined>

/** An optional setting: trimmed, and '' means unset. */
export const optional = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

export const url = (name: string) => optional.refine((value) => value === undefined || URL.canParse(value), { message: `${name} must be an absolute URL` })

/** A whole number within [min, max], e.g. `wholeNumber('SYNC_TIMEOUT_MS', 100, 60_000, 'milliseconds')`. */
export const wholeNumber = (name: string, min: number, max: number, unit?: string) =>
  optional.pipe(
    z
      .string()
      .regex(/^\d+$/, { message: `${name} must be a whole number${unit ? ` of ${unit}` : ''}` })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, { message: `${name} must be at least ${min}` })
          .max(max, { message: `${name} must be at most ${max}` }),
      )
      .optional(),
  )

export const seconds = (name: string, min: number, max: number) => wholeNumber(name, min, max, 'seconds')

/** A setting that must be present; the message names it and says why (`when`). */
export const required = (name: string, when: string) =>
  z
    .string({ error: `${name} is required ${when}` })
    .trim()
    .min(1, { message: `${name} is required ${when}` })

/** The issues of a failed parse as "NAME: message" lines, or the message alone when it already names the variable. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.')
    return name && !issue.message.startsWith(name) ? `${name}: ${issue.message}` : issue.message
  })
}

/** The variables an environment schema reads: the keys of the z.object it wraps (through refinements and transforms). */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  let inner: z.ZodType = schema
  while (inner instanceof z.ZodPipe) inner = inner.in as z.ZodType
  if (!(inner instanceof z.ZodObject)) throw new Error('An environment schema must be a z.object')
  return inner.shape as Record<string, z.ZodType>
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Gatehouse configuration is incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example.`)
    this.name = 'ConfigError'
  }
}

export const apiVersion = optional.refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), {
  message: 'SANITY_API_VERSION must look like 2025-02-19',
})
