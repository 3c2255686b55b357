// The privacy question WeChat asks before the first use of personal information: the guide
// (wx.openPrivacyContract opens the one set in the mini program's console), agree or not.
const i18n = require('../../utils/i18n')
const privacy = require('../../utils/privacy')

// Kept here rather than in utils/i18n.js: this page is the only one that says these.
const STRINGS = {
  zh: {
    title: '隐私保护提示',
    body: '使用手机号、日历等需要你个人信息的功能前，请阅读并同意《隐私保护指引》。我们只为办理预约和发送预约通知使用这些信息。',
    guide: '查看《隐私保护指引》',
    agree: '同意并继续',
    disagree: '不同意',
  },
  en: {
    title: 'Your privacy',
    body: 'Before using features that need your personal information, such as your phone number or calendar, please read and agree to the privacy guide. We use it only for your bookings and their messages.',
    guide: 'Read the privacy guide',
    agree: 'Agree and continue',
    disagree: 'Do not agree',
  },
}

Component({
  data: { s: STRINGS.zh, referrer: '' },
  methods: {
    onLoad(query) {
      this.setData({ s: STRINGS[i18n.language()] || STRINGS.zh, referrer: (query && query.referrer) || '' })
    },
    onGuide() {
      if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({})
    },
    onAgree() {
      privacy.answer({ buttonId: 'agree-privacy', event: 'agree' })
      wx.navigateBack()
    },
    onDisagree() {
      privacy.answer({ event: 'disagree' })
      wx.navigateBack()
    },
    onUnload() {
      // Left with the back button: no answer is "no", so the waiting call does not hang.
      if (privacy.waiting()) privacy.answer({ event: 'disagree' })
    },
  },
})
