// 业务员的货架检查；与 shelf.en.ts 同形。
export default {
  open: '货架检查',
  hint: '勾选货架上有的商品，未勾选的算作缺货。货架上有 {n} / {total} 个。',
  stock: '清点数量',
  price: '货架价格（{currency}）',
  note: '备注',
  record: '记录货架检查',
  badStock: '清点数量必须是整数。',
  badPrice: '价格必须是金额，例如 3.50。',
}

// Photos taken during the visit.
export const visitPhotos = {
  take: '拍照',
  count: '已拍 {n} 张',
  waiting: '{n} 张待发送',
}
