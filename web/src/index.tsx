import { Router } from '@solidjs/router'
import { render } from 'solid-js/web'
import { routes } from './routes.ts'
import { Layout } from './ui/layout.tsx'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing from index.html')

render(() => <Router root={Layout}>{routes}</Router>, root)
