// The local content lake's document store: an in-memory map persisted to one NDJSON file.
// Every transaction is applied to a copy and written (temp file + fsync + rename) before it
// becomes visible, so a crash leaves either the old file or the new one, never half of each.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { applyPatch, type Patch } from './patch.ts'

export type SanityDocument = {
  _id: string
  _type: string
  _rev?: string
  _createdAt?: string
  _updatedAt?: string
  [field: string]: unknown
}

export type Mutation =
  | { create: Partial<SanityDocument> & { _type: string } }
  | { createOrReplace: SanityDocument }
  | { createIfNotExists: SanityDocument }
  | { patch: Patch & { id: string; ifRevisionID?: string } }
  | { delete: { id: string } }

export type MutationResult = { id: string; operation: 'create' | 'update' | 'delete' | 'none' }

export type Transaction = {
  transactionId: string
  results: MutationResult[]
  /** The documents as they were before and are after the transaction (null: absent). */
  changes: { id: string; before: SanityDocument | null; after: SanityDocument | null }[]
}

/** A mutation the lake refuses; mapped to Sanity's error shape by the server. */
export class MutationError extends Error {
  readonly status: number
  readonly type: string
  readonly id?: string
  constructor(status: number, type: string, message: string, id?: string) {
    super(message)
    this.status = status
    this.type = type
    this.id = id
  }
}

const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

export function isDocumentId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id)
}

function parseNdjson(text: string, source: string): SanityDocument[] {
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line !== '')
    .map(({ line, index }) => {
      const doc = JSON.parse(line) as SanityDocument
      if (!isDocumentId(doc._id) || typeof doc._type !== 'string') {
        throw new Error(`${source}:${index + 1}: every document needs a valid _id and a _type`)
      }
      return doc
    })
}

export class DocumentStore {
  private docs: Map<string, SanityDocument>
  private readonly file: string
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(file: string, docs: SanityDocument[]) {
    this.file = file
    this.docs = new Map(docs.map((doc) => [doc._id, doc]))
  }

  /** Opens the data file, creating it from the seed on first start. */
  static async open(file: string, seedFile?: string): Promise<DocumentStore> {
    if (existsSync(file)) {
      return new DocumentStore(file, parseNdjson(await readFile(file, 'utf8'), file))
    }
    const now = new Date().toISOString()
    const seed = seedFile ? parseNdjson(await readFile(seedFile, 'utf8'), seedFile) : []
    const store = new DocumentStore(
      file,
      seed.map((doc) => ({ _createdAt: now, _updatedAt: now, _rev: newRevision(), ...doc })),
    )
    await store.persist(store.docs)
    return store
  }

  all(): SanityDocument[] {
    return [...this.docs.values()]
  }

  get(id: string): SanityDocument | undefined {
    return this.docs.get(id)
  }

  /** Applies all mutations or none. Transactions run one at a time, in arrival order. */
  mutate(mutations: Mutation[], options: { dryRun?: boolean } = {}): Promise<Transaction> {
    const run = this.queue.then(async () => {
      const next = new Map(this.docs)
      const transactionId = randomUUID().replaceAll('-', '')
      const before = new Map<string, SanityDocument | null>()
      const results = mutations.map((mutation) => applyMutation(next, mutation, transactionId, before))
      const changes = [...before].map(([id, was]) => ({ id, before: was, after: next.get(id) ?? null }))
      if (!options.dryRun && changes.length > 0) {
        await this.persist(next)
        this.docs = next
      }
      return { transactionId, results, changes }
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  private async persist(docs: Map<string, SanityDocument>): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true })
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile([...docs.values()].map((doc) => JSON.stringify(doc) + '\n').join(''))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, this.file)
  }
}

function newRevision(): string {
  return randomBytes(11).toString('base64url')
}

function applyMutation(
  docs: Map<string, SanityDocument>,
  mutation: Mutation,
  transactionId: string,
  before: Map<string, SanityDocument | null>,
): MutationResult {
  const now = new Date().toISOString()
  const remember = (id: string) => {
    if (!before.has(id)) before.set(id, docs.get(id) ?? null)
  }
  const write = (doc: SanityDocument, existing: SanityDocument | undefined): SanityDocument => {
    const stored = {
      ...doc,
      _createdAt: existing?._createdAt ?? now,
      _updatedAt: now,
      _rev: transactionId,
    }
    remember(doc._id)
    docs.set(doc._id, stored)
    return stored
  }

  if (typeof mutation !== 'object' || mutation === null || Object.keys(mutation).length !== 1) {
    throw new MutationError(400, 'mutationError', 'Each mutation must have exactly one operation')
  }
  if ('create' in mutation) {
    const doc = { ...mutation.create, _id: mutation.create._id ?? randomUUID() }
    assertDocument(doc)
    if (docs.has(doc._id)) {
      throw new MutationError(409, 'documentAlreadyExistsError', `Document by ID "${doc._id}" already exists`, doc._id)
    }
    write(doc, undefined)
    return { id: doc._id, operation: 'create' }
  }
  if ('createOrReplace' in mutation) {
    const doc = mutation.createOrReplace
    assertDocument(doc)
    const existing = docs.get(doc._id)
    write(doc, existing)
    return { id: doc._id, operation: existing ? 'update' : 'create' }
  }
  if ('createIfNotExists' in mutation) {
    const doc = mutation.createIfNotExists
    assertDocument(doc)
    if (docs.has(doc._id)) return { id: doc._id, operation: 'none' }
    write(doc, undefined)
    return { id: doc._id, operation: 'create' }
  }
  if ('patch' in mutation) {
    const { id, ifRevisionID, ...patch } = mutation.patch ?? {}
    if (!isDocumentId(id)) throw new MutationError(400, 'mutationError', 'patch needs a valid "id"')
    const existing = docs.get(id)
    if (!existing) throw new MutationError(404, 'documentNotFoundError', `Document "${id}" not found`, id)
    if (ifRevisionID !== undefined && ifRevisionID !== existing._rev) {
      throw new MutationError(409, 'conflictError', `Document "${id}" has unexpected revision ID ("${existing._rev}"), expected "${ifRevisionID}"`, id)
    }
    let patched: SanityDocument
    try {
      patched = applyPatch(existing, patch) as SanityDocument
    } catch (error) {
      throw new MutationError(400, 'mutationError', `Invalid patch for "${id}": ${(error as Error).message}`, id)
    }
    if (patched._id !== id || typeof patched._type !== 'string') {
      throw new MutationError(400, 'mutationError', 'A patch may not change _id or remove _type', id)
    }
    write(patched, existing)
    return { id, operation: 'update' }
  }
  if ('delete' in mutation) {
    const id = mutation.delete?.id
    if (!isDocumentId(id)) throw new MutationError(400, 'mutationError', 'delete needs a valid "id"')
    if (!docs.has(id)) return { id, operation: 'none' }
    remember(id)
    docs.delete(id)
    return { id, operation: 'delete' }
  }
  throw new MutationError(400, 'mutationError', `Unknown mutation "${Object.keys(mutation)[0]}"`)
}

function assertDocument(doc: Partial<SanityDocument>): asserts doc is SanityDocument {
  if (typeof doc !== 'object' || doc === null) {
    throw new MutationError(400, 'mutationError', 'The document must be an object')
  }
  if (!isDocumentId(doc._id)) {
    throw new MutationError(400, 'mutationError', `Invalid document ID "${String(doc._id)}"`)
  }
  if (typeof doc._type !== 'string' || doc._type === '') {
    throw new MutationError(400, 'mutationError', `Document "${doc._id}" needs a _type`, doc._id)
  }
}
