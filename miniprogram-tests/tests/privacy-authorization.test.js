// WeChat's privacy authorisation: app.json turns the check on, the app listens with
// wx.onNeedPrivacyAuthorization, the privacy page shows and its agree button
// (open-type="agreePrivacyAuthorization") resolves WeChat's pending question.
const fs = require('fs')
const path = require('path')
const { setup, open, text, tap, simulate, MINIPROGRAM } = require('../helpers')

let wx
let needPrivacy // WeChat's side: the listener the app registered
let contractsOpened

// What WeChat does when a privacy API is called before consent: calls the listener with a
// resolve, and the API goes on once it is called. Resolves with what the page answered.
function askPrivacy(referrer = 'getPhoneNumber') {
  return new Promise((answered) => needPrivacy(answered, { referrer }))
}

// The app's definition, loaded once: the same module registry as the pages', so the app's
// listener and the privacy page share utils/privacy.js as they do in WeChat.
let appDefinition
function launchApp() {
  if (!appDefinition) {
    global.App = (d) => {
      appDefinition = d
    }
    require(path.join(MINIPROGRAM, 'app'))
  }
  appDefinition.onLaunch()
}

beforeEach(() => {
  wx = setup()
  needPrivacy = undefined
  contractsOpened = 0
  wx.onNeedPrivacyAuthorization = (listener) => {
    needPrivacy = listener
  }
  wx.openPrivacyContract = () => {
    contractsOpened += 1
  }
  wx.setTabBarItem = () => {}
})

test('app.json turns on the privacy check and lists the privacy page', () => {
  const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8'))
  expect(app.__usePrivacyCheck__).toBe(true)
  expect(app.pages).toContain('pages/privacy/privacy')
})

test('a privacy question opens the page, and agreeing resolves it', async () => {
  launchApp()
  expect(typeof needPrivacy).toBe('function')
  const answer = askPrivacy('getPhoneNumber')
  const [kind, url] = wx.__state.navigations[wx.__state.navigations.length - 1]
  expect(kind).toBe('navigateTo')
  expect(url).toBe('/pages/privacy/privacy?referrer=getPhoneNumber')

  const page = await open('privacy', { referrer: 'getPhoneNumber' })
  expect(text(page, '.title')).toBe('隐私保护提示')
  const agree = page.querySelector('#agree-privacy')
  // WeChat records the agreement only from a button of this open-type, with this handler.
  const wxml = fs.readFileSync(path.join(MINIPROGRAM, 'pages/privacy/privacy.wxml'), 'utf8')
  expect(wxml).toMatch(
    /<button id="agree-privacy"[^>]*open-type="agreePrivacyAuthorization"[^>]*bindagreeprivacyauthorization="onAgree"/
  )
  expect(text(page, '.agree')).toBe('同意并继续')
  await tap(page.querySelector('.guide'))
  expect(contractsOpened).toBe(1)

  agree.dispatchEvent('agreeprivacyauthorization')
  await simulate.sleep(10)
  await expect(answer).resolves.toEqual({ buttonId: 'agree-privacy', event: 'agree' })
  expect(wx.__state.navigations[wx.__state.navigations.length - 1][0]).toBe('navigateBack')
})

test('refusing, or leaving the page, answers "disagree" so nothing hangs', async () => {
  launchApp()
  const refused = askPrivacy()
  const page = await open('privacy')
  await tap(page.querySelector('.disagree'))
  await expect(refused).resolves.toEqual({ event: 'disagree' })

  const left = askPrivacy('addPhoneCalendar')
  const again = await open('privacy', { referrer: 'addPhoneCalendar' })
  again.instance.onUnload()
  await expect(left).resolves.toEqual({ event: 'disagree' })
})

test('the page speaks English when WeChat does', async () => {
  wx = setup({ language: 'en' })
  const page = await open('privacy')
  expect(text(page, '.title')).toBe('Your privacy')
  expect(text(page, '.agree')).toBe('Agree and continue')
})
