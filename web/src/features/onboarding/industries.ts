// What each industry template sets up for a new company, as the server ships it
// (tenants/templates/*.json and the appraisal's shipped KPI templates). The sign-up page is
// public and GET /api/v1/appraisal/shipped-templates needs a signed-in user, so the preview is
// kept here; the names are in the catalogues (onboarding.industries.*).
export type Industry = 'fmcg' | 'industrial'
export const INDUSTRIES: Industry[] = ['fmcg', 'industrial']

export interface IndustryTemplate {
  stages: string[]
  metrics: { key: string; weight: number }[]
  /** Days between visits per customer grade. */
  cadences: Record<'A' | 'B' | 'C' | 'D', number>
  commission: { base: 'revenue' | 'collected'; mode: 'marginal' | 'whole'; period: 'month' | 'quarter'; rates: string[]; gateScore: number }
}

export const TEMPLATES: Record<Industry, IndustryTemplate> = {
  fmcg: {
    stages: ['lead', 'listing_proposal', 'trial_order', 'won', 'lost'],
    metrics: [
      { key: 'coverage_rate', weight: 25 },
      { key: 'distribution_rate', weight: 20 },
      { key: 'visits', weight: 20 },
      { key: 'orders', weight: 15 },
      { key: 'revenue', weight: 10 },
      { key: 'verified_check_in_rate', weight: 10 },
    ],
    cadences: { A: 7, B: 14, C: 30, D: 60 },
    commission: { base: 'revenue', mode: 'marginal', period: 'month', rates: ['1%', '2%', '3%'], gateScore: 60 },
  },
  industrial: {
    stages: ['qualification', 'technical_exchange', 'proposal', 'negotiation', 'won', 'lost'],
    metrics: [
      { key: 'milestone_on_time_rate', weight: 25 },
      { key: 'opportunity_conversion_rate', weight: 25 },
      { key: 'key_account_coverage', weight: 20 },
      { key: 'win_rate', weight: 10 },
      { key: 'pipeline_value', weight: 10 },
      { key: 'average_sales_cycle', weight: 10 },
    ],
    cadences: { A: 14, B: 30, C: 60, D: 90 },
    commission: { base: 'collected', mode: 'whole', period: 'quarter', rates: ['1%', '1.5%', '2%'], gateScore: 70 },
  },
}

/** The browser's own time zone, else Asia/Shanghai. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai'
  } catch {
    return 'Asia/Shanghai'
  }
}

export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  return intl.supportedValuesOf?.('timeZone') ?? ['Asia/Shanghai', 'UTC']
}

export const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'GBP', 'JPY', 'SGD']
