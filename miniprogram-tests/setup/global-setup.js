// Starts one real Yuyue server (fresh SQLite database, demo business) and the WeChat
// stand-in for the whole run; the tests read their addresses from the environment.
const { spawn } = require('child_process')
const path = require('path')
const readline = require('readline')

const ROOT = path.resolve(__dirname, '..', '..')

module.exports = async function globalSetup() {
  const python = process.env.PYTHON || path.join(ROOT, '.venv', 'bin', 'python')
  const child = spawn(python, [path.join(__dirname, 'serve.py')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  globalThis.__YUYUE_SERVER__ = child
  const line = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout })
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the test server exited with ${code}`)))
  })
  const answer = JSON.parse(line)
  process.env.YUYUE_TEST_API = answer.api
  process.env.YUYUE_TEST_STANDIN = answer.standin
  process.env.YUYUE_TEST_TEXTS = answer.texts
  process.env.YUYUE_TEST_PAY = answer.pay
  process.env.YUYUE_TEST_MERCHANT_KEY = answer.merchant_public_key
  process.env.YUYUE_TEST_APPID = answer.appid
  process.env.YUYUE_TEST_TEMPLATES = JSON.stringify(answer.templates)
  // How far the server's clock is from the machine's: setup/clock.js sets the pages' to it.
  process.env.YUYUE_TEST_CLOCK_OFFSET = String(Date.parse(answer.now) - Date.now())
}
