// Short messages at the bottom of the screen that outlive the page they came from ("Moved to
// trash · Undo" after the image page went back to the gallery). One at a time: a new one
// replaces the last.

export interface Toast {
  id: number
  text: string
  /** One button beside the text, e.g. Undo. */
  action?: { label: string; run: () => void | Promise<void> }
  tone?: 'ok' | 'error'
  /** How long it stays (ms); 0 keeps it until dismissed. */
  timeout: number
}

let current: Toast | null = null
let seq = 0
const listeners = new Set<() => void>()
const emit = () => listeners.forEach((l) => l())

export function showToast(t: Omit<Toast, 'id' | 'timeout'> & { timeout?: number }): number {
  current = { timeout: 8000, ...t, id: ++seq }
  emit()
  return current.id
}

/** Hides the toast (only `id`'s, when given: a newer one stays). */
export function dismissToast(id?: number): void {
  if (!current || (id !== undefined && current.id !== id)) return
  current = null
  emit()
}

export const getToast = () => current

export function subscribeToast(l: () => void): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}
