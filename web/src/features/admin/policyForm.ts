// A custom access policy as its form holds it, the checks made before sending it (the server's
// rules, in platform/access Policy.Validate), and the way back from the server's field names.
import type { components } from '@/api/schema'

export type Policy = components['schemas']['Policy']
export type PolicyBody = components['schemas']['PolicyBody']
export type Action = NonNullable<PolicyBody['actions']>[number]
export type Scope = PolicyBody['scope']
export type Effect = PolicyBody['effect']

export const ACTIONS: readonly Action[] = ['read', 'list', 'create', 'update', 'delete', 'export']
export const SCOPES: readonly Scope[] = ['own', 'region', 'tenant']
export const EFFECTS: readonly Effect[] = ['allow', 'deny']
export const MAX_DESCRIPTION = 500

export type PolicyField = 'description' | 'subjects' | 'actions' | 'kinds' | 'scope' | 'effect'
export const POLICY_FIELDS: readonly PolicyField[] = ['description', 'subjects', 'actions', 'kinds', 'scope', 'effect']

export interface PolicyDraft {
  description: string
  /** Roles the policy applies to ("role:<role>" subjects). */
  roles: string[]
  /** People it applies to, by user id ("user:<id>" subjects). */
  users: string[]
  actions: Action[]
  kinds: string[]
  scope: Scope | ''
  effect: Effect
  disabled: boolean
}

export function blankDraft(): PolicyDraft {
  return { description: '', roles: [], users: [], actions: [], kinds: [], scope: '', effect: 'allow', disabled: false }
}

export function draftOf(p: Policy): PolicyDraft {
  const subjects = p.subjects ?? []
  const after = (prefix: string) => subjects.filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length))
  return {
    description: p.description,
    roles: after('role:'),
    users: after('user:'),
    actions: (p.actions ?? []).filter((a): a is Action => (ACTIONS as string[]).includes(a)),
    kinds: [...(p.kinds ?? [])],
    scope: (SCOPES as string[]).includes(p.scope) ? (p.scope as Scope) : '',
    effect: p.effect === 'deny' ? 'deny' : 'allow',
    disabled: p.disabled,
  }
}

/** The body to send; only for a draft that validatePolicy passed (its scope is set). */
export function bodyOf(d: PolicyDraft): PolicyBody {
  return {
    description: d.description.trim(),
    subjects: [...d.roles.map((r) => `role:${r}`), ...d.users.map((u) => `user:${u}`)],
    actions: ACTIONS.filter((a) => d.actions.includes(a)),
    kinds: [...d.kinds],
    scope: d.scope as Scope,
    effect: d.effect,
    disabled: d.disabled,
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The draft's problems, one issue key per field (under orgAdmin.policy.issues), or {} when it may
 * be sent. roles and kinds are those the server knows.
 */
export function validatePolicy(d: PolicyDraft, roles: readonly string[], kinds: readonly string[]): Partial<Record<PolicyField, string>> {
  const out: Partial<Record<PolicyField, string>> = {}
  if (d.description.trim().length > MAX_DESCRIPTION) out.description = 'descriptionLong'
  if (!d.roles.length && !d.users.length) out.subjects = 'subjectsNone'
  else if (d.roles.some((r) => !roles.includes(r)) || d.users.some((u) => !UUID.test(u))) out.subjects = 'subjectUnknown'
  if (!d.actions.length) out.actions = 'actionsNone'
  else if (d.actions.some((a) => !ACTIONS.includes(a))) out.actions = 'actionUnknown'
  if (!d.kinds.length) out.kinds = 'kindsNone'
  else if (d.kinds.some((k) => !kinds.includes(k))) out.kinds = 'kindUnknown'
  if (!d.scope) out.scope = 'scopeNone'
  if (!EFFECTS.includes(d.effect)) out.effect = 'effectNone'
  return out
}

/** The form field a server detail's location names: body.subjects[2] is the subjects field. */
export function fieldOfLocation(location?: string): PolicyField | null {
  const name = (location ?? '').replace(/^body\./, '').replace(/\[\d+\].*$/, '')
  return (POLICY_FIELDS as string[]).includes(name) ? (name as PolicyField) : null
}

/** Every resource kind the server knows: the built-in tenant admin policy names them all. */
export function knownKinds(policies: readonly Policy[]): string[] {
  return [...new Set(policies.filter((p) => p.builtin).flatMap((p) => p.kinds ?? []))].sort()
}

/** The built-in policies of each role, in the order of roles given. */
export function builtinByRole(policies: readonly Policy[], roles: readonly string[]): { role: string; rules: Policy[] }[] {
  return roles.map((role) => ({
    role,
    rules: policies.filter((p) => p.builtin && (p.subjects ?? []).includes(`role:${role}`)),
  }))
}

// What a server refusal of a field means, as the same issue keys the form's own checks use.
const SERVER_ISSUE: Record<PolicyField, string> = {
  description: 'descriptionLong',
  subjects: 'subjectUnknown',
  actions: 'actionUnknown',
  kinds: 'kindUnknown',
  scope: 'scopeNone',
  effect: 'effectNone',
}

/** The server's field problems placed on the form's fields; others is how many fit no field. */
export function serverIssues(details: readonly { location?: string }[]): { byField: Partial<Record<PolicyField, string>>; others: number } {
  const byField: Partial<Record<PolicyField, string>> = {}
  let others = 0
  for (const d of details) {
    const field = fieldOfLocation(d.location)
    if (field) byField[field] = SERVER_ISSUE[field]
    else others++
  }
  return { byField, others }
}
