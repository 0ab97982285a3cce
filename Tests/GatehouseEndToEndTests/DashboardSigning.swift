import Foundation
import GatehouseCore

/// A sovereign's walk through a LIVE run on the real dashboard under tmux: SG_1, the
/// kill-switch's checklist and phrase, SG_2; each act signed by whatever provider pins them.
struct DashboardSigning {
    let tmux: TmuxSession
    let sandbox: RunSandbox
    let run: RunState
    let signer: String
    let provider: String

    /// Opens the dashboard as `signer` in `environment` (the sandbox's, with what signing needs).
    static func open(as signer: String, provider: String, run: RunState, in sandbox: RunSandbox,
                     environment extra: [String: String]) throws -> DashboardSigning {
        let environment = sandbox.environment.merging(extra) { $1 }
            .merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]) { $1 }
        let tmux = try TmuxSession(command: "'\(Binary.path)' --as \(signer); echo EXITED $?; sleep 600", width: 80, height: 24,
                                   environment: environment)
        try tmux.waitFor("1 Matrix")
        return DashboardSigning(tmux: tmux, sandbox: sandbox, run: run, signer: signer, provider: provider)
    }

    /// Approves `gate` from the Approvals tab, with its phrase.
    func approve(_ gate: String) throws {
        _ = try sandbox.waitFor(gate, timeout: 30) { $0.ledger[run.id]?.waitingGate == gate ? true : nil }
        try tmux.send("4")
        try tmux.waitFor("\(gate)        \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("Signing as  \(signer) (\(provider))")
        try tmux.send("a")
        try tmux.waitFor("type \(gate) \(run.shortID):")
        try tmux.send("-l", "\(gate) \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("\(gate) approved by \(signer); recorded in the journal", timeout: 20)
        try tmux.send("Escape")
    }

    /// Enables LIVE from the checklist, with its phrase and the last y.
    func enableLive() throws {
        try tmux.waitFor("KILL-SWITCH \(run.shortID) LIVE")
        try tmux.send("Enter")
        try tmux.waitFor("Every precondition is met.")
        try tmux.send("Enter")
        try tmux.waitFor("To enable LIVE, type ENABLE LIVE \(run.shortID):")
        try tmux.send("-l", "ENABLE LIVE \(run.shortID)")
        try tmux.send("Enter")
        try tmux.waitFor("y/N")
        try tmux.send("y")
        try tmux.waitFor("kill-switch ON for run \(run.shortID)", timeout: 20)
        try tmux.send("Escape")
    }

    /// SG_1, the kill-switch, SG_2.
    func walkToTheCloseOut() throws {
        try approve("SG_1")
        try enableLive()
        try approve("SG_2")
    }

    func close() {
        tmux.close()
    }

    /// A LIVE run started in `sandbox`, walked to its close-out on the dashboard by `signer`;
    /// the run as the journal holds it after its runner ended (exit 0 expected).
    static func liveRunWalked(in sandbox: RunSandbox, by signer: String, provider: String,
                              environment: [String: String]) throws -> RunState {
        let runner = try sandbox.start(["run", "--live"])
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        let dashboard = try open(as: signer, provider: provider, run: run, in: sandbox, environment: environment)
        defer { dashboard.close() }
        try dashboard.walkToTheCloseOut()
        let status = try runner.wait()
        guard status == 0 else { throw E2EError("the runner exited \(status): \(runner.output)") }
        guard let closed = try sandbox.store().ledger[run.id] else { throw E2EError("run \(run.id) is gone from the journal") }
        return closed
    }
}
