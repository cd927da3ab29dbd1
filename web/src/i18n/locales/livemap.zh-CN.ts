// 实时地图（经理查看业务员位置、当天轨迹、客户围栏和进出围栏事件）的用语，并入 zh-CN.ts 的 livemap 下。
export default {
  title: '实时地图',
  mapLabel: '业务员位置与客户围栏地图',
  stream: {
    connecting: '正在连接…',
    live: '实时更新中',
    reconnecting: '连接中断，正在重连…',
  },
  empty: '暂无可显示的业务员和客户',
  emptyHint: '业务员上报定位、添加客户后，会显示在这里。',
  noTiles: '未配置底图：仅显示业务员、轨迹和客户围栏。',
  reps: '业务员',
  noReps: '您的范围内还没有业务员。',
  neverSeen: '暂无定位',
  lastSeen: '最后定位 {when}',
  stale: '未更新',
  live: '在线',
  events: '围栏事件',
  noEvents: '今天还没有进出围栏的记录。',
  unknownRep: '（未知业务员）',
  unknownCustomer: '（范围外的客户）',
  kinds: {
    enter: '到达',
    dwell: '停留',
    exit: '离开',
  },
}
