import type { Viewer } from '@/lib/auth/viewer'
import type { AccessClauses, Requirements } from '@/lib/content/schema'

/**
 * For editors: each clause of the access rule for this audience. Pass/fail comes from the clause
 * results the GROQ query projected (lib/content/access.ts), never from a second copy of the rule.
 */
export function RuleExplainer({ access, requirements, audience, reader }: { access: AccessClauses; requirements: Requirements; audience: string | null; reader: Viewer | null }) {
  const rows: [keyof AccessClauses, string, string][] = [
    ['audience', audience === 'public' ? 'anyone' : 'signed-in readers', reader ? 'signed in' : 'signed out'],
    ['role', requirements.roles.length ? `one of ${requirements.roles.join(', ')}` : 'no role needed', reader?.roles.length ? reader.roles.join(', ') : 'no roles'],
    ['tenant', requirements.tenant ?? 'any organization', reader?.tenant ?? 'no organization'],
    ['plan', requirements.plans.length ? `one of ${requirements.plans.join(', ')}` : 'any plan', reader?.plan ?? 'no plan'],
  ]
  return (
    <section className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm" data-testid="rule-explainer">
      <h2 className="font-semibold text-sky-900">Why this audience cannot read it (editors only)</h2>
      <table className="mt-2 w-full text-left">
        <thead className="text-sky-800">
          <tr>
            <th className="py-1 pr-4">Rule</th>
            <th className="py-1 pr-4">Requires</th>
            <th className="py-1 pr-4">This audience</th>
            <th className="py-1">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([clause, requires, has]) => (
            <tr key={clause} data-testid={`rule-${clause}`} data-pass={access[clause]}>
              <td className="py-1 pr-4 font-medium">{clause}</td>
              <td className="py-1 pr-4">{requires}</td>
              <td className="py-1 pr-4">{has}</td>
              <td className="py-1">{access[clause] ? '✓ passes' : '✗ fails'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
