// WeChat's privacy authorisation (app.json "__usePrivacyCheck__": true). The first call of an
// API that reads personal information (the phone-number button, the phone calendar, …) waits
// until the person agrees to the mini program's privacy guide: WeChat hands us a `resolve`,
// the privacy page shows the guide and its agree button (open-type="agreePrivacyAuthorization"),
// and the answer goes back through `answer`. One question at a time.
let pending = null

function listen() {
  // Base libraries before 2.32.3 have no privacy check at all: nothing to wait for.
  if (typeof wx.onNeedPrivacyAuthorization !== 'function') return false
  wx.onNeedPrivacyAuthorization((resolve, eventInfo) => {
    if (pending) pending({ event: 'disagree' }) // an older question left open
    pending = resolve
    const referrer = (eventInfo && eventInfo.referrer) || ''
    wx.navigateTo({ url: `/pages/privacy/privacy?referrer=${encodeURIComponent(referrer)}` })
  })
  return true
}

// The person's answer: { buttonId, event: 'agree' } or { event: 'disagree' }.
function answer(result) {
  const resolve = pending
  pending = null
  if (resolve) resolve(result)
  return Boolean(resolve)
}

function waiting() {
  return Boolean(pending)
}

module.exports = { listen, answer, waiting }
