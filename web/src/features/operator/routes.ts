// The SaaS operator's console at /operator: its own sign-in, layout and guard. The routes are
// public to the tenant session guard (an operator is no tenant user); this file's guard asks
// for the operator's own token instead.
import type { NavigationGuard, RouteRecordRaw } from 'vue-router'
import { operatorSession } from './client'
import { nextPath } from './nextPath'

const requireOperator: NavigationGuard = (to) => {
  if (operatorSession()) return true
  return { name: 'operator-login', query: to.fullPath !== '/operator' ? { next: to.fullPath } : {} }
}

export const operatorRoutes: RouteRecordRaw[] = [
  {
    path: '/operator/login',
    name: 'operator-login',
    component: () => import('./OperatorLoginPage.vue'),
    meta: { public: true, title: 'operator.nav.login' },
    // Signed in already: the tenants list, or where the link meant to go.
    beforeEnter: (to) => (operatorSession() ? nextPath(to.query.next) : true),
  },
  {
    path: '/operator',
    component: () => import('./OperatorLayout.vue'),
    meta: { public: true },
    children: [
      { path: '', name: 'operator-tenants', component: () => import('./TenantsPage.vue'), meta: { title: 'operator.nav.tenants' }, beforeEnter: requireOperator },
      { path: 'tenants/:id', name: 'operator-tenant', component: () => import('./TenantPage.vue'), meta: { title: 'operator.nav.tenant' }, beforeEnter: requireOperator },
      { path: 'connectors', name: 'operator-connectors', component: () => import('./ConnectorsHealthPage.vue'), meta: { title: 'operator.nav.connectors' }, beforeEnter: requireOperator },
    ],
  },
]
