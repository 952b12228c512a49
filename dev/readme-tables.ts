// README's tables of providers, sync targets, webhooks and access dimensions, generated from the
// registries so the documentation cannot drift from the code: `npm run docs:tables` rewrites them
// between their <!-- generated: name --> markers, and tests/readme.test.ts fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { DIMENSIONS } from '../lib/access/dimensions.ts'
import { shapeOf } from '../lib/config/env.ts'
import { PROVIDERS } from '../lib/auth/providers/registry.ts'
import { secretEnvOf, TARGETS, webhookFilterOf } from '../lib/sync/targets/registry.ts'

const README = join(import.meta.dirname, '..', 'README.md')

const row = (cells: string[]) => `| ${cells.join(' | ')} |`
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')

/** The environment variables a registry entry's settings schema reads, required ones first (from the zod object it wraps). */
function variablesOf(schema: z.ZodType): { required: string[]; optional: string[] } {
  const shape = shapeOf(schema)
  const required = Object.keys(shape).filter((name) => !shape[name]!.safeParse(undefined).success)
  const optional = Object.keys(shape).filter((name) => !required.includes(name) && !name.endsWith('_CLAIM'))
  return { required, optional }
}
const code = (names: string[]) => names.map((n) => `\`${n}\``).join(', ') || '–'

export function generatedTables(): Record<string, string> {
  return {
    providers: table(
      ['`AUTH_PROVIDER`', 'provider', 'official SDK', 'proxy.ts', 'data-access layer', 'grants from', 'requires', 'optional'],
      Object.values(PROVIDERS).map((p) => {
        const { required, optional } = variablesOf(p.settings)
        return [`\`${p.name}\``, p.title, p.sdk, p.docs.proxy, p.docs.session, p.docs.grants, code(required), code(optional)]
      }),
    ),
    'sync-targets': table(
      ['target', 'documents', 'official SDK', 'what it sets', 'secret', 'requires'],
      Object.values(TARGETS).map((t) => [
        `\`${t.name}\``,
        t.types.join(', '),
        t.sdk,
        t.sets,
        `\`${secretEnvOf(t.name)}\``,
        code(variablesOf(t.settings).required),
      ]),
    ),
    webhooks: table(
      ['name', 'URL', 'filter', 'projection'],
      Object.values(TARGETS).map((t) => [t.title, `\`APP_BASE_URL/api/webhooks/sanity/${t.name}\``, `\`${webhookFilterOf(t)}\``, '`{_id, _type}`']),
    ),
    dimensions: table(
      ['dimension', 'gatedPage field', 'the reader holds', 'readable when', 'from a memberProfile', 'from a token (default claim)'],
      DIMENSIONS.map((d) => [
        `\`${d.name}\``,
        `\`${d.field}\``,
        d.kind === 'audience' ? 'being signed in' : d.kind === 'anyOf' ? `a set (\`${d.grant}\`)` : `one value (\`${d.grant}\`)`,
        {
          audience: '`public`, or the reader is signed in',
          anyOf: 'empty, or the reader holds one of them',
          oneOf: 'empty, or the reader’s value is one of them',
          equals: 'unset, or equal to the reader’s',
        }[d.kind],
        d.profile ? `\`${d.profile}\`` : '–',
        d.claim ? `\`${d.claim}\`` : '–',
      ]),
    ),
  }
}

/** README with every generated section replaced by its current rendering. */
export function withGeneratedTables(readme: string): string {
  let out = readme
  for (const [name, body] of Object.entries(generatedTables())) {
    const pattern = new RegExp(`(<!-- generated: ${name} -->\\n)[\\s\\S]*?(<!-- /generated: ${name} -->)`)
    if (!pattern.test(out)) throw new Error(`README.md has no <!-- generated: ${name} --> section`)
    out = out.replace(pattern, (_match, start: string, end: string) => `${start}${body}\n${end}`)
  }
  return out
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(README, withGeneratedTables(readFileSync(README, 'utf8')))
  console.log('README.md tables regenerated from the registries')
}
