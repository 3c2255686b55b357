// Being logged in: a token, else a silent wx.login; and the subscribe-message consent.
const config = require('../config')
const api = require('./api')

// Logged in with a phone bound, or null when the person must go to the login page first.
async function ensureLogin() {
  if (api.token()) return true
  const answer = await api.wechatLogin()
  return !answer.needs_phone
}

function templateIds() {
  const t = config.templates
  return [t.confirmation, t.reminder, t.change].filter(Boolean)
}

// Must run inside a tap handler (WeChat's rule), so it comes first on the confirm button.
function askConsent() {
  const ids = templateIds()
  if (!ids.length || !wx.requestSubscribeMessage) return Promise.resolve({})
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => {
        const results = {}
        ids.forEach((id) => {
          if (res[id]) results[id] = res[id]
        })
        resolve(results)
      },
      fail: () => resolve({}),
    })
  })
}

// Tell the server what was accepted; a failure here must not stop a booking.
async function reportConsent(results) {
  if (!Object.keys(results).length) return null
  try {
    return await api.post('/me/wechat/subscriptions', { results })
  } catch (error) {
    return null
  }
}

module.exports = { ensureLogin, askConsent, reportConsent, templateIds }
