import { describe, expect, it } from 'vitest'
import { uploadedEvidence } from '../../functions/adapters/s3-events.ts'
import { evidenceKeys, parseUploadKey, RequestUploadInput } from '../../functions/domain/evidence.ts'
import { stripGps } from '../../functions/domain/exif.ts'
import { matchesDeclared, sniff } from '../../functions/domain/sniff.ts'
import { fieldErrors } from '../../functions/domain/validation.ts'
import { hasGpsLatitude, withGpsExif } from '../support/exif-fixture.ts'

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'binary')] : p)))

/** A JPEG's outline: SOI, a quantisation table segment, start of scan, data, EOI. */
const tinyJpeg = bytes([
  0xff, 0xd8, 0xff, 0xdb, 0x00, 0x04, 0x01, 0x02, 0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0xff, 0xd9,
])

describe('sniffing what a file really is', () => {
  it.each([
    ['image/jpeg', tinyJpeg],
    ['image/png', bytes('\x89PNG\r\n\x1a\n', [0, 0, 0, 13])],
    ['image/webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['image/heic', bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0])],
    ['application/pdf', bytes('%PDF-1.4\n')],
    ['audio/mpeg', bytes('ID3', [4, 0, 0])],
    ['audio/amr', bytes('#!AMR\n', [0x3c])],
    ['audio/aac', bytes([0xff, 0xf1, 0x50, 0x80])],
    ['mp4-family', bytes([0, 0, 0, 32], 'ftypM4A ', [0, 0, 0, 0])],
    ['mp4-family', bytes([0, 0, 0, 20], 'ftypqt  ')],
  ])('recognises %s', (kind, b) => {
    expect(sniff(b)).toBe(kind)
  })

  it('does not recognise text, HTML or an executable', () => {
    expect(sniff(bytes('hello world'))).toBeUndefined()
    expect(sniff(bytes('<html><script>alert(1)</script>'))).toBeUndefined()
    expect(sniff(bytes('MZ\x90\x00'))).toBeUndefined()
    expect(sniff(bytes('\x7fELF'))).toBeUndefined()
  })

  it('matches a declared type only with the right bytes', () => {
    expect(matchesDeclared('image/jpeg', tinyJpeg)).toBe(true)
    expect(matchesDeclared('application/pdf', tinyJpeg)).toBe(false)
    expect(matchesDeclared('audio/x-m4a', bytes([0, 0, 0, 32], 'ftypM4A '))).toBe(true)
    expect(matchesDeclared('image/heic', bytes([0, 0, 0, 32], 'ftypM4A '))).toBe(false)
    expect(matchesDeclared('text/html', bytes('<html>'))).toBe(false)
  })
})

describe('removing GPS from photos', () => {
  it('clears the position and keeps everything else', () => {
    const photo = withGpsExif(tinyJpeg)
    expect(hasGpsLatitude(photo)).toBe(true)
    const out = stripGps(photo, 'image/jpeg')
    expect(out.stripped).toBe(true)
    expect(hasGpsLatitude(out.bytes)).toBe(false)
    expect(out.bytes.length).toBe(photo.length)
    // Orientation (IFD0) and the image data after the EXIF block are untouched.
    expect(
      Buffer.from(out.bytes).includes(
        Buffer.from([0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00]),
      ),
    ).toBe(true)
    expect(out.bytes.subarray(-tinyJpeg.length + 2)).toEqual(tinyJpeg.subarray(2))
  })

  it('leaves a photo without EXIF as it is', () => {
    const out = stripGps(tinyJpeg, 'image/jpeg')
    expect(out.stripped).toBe(false)
    expect(out.bytes).toEqual(tinyJpeg)
  })

  it('does not change the caller’s buffer', () => {
    const photo = withGpsExif(tinyJpeg)
    stripGps(photo, 'image/jpeg')
    expect(hasGpsLatitude(photo)).toBe(true)
  })

  it('survives a truncated EXIF block without throwing', () => {
    const photo = withGpsExif(tinyJpeg).subarray(0, 40)
    expect(() => stripGps(photo, 'image/jpeg')).not.toThrow()
  })

  it('drops the eXIf chunk of a PNG', () => {
    const chunk = (type: string, data: number[]) => bytes([0, 0, 0, data.length], type, data, [0, 0, 0, 0])
    const png = new Uint8Array([
      ...bytes('\x89PNG\r\n\x1a\n'),
      ...chunk('IHDR', [1, 2, 3]),
      ...chunk('eXIf', [9, 9]),
      ...chunk('IEND', []),
    ])
    const out = stripGps(png, 'image/png')
    expect(out.stripped).toBe(true)
    expect(Buffer.from(out.bytes).includes(Buffer.from('eXIf'))).toBe(false)
    expect(Buffer.from(out.bytes).includes(Buffer.from('IEND'))).toBe(true)
  })
})

describe('upload requests', () => {
  const parse = (input: unknown) => {
    const r = RequestUploadInput.safeParse(input)
    return r.success ? r.data : fieldErrors(r.error.issues)
  }
  it('keep only the last segment of a file name', () => {
    expect(parse({ fileName: '../../etc/passwd.jpg', contentType: 'image/jpeg', size: 10 })).toMatchObject({
      fileName: 'passwd.jpg',
    })
    expect(
      parse({ fileName: 'C:\\Users\\me\\工资条.pdf', contentType: 'application/pdf', size: 10 }),
    ).toMatchObject({ fileName: '工资条.pdf' })
  })
  it('refuse types outside the list, empty files and control characters', () => {
    expect(parse({ fileName: 'a.exe', contentType: 'application/x-msdownload', size: 10 })).toEqual({
      contentType: 'evidence.type_not_accepted',
    })
    expect(parse({ fileName: 'a.jpg', contentType: 'image/jpeg', size: 0 })).toEqual({
      size: 'evidence.empty',
    })
    expect(parse({ fileName: 'a\u0000.jpg', contentType: 'image/jpeg', size: 5 })).toEqual({
      fileName: 'evidence.file_name',
    })
  })
})

describe('object keys and S3 notifications', () => {
  const caseId = '01KAXXXXXXXXXXXXXXXXXXXXX1'
  const evidenceId = '01KAYYYYYYYYYYYYYYYYYYYYY2'
  it('keys carry ids only and read back', () => {
    const { upload, verified } = evidenceKeys(caseId, evidenceId)
    expect(upload).toBe(`cases/${caseId}/evidence/${evidenceId}/upload`)
    expect(parseUploadKey(upload)).toEqual({ caseId, evidenceId })
    expect(parseUploadKey(verified)).toBeUndefined()
    expect(parseUploadKey(`cases/${caseId}/evidence/../upload`)).toBeUndefined()
  })
  it('only ObjectCreated on an upload key counts', () => {
    const record = (eventName: string, key: string) => ({ eventName, s3: { object: { key } } })
    const event = {
      Records: [
        record('ObjectCreated:Post', evidenceKeys(caseId, evidenceId).upload),
        record('ObjectCreated:Put', evidenceKeys(caseId, evidenceId).verified),
        record('ObjectRemoved:Delete', evidenceKeys(caseId, evidenceId).upload),
      ],
    }
    expect(uploadedEvidence(event)).toEqual([{ caseId, evidenceId }])
  })
})
