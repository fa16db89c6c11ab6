// Files out of a drop: plain files, and everything inside dropped folders (recursively, through
// the File System entries API: `webkitGetAsEntry`, in every current browser).

/** The parts of the entries API used here (also what tests fake). */
export interface FsEntry {
  isFile: boolean
  isDirectory: boolean
  name: string
  fullPath?: string
  file?: (ok: (f: File) => void, fail?: (e: unknown) => void) => void
  createReader?: () => { readEntries: (ok: (entries: FsEntry[]) => void, fail?: (e: unknown) => void) => void }
}

export interface DroppedFiles {
  files: File[]
  /** Each file's path inside a dropped folder ("Trip/day 1/img.jpg"); absent for loose files. */
  paths: Map<File, string>
  folders: number
}

/** True when a drag carries files (not text or a link dragged from the page). */
export function dragHasFiles(dt: Pick<DataTransfer, 'types'> | null | undefined): boolean {
  if (!dt) return false
  return Array.from(dt.types ?? []).includes('Files')
}

/**
 * Collect the files of a drop. Must be called during the drop event itself: the browser
 * empties `dataTransfer.items` once the handler returns, so the entries are taken at once and
 * only read afterwards.
 */
export function filesFromDrop(dt: DataTransfer): Promise<DroppedFiles> {
  const entries: FsEntry[] = []
  const loose: File[] = []
  const items = dt.items ? Array.from(dt.items) : []
  for (const item of items) {
    if (item.kind !== 'file') continue
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => FsEntry | null }).webkitGetAsEntry?.() ?? null
    if (entry && entry.isDirectory) entries.push(entry)
    else {
      const f = item.getAsFile()
      if (f) loose.push(f)
    }
  }
  if (!items.length && dt.files) loose.push(...Array.from(dt.files))
  return readEntries(entries, loose)
}

export async function readEntries(dirs: FsEntry[], loose: File[] = []): Promise<DroppedFiles> {
  const out: DroppedFiles = { files: [...loose], paths: new Map(), folders: dirs.length }
  const walk = async (entry: FsEntry, prefix: string): Promise<void> => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isFile && entry.file) {
      const f = await new Promise<File | null>((ok) => entry.file!(ok, () => ok(null)))
      if (f) {
        out.files.push(f)
        out.paths.set(f, path)
      }
    } else if (entry.isDirectory && entry.createReader) {
      const reader = entry.createReader()
      // readEntries hands out a folder's entries in batches (100 in Chrome) until an empty one.
      for (;;) {
        const batch = await new Promise<FsEntry[]>((ok) => reader.readEntries(ok, () => ok([])))
        if (!batch.length) break
        for (const e of batch) await walk(e, path)
      }
    }
  }
  for (const d of dirs) await walk(d, '')
  return out
}
