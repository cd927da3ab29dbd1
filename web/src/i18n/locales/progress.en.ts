// The words of the rep's own KPI progress page (the month's score, each KPI and its pace on the
// phone), merged into en.ts under progress. Shaped like progress.zh-CN.ts.
import type zhCN from './progress.zh-CN'

export default {
  title: 'My KPIs',
  month: 'Month',
  total: 'Score',
  change: '{change} points on last month ({before})',
  noChange: 'No score last month to compare with',
  daysLeft: 'Working days left this month: {n}',
  partlyScored: 'KPIs with a target carry {pct} of the weight; the others are not scored',
  kpis: 'KPIs',
  stale: 'No network: showing what this phone saved at {time}.',
  noMetrics: 'This month’s KPI template has no KPIs yet',
  noMetricsHint: 'They appear here once they are set up.',
  notSetUp: 'No KPI template applies to reps yet',
  notSetUpHint: 'Your scores appear here once an administrator sets one up.',
} satisfies typeof zhCN
