// Seeded accounts of the local identity provider. DEV ONLY: every password is "password".
export type LocalUser = {
  username: string
  password: string
  name: string
  email: string
  roles: string[]
  tenant: string | null
  plan: string | null
}

const user = (username: string, name: string, roles: string[], tenant: string | null, plan: string | null): LocalUser => ({
  username,
  password: 'password',
  name,
  email: `${username}@example.test`,
  roles,
  tenant,
  plan,
})

export const seededUsers: readonly LocalUser[] = [
  user('alice', 'Alice Anders', ['partner_admin'], 'acme', 'pro'),
  user('bob', 'Bob Brown', ['customer_viewer'], 'globex', 'free'),
  user('carol', 'Carol Chen', ['customer_admin', 'customer_viewer'], 'acme', 'enterprise'),
  user('dave', 'Dave Diaz', ['beta_tester'], 'globex', 'pro'),
  user('erin', 'Erin Evans', ['content_editor'], null, null),
  user('mallory', 'Mallory Moss', [], null, null),
  // No memberProfile in the seed: her access comes from the IdP's claims alone.
  user('grace', 'Grace Green', ['partner_admin'], 'acme', 'pro'),
  // Holds a bit of everything; the revocation tests change his memberProfile and put it back.
  user('frank', 'Frank Fischer', ['beta_tester', 'partner_admin'], 'acme', 'enterprise'),
]
