import { describe, expect, it } from 'vitest'
import { filenameFromDisposition, readWithProgress, zipName } from './download'
import type { Progress } from './download'

describe('downloads', () => {
  it('reads the file name of Content-Disposition, preferring filename*', () => {
    expect(filenameFromDisposition('attachment; filename="Italy 2008.zip"')).toBe('Italy 2008.zip')
    expect(filenameFromDisposition('attachment; filename=photos.zip')).toBe('photos.zip')
    expect(filenameFromDisposition(`attachment; filename="x.zip"; filename*=UTF-8''Caf%C3%A9.zip`)).toBe('Café.zip')
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd')
    expect(filenameFromDisposition('attachment')).toBeNull()
    expect(filenameFromDisposition(null)).toBeNull()
  })

  it('names a ZIP by its count and the day', () => {
    expect(zipName(5, new Date(2026, 10, 27))).toBe('banana-5-photos-2026-11-27.zip')
    expect(zipName(1, new Date(2026, 0, 2))).toBe('banana-1-photo-2026-01-02.zip')
  })

  it('reports the bytes received as the body streams, with the total when known', async () => {
    const chunks = [new Uint8Array(3), new Uint8Array(5)]
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        chunks.forEach((x) => c.enqueue(x))
        c.close()
      },
    })
    const seen: Progress[] = []
    const blob = await readWithProgress(new Response(body, { headers: { 'Content-Type': 'application/zip', 'Content-Length': '8' } }), (p) => seen.push(p))
    expect(blob.size).toBe(8)
    expect(blob.type).toBe('application/zip')
    expect(seen).toEqual([
      { received: 0, total: 8 },
      { received: 3, total: 8 },
      { received: 8, total: 8 },
    ])
    const streamed: Progress[] = []
    await readWithProgress(new Response('abc'), (p) => streamed.push(p))
    expect(streamed.at(-1)).toEqual({ received: 3, total: null })
  })
})
