// Which business the mini program books for: the one a scanned code or a shared link named
// (the mini program code's `scene`, or `?b=<slug>`), else the one in config.js. Kept for the
// pages that follow (book, confirm) and the next launch.
const config = require('../config')

const SLUG = /^[-a-zA-Z0-9_]{1,50}$/
const KEY = 'business'

function fromOptions(options) {
  const query = options || {}
  let slug = ''
  if (query.scene) {
    // WeChat hands the scene over URL-encoded.
    try {
      slug = decodeURIComponent(query.scene)
    } catch (error) {
      slug = ''
    }
  } else if (query.b) {
    slug = query.b
  }
  return SLUG.test(slug) ? slug : ''
}

let chosen = ''

function choose(options) {
  const slug = fromOptions(options)
  if (slug) {
    chosen = slug
    try {
      wx.setStorageSync(KEY, slug)
    } catch (error) {
      // Storage full or unavailable: this visit still uses it.
    }
  }
  return current()
}

function current() {
  if (chosen) return chosen
  try {
    chosen = wx.getStorageSync(KEY) || ''
  } catch (error) {
    chosen = ''
  }
  return chosen || config.business
}

function reset() {
  chosen = ''
}

module.exports = { choose, current, fromOptions, reset }
