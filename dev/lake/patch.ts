// The subset of Sanity's patch operations the local lake supports: set, setIfMissing, unset,
// with paths such as `title`, `slug.current`, `body[0].style` and `body[_key=="a1"].style`.

export type Patch = {
  set?: Record<string, unknown>
  setIfMissing?: Record<string, unknown>
  unset?: string[]
}

type Segment = string | number | { key: string }
type Container = Record<string, unknown> | unknown[]

const SEGMENT = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[_key\s*==\s*(?:"([^"]*)"|'([^']*)')\])/

export function parsePath(path: string): Segment[] {
  const segments: Segment[] = []
  let rest = path.trim()
  while (rest !== '') {
    const match = SEGMENT.exec(rest)
    if (!match || (segments.length === 0 && rest.startsWith('.'))) throw new Error(`unsupported path "${path}"`)
    if (match[1] !== undefined) segments.push(match[1])
    else if (match[2] !== undefined) segments.push(Number(match[2]))
    else segments.push({ key: match[3] ?? match[4] ?? '' })
    rest = rest.slice(match[0].length)
  }
  if (segments.length === 0) throw new Error('empty path')
  return segments
}

function locate(container: Container, segment: Segment): string | number | undefined {
  if (Array.isArray(container)) {
    if (typeof segment === 'number') return segment
    if (typeof segment === 'object') {
      const index = container.findIndex((item) => typeof item === 'object' && item !== null && (item as { _key?: unknown })._key === segment.key)
      return index === -1 ? undefined : index
    }
    return undefined
  }
  return typeof segment === 'string' ? segment : undefined
}

function read(container: Container, slot: string | number): unknown {
  return (container as Record<string | number, unknown>)[slot]
}

/** Walks to the parent of the last segment, creating objects along the way when `create` is set. */
function parentOf(root: Record<string, unknown>, segments: Segment[], create: boolean): [Container, Segment] | undefined {
  let node: Container = root
  for (const segment of segments.slice(0, -1)) {
    const slot = locate(node, segment)
    if (slot === undefined) return undefined
    let child = read(node, slot)
    if (typeof child !== 'object' || child === null) {
      if (!create || typeof slot !== 'string') return undefined
      child = {}
      ;(node as Record<string, unknown>)[slot] = child
    }
    node = child as Container
  }
  return [node, segments[segments.length - 1]!]
}

function setAt(root: Record<string, unknown>, path: string, value: unknown, onlyIfMissing: boolean): void {
  const found = parentOf(root, parsePath(path), true)
  if (!found) throw new Error(`cannot set "${path}": its parent does not exist`)
  const [parent, last] = found
  const slot = locate(parent, last)
  if (slot === undefined) throw new Error(`cannot set "${path}"`)
  if (onlyIfMissing && read(parent, slot) !== undefined) return
  ;(parent as Record<string | number, unknown>)[slot] = structuredClone(value)
}

function unsetAt(root: Record<string, unknown>, path: string): void {
  const found = parentOf(root, parsePath(path), false)
  if (!found) return
  const [parent, last] = found
  const slot = locate(parent, last)
  if (slot === undefined) return
  if (Array.isArray(parent)) parent.splice(slot as number, 1)
  else delete parent[slot as string]
}

export function applyPatch<T extends Record<string, unknown>>(doc: T, patch: Patch): T {
  const next = structuredClone(doc) as Record<string, unknown>
  for (const [path, value] of Object.entries(patch.setIfMissing ?? {})) setAt(next, path, value, true)
  for (const [path, value] of Object.entries(patch.set ?? {})) setAt(next, path, value, false)
  if (patch.unset !== undefined && !Array.isArray(patch.unset)) throw new Error('unset must be an array of paths')
  for (const path of patch.unset ?? []) unsetAt(next, path)
  const unknown = Object.keys(patch).filter((op) => !['set', 'setIfMissing', 'unset'].includes(op))
  if (unknown.length > 0) throw new Error(`unsupported patch operation "${unknown[0]}"`)
  return next as T
}
