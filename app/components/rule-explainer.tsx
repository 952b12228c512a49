import { DIMENSIONS, heldValues, type Grants } from '@/lib/access/dimensions'
import type { AccessClauses, Requirements } from '@/lib/content/schema'

/**
 * For editors: each clause of the access rule for this audience, one row per dimension. Pass/fail
 * comes from the clause results the GROQ query projected (lib/content/access.ts), never from a second
 * copy of the rule.
 */
export function RuleExplainer({
  access,
  requirements,
  reader,
  title = 'Why this audience cannot read it (editors only)',
}: {
  access: AccessClauses
  requirements: Requirements
  reader: Grants | null
  title?: string
}) {
  return (
    <section className="not-prose rounded-lg border border-info-line bg-info-bg p-4 text-sm" data-testid="rule-explainer">
      <p className="font-semibold text-info-fg">{title}</p>
      <table className="mt-2 w-full text-left">
        <thead className="text-info-fg">
          <tr>
            <th className="py-1 pr-4">Rule</th>
            <th className="py-1 pr-4">Requires</th>
            <th className="py-1 pr-4">This audience</th>
            <th className="py-1">Result</th>
          </tr>
        </thead>
        <tbody>
          {DIMENSIONS.map((d) => (
            <tr key={d.name} data-testid={`rule-${d.name}`} data-pass={access[d.name]}>
              <td className="py-1 pr-4 font-medium">{d.name}</td>
              <td className="py-1 pr-4">{d.requires(requirements[d.name])}</td>
              <td className="py-1 pr-4">{d.has(d.kind === 'audience' ? [String(reader !== null)] : reader ? heldValues(reader, d) : [])}</td>
              <td className="py-1">{access[d.name] ? '✓ passes' : '✗ fails'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
