// Where the console goes after its sign-in.

/** A next= query that stays inside the console; anything else leads to the tenants list. */
export function nextPath(next: unknown): string {
  return typeof next === 'string' && /^\/operator(\/|$|\?)/.test(next) && !next.startsWith('/operator/login') ? next : '/operator'
}
