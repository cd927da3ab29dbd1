// Routes by the work they serve. meta.roles: who may open the page (any of them); meta.public:
// reachable signed out. The page title is an i18n key, so it follows the language switch.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '@/stores/session'
// A rep's pages and the login are in the main bundle: they must open with no coverage, when a
// lazily loaded chunk could not be fetched. Managers' pages (ECharts is large) load on demand.
import LoginPage from '@/features/auth/LoginPage.vue'
import TodayPage from '@/features/visits/TodayPage.vue'
import OutboxPage from '@/features/visits/OutboxPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: string[]
    title?: string
  }
}

const MANAGING = ['manager', 'hq', 'tenant_admin']

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true, title: 'nav.login' } },
  // Where '/' leads depends on who signs in, known only after the guard below has asked the server.
  { path: '/', name: 'home', component: () => import('@/components/WelcomePage.vue') },
  {
    path: '/dashboard',
    name: 'dashboard',
    component: () => import('@/features/scorecards/DashboardPage.vue'),
    meta: { roles: MANAGING, title: 'nav.dashboard' },
  },
  {
    path: '/reviews',
    name: 'reviews',
    component: () => import('@/features/reviews/ReviewQueuePage.vue'),
    meta: { roles: MANAGING, title: 'nav.reviews' },
  },
  { path: '/today', name: 'today', component: TodayPage, meta: { roles: ['rep'], title: 'nav.today' } },
  { path: '/outbox', name: 'outbox', component: OutboxPage, meta: { roles: ['rep'], title: 'nav.outbox' } },
  { path: '/welcome', name: 'welcome', component: () => import('@/components/WelcomePage.vue'), meta: { title: 'nav.welcome' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/components/NotFoundPage.vue'), meta: { title: 'nav.notFound' } },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  const session = useSessionStore()
  if (session.status === 'unknown') await session.restore()
  if (to.meta.public) {
    return to.name === 'login' && session.status === 'signed-in' ? session.home : true
  }
  if (session.status !== 'signed-in') {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  }
  if (to.name === 'home') return session.home
  if (to.meta.roles && !to.meta.roles.some((r) => session.roles.includes(r))) return session.home
  return true
})
