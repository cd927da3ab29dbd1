// The rep's shelf check, in English; shaped like shelf.zh-CN.ts.
export default {
  open: 'Shelf check',
  hint: 'Tick each product on the shelf; the others count as missing. {n} of {total} on the shelf.',
  stock: 'Units counted',
  price: 'Shelf price ({currency})',
  note: 'Note',
  record: 'Record shelf check',
  badStock: 'Units counted must be a whole number.',
  badPrice: 'The price must be an amount like 3.50.',
}

// Photos taken during the visit.
export const visitPhotos = {
  take: 'Photo',
  count: '{n} taken',
  waiting: '{n} to send',
}
