// Dates as photos record them. A photo's `taken_at` is RFC 3339 in the photo's own offset
// ("2008-10-22T16:29:49+02:00"), or with `Z` when the file gives no offset (the camera's wall
// clock). What the user wants to see is that wall clock, as recorded — never converted into the
// browser's time zone — so these helpers read the fields out of the string instead of going
// through `Date`'s local time.

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const MON = MONTHS.map((m) => m.slice(0, 3))
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export interface WallClock {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** "+02:00", "-05:00", or null for `Z` */
  offset: string | null
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?$/

/** The wall-clock fields of an RFC 3339 time, or null when it is not one. */
export function parseWallClock(s: string | null | undefined): WallClock | null {
  if (!s) return null
  const m = RFC3339.exec(s.trim())
  if (!m) return null
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]))
  const second = m[6] ? Number(m[6]) : 0
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  let offset: string | null = null
  if (m[7] && m[7].toUpperCase() !== 'Z') {
    const o = m[7].replace(':', '')
    offset = `${o.slice(0, 3)}:${o.slice(3)}`
  }
  return { year, month, day, hour, minute, second, offset }
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The day of the week of a calendar date (no time zone involved). */
function weekday(w: { year: number; month: number; day: number }): string {
  return WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()]
}

/** "22 Oct 2008" */
export function formatShortDate(w: WallClock): string {
  return `${w.day} ${MON[w.month - 1]} ${w.year}`
}

/** "UTC+02:00"; "UTC" for +00:00. */
export function formatOffset(offset: string): string {
  return offset === '+00:00' || offset === '-00:00' ? 'UTC' : `UTC${offset}`
}

/**
 * "22 Oct 2008, 16:29 (UTC+02:00)": the time as the camera recorded it, with its offset when
 * the file gives one. A `Z` time from the file itself has no known offset, so none is shown;
 * an upload or file-modification time is a real instant and shows as UTC.
 */
export function formatTakenAt(s: string | null | undefined, source?: string | null): string {
  const w = parseWallClock(s)
  if (!w) return '—'
  const base = `${formatShortDate(w)}, ${pad(w.hour)}:${pad(w.minute)}`
  if (w.offset) return `${base} (${formatOffset(w.offset)})`
  if (source === 'upload' || source === 'file') return `${base} (UTC)`
  return base
}

/** A short note on where a date came from, or null when it is the camera's own. */
export function takenSourceNote(source: string | null | undefined): string | null {
  switch (source) {
    case 'file':
      return 'from the file’s date'
    case 'upload':
      return 'upload time'
    case 'manual':
      return 'set by you'
    case 'xmp':
      return 'from the XMP metadata'
    default:
      return null
  }
}

/** "2008-10" for grouping; null when the time does not parse. */
export function monthKey(s: string | null | undefined): string | null {
  const w = parseWallClock(s)
  return w ? `${w.year}-${pad(w.month)}` : null
}

/** "2008-10-22" for grouping. */
export function dayKey(s: string | null | undefined): string | null {
  const w = parseWallClock(s)
  return w ? `${w.year}-${pad(w.month)}-${pad(w.day)}` : null
}

/** "2008-10" → "October 2008" */
export function monthLabel(key: string): string {
  const [y, m] = key.split('-').map(Number)
  return MONTHS[m - 1] ? `${MONTHS[m - 1]} ${y}` : key
}

/** "2008-10-22" → "Wed 22 Oct" (the year is in the month header above it). */
export function dayLabel(key: string): string {
  const [year, month, day] = key.split('-').map(Number)
  if (!MON[month - 1]) return key
  return `${weekday({ year, month, day })} ${day} ${MON[month - 1]}`
}

/** "2008-10-22" → "22 Oct 2008" (for a date filter's description). */
export function formatIsoDay(key: string): string {
  const [year, month, day] = key.split('-').map(Number)
  if (!MON[month - 1] || !day) return key
  return `${day} ${MON[month - 1]} ${year}`
}

/**
 * The time a photo should be placed at in a list sorted by `sort`: the date taken (its wall
 * clock) when sorting by it and known, else the upload time. Upload times are UTC instants and
 * are shown in the browser's own time zone, like every other upload time in the UI.
 */
export function sortTime(img: { taken_at?: string | null; created_at: string }, sort: 'taken' | 'uploaded'): string {
  if (sort === 'taken' && img.taken_at && parseWallClock(img.taken_at)) return img.taken_at
  return toLocalRfc3339(Date.parse(img.created_at)) ?? img.created_at
}

/**
 * An instant as RFC 3339 in the browser's time zone, with its offset
 * ("2021-04-11T15:47:53-05:00"), so the wall clock survives. Null for a bad time.
 */
export function toLocalRfc3339(ms: number, tzOffsetMinutes?: number): string | null {
  if (!Number.isFinite(ms)) return null
  const d = new Date(ms)
  if (Number.isNaN(d.getTime())) return null
  // getTimezoneOffset is minutes *behind* UTC (UTC+2 → -120).
  const off = tzOffsetMinutes ?? -d.getTimezoneOffset()
  const local = new Date(ms + off * 60000)
  const sign = off < 0 ? '-' : '+'
  const a = Math.abs(off)
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
  )
}

export interface DayGroup<T> {
  /** "2008-10-22", or "" for items without a usable date */
  day: string
  items: T[]
  /** index of the group's first item in the whole list */
  start: number
}

export interface MonthGroup<T> {
  /** "2008-10", or "" for items without a usable date */
  month: string
  days: DayGroup<T>[]
  count: number
}

/**
 * Sections of a list that is already in order: a new month (and day) starts wherever the
 * month (day) of `timeOf(item)` changes, so the sections follow the server's order exactly
 * (a month that comes back later in the list gets a second header, it is never reordered).
 */
export function groupByMonthAndDay<T>(items: T[], timeOf: (t: T) => string | null | undefined): MonthGroup<T>[] {
  const months: MonthGroup<T>[] = []
  items.forEach((it, i) => {
    const t = timeOf(it)
    const day = dayKey(t) ?? ''
    const month = day ? day.slice(0, 7) : ''
    let m = months[months.length - 1]
    if (!m || m.month !== month) {
      m = { month, days: [], count: 0 }
      months.push(m)
    }
    let d = m.days[m.days.length - 1]
    if (!d || d.day !== day) {
      d = { day, items: [], start: i }
      m.days.push(d)
    }
    d.items.push(it)
    m.count++
  })
  return months
}

/** Years with photos, newest first, from the timeline's month buckets. */
export function yearsOf(buckets: Array<{ month: string; count: number }>): Array<{ year: number; count: number }> {
  const by = new Map<number, number>()
  for (const b of buckets) {
    const y = Number(b.month.slice(0, 4))
    if (!Number.isFinite(y) || !/^\d{4}-\d{2}$/.test(b.month)) continue
    by.set(y, (by.get(y) ?? 0) + b.count)
  }
  return [...by.entries()].sort((a, b) => b[0] - a[0]).map(([year, count]) => ({ year, count }))
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/

/** A `YYYY-MM-DD` that is a real calendar day, else null (URL parameters are user input). */
export function validIsoDay(s: string | null | undefined): string | null {
  if (!s || !ISO_DAY.test(s)) return null
  const [y, m, d] = s.split('-').map(Number)
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? s : null
}
