import { useEffect, useId, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { ImageStatus, Label } from '../api/types'
import { formatPercent, labelDisplayName } from '../lib/format'

/**
 * Text that may wrap after `_`, `.`, `-` and `/` (file names like `n03063599_coffee_mug.JPEG`),
 * instead of being cut at an arbitrary letter. The text content is unchanged.
 */
export function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=[_./-])/)
  if (parts.length < 2) return <>{text}</>
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </span>
      ))}
    </>
  )
}

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span className="spinner-label">{label}</span>
    </div>
  )
}

export function ErrorBox({ message, onRetry, testId = 'error' }: { message: string; onRetry?: () => void; testId?: string }) {
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      <span className="error-icon" aria-hidden="true">!</span>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function EmptyState({ title, children, testId = 'empty-state' }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <svg className="empty-art" viewBox="0 0 120 80" aria-hidden="true">
        <rect x="6" y="10" width="108" height="64" rx="10" className="art-bg" />
        <circle cx="38" cy="32" r="9" fill="#f7c948" />
        <path d="M14 66l30-26 18 16 16-12 30 22z" className="art-hill" />
      </svg>
      <h2>{title}</h2>
      {children && <div className="empty-body">{children}</div>}
    </div>
  )
}

const STATUS_TEXT: Record<ImageStatus, string> = {
  pending: 'Labeling…',
  ready: 'Ready',
  failed: 'Labeling failed',
}

export function StatusBadge({ status, reason }: { status: ImageStatus; reason?: string | null }) {
  if (status === 'ready') return null
  return (
    <span
      className={`status-badge status-${status}`}
      data-testid="status-badge"
      data-status={status}
      title={reason ?? undefined}
    >
      {status === 'pending' && <span className="pulse" aria-hidden="true" />}
      {STATUS_TEXT[status]}
    </span>
  )
}

/**
 * Label chips. `linked` chips filter the gallery when clicked; unlinked ones are
 * plain text (used on gallery tiles, where the whole tile opens the image and a
 * chip under the finger on a phone would be a trap).
 */
export function LabelChips({
  labels,
  max = 3,
  withScores = false,
  linked = true,
}: {
  labels: Label[]
  max?: number
  withScores?: boolean
  linked?: boolean
}) {
  if (!labels.length) return null
  return (
    <ul className="chips" aria-label="Labels">
      {labels.slice(0, max).map((l) => {
        const inner = (
          <>
            {labelDisplayName(l.name)}
            {withScores && <span className="chip-score">{formatPercent(l.score)}</span>}
          </>
        )
        return (
          <li key={l.id}>
            {linked ? (
              <Link className="chip" to={`/?label=${encodeURIComponent(l.id)}`} data-testid="label-chip" data-label-id={l.id} title={l.name}>
                {inner}
              </Link>
            ) : (
              <span className="chip" data-testid="label-chip" data-label-id={l.id} title={l.name}>
                {inner}
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}

async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through to the textarea trick
  }
  try {
    const ta = document.createElement('textarea')
    ta.value = text
    ta.setAttribute('readonly', '')
    ta.style.position = 'fixed'
    ta.style.opacity = '0'
    document.body.appendChild(ta)
    ta.select()
    const ok = document.execCommand('copy')
    document.body.removeChild(ta)
    return ok
  } catch {
    return false
  }
}

export function CopyButton({ text, label = 'Copy', testId }: { text: string; label?: string; testId?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const t = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(t)
  }, [state])
  return (
    <button
      type="button"
      className="btn btn-secondary btn-small"
      data-testid={testId}
      onClick={async () => setState((await writeClipboard(text)) ? 'copied' : 'failed')}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied!' : state === 'failed' ? 'Select and copy' : label}</span>
    </button>
  )
}

/** A modal confirmation with focus kept inside; Escape cancels. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
  danger = true,
}: {
  title: string
  children?: ReactNode
  confirmLabel: string
  busy?: boolean
  onConfirm: () => void
  onCancel: () => void
  danger?: boolean
}) {
  const titleId = useId()
  const cancelRef = useRef<HTMLButtonElement>(null)
  const boxRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null
    cancelRef.current?.focus()
    return () => prev?.focus?.()
  }, [])
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={boxRef}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            onCancel()
          } else if (e.key === 'Tab' && boxRef.current) {
            const f = boxRef.current.querySelectorAll<HTMLElement>('button:not([disabled])')
            if (!f.length) return
            const first = f[0]
            const last = f[f.length - 1]
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault()
              last.focus()
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault()
              first.focus()
            }
          }
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children && <div className="modal-body">{children}</div>}
        <div className="modal-actions">
          <button type="button" className="btn btn-secondary" ref={cancelRef} onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            onClick={onConfirm}
            disabled={busy}
            data-testid="confirm-button"
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  )
}

export function Field({ label, hint, children, htmlFor }: { label: string; hint?: string; children: ReactNode; htmlFor: string }) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && <p className="hint">{hint}</p>}
    </div>
  )
}
