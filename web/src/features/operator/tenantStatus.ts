// The tenant statuses the console knows, and the industries with a template. A status or an
// industry the server adds later still shows, by its own name.
export const TENANT_STATUSES = ['active', 'suspended', 'deleting', 'unverified'] as const
export const INDUSTRIES = ['fmcg', 'industrial'] as const
export const CONNECTOR_STATES = ['crashed', 'failing', 'unknown', 'healthy', 'disabled'] as const

/** A tenant as a link's history state carries it, for a detail page that lacks the tenant's own fields. */
export interface TenantHint {
  id: string
  name: string
  slug: string
  status?: string
  industry?: string
  time_zone?: string
  currency?: string
  created_at?: string
}

export function tenantHint(): TenantHint | null {
  const hint = (globalThis.history?.state as { tenant?: TenantHint } | null)?.tenant
  return hint && typeof hint.id === 'string' ? hint : null
}
