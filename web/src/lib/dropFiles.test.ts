import { describe, expect, it } from 'vitest'
import { dragHasFiles, filesFromDrop, readEntries } from './dropFiles'
import type { FsEntry } from './dropFiles'

const file = (name: string): FsEntry & { f: File } => {
  const f = new File(['x'], name)
  return { isFile: true, isDirectory: false, name, f, file: (ok) => ok(f) }
}
/** A folder whose reader hands out entries two at a time, like browsers do in batches. */
const dir = (name: string, children: FsEntry[]): FsEntry => ({
  isFile: false,
  isDirectory: true,
  name,
  createReader: () => {
    let i = 0
    return {
      readEntries: (ok) => {
        const batch = children.slice(i, i + 2)
        i += 2
        setTimeout(() => ok(batch), 0)
      },
    }
  },
})

describe('files of dropped folders', () => {
  it('reads nested folders in every batch, with each file’s path', async () => {
    const a = file('a.jpg')
    const b = file('b.heic')
    const c = file('notes.txt')
    const d = file('d.png')
    const tree = dir('Trip', [a, dir('day 2', [b, c, d]), file('e.jpg')])
    const loose = new File(['y'], 'loose.jpg')
    const out = await readEntries([tree], [loose])
    expect(out.files.map((f) => f.name)).toEqual(['loose.jpg', 'a.jpg', 'b.heic', 'notes.txt', 'd.png', 'e.jpg'])
    expect(out.paths.get(b.f)).toBe('Trip/day 2/b.heic')
    expect(out.paths.has(loose)).toBe(false)
    expect(out.folders).toBe(1)
  })
  it('takes the entries during the drop: folders through webkitGetAsEntry, files as they are', async () => {
    const inFolder = file('in.jpg')
    const plain = new File(['z'], 'plain.jpg')
    const items = [
      { kind: 'file', webkitGetAsEntry: () => dir('Album', [inFolder]), getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => ({ isFile: true, isDirectory: false, name: 'plain.jpg' }), getAsFile: () => plain },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ]
    const out = await filesFromDrop({ items, files: [] } as unknown as DataTransfer)
    expect(out.files.map((f) => f.name)).toEqual(['plain.jpg', 'in.jpg'])
    expect(out.paths.get(inFolder.f)).toBe('Album/in.jpg')
  })
  it('only a drag with files counts (not text or a link from the page)', () => {
    expect(dragHasFiles({ types: ['Files'] } as unknown as DataTransfer)).toBe(true)
    expect(dragHasFiles({ types: ['text/uri-list', 'text/plain'] } as unknown as DataTransfer)).toBe(false)
    expect(dragHasFiles(null)).toBe(false)
  })
})
