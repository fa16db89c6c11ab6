// How a photo's camera settings and place read in the info panel.
import type { CameraInfo, PhotoLocation } from '../api/types'

/** Up to `digits` decimals, trailing zeros dropped: 2.80 → "2.8", 50.0 → "50". */
function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)))
}

const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0

/** "Canon EOS 40D" (the make is not repeated when the model starts with it), "Apple iPhone 11". */
export function formatCamera(c: Pick<CameraInfo, 'make' | 'model'> | null | undefined): string | null {
  const make = c?.make?.trim().replace(/\s+/g, ' ') || ''
  const model = c?.model?.trim().replace(/\s+/g, ' ') || ''
  if (!make && !model) return null
  if (!make) return model
  if (!model) return make
  const first = make.split(' ')[0].toLowerCase()
  if (model.toLowerCase().startsWith(first)) return model
  return `${make} ${model}`
}

/** "50 mm", "4.25 mm" */
export function formatFocalLength(mm: number | null | undefined): string | null {
  return ok(mm) ? `${trim(mm, mm < 10 ? 2 : 1)} mm` : null
}

/** "ƒ/2.8", "ƒ/4" */
export function formatAperture(f: number | null | undefined): string | null {
  return ok(f) ? `ƒ/${trim(f, 1)}` : null
}

/**
 * Exposure as photographers write it: "1/250 s" below a second (when the time is close to a
 * unit fraction, or short), "0.4 s", "2 s", "1.5 s" otherwise.
 */
export function formatExposure(s: number | null | undefined): string | null {
  if (!ok(s)) return null
  if (s >= 1) return `${trim(s, 1)} s`
  const n = 1 / s
  const r = Math.round(n)
  if (n >= 4 || Math.abs(n - r) < 0.05 * n) return `1/${r} s`
  return `${trim(s, 1)} s`
}

/** "ISO 200" */
export function formatIso(iso: number | null | undefined): string | null {
  return ok(iso) ? `ISO ${Math.round(iso)}` : null
}

/** "ƒ/2.8 · 1/250 s · 50 mm · ISO 200" for what is known; null when nothing is. */
export function formatExposureLine(c: CameraInfo | null | undefined): string | null {
  if (!c) return null
  const parts = [formatAperture(c.f_number), formatExposure(c.exposure_time_s), formatFocalLength(c.focal_length_mm), formatIso(c.iso)]
  const known = parts.filter((p): p is string => !!p)
  return known.length ? known.join(' · ') : null
}

/** "Paris, Île-de-France, France" (names not repeated: "Singapore, Singapore" → "Singapore"). */
export function formatPlace(l: Pick<PhotoLocation, 'city' | 'region' | 'country'> | null | undefined): string | null {
  if (!l) return null
  const out: string[] = []
  for (const p of [l.city, l.region, l.country]) {
    const t = p?.trim()
    if (t && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t)
  }
  return out.length ? out.join(', ') : null
}

/** "48.8566° N, 2.3522° E" */
export function formatCoordinates(lat: number, lon: number): string {
  const f = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(4)}° ${v < 0 ? neg : pos}`
  return `${f(lat, 'N', 'S')}, ${f(lon, 'E', 'W')}`
}

/** A typed-in position, checked: "48.85" and "2.35" → {lat, lon}; an error in words otherwise. */
export function parsePosition(latText: string, lonText: string): { lat: number; lon: number } | { error: string } {
  const num = (t: string) => (/^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(t) ? Number(t) : NaN)
  const lat = num(latText)
  const lon = num(lonText)
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) return { error: 'Latitude must be a number from -90 to 90.' }
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) return { error: 'Longitude must be a number from -180 to 180.' }
  return { lat, lon }
}

export const GEONAMES_CREDIT = 'Places from GeoNames (CC BY 4.0)'
export const GEONAMES_URL = 'https://www.geonames.org/'
