// A small `wx` for Node: wx.request over real HTTP (Node's http module), wx.login and the
// phone button through the WeChat stand-in, storage in memory, and the UI calls recorded so
// tests can read what the person would have seen.
const http = require('http')

function httpJson(url, { method = 'GET', headers = {}, body, timeout = 15000 } = {}) {
  if (body !== undefined) {
    // A length, not chunked encoding: what WeChat's own client sends.
    headers = Object.assign({}, headers, { 'Content-Length': Buffer.byteLength(body) })
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, timeout }, (response) => {
      const chunks = []
      response.on('data', (chunk) => chunks.push(chunk))
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let data = text
        try {
          data = JSON.parse(text)
        } catch (e) {
          // not JSON: WeChat hands the string through as it is
        }
        resolve({ statusCode: response.statusCode, data, header: response.headers })
      })
    })
    request.on('timeout', () => request.destroy(new Error('timeout')))
    request.on('error', reject)
    if (body !== undefined) request.write(body)
    request.end()
  })
}

function createWx({ standin, language = 'zh_CN', openid = 'o-tester' }) {
  const state = {
    openid,
    language,
    storage: {},
    requests: [],
    toasts: [],
    navigations: [],
    calendar: [],
    subscribeAnswer: 'accept',
    offline: false,
    // WeChat's build: 'develop' in DevTools, 'trial', 'release' on people's phones.
    envVersion: 'release',
    calls: [],
    maps: [],
  }
  const done = (options, result, ok = true) => {
    const callback = ok ? options.success : options.fail
    if (callback) callback(result)
    if (options.complete) options.complete(result)
  }
  const wx = {
    __state: state,
    request(options) {
      const method = (options.method || 'GET').toUpperCase()
      const header = Object.assign({}, options.header)
      let url = options.url
      let body
      if (method === 'GET' && options.data && typeof options.data === 'object') {
        const query = new URLSearchParams(options.data).toString()
        if (query) url += (url.includes('?') ? '&' : '?') + query
      } else if (options.data !== undefined) {
        body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data)
        header['Content-Type'] = header['Content-Type'] || 'application/json'
      }
      const record = { method, url, header, body }
      state.requests.push(record)
      if (state.offline) {
        setTimeout(() => done(options, { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }, false), 0)
        return { abort() {} }
      }
      httpJson(url, { method, headers: header, body, timeout: options.timeout })
        .then((res) => {
          record.status = res.statusCode
          done(options, { errMsg: 'request:ok', ...res })
        })
        .catch((error) => done(options, { errMsg: `request:fail ${error.message}` }, false))
      return { abort() {} }
    },
    login(options) {
      // What WeChat's client does: get a fresh code for this WeChat user.
      httpJson(`${standin}/_standin/login_code`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ openid: state.openid }),
      })
        .then((res) => done(options, { errMsg: 'login:ok', code: res.data.code }))
        .catch(() => done(options, { errMsg: 'login:fail' }, false))
    },
    // The phone-number button's code for `phone`, as the button's event would carry it.
    async phoneCode(phone) {
      const res = await httpJson(`${standin}/_standin/phone_code`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ phone }),
      })
      return res.data.code
    },
    requestSubscribeMessage(options) {
      const result = { errMsg: 'requestSubscribeMessage:ok' }
      options.tmplIds.forEach((id) => {
        result[id] = state.subscribeAnswer
      })
      state.subscribed = options.tmplIds
      httpJson(`${standin}/_standin/subscribe`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ openid: state.openid, results: result }),
      }).then(() => done(options, result))
    },
    getStorageSync: (key) => (key in state.storage ? state.storage[key] : ''),
    setStorageSync: (key, value) => {
      state.storage[key] = value
    },
    removeStorageSync: (key) => {
      delete state.storage[key]
    },
    getAppBaseInfo: () => ({ language: state.language }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx-test', envVersion: state.envVersion } }),
    makePhoneCall: (options) => {
      state.calls.push(options.phoneNumber)
      done(options, { errMsg: 'makePhoneCall:ok' })
    },
    openLocation: (options) => {
      state.maps.push(options)
      done(options, { errMsg: 'openLocation:ok' })
    },
    getSystemInfoSync: () => ({ language: state.language }),
    showToast: (options) => state.toasts.push(options.title),
    showLoading() {},
    hideLoading() {},
    showModal: (options) => done(options, { confirm: true, cancel: false }),
    setNavigationBarTitle() {},
    setTabBarItem() {},
    stopPullDownRefresh() {},
    navigateTo: (options) => state.navigations.push(['navigateTo', options.url]),
    redirectTo: (options) => state.navigations.push(['redirectTo', options.url]),
    switchTab: (options) => state.navigations.push(['switchTab', options.url]),
    reLaunch: (options) => state.navigations.push(['reLaunch', options.url]),
    navigateBack: () => state.navigations.push(['navigateBack', '']),
    addPhoneCalendar: (options) => {
      state.calendar.push(options)
      done(options, { errMsg: 'addPhoneCalendar:ok' })
    },
  }
  return wx
}

module.exports = { createWx, httpJson }
