// The pages a person can go to, shared by the PC and phone layouts so they never disagree.
import { computed } from 'vue'
import { useRouter } from 'vue-router'
import { useSessionStore } from '@/stores/session'

export interface NavEntry {
  name: string
  path: string
  /** i18n key of the label */
  label: string
  icon: string
}

// In this order on screen; a page shows only to the roles its route admits.
const ENTRIES = [
  { name: 'dashboard', icon: '▦' },
  { name: 'reviews', icon: '⚑' },
  { name: 'today', icon: '◎' },
  { name: 'outbox', icon: '⇅' },
]

export function useNavigation() {
  const router = useRouter()
  const session = useSessionStore()
  return computed<NavEntry[]>(() => {
    const routes = router.getRoutes()
    return ENTRIES.flatMap((entry) => {
      const route = routes.find((r) => r.name === entry.name)
      if (!route?.meta.title || !route.meta.roles?.some((role) => session.roles.includes(role))) return []
      return [{ ...entry, path: route.path, label: route.meta.title }]
    })
  })
}
