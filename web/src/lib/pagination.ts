/**
 * Append a page to a list, keeping the first occurrence's position and
 * replacing its value with the newer copy (status may have changed). Items
 * inserted server-side between fetches can make a cursor page repeat an item;
 * this keeps the list free of duplicates.
 */
export function mergePage<T>(existing: T[], page: T[], key: (t: T) => string): T[] {
  if (page.length === 0) return existing
  const pos = new Map<string, number>()
  existing.forEach((it, i) => pos.set(key(it), i))
  const out = existing.slice()
  for (const it of page) {
    const k = key(it)
    const at = pos.get(k)
    if (at !== undefined) {
      out[at] = it
    } else {
      pos.set(k, out.length)
      out.push(it)
    }
  }
  return out
}

/** Put freshly uploaded items first (newest first) without duplicating them. */
export function prependItems<T>(existing: T[], fresh: T[], key: (t: T) => string): T[] {
  if (fresh.length === 0) return existing
  const seen = new Set(fresh.map(key))
  return [...fresh, ...existing.filter((it) => !seen.has(key(it)))]
}

/** Replace items by key with updated copies; unchanged array identity if nothing matched. */
export function replaceItems<T>(existing: T[], updated: T[], key: (t: T) => string): T[] {
  if (updated.length === 0) return existing
  const byKey = new Map(updated.map((u) => [key(u), u]))
  let changed = false
  const out = existing.map((it) => {
    const u = byKey.get(key(it))
    if (u !== undefined && u !== it) {
      changed = true
      return u
    }
    return it
  })
  return changed ? out : existing
}

export function removeItem<T>(existing: T[], k: string, key: (t: T) => string): T[] {
  const out = existing.filter((it) => key(it) !== k)
  return out.length === existing.length ? existing : out
}
