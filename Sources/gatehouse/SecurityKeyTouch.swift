import GatehouseCore

/// Says on stderr, before the signer waits, that `name`'s security key needs a touch (when the
/// run pinned them by one): the agent waits for it silently.
func askForTouch(of name: String, in run: RunState) {
    if run.signsWithSecurityKey(name) { printError("gatehouse: " + Sovereign.touchPrompt) }
}
