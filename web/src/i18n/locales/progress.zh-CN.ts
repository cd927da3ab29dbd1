// 业务员本人的 KPI 进度页（手机上查看本月得分、各项指标和节奏）的用语，并入 zh-CN.ts 的 progress 下。
export default {
  title: '我的业绩',
  month: '月份',
  total: '总分',
  change: '比上月 {change} 分（上月 {before} 分）',
  noChange: '上月没有可比较的得分',
  daysLeft: '本月还剩 {n} 个工作日',
  partlyScored: '已设目标的指标占权重 {pct}，其余不计分',
  kpis: '各项指标',
  stale: '无网络：显示的是本机 {time} 保存的数据。',
  noMetrics: '本月的考核方案还没有指标',
  noMetricsHint: '指标设好后会显示在这里。',
  notSetUp: '还没有适用于业务员的考核方案',
  notSetUpHint: '管理员设好考核方案后，您的得分会显示在这里。',
}
