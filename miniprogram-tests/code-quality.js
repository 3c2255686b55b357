// WeChat's code quality scan (miniprogram-ci's checkCodeQuality) of ../miniprogram, printed as
// JSON: [{name, success, text}]. Run as its own Node process by tests/code-quality.test.js:
// inside jest's environment (jsdom, the faked clock) the scan never finishes.
const path = require('path')
const ci = require('miniprogram-ci')

;(async () => {
  const project = new ci.Project({
    // The scan reads neither the appid's account nor a key.
    appid: 'wx0000000000000000',
    type: 'miniProgram',
    projectPath: path.resolve(__dirname, '..', 'miniprogram'),
    privateKeyPath: '/dev/null',
  })
  const results = await ci.checkCodeQuality(project)
  process.stdout.write('\n' + JSON.stringify(results.map(({ name, success, text }) => ({ name, success, text }))) + '\n')
  process.exit(0)
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
