// Seeded accounts of the local identity provider. DEV ONLY: every password is "password".
import type { Grants } from '../../lib/access/dimensions.ts'

export type LocalUser = { username: string; password: string; name: string; email: string } & Grants

const user = (username: string, name: string, roles: string[], tenant: string | null, plan: string | null, region: string | null): LocalUser => ({
  username,
  password: 'password',
  name,
  email: `${username}@example.test`,
  roles,
  tenant,
  plan,
  region,
})

export const seededUsers: readonly LocalUser[] = [
  user('alice', 'Alice Anders', ['partner_admin'], 'acme', 'pro', 'eu'),
  user('bob', 'Bob Brown', ['customer_viewer'], 'globex', 'free', 'us'),
  user('carol', 'Carol Chen', ['customer_admin', 'customer_viewer'], 'acme', 'enterprise', 'eu'),
  user('dave', 'Dave Diaz', ['beta_tester'], 'globex', 'pro', 'us'),
  user('erin', 'Erin Evans', ['content_editor'], null, null, 'us'),
  user('mallory', 'Mallory Moss', [], null, null, 'us'),
  // No memberProfile in the seed: her access comes from the IdP's claims alone.
  user('grace', 'Grace Green', ['partner_admin'], 'acme', 'pro', 'eu'),
  // Holds a bit of everything; the revocation tests change his memberProfile and put it back.
  user('frank', 'Frank Fischer', ['beta_tester', 'partner_admin'], 'acme', 'enterprise', 'eu'),
]
