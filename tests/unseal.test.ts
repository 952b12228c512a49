import { afterEach, describe, expect, it, vi } from 'vitest'

// lib/auth/session.ts remembers what it opened, so proxy.ts and the page behind it decrypt a session
// cookie (and its record) once. Memory must never change an answer: expiry, secret and purpose still
// decide, and a caller cannot alter what the next caller gets.

const decrypts = vi.hoisted(() => ({ count: 0 }))
vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>()
  return {
    ...jose,
    jwtDecrypt: (...args: Parameters<typeof jose.jwtDecrypt>) => {
      decrypts.count++
      return jose.jwtDecrypt(...args)
    },
  }
})

const { readSessionCookie, seal, sealSessionCookie, unseal } = await import('@/lib/auth/session')
const secret = 'unseal-test-secret-0123456789abcdef-0123'
const sid = 's'.repeat(43)

afterEach(() => {
  decrypts.count = 0
})

describe('opening a sealed value once', () => {
  it('a cookie opened by proxy.ts opens again for the page without a second decrypt', async () => {
    const cookie = await sealSessionCookie(sid, secret, 60)
    expect(await readSessionCookie(cookie, secret)).toBe(sid)
    expect(await readSessionCookie(cookie, secret)).toBe(sid)
    expect(decrypts.count).toBe(1)
  })

  it('each caller gets its own copy: changing it changes nothing for the next', async () => {
    const sealed = await seal({ session: { roles: ['reader'] } }, secret, 'auth0-session', 60)
    const first = (await unseal(sealed, secret, 'auth0-session'))!
    ;(first.session as { roles: string[] }).roles.push('admin')
    expect((await unseal(sealed, secret, 'auth0-session'))!.session).toEqual({ roles: ['reader'] })
  })

  it('a remembered value still expires', async () => {
    const cookie = await sealSessionCookie(sid, secret, 1)
    expect(await readSessionCookie(cookie, secret)).toBe(sid)
    await new Promise((resolve) => setTimeout(resolve, 2100))
    expect(await readSessionCookie(cookie, secret)).toBeNull()
  })

  it('memory is per secret and per purpose: a value opened once never opens under another', async () => {
    const cookie = await sealSessionCookie(sid, secret, 60)
    expect(await readSessionCookie(cookie, secret)).toBe(sid)
    expect(await readSessionCookie(cookie, `${secret}-rotated`)).toBeNull()
    expect(await unseal(cookie, secret, 'session-record')).toBeNull()
    expect(await unseal(cookie, secret, 'preview')).toBeNull()
  })

  it('a forged value is decrypted (and refused) every time, never remembered', async () => {
    const cookie = await sealSessionCookie(sid, secret, 60)
    const forged = cookie.slice(0, -4) + (cookie.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    for (let i = 0; i < 3; i++) expect(await readSessionCookie(forged, secret)).toBeNull()
    expect(decrypts.count).toBe(3)
  })
})

describe('what is remembered does not outstay its requests', () => {
  it('a value is decrypted again after a minute, even if it is valid for longer', async () => {
    const cookie = await sealSessionCookie(sid, secret, 3600)
    expect(await readSessionCookie(cookie, secret)).toBe(sid)
    const later = Date.now() + 61_000
    const clock = vi.spyOn(Date, 'now').mockReturnValue(later)
    try {
      expect(await readSessionCookie(cookie, secret)).toBe(sid)
      expect(decrypts.count).toBe(2)
    } finally {
      clock.mockRestore()
    }
  })
})
