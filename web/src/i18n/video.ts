import { locale, withStrings } from './index.ts'
import { videoEn } from './video.en.ts'
import { videoZhCN } from './video.zh-CN.ts'

export type { VideoKey } from './video.zh-CN.ts'

/** `t` for video mediation: its own strings, then the portal's. */
export const t = withStrings({ 'zh-CN': videoZhCN, en: videoEn })

/** Sessions are arranged in China time, wherever the phone thinks it is. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai'

const formats = new Map<string, Intl.DateTimeFormat>()

function chinaFormat(options: Intl.DateTimeFormatOptions, value: string | Date): string {
  const key = `${locale()}|${JSON.stringify(options)}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), { ...options, timeZone: CHINA_TIME_ZONE })
    formats.set(key, f)
  }
  const date = typeof value === 'string' ? new Date(value) : value
  return Number.isNaN(date.getTime()) ? String(value) : f.format(date)
}

/** 2026年10月5日 星期一 14:30, in China time. */
export const formatSessionTime = (value: string | Date) =>
  chinaFormat(
    {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    },
    value,
  )

/** 14:30, in China time. */
export const formatClock = (value: string | Date) =>
  chinaFormat({ hour: '2-digit', minute: '2-digit', hour12: false }, value)
