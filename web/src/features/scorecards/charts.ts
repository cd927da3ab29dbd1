// The two chart types the dashboard adds to the shared EChart component's bars: the funnel and
// the trend lines. Registered here, on first use, so that pages without them do not carry them.
import { use, type ComposeOption } from 'echarts/core'
import { FunnelChart, LineChart, type FunnelSeriesOption, type LineSeriesOption } from 'echarts/charts'
import type { AriaComponentOption, GridComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ChartOption } from '@/components/EChart.vue'

use([FunnelChart, LineChart])

export type InsightChartOption = ComposeOption<FunnelSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | AriaComponentOption>

/** EChart's prop is typed for the bar charts it registers itself; these are registered above. */
export function chartOption(option: InsightChartOption): ChartOption {
  return option as unknown as ChartOption
}
