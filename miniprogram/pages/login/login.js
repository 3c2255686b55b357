// Log in: WeChat (wx.login → the server → a token), then the phone-number button for a first
// visit (an account with that number, made on the web or by the shop, is claimed). Without
// WeChat's phone button, a phone and a texted code sign in too (the first time makes the
// account). A username and password form stays for development builds only (utils/env.js).
const api = require('../../utils/api')
const env = require('../../utils/env')
const { base, strings, guarded } = require('../../utils/page')

Component({
  data: base({
    loggedIn: false,
    needsPhone: false,
    username: '',
    password: '',
    back: false,
    devLogin: false,
    smsPhone: '',
    smsCode: '',
    smsSent: false,
    smsWait: 0,
    smsWaitLabel: '',
  }),
  lifetimes: {
    detached() {
      clearInterval(this.smsTimer)
    },
  },
  methods: {
    onLoad(query) {
      // WeChat's language, as it is when the page opens.
      this.setData({ t: strings() })
      this.setData({ back: !!(query && query.back), loggedIn: !!api.token(), devLogin: env.isDevelop() })
    },
    done() {
      if (this.data.back) wx.navigateBack()
      else wx.switchTab({ url: '/pages/home/home' })
    },
    onWeChat() {
      return guarded(this, async () => {
        const answer = await api.wechatLogin()
        this.setData({ loggedIn: true, needsPhone: answer.needs_phone })
        if (!answer.needs_phone) this.done()
      })
    },
    onPhone(event) {
      const code = event.detail && event.detail.code
      if (!code) return undefined // the person declined to share the number
      return guarded(this, async () => {
        const answer = await api.post('/auth/wechat/phone', { code })
        api.setToken(answer.token)
        this.setData({ needsPhone: false })
        this.done()
      })
    },
    onSmsPhone(event) {
      this.setData({ smsPhone: event.detail.value })
    },
    onSmsCode(event) {
      this.setData({ smsCode: event.detail.value })
    },
    // Counts down the seconds until another code may be asked for.
    smsCountdown(seconds) {
      clearInterval(this.smsTimer)
      const show = (left) =>
        this.setData({
          smsWait: left,
          smsWaitLabel: this.data.t.sms_resend_in.replace('{n}', String(left)),
        })
      let left = seconds
      show(left)
      this.smsTimer = setInterval(() => {
        left -= 1
        show(Math.max(left, 0))
        if (left <= 0) clearInterval(this.smsTimer)
      }, 1000)
    },
    onSmsSend() {
      return guarded(this, async () => {
        const answer = await api.post('/auth/sms/send', { phone: this.data.smsPhone, purpose: 'login' })
        this.setData({ smsSent: true })
        this.smsCountdown(answer.resend_after)
      })
    },
    onSmsLogin() {
      return guarded(this, async () => {
        const answer = await api.post('/auth/sms/verify', {
          phone: this.data.smsPhone,
          code: this.data.smsCode,
        })
        api.setToken(answer.token)
        clearInterval(this.smsTimer)
        this.setData({ loggedIn: true })
        this.done()
      })
    },
    onUsername(event) {
      this.setData({ username: event.detail.value })
    },
    onPassword(event) {
      this.setData({ password: event.detail.value })
    },
    onPasswordLogin() {
      return guarded(this, async () => {
        const answer = await api.post('/auth/login', {
          username: this.data.username,
          password: this.data.password,
        })
        api.setToken(answer.token)
        this.setData({ loggedIn: true })
        this.done()
      })
    },
  },
})
