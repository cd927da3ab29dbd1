// The CSRF token the server hands out at sign-in. The session itself is an HTTP-only cookie the
// page never sees; the token is kept in localStorage because the server offers no way to ask for
// it again, and a reload (or a rep reopening the app after a night offline) must not sign out.
const KEY = 'repflow.csrf'

let token: string | null = read()

function read(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null
  } catch {
    return null
  }
}

export function csrfToken(): string | null {
  return token
}

export function setCsrfToken(value: string | null): void {
  token = value
  try {
    if (value) globalThis.localStorage?.setItem(KEY, value)
    else globalThis.localStorage?.removeItem(KEY)
  } catch {
    // private mode: the token lives as long as the page
  }
}
