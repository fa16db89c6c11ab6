export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '—'
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function formatPercent(score: number): string {
  if (!Number.isFinite(score)) return '—'
  const p = score * 100
  return p >= 10 || p === 0 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`
}

/** "tabby, tabby cat" → "tabby"; underscores to spaces. */
export function labelDisplayName(name: string): string {
  return name.split(',')[0].replace(/_/g, ' ').trim()
}

export interface ExpiryChoice {
  label: string
  seconds: number | null
}

export const SHARE_EXPIRY_CHOICES: ExpiryChoice[] = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86400 },
  { label: '7 days', seconds: 7 * 86400 },
  { label: '30 days', seconds: 30 * 86400 },
]

export const TOKEN_EXPIRY_CHOICES: ExpiryChoice[] = [
  { label: 'Never', seconds: null },
  { label: '7 days', seconds: 7 * 86400 },
  { label: '30 days', seconds: 30 * 86400 },
  { label: '90 days', seconds: 90 * 86400 },
  { label: '1 year', seconds: 365 * 86400 },
]

/** "in 3 days", "2 hours ago", "expired" — relative to now. */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never'
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return '—'
  const diff = t - now
  const abs = Math.abs(diff)
  const units: Array<[number, string]> = [
    [86400000 * 365, 'year'],
    [86400000 * 30, 'month'],
    [86400000, 'day'],
    [3600000, 'hour'],
    [60000, 'minute'],
  ]
  for (const [ms, name] of units) {
    if (abs >= ms) {
      const n = Math.round(abs / ms)
      const s = `${n} ${name}${n === 1 ? '' : 's'}`
      return diff >= 0 ? `in ${s}` : `${s} ago`
    }
  }
  return diff >= 0 ? 'in under a minute' : 'just now'
}

export function imageTitle(img: { title: string | null; filename: string | null; labels?: { name: string }[] }): string {
  if (img.title && img.title.trim()) return img.title
  if (img.filename) return img.filename
  return 'Untitled image'
}

/**
 * An image's alt text: its title, else the names of its trusted labels (the owner's tags and the
 * attached model labels, first three), else "Photo". Never the predictions: those include
 * low-confidence guesses.
 */
export function imageAlt(img: { title: string | null; filename?: string | null; labels?: { name: string }[] }): string {
  if (img.title && img.title.trim()) return img.title.trim()
  const labels = (img.labels ?? [])
    .map((l) => labelDisplayName(l.name))
    .filter((n) => n)
    .slice(0, 3)
  if (labels.length) return labels.join(', ')
  return 'Photo'
}
