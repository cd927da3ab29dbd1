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

// In this order on screen; a page shows only to the roles its route admits. The phone's tab bar
// holds only the pages made for the field (phone: true): at 360 px a dozen tabs would wrap over
// the page; the admin's and the appraisal's pages are the PC's.
const ENTRIES: { name: string; icon: string; phone?: boolean }[] = [
  { name: 'dashboard', icon: '▦', phone: true },
  { name: 'reviews', icon: '⚑', phone: true },
  { name: 'live-map', icon: '◉' },
  { name: 'kpi-templates', icon: '⚖' },
  { name: 'targets', icon: '⊕' },
  { name: 'commission', icon: '¤' },
  { name: 'reports', icon: '▤' },
  { name: 'pipeline', icon: '▥' },
  { name: 'today', icon: '◎', phone: true },
  { name: 'tasks', icon: '☑', phone: true },
  { name: 'customers', icon: '☷', phone: true },
  { name: 'my-progress', icon: '◔', phone: true },
  { name: 'orders', icon: '₪' },
  { name: 'outbox', icon: '⇅', phone: true },
  { name: 'first-steps', icon: '✓' },
  { name: 'admin-users', icon: '☺' },
  { name: 'admin-regions', icon: '⌂' },
  { name: 'admin-teams', icon: '◈' },
  { name: 'admin-roles', icon: '⚙' },
  { name: 'admin-audit', icon: '☰' },
  { name: 'admin-plan', icon: '¢' },
  { name: 'admin-connectors', icon: '⇄' },
  { name: 'admin-support', icon: '⚐' },
]

/** The entries of the signed-in person's navigation; on the phone, the field's pages only. */
export function useNavigation(device: 'desk' | 'phone' = 'desk') {
  const router = useRouter()
  const session = useSessionStore()
  return computed<NavEntry[]>(() => {
    const routes = router.getRoutes()
    return ENTRIES.flatMap(({ phone, ...entry }) => {
      if (device === 'phone' && !phone) return []
      const route = routes.find((r) => r.name === entry.name)
      if (!route?.meta.title || !route.meta.roles?.some((role) => session.roles.includes(role))) return []
      return [{ ...entry, path: route.path, label: route.meta.title }]
    })
  })
}
