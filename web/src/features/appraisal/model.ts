// The appraisal schemas under the domain's names, and the server's per-field refusals.
import type { components } from '@/api/schema'
import { ApiError } from '@/api/errors'
import { i18n } from '@/i18n'

type S = components['schemas']

export type TemplateVersion = S['TemplateDTO']
export type TemplateBody = S['TemplateBody']
export type TemplateItem = S['TemplateItem']
export type CommissionPlan = S['Plan']
export type Bracket = S['Bracket']
export type CommissionResult = S['Result']
export type ReportVersion = S['ReportVersion']
export type AppraisalReport = S['AppraisalReportDTO']
export type RepResult = S['RepResult']

/**
 * The server's field problems by place, "body." taken off: { 'metrics[2].weight': ['weight 0
 * is not 1 to 100 percentage points'] }. Problems with no place are left to the error's message.
 */
export function fieldProblems(err: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (!(err instanceof ApiError)) return out
  for (const d of err.details) {
    if (!d.location) continue
    const at = d.location.replace(/^body\./, '')
    ;(out[at] ??= []).push(d.message)
  }
  return out
}

/** The screen's language as the exports name it. */
export const exportLang = (locale: string) => (locale.startsWith('zh') ? 'zh' : 'en')

/** A report's scope in words: the whole company by name, a region, team or rep by its id. */
export function scopeLabel(scope: string): string {
  return scope === 'tenant' ? i18n.global.t('appraisal.reports.wholeTenant') : scope
}
