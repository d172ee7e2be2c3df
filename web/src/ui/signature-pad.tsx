import { onCleanup, onMount } from 'solid-js'

/** The exported picture's size: small enough for the request limit, large enough to print crisply. */
const OUT_W = 480
const OUT_H = 160

/**
 * A box to sign in with a finger or a mouse. Reports a PNG (data URL) after each stroke, or
 * undefined when cleared, so the form always holds what the person sees.
 */
export function SignaturePad(props: {
  id: string
  label: string
  clearLabel: string
  onChange: (png: string | undefined) => void
  describedBy?: string
}) {
  let canvas: HTMLCanvasElement | undefined
  let drawing = false
  let inked = false
  let last: { x: number; y: number } | undefined

  const ctx = () => canvas?.getContext('2d') ?? undefined
  const size = () => {
    if (!canvas) return
    const ratio = window.devicePixelRatio || 1
    const rect = canvas.getBoundingClientRect()
    canvas.width = Math.round(rect.width * ratio)
    canvas.height = Math.round(rect.height * ratio)
    const c = ctx()
    if (!c) return
    c.setTransform(ratio, 0, 0, ratio, 0, 0)
    c.lineWidth = 2.5
    c.lineCap = 'round'
    c.lineJoin = 'round'
    c.strokeStyle = '#111'
  }
  const point = (e: PointerEvent) => {
    const rect = (canvas as HTMLCanvasElement).getBoundingClientRect()
    return { x: e.clientX - rect.left, y: e.clientY - rect.top }
  }
  const exportPng = () => {
    if (!canvas || !inked) return undefined
    const out = document.createElement('canvas')
    out.width = OUT_W
    out.height = OUT_H
    out.getContext('2d')?.drawImage(canvas, 0, 0, OUT_W, OUT_H)
    return out.toDataURL('image/png')
  }
  const down = (e: PointerEvent) => {
    // Sized on first touch: when the box appeared inside a section still loading, it had no size yet.
    if (
      !inked &&
      canvas &&
      canvas.width !== Math.round(canvas.getBoundingClientRect().width * (window.devicePixelRatio || 1))
    )
      size()
    drawing = true
    last = point(e)
    canvas?.setPointerCapture(e.pointerId)
    e.preventDefault()
  }
  const move = (e: PointerEvent) => {
    if (!drawing || !last) return
    const p = point(e)
    const c = ctx()
    if (!c) return
    c.beginPath()
    c.moveTo(last.x, last.y)
    c.lineTo(p.x, p.y)
    c.stroke()
    last = p
    inked = true
    e.preventDefault()
  }
  const up = () => {
    if (!drawing) return
    drawing = false
    last = undefined
    props.onChange(exportPng())
  }
  const clear = () => {
    if (!canvas) return
    ctx()?.clearRect(0, 0, canvas.width, canvas.height)
    inked = false
    props.onChange(undefined)
  }
  onMount(() => {
    size()
    window.addEventListener('resize', size)
  })
  onCleanup(() => window.removeEventListener('resize', size))

  return (
    <div class="signature-pad">
      <canvas
        ref={canvas}
        id={props.id}
        class="signature-canvas"
        role="img"
        aria-label={props.label}
        aria-describedby={props.describedBy}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onPointerLeave={up}
      />
      <button type="button" class="button button-link" onClick={clear}>
        {props.clearLabel}
      </button>
    </div>
  )
}
