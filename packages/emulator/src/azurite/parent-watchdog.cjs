// Preloaded into the Azurite child (`node --require`): exits when the emulator that started it is
// gone, even if the emulator was killed without a chance to stop it.
const parentPid = Number(process.env.AML_EMULATOR_PARENT_PID);

function parentAlive() {
  if (process.ppid !== parentPid) return false;
  try {
    process.kill(parentPid, 0);
    return true;
  } catch {
    return false;
  }
}

if (Number.isInteger(parentPid) && parentPid > 0) {
  setInterval(() => {
    if (!parentAlive()) process.exit(0);
  }, 500).unref();
}
