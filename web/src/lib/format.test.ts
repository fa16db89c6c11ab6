import { describe, expect, it } from 'vitest'
import { formatBytes, formatPercent, imageAlt, labelDisplayName, relativeTime } from './format'
import { describeMatches } from '../pages/SearchPage'
import { safeNext } from '../pages/AuthPages'
import { sortLabels } from '../pages/LabelsPage'
import { shareAbsoluteUrl } from '../pages/ImagePage'

describe('formatting', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB')
    expect(formatBytes(undefined)).toBe('—')
  })
  it('formats scores as percentages', () => {
    expect(formatPercent(0.834)).toBe('83%')
    expect(formatPercent(0.051)).toBe('5.1%')
  })
  it('shortens ImageNet names', () => {
    expect(labelDisplayName('tabby, tabby cat')).toBe('tabby')
    expect(labelDisplayName('coffee_mug')).toBe('coffee mug')
  })
  it('writes relative times both ways', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(relativeTime('2026-01-08T00:00:00Z', now)).toBe('in 7 days')
    expect(relativeTime('2025-12-31T22:00:00Z', now)).toBe('2 hours ago')
    expect(relativeTime(null, now)).toBe('never')
  })
  it('builds alt text from title, else labels, else file name', () => {
    expect(imageAlt({ title: 'Sunset', filename: 'a.jpg', labels: [] })).toBe('Sunset')
    expect(imageAlt({ title: null, filename: 'a.jpg', labels: [{ name: 'tabby, tabby cat' }, { name: 'Egyptian_cat' }] })).toBe('tabby, Egyptian cat')
    expect(imageAlt({ title: '  ', filename: 'a.jpg', labels: [] })).toBe('Photo')
  })
})

describe('page helpers', () => {
  it('describes search matches readably and without repeats', () => {
    expect(describeMatches(['tabby, tabby cat', 'title', 'tabby', 'Egyptian_cat'])).toEqual(['tabby', 'title', 'Egyptian cat'])
  })
  it('only redirects to same-site paths after sign-in', () => {
    expect(safeNext('/upload')).toBe('/upload')
    expect(safeNext('//evil.example')).toBe('/')
    expect(safeNext('https://evil.example')).toBe('/')
    expect(safeNext(null)).toBe('/')
  })
  it('sorts and filters labels, hiding empty ones', () => {
    const items = [
      { id: '1', name: 'tabby, tabby cat', wnid: 'n1', count: 2 },
      { id: '2', name: 'coffee mug', wnid: 'n2', count: 5 },
      { id: '3', name: 'zebra', wnid: 'n3', count: 0 },
      { id: '4', name: 'Siamese cat', wnid: 'n4', count: 2 },
    ]
    expect(sortLabels(items, 'count', '').map((l) => l.id)).toEqual(['2', '4', '1'])
    expect(sortLabels(items, 'name', '').map((l) => l.id)).toEqual(['2', '4', '1'])
    expect(sortLabels(items, 'count', 'cat').map((l) => l.id)).toEqual(['4', '1'])
  })
  it('makes share links absolute', () => {
    expect(shareAbsoluteUrl('/s/tok', 'http://h:8000')).toBe('http://h:8000/s/tok')
    expect(shareAbsoluteUrl('https://x/s/t', 'http://h')).toBe('https://x/s/t')
  })
})
