import { describe, expect, it, vi } from 'vitest'
import { StoreWriteHealth, watchWrites } from '@/lib/store/health'
import { MemoryStore } from '@/lib/store/memory'
import { StoreUnavailable, type SharedStore } from '@/lib/store/types'

// The shared store's write health (lib/store/health.ts): what every instance consults before it trusts
// its copies of what a refused write would have changed. Its state machine must never call the store
// writable while a failure it has not recovered from is outstanding.

const PROBE_MS = 50
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const oom = () => new StoreUnavailable("Redis SET failed: OOM command not allowed when used memory > 'maxmemory'.")

/** A memory store whose writes can be refused, or held until released. */
function controllable() {
  const store = new MemoryStore()
  const control = { refuse: false, hold: null as Promise<void> | null }
  const set = store.set.bind(store)
  store.set = async (key, value, options) => {
    if (control.hold) await control.hold
    if (control.refuse) throw oom()
    return set(key, value, options)
  }
  return { store, control }
}

describe('store write health', () => {
  it('a failed write makes it unwritable at once; a successful probe after the interval makes it writable again', async () => {
    const { store, control } = controllable()
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    expect(await health.writable()).toBe(true)
    health.reportFailure(oom())
    expect(health.known).toBe('unwritable')
    expect(await health.writable()).toBe(false) // within the interval: no probe, the failure stands
    control.refuse = true
    await sleep(PROBE_MS + 10)
    expect(await health.writable()).toBe(false)
    control.refuse = false
    await sleep(PROBE_MS + 10)
    expect(await health.writable()).toBe(true)
    expect(health.unwritableSince).toBeNull()
  })

  it('another instance learns of refused writes from its own probe, within one interval', async () => {
    const { store, control } = controllable()
    const other = new StoreWriteHealth(() => store, PROBE_MS)
    expect(await other.writable()).toBe(true)
    control.refuse = true
    expect(await other.writable()).toBe(true) // asked again within the interval: the answer it had
    await sleep(PROBE_MS + 10)
    expect(await other.writable()).toBe(false)
  })

  it('probes are shared: many callers at once make one SET', async () => {
    const { store } = controllable()
    const set = vi.spyOn(store, 'set')
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    await Promise.all(Array.from({ length: 50 }, () => health.writable()))
    expect(set).toHaveBeenCalledTimes(1)
  })

  it('a write failing while a routine probe is in flight is not erased by the probe’s success', async () => {
    const { store, control } = controllable()
    const recovered = vi.fn(async () => {})
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    health.onRecovery(recovered)
    let release!: () => void
    control.hold = new Promise((resolve) => (release = resolve))
    const probing = health.writable() // writable so far: a routine probe, its SET held
    health.reportFailure(oom()) // meanwhile an expiry is refused elsewhere in the process
    release()
    control.hold = null
    expect(await probing).toBe(false)
    expect(health.known).toBe('unwritable')
    expect(recovered).not.toHaveBeenCalled()
    await sleep(PROBE_MS + 10)
    expect(await health.writable()).toBe(true)
    expect(recovered).toHaveBeenCalledTimes(1)
  })

  it('a failure while the recovery tasks run keeps it unwritable, and they run again', async () => {
    const { store } = controllable()
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    let runs = 0
    health.onRecovery(async () => {
      runs++
      if (runs === 1) health.reportFailure(oom()) // a new expiry refused while the owed ones were written
    })
    health.reportFailure(oom())
    await sleep(PROBE_MS + 10)
    expect(await health.writable()).toBe(false)
    expect(runs).toBe(1)
    await sleep(PROBE_MS + 10)
    expect(await health.writable()).toBe(true)
    expect(runs).toBe(2)
  })

  it('a recovery task that throws keeps it unwritable; recovery is retried by itself, with no caller', async () => {
    const { store } = controllable()
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    let fail = true
    const task = vi.fn(async () => {
      if (fail) throw oom()
    })
    health.onRecovery(task)
    health.reportFailure(oom())
    await sleep(3 * PROBE_MS)
    expect(health.known).toBe('unwritable')
    expect(task.mock.calls.length).toBeGreaterThanOrEqual(1)
    fail = false
    await expect.poll(() => health.known, { timeout: 10 * PROBE_MS }).toBe('writable')
  })

  it('remembers when the outage began, stably, until writes succeed', async () => {
    const { store } = controllable()
    const health = new StoreWriteHealth(() => store, PROBE_MS)
    const before = Date.now()
    health.reportFailure(oom())
    const since = health.unwritableSince
    expect(since).toBeGreaterThanOrEqual(before)
    health.reportFailure(oom())
    expect(health.unwritableSince).toBe(since)
  })

  it('watchWrites reports every failed write (set, delete, increment, append) and passes reads through', async () => {
    const failing: SharedStore = {
      kind: 'redis',
      get: async () => 'value',
      range: async () => ['a'],
      set: () => Promise.reject(oom()),
      delete: () => Promise.reject(oom()),
      increment: () => Promise.reject(oom()),
      append: () => Promise.reject(oom()),
      close: async () => {},
    }
    const health = new StoreWriteHealth(() => failing, PROBE_MS)
    const report = vi.spyOn(health, 'reportFailure')
    const store = watchWrites(failing, health)
    expect(await store.get('k')).toBe('value')
    expect(await store.range('k', 1)).toEqual(['a'])
    expect(report).not.toHaveBeenCalled()
    await expect(store.set('k', 'v', { ttlSeconds: 1 })).rejects.toBeInstanceOf(StoreUnavailable)
    await expect(store.delete('k')).rejects.toBeInstanceOf(StoreUnavailable)
    await expect(store.increment('k', { ttlSeconds: 1 })).rejects.toBeInstanceOf(StoreUnavailable)
    await expect(store.append('k', 'v', { maxLength: 1, ttlSeconds: 1 })).rejects.toBeInstanceOf(StoreUnavailable)
    expect(report).toHaveBeenCalledTimes(4)
    expect(health.known).toBe('unwritable')
  })
})
