// Saving a download that came through fetch (a ZIP of selected photos: a POST with the CSRF
// header, so not a plain link): read it with progress, then hand the browser a generated link.

/** The file name a `Content-Disposition` header gives (RFC 6266, `filename*` preferred), or null. */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header)
  if (star) {
    try {
      return sanitize(decodeURIComponent(star[2].trim().replace(/^"|"$/g, '')))
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header)
  if (!plain) return null
  const v = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1].trim()
  return sanitize(v)
}

function sanitize(name: string): string | null {
  const base = name.split(/[\\/]/).pop()?.trim() ?? ''
  return base && base !== '.' && base !== '..' ? base : null
}

/** "banana-5-photos-2026-11-27.zip" */
export function zipName(count: number, now: Date = new Date()): string {
  const d = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
  return `banana-${count}-${count === 1 ? 'photo' : 'photos'}-${d}.zip`
}

export interface Progress {
  received: number
  /** From Content-Length; null when the server streams without one. */
  total: number | null
}

/** Reads a response's body to a Blob, reporting the bytes received as they arrive. */
export async function readWithProgress(res: Response, onProgress: (p: Progress) => void): Promise<Blob> {
  const len = Number(res.headers.get('Content-Length'))
  const total = Number.isFinite(len) && len > 0 ? len : null
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream'
  if (!res.body || typeof res.body.getReader !== 'function') {
    const b = await res.blob()
    onProgress({ received: b.size, total })
    return b
  }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let received = 0
  onProgress({ received, total })
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (value) {
      chunks.push(value)
      received += value.byteLength
      onProgress({ received, total })
    }
  }
  return new Blob(chunks as BlobPart[], { type })
}

/** Offers a Blob to the user as a file download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}
