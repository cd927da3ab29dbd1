// Routes by the work they serve. meta.roles: who may open the page (any of them); meta.public:
// reachable signed out. The page title is an i18n key, so it follows the language switch.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from '@/stores/session'
// A rep's pages and the login are in the main bundle: they must open with no coverage, when a
// lazily loaded chunk could not be fetched. Managers' pages (ECharts is large) load on demand.
import LoginPage from '@/features/auth/LoginPage.vue'
import TodayPage from '@/features/visits/TodayPage.vue'
import OutboxPage from '@/features/visits/OutboxPage.vue'
import ProgressPage from '@/features/progress/ProgressPage.vue'
import { operatorRoutes } from '@/features/operator/routes'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: string[]
    title?: string
  }
}

const MANAGING = ['manager', 'hq', 'tenant_admin']
const ADMINS = ['tenant_admin']
const APPRAISING = ['hq', 'tenant_admin']

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
  // Leaflet and the live stream load with the page, like the dashboard's charts.
  { path: '/map', name: 'live-map', component: () => import('@/features/livemap/LiveMapPage.vue'), meta: { roles: MANAGING, title: 'livemap.title' } },
  // Appraisal set-up and reports: tenant admins and HQ (HQ reads templates and the plan; the
  // server lets only tenant admins change them, and the pages show them read-only to HQ).
  { path: '/appraisal/templates', name: 'kpi-templates', component: () => import('@/features/appraisal/TemplatesPage.vue'), meta: { roles: APPRAISING, title: 'nav.kpiTemplates' } },
  { path: '/appraisal/templates/:id', name: 'kpi-template', component: () => import('@/features/appraisal/TemplateEditorPage.vue'), meta: { roles: APPRAISING, title: 'nav.kpiTemplate' } },
  // Targets: managers set their region subtree's (the server checks every rep), HQ reads them.
  { path: '/appraisal/targets', name: 'targets', component: () => import('@/features/appraisal/TargetsPage.vue'), meta: { roles: [...APPRAISING, 'manager'], title: 'targets.title' } },
  { path: '/appraisal/commission', name: 'commission', component: () => import('@/features/appraisal/CommissionPage.vue'), meta: { roles: APPRAISING, title: 'nav.commission' } },
  { path: '/appraisal/reports', name: 'reports', component: () => import('@/features/appraisal/ReportsPage.vue'), meta: { roles: APPRAISING, title: 'nav.reports' } },
  { path: '/appraisal/reports/:id', name: 'report', component: () => import('@/features/appraisal/ReportPage.vue'), meta: { roles: APPRAISING, title: 'nav.report' } },
  // The sales pipeline: the board for managers and reps (the server gives a rep their own deals),
  // an opportunity's page, and a person's tasks and reminders (a tab on the rep's phone).
  { path: '/pipeline', name: 'pipeline', component: () => import('@/features/pipeline/PipelineBoardPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'pipeline.nav.board' } },
  { path: '/opportunities/:id', name: 'opportunity', component: () => import('@/features/pipeline/OpportunityPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'pipeline.nav.opportunity' } },
  { path: '/tasks', name: 'tasks', component: () => import('@/features/tasks/TasksPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'pipeline.nav.tasks' } },
  // Customers with their visits, and orders through their statuses: each person sees what the
  // server scopes to them (a rep their own, a manager their region subtree).
  { path: '/customers', name: 'customers', component: () => import('@/features/customers/CustomersPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'customers.nav.customers' } },
  { path: '/customers/:id', name: 'customer', component: () => import('@/features/customers/CustomerPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'customers.nav.customer' } },
  { path: '/orders', name: 'orders', component: () => import('@/features/orders/OrdersPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'customers.nav.orders' } },
  { path: '/orders/:id', name: 'order', component: () => import('@/features/orders/OrderPage.vue'), meta: { roles: [...MANAGING, 'rep'], title: 'customers.nav.order' } },
  { path: '/today', name: 'today', component: TodayPage, meta: { roles: ['rep'], title: 'nav.today' } },
  { path: '/outbox', name: 'outbox', component: OutboxPage, meta: { roles: ['rep'], title: 'nav.outbox' } },
  // The rep's own KPIs, in the main bundle too: the last known figures show with no coverage.
  { path: '/progress', name: 'my-progress', component: ProgressPage, meta: { roles: ['rep'], title: 'progress.title' } },
  // Onboarding: public sign-up, its mailed confirmation link and invitations' links; the first
  // steps and the administration pages are the tenant admin's.
  { path: '/signup', name: 'signup', component: () => import('@/features/onboarding/SignupPage.vue'), meta: { public: true, title: 'nav.signup' } },
  { path: '/signup/sent', name: 'signup-sent', component: () => import('@/features/onboarding/SignupSentPage.vue'), meta: { public: true, title: 'nav.signupSent' } },
  { path: '/signup/verify', name: 'signup-verify', component: () => import('@/features/onboarding/VerifyPage.vue'), meta: { public: true, title: 'nav.verify' } },
  { path: '/invitations/accept', name: 'accept-invitation', component: () => import('@/features/onboarding/AcceptInvitationPage.vue'), meta: { public: true, title: 'nav.acceptInvitation' } },
  { path: '/first-steps', name: 'first-steps', component: () => import('@/features/onboarding/FirstStepsPage.vue'), meta: { roles: ADMINS, title: 'nav.firstSteps' } },
  { path: '/admin/users', name: 'admin-users', component: () => import('@/features/admin/UsersPage.vue'), meta: { roles: ADMINS, title: 'nav.adminUsers' } },
  { path: '/admin/regions', name: 'admin-regions', component: () => import('@/features/admin/RegionsPage.vue'), meta: { roles: ADMINS, title: 'orgAdmin.nav.regions' } },
  { path: '/admin/teams', name: 'admin-teams', component: () => import('@/features/admin/TeamsPage.vue'), meta: { roles: ADMINS, title: 'orgAdmin.nav.teams' } },
  { path: '/admin/roles', name: 'admin-roles', component: () => import('@/features/admin/RolesPage.vue'), meta: { roles: ADMINS, title: 'orgAdmin.nav.roles' } },
  { path: '/admin/audit', name: 'admin-audit', component: () => import('@/features/admin/AuditPage.vue'), meta: { roles: ADMINS, title: 'nav.adminAudit' } },
  { path: '/admin/plan', name: 'admin-plan', component: () => import('@/features/admin/PlanPage.vue'), meta: { roles: ADMINS, title: 'nav.adminPlan' } },
  { path: '/admin/connectors', name: 'admin-connectors', component: () => import('@/features/connectors/ConnectorsPage.vue'), meta: { roles: ADMINS, title: 'connectors.title' } },
  { path: '/admin/support', name: 'admin-support', component: () => import('@/features/admin/SupportPage.vue'), meta: { roles: ADMINS, title: 'nav.adminSupport' } },
  // The SaaS operator's console: its own accounts, layout and guard (public to the tenant guard).
  ...operatorRoutes,
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
