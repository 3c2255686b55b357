// The pages' clock is the test server's (setup/serve.py starts it at a fixed Tuesday morning and
// lets it run), not the machine's: "today" in the mini program is the server's today, whatever
// the real date. Only Date is faked; timers, promises and the network run as they are.
jest.useFakeTimers({
  now: Date.now() + Number(process.env.YUYUE_TEST_CLOCK_OFFSET || 0),
  advanceTimers: true,
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'requestAnimationFrame',
    'cancelAnimationFrame',
    'requestIdleCallback',
    'cancelIdleCallback',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
})
