const i18n = require('./utils/i18n')
const privacy = require('./utils/privacy')

App({
  onLaunch() {
    // WeChat's privacy authorisation: the privacy page asks, before personal information is read.
    privacy.listen()
    // Tab bar labels follow WeChat's language too (app.json holds the Chinese ones).
    const t = i18n.t
    if (i18n.language() === 'en') {
      wx.setTabBarItem({ index: 0, text: t('tab_book') })
      wx.setTabBarItem({ index: 1, text: t('tab_mine') })
    }
  },
})
