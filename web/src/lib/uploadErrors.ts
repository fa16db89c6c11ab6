// Why an upload did not go through, in plain words (never the decoder's), and whether trying
// the same file again can help.
import { formatBytes } from './format'

export interface UploadFailure {
  /** HTTP status; 0 when no answer came (network, cancelled). */
  status: number
  /** The server's `error.code` (or `network_error`, `aborted`, `bad_response`). */
  code: string
  /** The server's own message (kept for the few cases it is the best we have). */
  message: string
}

export interface UploadLimits {
  max_upload_bytes?: number | null
  max_pixels?: number | null
}

export const SUPPORTED_FORMATS = 'JPEG, HEIC, AVIF, PNG, WebP, GIF, TIFF or BMP'

/** The sentence shown under a file that was not uploaded. */
export function uploadFailureMessage(f: UploadFailure, limits?: UploadLimits | null): string {
  const { status, code } = f
  if (code === 'aborted') return 'Cancelled.'
  if (status === 0 || code === 'network_error') return 'Couldn’t reach Banana — check your connection, then retry.'
  if (code === 'bad_response') return 'Banana sent an answer the page didn’t understand. Retry; if it keeps happening, reload the page.'
  if (status === 413 || code === 'too_large') {
    const max = limits?.max_upload_bytes
    return max ? `Too large: this server takes files up to ${formatBytes(max)}.` : 'Too large for this server.'
  }
  if (status === 415 || code === 'unsupported_media_type') return `This kind of file isn’t supported. Banana takes ${SUPPORTED_FORMATS} photos.`
  if (code === 'too_many_pixels') {
    const mp = limits?.max_pixels ? Math.floor(limits.max_pixels / 1_000_000) : null
    return mp ? `This photo has too many pixels: this server takes up to ${mp} megapixels.` : 'This photo has more pixels than this server takes.'
  }
  if (status === 422 || code === 'undecodable') {
    return 'This file isn’t a photo Banana can read (it may be damaged or in an unsupported format).'
  }
  if (status === 507 || code === 'quota_exceeded') return 'Your storage is full. Delete some photos, or ask an administrator for more space.'
  if (status === 401 || code === 'unauthorized') return 'You were signed out. Sign in again, then retry.'
  if (status === 403) return 'You’re not allowed to upload here.'
  if (status === 429 || code === 'rate_limited') return 'Too many uploads at once. Wait a moment, then retry.'
  if (status === 408) return 'The upload took too long. Retry.'
  if (status === 502 || status === 503 || status === 504) return 'Banana isn’t reachable right now. Retry in a moment.'
  if (status >= 500) return 'Banana had a problem storing this photo. Retry.'
  if (status === 400 && f.message.trim()) return `Not accepted: ${lowerFirst(f.message.trim())}${/[.!?]$/.test(f.message.trim()) ? '' : '.'}`
  return `The upload failed${status ? ` (error ${status})` : ''}.`
}

/** True when the same file may well go through on another try (the server or network, not the file). */
export function isRetryable(f: UploadFailure): boolean {
  if (f.status === 0 || f.code === 'bad_response') return true
  return f.status === 401 || f.status === 408 || f.status === 429 || f.status === 507 || f.status >= 500
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s
}
