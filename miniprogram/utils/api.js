// Every call to the Yuyue API: the language, the bearer token, one silent re-login when the
// token has expired (401), and errors turned into messages a person can act on.
const config = require('../config')
const i18n = require('./i18n')

const TOKEN_KEY = 'yuyue_token'

class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message)
    this.status = status
    this.code = code
    this.details = details || {}
  }
}

function token() {
  return wx.getStorageSync(TOKEN_KEY) || ''
}

function setToken(value) {
  if (value) wx.setStorageSync(TOKEN_KEY, value)
  else wx.removeStorageSync(TOKEN_KEY)
}

// A random key per booking attempt: a retried request books once (Idempotency-Key).
function idempotencyKey() {
  const bytes = []
  for (let i = 0; i < 24; i++) bytes.push('abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)])
  return `mp-${Date.now().toString(36)}-${bytes.join('')}`
}

function send({ path, method = 'GET', data, headers = {} }) {
  const header = Object.assign(
    { 'Accept-Language': i18n.acceptLanguage(), Accept: 'application/json' },
    headers
  )
  if (method !== 'GET') header['Content-Type'] = 'application/json'
  const bearer = token()
  if (bearer) header.Authorization = `Bearer ${bearer}`
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + path,
      method,
      data,
      header,
      timeout: config.timeoutSeconds * 1000,
      success: resolve,
      fail: (res) => reject(new ApiError(0, 'offline', i18n.t('offline'), { errMsg: res && res.errMsg })),
    })
  })
}

function failure(res) {
  const body = res.data && res.data.error ? res.data.error : null
  if (res.statusCode >= 500 || !body) {
    return new ApiError(res.statusCode, 'server_error', i18n.t('server_error'))
  }
  return new ApiError(res.statusCode, body.code, body.message, body.details)
}

// wx.login → POST /auth/wechat; keeps the token. Returns the API's answer.
function wechatLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: async ({ code }) => {
        try {
          const res = await send({
            path: '/auth/wechat',
            method: 'POST',
            data: { code, language: i18n.language() === 'en' ? 'en' : 'zh-hans' },
          })
          if (res.statusCode !== 200) return reject(failure(res))
          setToken(res.data.token)
          resolve(res.data)
        } catch (error) {
          reject(error)
        }
      },
      fail: () => reject(new ApiError(0, 'offline', i18n.t('offline'))),
    })
  })
}

async function request(options) {
  let res = await send(options)
  if (res.statusCode === 401 && options.path.indexOf('/auth/') !== 0) {
    // The token expired or was revoked: log in again through WeChat, silently, once.
    setToken('')
    try {
      await wechatLogin()
    } catch (error) {
      throw new ApiError(401, 'not_authenticated', i18n.t('login_needed'))
    }
    res = await send(options)
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data
  throw failure(res)
}

// GET with a query built here, leaving out empty values, so every client sends the same URL.
function get(path, params) {
  const query = Object.keys(params || {})
    .filter((key) => params[key] !== undefined && params[key] !== null && params[key] !== '')
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(params[key])}`)
    .join('&')
  return request({ path: query ? `${path}?${query}` : path })
}
const post = (path, data, headers) => request({ path, method: 'POST', data: data || {}, headers })

// Shows an error the way every page does: a toast, or a modal for long messages.
function showError(error) {
  const message = (error && error.message) || i18n.t('server_error')
  wx.showToast({ title: message, icon: 'none', duration: 3000 })
  return message
}

module.exports = { ApiError, request, get, post, token, setToken, wechatLogin, idempotencyKey, showError, TOKEN_KEY }
