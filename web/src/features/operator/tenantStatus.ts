// The tenant statuses the console knows, and the industries with a template. A status or an
// industry the server adds later still shows, by its own name.
export const TENANT_STATUSES = ['active', 'suspended', 'deleting', 'unverified'] as const
export const INDUSTRIES = ['fmcg', 'industrial'] as const
export const CONNECTOR_STATES = ['crashed', 'failing', 'unknown', 'healthy', 'disabled'] as const
