// A policy told as a sentence in the reader's language: who, may or may not, do what, to which
// records, how far. Kinds the catalogue does not name yet are shown as the server spells them.
import { useI18n } from 'vue-i18n'
import type { Policy } from './policyForm'

export function usePolicyWords() {
  const { t, te } = useI18n()
  const kind = (k: string) => (te(`orgAdmin.kinds.${k}`) ? t(`orgAdmin.kinds.${k}`) : k)
  const action = (a: string) => (te(`orgAdmin.actions.${a}`) ? t(`orgAdmin.actions.${a}`) : a)
  const subject = (s: string, userName: (id: string) => string | undefined) => {
    if (s.startsWith('role:')) return te(`admin.roles.${s.slice(5)}`) ? t(`admin.roles.${s.slice(5)}`) : s.slice(5)
    return userName(s.slice(5)) ?? s.slice(5)
  }
  /** "may read, list: customers — in their own region and below" */
  const rule = (p: Policy) =>
    t(p.effect === 'deny' ? 'orgAdmin.policy.sentenceDeny' : 'orgAdmin.policy.sentenceAllow', {
      actions: (p.actions ?? []).map(action).join(t('orgAdmin.policy.listJoin')),
      kinds: (p.kinds ?? []).map(kind).join(t('orgAdmin.policy.listJoin')),
      scope: te(`orgAdmin.policy.scopes.${p.scope}.short`) ? t(`orgAdmin.policy.scopes.${p.scope}.short`) : p.scope,
    })
  return { kind, action, subject, rule }
}
