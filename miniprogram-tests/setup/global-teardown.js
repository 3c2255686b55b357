module.exports = async function globalTeardown() {
  const child = globalThis.__YUYUE_SERVER__
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
}
