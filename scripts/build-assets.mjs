// Builds static/build/ from static/src/ and GOV.UK Frontend, with no bundler:
//   portal.css             compiled from static/src/portal.scss (Arial, no GDS Transport)
//   govuk-frontend.min.js  GOV.UK Frontend's ES module, copied
//   portal.js              starts GOV.UK Frontend (static/src/portal.js)
//   images/                our own images (GOV.UK's crown icons are not copied)
// Run with `node scripts/build-assets.mjs` after `npm ci --ignore-scripts`.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const source = join(root, 'static', 'src')
const build = join(root, 'static', 'build')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

rmSync(build, { recursive: true, force: true })
mkdirSync(build, { recursive: true })

const css = sass.compile(join(source, 'portal.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true
})
if (/GDS Transport|\/fonts\//.test(css.css)) {
  throw new Error('portal.css refers to the GDS Transport font: check $govuk-font-family')
}
writeFileSync(join(build, 'portal.css'), css.css)

cpSync(join(govuk, 'govuk-frontend.min.js'), join(build, 'govuk-frontend.min.js'))
cpSync(join(govuk, 'govuk-frontend.min.js.map'), join(build, 'govuk-frontend.min.js.map'))
writeFileSync(join(build, 'portal.js'), readFileSync(join(source, 'portal.js')))
cpSync(join(source, 'images'), join(build, 'images'), { recursive: true })

const version = JSON.parse(readFileSync(join(root, 'node_modules', 'govuk-frontend', 'package.json'))).version
console.log(`static/build: portal.css (${css.css.length} bytes), portal.js, GOV.UK Frontend ${version}`)
