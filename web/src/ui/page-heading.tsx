import { createEffect, type JSX, onMount } from 'solid-js'
import { t } from '../i18n/index.ts'

let firstPage = true

/**
 * A page's h1. It names the browser tab and, after an in-app navigation, takes the focus so a
 * screen reader announces the new page (the first page load leaves focus where the browser put it).
 */
export function PageHeading(props: { title: string; children?: JSX.Element; class?: string; id?: string }) {
  let heading!: HTMLHeadingElement
  createEffect(() => {
    document.title = `${props.title} · ${t('app.name')}`
  })
  onMount(() => {
    if (!firstPage) heading.focus()
    firstPage = false
  })
  return (
    <h1 ref={heading} tabIndex={-1} class={props.class} id={props.id}>
      {props.children ?? props.title}
    </h1>
  )
}
