// Who is signed in. The profile is cached so that a rep who opens the app with no coverage still
// gets their day (and their outbox) instead of a login page they cannot get past offline.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, call } from '@/api/client'
import { NetworkError } from '@/api/errors'
import { setCsrfToken } from '@/api/credentials'
import type { Me } from '@/api/types'

const CACHE_KEY = 'repflow.me'
const MANAGING = ['manager', 'hq', 'tenant_admin']

function cachedMe(): Me | null {
  try {
    const raw = globalThis.localStorage?.getItem(CACHE_KEY)
    return raw ? (JSON.parse(raw) as Me) : null
  } catch {
    return null
  }
}

function cacheMe(me: Me | null): void {
  try {
    if (me) localStorage.setItem(CACHE_KEY, JSON.stringify(me))
    else localStorage.removeItem(CACHE_KEY)
  } catch {
    // the cache is a convenience only
  }
}

export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  /** unknown until restore() has asked the server (or found it unreachable). */
  const status = ref<'unknown' | 'signed-in' | 'signed-out'>('unknown')
  /** The profile came from the cache because the server could not be reached. */
  const offlineProfile = ref(false)

  const roles = computed(() => me.value?.user.roles ?? [])
  const isRep = computed(() => roles.value.includes('rep'))
  const isManaging = computed(() => roles.value.some((r) => MANAGING.includes(r)))
  /** Where a person lands after signing in: managers on the dashboard, reps on their day. */
  const home = computed(() => (isManaging.value ? '/dashboard' : isRep.value ? '/today' : '/welcome'))

  function signedIn(profile: Me, fromCache = false) {
    me.value = profile
    status.value = 'signed-in'
    offlineProfile.value = fromCache
    if (!fromCache) cacheMe(profile)
  }

  function signedOut() {
    me.value = null
    status.value = 'signed-out'
    offlineProfile.value = false
    setCsrfToken(null)
    cacheMe(null)
  }

  async function restore(): Promise<void> {
    try {
      signedIn(await call(api.GET('/api/v1/me')))
    } catch (err) {
      const cached = cachedMe()
      if (err instanceof NetworkError && cached) signedIn(cached, true)
      else signedOut()
    }
  }

  async function login(email: string, password: string): Promise<void> {
    const answer = await call(api.POST('/api/v1/auth/login', { body: { email, password, client: 'web' } }))
    setCsrfToken(answer.csrf_token ?? null)
    signedIn(await call(api.GET('/api/v1/me')))
  }

  async function logout(): Promise<void> {
    try {
      await call(api.POST('/api/v1/auth/logout'))
    } catch {
      // signed out locally all the same; the server's session ends at its expiry
    }
    signedOut()
  }

  return { me, status, offlineProfile, roles, isRep, isManaging, home, restore, login, logout, signedOut }
})
