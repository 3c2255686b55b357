// Which build this is: WeChat's "develop" (DevTools, a developer's preview), "trial" or
// "release". Development-only parts (the username and password form) show in "develop" only.
function envVersion() {
  try {
    const info = wx.getAccountInfoSync && wx.getAccountInfoSync()
    if (info && info.miniProgram && info.miniProgram.envVersion) return info.miniProgram.envVersion
  } catch (e) {
    // older base libraries: fall through
  }
  // eslint-disable-next-line no-undef
  if (typeof __wxConfig !== 'undefined' && __wxConfig && __wxConfig.envVersion) return __wxConfig.envVersion
  return 'release'
}

function isDevelop() {
  return envVersion() === 'develop'
}

module.exports = { envVersion, isDevelop }
