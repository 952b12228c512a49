// Signs a seeded user in to the app over plain HTTP, the way a browser would (OIDC code flow through
// the local IdP's form), for benchmarks that need real sessions without a browser.

type Jar = Map<string, Map<string, string>>

function remember(jar: Jar, url: URL, response: Response) {
  const cookies = jar.get(url.origin) ?? new Map<string, string>()
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';')
    const eq = pair!.indexOf('=')
    const name = pair!.slice(0, eq).trim()
    const value = pair!.slice(eq + 1)
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) cookies.delete(name)
    else cookies.set(name, value)
  }
  jar.set(url.origin, cookies)
}

const cookieHeader = (jar: Jar, url: URL) => [...(jar.get(url.origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ')

/** Returns the app's Cookie header for a signed-in session of `username`. */
export async function signInOverHttp(appUrl: string, username: string, password = 'password'): Promise<string> {
  const jar: Jar = new Map()
  let url = new URL('/auth/login?returnTo=%2F', appUrl)
  let method = 'GET'
  let body: string | undefined
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: cookieHeader(jar, url), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    })
    remember(jar, url, response)
    method = 'GET'
    body = undefined
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url)
      continue
    }
    const html = await response.text()
    const form = /<form method="post" action="([^"]+)"/.exec(html)
    if (form && url.origin !== new URL(appUrl).origin) {
      url = new URL(form[1]!.replaceAll('&amp;', '&'), url)
      method = 'POST'
      body = new URLSearchParams({ username, password }).toString()
      continue
    }
    if (url.origin === new URL(appUrl).origin && response.ok) return cookieHeader(jar, new URL(appUrl))
    throw new Error(`sign-in stopped at ${url} with ${response.status}`)
  }
  throw new Error('sign-in did not finish')
}

/**
 * Signs out the way a browser without JavaScript would: the page's sign-out form is a Server Action,
 * a multipart POST carrying the action's hidden fields. Returns the response (303 on success).
 */
export async function signOutOverHttp(appUrl: string, cookie: string): Promise<Response> {
  const html = await (await fetch(new URL('/account', appUrl), { headers: { cookie } })).text()
  const form = [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].find((match) => match[1]!.includes('>Sign out<'))
  if (!form) throw new Error('no sign-out form on /account')
  const data = new FormData()
  for (const input of form[1]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1]
    if (name) data.append(name.replaceAll('&amp;', '&'), (/value="([^"]*)"/.exec(input[0])?.[1] ?? '').replaceAll('&amp;', '&'))
  }
  return fetch(new URL('/account', appUrl), { method: 'POST', body: data, headers: { cookie, origin: appUrl }, redirect: 'manual' })
}
