// The manager dashboard's trend, funnel and rankings (added beside dashboard.*), spread into
// en.ts. Shaped like dashboard.zh-CN.ts.
import type zhCN from './dashboard.zh-CN'

export default {
  insights: {
    none: '—',
    points: '{n} pts',
    funnel: {
      title: 'Opportunity funnel',
      label: 'Funnel chart of the opportunities entering each stage in the period',
      tooltip: '{stage}: {entered} entered, {advanced} moved on, {rate} converted',
      facts: 'Opened in the period: {opened} · won: {won} · lost: {lost} · reps counted: {reps}',
      caption:
        'Each step counts the entries of opportunities into the stage during the period (one that went back and came again counts again). “Moved on” are those entries followed, by the period’s end, by a move to a later stage or a win; conversion = moved on ÷ entered. Stages of different pipelines that share a key are counted together; a team or region is the sum of its reps.',
      empty: 'No opportunity entered a stage in this period',
      emptyHint: 'Opportunities moved into a stage during the period appear here.',
      table: 'The funnel’s figures',
      stage: 'Stage',
      entered: 'Entered',
      advanced: 'Moved on',
      rate: 'Conversion',
    },
    trend: {
      title: {
        month: 'Trend over the last 6 months',
        quarter: 'Trend over the last 4 quarters',
      },
      total: 'Total score',
      label: 'Line chart of {name} over the periods',
      before: {
        month: 'On the month before: {change}',
        quarter: 'On the quarter before: {change}',
      },
      yearBefore: 'On a year before: {change}',
      caption: 'The total’s changes are differences in points; a KPI’s are the change of its actual figure in percent. Only the three weightiest KPIs are shown.',
      table: 'The trend’s figures',
      period: 'Period',
      empty: 'No trend to show for this period',
    },
    ranking: {
      title: 'Rankings',
      regions: 'Regions in {name}',
      teams: 'Teams in {name}',
      reps: 'Reps of {name}',
      rank: 'Rank',
      name: 'Name',
      total: 'Total',
      change: {
        month: 'On the month before',
        quarter: 'On the quarter before',
      },
      state: {
        loading: 'Loading…',
        failed: 'Could not load',
        unscored: 'Not scored',
      },
      someFailed: 'Some scores could not be loaded.',
      tooManyReps: 'This region has {n} reps: choose a team or a smaller region to rank its reps.',
      empty: 'Nothing to rank here',
      emptyHint: 'Choose a region with teams or subregions.',
      caption: 'Ranked by the period’s total score; equal totals share a rank. A name opens it in the dashboard. Units you may not see are not listed.',
    },
  },
} satisfies typeof zhCN
