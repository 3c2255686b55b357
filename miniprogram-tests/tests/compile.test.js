// Every WXML and WXSS file of the mini program compiled by WeChat's own compilers (wcc, wcsc,
// from the miniprogram-compiler package), as the developer tools and the upload do: a syntax
// error fails here, not on a phone. miniprogram-simulate's own compiler forgives more.
const fs = require('fs')
const path = require('path')
const wcc = require('miniprogram-compiler/src/wcc')
const wcsc = require('miniprogram-compiler/src/wcsc')
const { MINIPROGRAM } = require('../helpers')

function filesEnding(extension, folder = MINIPROGRAM) {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesEnding(extension, full)
    return entry.name.endsWith(extension) ? [path.relative(MINIPROGRAM, full).split(path.sep).join('/')] : []
  })
}

const wxml = filesEnding('.wxml')
const wxss = filesEnding('.wxss')
const wxs = filesEnding('.wxs')

test('every page of app.json has its WXML and WXSS', () => {
  const { pages } = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8'))
  expect(pages.length).toBeGreaterThan(0)
  pages.forEach((page) => {
    expect(wxml).toContain(`${page}.wxml`)
    expect(wxss).toContain(`${page}.wxss`)
  })
})

test.each(wxml)('wcc compiles %s', (file) => {
  // wcc throws with its own message (file, line and column) on an error.
  const js = wcc(MINIPROGRAM, [file.slice(0, -'.wxml'.length)], wxs, {})
  expect(js).toContain('$gwx')
})

test.each(['app.wxss', ...wxss.filter((file) => file !== 'app.wxss')])('wcsc compiles %s', (file) => {
  // wcsc's wrapper returns its Error rather than throwing it.
  const result = wcsc(MINIPROGRAM, [file.slice(0, -'.wxss'.length)], {})
  if (result instanceof Error) throw result
  expect(Object.keys(result)).toContain(file)
})
