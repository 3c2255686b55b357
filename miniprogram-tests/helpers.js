// Rendering the mini program's pages with miniprogram-simulate, talking to the real server.
const path = require('path')
const simulate = require('miniprogram-simulate')
const { createWx, httpJson } = require('./wx-shim')

const MINIPROGRAM = path.resolve(__dirname, '..', 'miniprogram')
const config = require(path.join(MINIPROGRAM, 'config'))

function setup({ language = 'zh_CN', openid } = {}) {
  config.apiBase = process.env.YUYUE_TEST_API
  config.templates = JSON.parse(process.env.YUYUE_TEST_TEMPLATES)
  const wx = createWx({ standin: process.env.YUYUE_TEST_STANDIN, language, openid })
  global.wx = Object.assign(global.wx || {}, wx)
  return global.wx
}

// Loads and renders a page, calls its onLoad(query) and waits for what onLoad started.
const loaded = {}

async function open(page, query = {}) {
  // Each page's definition is loaded once per test file; every open renders a fresh instance.
  loaded[page] =
    loaded[page] ||
    simulate.load(path.join(MINIPROGRAM, 'pages', page, page), {
      rootPath: MINIPROGRAM,
      compiler: 'simulate',
    })
  const id = loaded[page]
  const comp = simulate.render(id)
  const parent = document.createElement('parent-wrapper')
  comp.attach(parent)
  await comp.instance.onLoad(query)
  return comp
}

// A tap, as the person's finger: j-component delivers it on the next turn of the event loop.
async function tap(node) {
  node.dispatchEvent('tap')
  await simulate.sleep(10)
}

function text(comp, selector) {
  const node = comp.querySelector(selector)
  return node ? node.dom.textContent.trim() : null
}

function texts(comp, selector) {
  return comp.querySelectorAll(selector).map((node) => node.dom.textContent.trim())
}

// The query of the last navigation, e.g. "/pages/booked/booked?id=x" → {id: "x"}.
function lastNavigation(wx) {
  const [kind, url] = wx.__state.navigations[wx.__state.navigations.length - 1]
  const [pathname, search] = url.split('?')
  // WeChat hands a page its query values as they were written in the URL, not decoded.
  const query = {}
  ;(search || '').split('&').filter(Boolean).forEach((pair) => {
    const at = pair.indexOf('=')
    query[pair.slice(0, at)] = pair.slice(at + 1)
  })
  return { kind, path: pathname, query }
}

async function api(pathname, { method = 'GET', token, body, language = 'zh-Hans' } = {}) {
  const headers = { 'Accept-Language': language, 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  return httpJson(process.env.YUYUE_TEST_API + pathname, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

async function standinReceived() {
  return (await httpJson(`${process.env.YUYUE_TEST_STANDIN}/_standin/received`)).data
}

// The last code texted to `phone`, as the SMS gateway stand-in received it.
async function lastCode(phone) {
  const sent = (await httpJson(process.env.YUYUE_TEST_TEXTS)).data.filter((m) => m.to === phone)
  return sent.length ? sent[sent.length - 1].params.code : null
}

module.exports = {
  setup,
  open,
  tap,
  text,
  texts,
  lastNavigation,
  api,
  standinReceived,
  lastCode,
  simulate,
  MINIPROGRAM,
}
