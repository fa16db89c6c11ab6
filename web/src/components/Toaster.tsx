import { useEffect, useState, useSyncExternalStore } from 'react'
import { dismissToast, getToast, subscribeToast } from '../lib/toast'
import './library.css'

/** Where `showToast` messages appear (once, in the app's frame). */
export function Toaster() {
  const toast = useSyncExternalStore(subscribeToast, getToast, getToast)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    setBusy(false)
    if (!toast || !toast.timeout) return
    const t = setTimeout(() => dismissToast(toast.id), toast.timeout)
    return () => clearTimeout(t)
  }, [toast])
  return (
    <div className="toaster" aria-live="polite">
      {toast && (
        <div className={'app-toast' + (toast.tone === 'error' ? ' is-error' : '')} data-testid="toast">
          <span className="toast-text" data-testid="toast-text">{toast.text}</span>
          {toast.action && (
            <button
              type="button"
              className="toast-action"
              disabled={busy}
              data-testid="toast-action"
              onClick={async () => {
                setBusy(true)
                try {
                  await toast.action!.run()
                } finally {
                  setBusy(false)
                }
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
            ×
          </button>
        </div>
      )}
    </div>
  )
}
