// Names of the server's values (tenant statuses, industries, roles, connector states) in the
// reader's language; a value the catalogue does not know yet is shown as the server names it.
import { useI18n } from 'vue-i18n'

export function useWords() {
  const { t, te } = useI18n()
  const named = (family: string, value: string) => (te(`${family}.${value}`) ? t(`${family}.${value}`) : value)
  return {
    status: (s: string) => named('operator.statuses', s),
    industry: (i: string) => named('operator.industries', i),
    role: (r: string) => named('operator.roles', r),
    state: (s: string) => named('operator.states', s),
  }
}
