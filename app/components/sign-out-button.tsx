import { signOut } from '@/lib/auth/actions'

/** A form posting to the sign-out Server Action: no link prefetch or crawler can sign anyone out. */
export function SignOutButton() {
  return (
    <form action={signOut}>
      <button type="submit" className="rounded-md border border-stone-300 px-3 py-1.5 hover:bg-stone-100">
        Sign out
      </button>
    </form>
  )
}
