// WeChat's own code quality scan (what the developer tools' 代码质量 panel runs), offline:
// compression of JS, WXML and WXSS, lazy code loading, the package and image sizes, no unused
// files or components. code-quality.js runs it in a process of its own.
const { execFileSync } = require('child_process')
const path = require('path')

test('every item of the code quality scan passes', () => {
  const output = execFileSync(process.execPath, [path.join(__dirname, '..', 'code-quality.js')], {
    encoding: 'utf8',
    timeout: 120000,
  })
  // The scanner logs a line of its own first; the answer is the last line.
  const results = JSON.parse(output.trim().split('\n').pop())

  expect(results.map((r) => r.name)).toEqual(
    expect.arrayContaining([
      'JS_COMPRESS_OPEN',
      'WXML_COMPRESS_OPEN',
      'WXSS_COMPRESS_OPEN',
      'LAZYCODE_LOADING_OPEN',
      'PACKAGE_SIZE_LIMIT',
      'CONTAINS_UNUSED_CODES',
    ])
  )
  expect(results.filter((r) => !r.success).map((r) => `${r.name}: ${r.text}`)).toEqual([])
})
