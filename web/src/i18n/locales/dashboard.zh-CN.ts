// 经理看板的趋势、漏斗与排名（dashboard.* 之外新增的部分），在 zh-CN.ts 中展开。Shaped like dashboard.en.ts.
export default {
  insights: {
    none: '—',
    points: '{n} 分',
    funnel: {
      title: '商机漏斗',
      label: '漏斗图：本期进入各阶段的商机数',
      tooltip: '{stage}：进入 {entered}，推进 {advanced}，转化率 {rate}',
      facts: '本期新建商机 {opened} 个 · 赢单 {won} · 输单 {lost} · 统计业务员 {reps} 人',
      caption:
        '每一层是本期内商机进入该阶段的次数（商机退回后再次进入会重复计数）。“推进”是其中到期末已推进到更后阶段或赢单的次数，转化率 = 推进 ÷ 进入。各销售流程中键相同的阶段合并计算；团队和区域为其业务员之和。',
      empty: '本期没有商机进入任何阶段',
      emptyHint: '本期内推进到某一阶段的商机会显示在这里。',
      table: '漏斗数据表',
      stage: '阶段',
      entered: '进入',
      advanced: '推进',
      rate: '转化率',
    },
    trend: {
      title: {
        month: '近 6 个月趋势',
        quarter: '近 4 个季度趋势',
      },
      total: '总分',
      label: '折线图：{name}在各期的走势',
      before: {
        month: '环比上月：{change}',
        quarter: '环比上季度：{change}',
      },
      yearBefore: '同比去年：{change}',
      caption: '总分的环比、同比为分数之差；各项指标的环比、同比为实际值的百分比变化。图中只列权重最高的三项指标。',
      table: '趋势数据表',
      period: '期间',
      empty: '本期没有可显示的趋势',
    },
    ranking: {
      title: '排名',
      regions: '{name}下属区域',
      teams: '{name}的团队',
      reps: '{name}的业务员',
      rank: '名次',
      name: '名称',
      total: '总分',
      change: {
        month: '较上月',
        quarter: '较上季度',
      },
      state: {
        loading: '加载中…',
        failed: '未能加载',
        unscored: '未评分',
      },
      someFailed: '部分得分未能加载。',
      tooManyReps: '该区域有 {n} 名业务员：请选择一个团队或更小的区域来查看业务员排名。',
      empty: '这里没有可排名的单位',
      emptyHint: '选择包含团队或下属区域的区域。',
      caption: '按本期总分排名，分数相同名次并列；点击名称即在看板中打开。无权查看的单位不列出。',
    },
  },
}
