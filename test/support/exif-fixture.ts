/**
 * Builds the EXIF block a phone writes: IFD0 pointing to a GPS IFD with latitude and longitude.
 * Used to prove the verifier removes the position and leaves the rest of the photo alone.
 */
export const GPS_LATITUDE = [39, 54, 2635] // 39°54'26.35"N, Tiananmen
export const GPS_LONGITUDE = [116, 23, 2917]

export function withGpsExif(jpeg: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG')
  const tiff: number[] = []
  const u16 = (n: number) => tiff.push(n & 0xff, (n >> 8) & 0xff)
  const u32 = (n: number) => tiff.push(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff)
  // Little-endian TIFF header, IFD0 at offset 8.
  tiff.push(0x49, 0x49)
  u16(42)
  u32(8)
  // IFD0: Orientation (kept) + GPS pointer.
  u16(2)
  u16(0x0112), u16(3), u32(1), u16(6), u16(0) // Orientation = 6 (rotate 90°)
  const gpsOffset = 8 + 2 + 2 * 12 + 4
  u16(0x8825), u16(4), u32(1), u32(gpsOffset)
  u32(0) // no IFD1
  // GPS IFD: LatitudeRef, Latitude, LongitudeRef, Longitude.
  const dataOffset = gpsOffset + 2 + 4 * 12 + 4
  u16(4)
  u16(1), u16(2), u32(2), tiff.push(0x4e, 0, 0, 0) // 'N'
  u16(2), u16(5), u32(3), u32(dataOffset)
  u16(3), u16(2), u32(2), tiff.push(0x45, 0, 0, 0) // 'E'
  u16(4), u16(5), u32(3), u32(dataOffset + 24)
  u32(0)
  const rational = (values: number[]) => {
    u32(values[0] ?? 0), u32(1), u32(values[1] ?? 0), u32(1), u32(values[2] ?? 0), u32(100)
  }
  rational(GPS_LATITUDE)
  rational(GPS_LONGITUDE)

  const payload = [...Buffer.from('Exif\0\0', 'binary'), ...tiff]
  const length = payload.length + 2
  const app1 = [0xff, 0xe1, (length >> 8) & 0xff, length & 0xff, ...payload]
  return new Uint8Array([0xff, 0xd8, ...app1, ...jpeg.subarray(2)])
}

/** Whether the latitude rational (39/1) still appears in the bytes. */
export function hasGpsLatitude(bytes: Uint8Array): boolean {
  const needle = Buffer.from([
    GPS_LATITUDE[0] ?? 0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    GPS_LATITUDE[1] ?? 0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
  ])
  return Buffer.from(bytes).includes(needle)
}
