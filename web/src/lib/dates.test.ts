import { describe, expect, it } from 'vitest'
import {
  dayLabel,
  formatTakenAt,
  groupByMonthAndDay,
  monthLabel,
  parseWallClock,
  takenSourceNote,
  toLocalRfc3339,
  validIsoDay,
  yearsOf,
} from './dates'

describe('dates as the photo recorded them', () => {
  it('keeps the wall clock and shows the offset', () => {
    expect(formatTakenAt('2008-10-22T16:29:49+02:00', 'exif')).toBe('22 Oct 2008, 16:29 (UTC+02:00)')
    expect(formatTakenAt('2021-04-11T15:47:53-05:00', 'exif')).toBe('11 Apr 2021, 15:47 (UTC-05:00)')
    expect(formatTakenAt('2019-07-04T12:00:00+00:00', 'manual')).toBe('4 Jul 2019, 12:00 (UTC)')
    // never converted into the browser's zone: a late evening stays on its own day
    expect(formatTakenAt('2008-12-31T23:59:00-10:00', 'exif')).toBe('31 Dec 2008, 23:59 (UTC-10:00)')
  })
  it('shows no offset for a camera time without one, and UTC for upload times', () => {
    expect(formatTakenAt('2008-10-22T16:29:49Z', 'exif')).toBe('22 Oct 2008, 16:29')
    expect(formatTakenAt('2026-11-27T05:00:00Z', 'upload')).toBe('27 Nov 2026, 05:00 (UTC)')
    expect(formatTakenAt('2026-11-27T05:00:00.123Z', 'file')).toBe('27 Nov 2026, 05:00 (UTC)')
    expect(formatTakenAt(null)).toBe('—')
    expect(formatTakenAt('yesterday')).toBe('—')
  })
  it('parses offsets with and without colon, rejects impossible fields', () => {
    expect(parseWallClock('2008-10-22T16:29:49+0530')?.offset).toBe('+05:30')
    expect(parseWallClock('2008-13-22T16:29:49Z')).toBeNull()
    expect(parseWallClock('2008-10-22T25:29:49Z')).toBeNull()
  })
  it('says where a date came from', () => {
    expect(takenSourceNote('file')).toBe('from the file’s date')
    expect(takenSourceNote('upload')).toBe('upload time')
    expect(takenSourceNote('exif')).toBeNull()
  })
  it('writes an instant in a given offset for the upload form', () => {
    const ms = Date.parse('2021-04-11T20:47:53Z')
    expect(toLocalRfc3339(ms, -300)).toBe('2021-04-11T15:47:53-05:00')
    expect(toLocalRfc3339(ms, 330)).toBe('2021-04-12T02:17:53+05:30')
    expect(toLocalRfc3339(ms, 0)).toBe('2021-04-11T20:47:53+00:00')
    expect(toLocalRfc3339(NaN)).toBeNull()
  })
  it('checks calendar days', () => {
    expect(validIsoDay('2008-02-29')).toBe('2008-02-29')
    expect(validIsoDay('2007-02-29')).toBeNull()
    expect(validIsoDay('2008-1-1')).toBeNull()
    expect(validIsoDay(null)).toBeNull()
  })
})

describe('timeline sections', () => {
  const at = (id: string, t: string | null) => ({ id, t })
  it('groups by month, then day, in the list order', () => {
    const list = [
      at('a', '2008-10-22T18:00:00+02:00'),
      at('b', '2008-10-22T09:00:00+02:00'),
      at('c', '2008-10-03T12:00:00Z'),
      at('d', '2008-09-30T23:30:00-04:00'),
      at('e', null),
    ]
    const g = groupByMonthAndDay(list, (x) => x.t)
    expect(g.map((m) => [m.month, m.count])).toEqual([
      ['2008-10', 3],
      ['2008-09', 1],
      ['', 1],
    ])
    expect(g[0].days.map((d) => [d.day, d.items.map((x) => x.id), d.start])).toEqual([
      ['2008-10-22', ['a', 'b'], 0],
      ['2008-10-03', ['c'], 2],
    ])
    // 23:30 at -04:00 is the 30th where it was taken (1 Oct in UTC)
    expect(g[1].days[0].day).toBe('2008-09-30')
  })
  it('labels months and days', () => {
    expect(monthLabel('2008-10')).toBe('October 2008')
    expect(dayLabel('2008-10-22')).toBe('Wed 22 Oct')
    expect(dayLabel('2021-04-11')).toBe('Sun 11 Apr')
  })
  it('sums month buckets into years, newest first', () => {
    expect(
      yearsOf([
        { month: '2021-04', count: 1 },
        { month: '2008-10', count: 4 },
        { month: '2008-03', count: 2 },
        { month: 'junk', count: 9 },
      ]),
    ).toEqual([
      { year: 2021, count: 1 },
      { year: 2008, count: 6 },
    ])
  })
})
