import { signOut } from '@/lib/auth/actions'

/**
 * A form posting to the sign-out Server Action: no link prefetch or crawler can sign anyone out.
 * `data-sign-out` lets every open tab know the moment it is sent (lib/auth/ui/session-watch.tsx).
 */
export function SignOutButton() {
  return (
    <form action={signOut} data-sign-out="">
      <button type="submit" className="rounded-md border border-line px-3 py-1.5 hover:bg-raised">
        Sign out
      </button>
    </form>
  )
}
