// A photo from the phone's camera, made small enough to send on one bar of signal: a modern
// phone's 4,000-pixel, 5 MB picture becomes a 1,600-pixel JPEG of a few hundred kilobytes, which
// still shows the shelf, the shop front or the signed delivery note clearly.
const LONGEST_SIDE = 1600
const QUALITY = 0.85

/** The picture to keep: the smaller JPEG, or the original when the browser cannot redraw it. */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  try {
    const bitmap = await createImageBitmap(file)
    const scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height))
    if (scale === 1 && file.type === 'image/jpeg') return file
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(bitmap.width * scale)
    canvas.height = Math.round(bitmap.height * scale)
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    bitmap.close()
    const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY))
    return jpeg && jpeg.size < file.size ? jpeg : file
  } catch {
    return file // e.g. HEIC in a browser that cannot decode it: the server takes HEIC as it is
  }
}
