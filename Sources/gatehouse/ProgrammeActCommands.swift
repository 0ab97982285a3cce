import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// Who signs a programme act, with what key, on which programme and journal.
struct SignerOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("The sovereign's name.", valueName: "name"))
    var sovereign: String

    @Option(name: .long, help: ArgumentHelp("The sovereign's ed25519 private key file (mode 0600); an ssh sovereign signs with the key in the SSH agent at SSH_AUTH_SOCK instead.", valueName: "file"))
    var key: String?

    @OptionGroup var programmeOptions: ProgrammeOptions
    @OptionGroup var journalOptions: JournalOptions

    func validate() throws {
        if sovereign.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--as needs a name") }
    }

    /// The programme's acts on the journal (created if there is none yet).
    func acts() throws -> ProgrammeActs {
        ProgrammeActs(store: try journalOptions.openStore(create: true), programme: try programmeOptions.load(),
                      passphrase: TerminalPassphrase.ask)
    }

    /// Performs `act` and says what was journaled, or why not (exit 6 refused, 2 bad input).
    func perform(_ act: (ProgrammeActs) throws -> ProgrammeAct, said: (ProgrammeAct, GateBoard) -> String) throws {
        let acts = try acts()
        let done = try reportingErrors { try act(acts) }
        let board = try reportingErrors { try acts.board() }
        let insecure = done.provider == StubSigning.providerName ? ", INSECURE" : ""
        write(TerminalText.inert(said(done, board)) + " (\(done.provider) signature\(insecure))\n")
    }
}

/// Exit statuses of the programme acts, for their help.
private let actExitStatus = "Exit status: 0 journaled; 6 refused by the rules (the refusal is journaled with its reason); 2 bad input (an unknown gate, gap or run; a key that cannot sign)."

/// `gatehouse gate sign GATE --as NAME`: a sovereign's sign-off of a programme gate.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Sign a programme gate off (pass, or fail with a reason).",
        subcommands: [Sign.self])

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a programme gate off, pass or --fail, as one of the programme's sovereigns.",
            discussion: """
                The statement signed binds the programme's id and file digest, the gate's own \
                definition digest and an evidence digest over each of its requirements as they \
                stand (see `gatehouse gates`): if the file later changes the gate, or evidence \
                goes (a gap reopened), the sign-off is stale and no longer counts. A pass needs \
                every requirement met (an xhigh gate: a recorded ruling too) and counts once per \
                sovereign; the gate passes with as many distinct sovereigns as its level asks \
                (xhigh 2, else 1, or the gate's `signatures:`). \(actExitStatus)
                """)

        @Argument(help: ArgumentHelp("The gate, such as GATE-O6.", valueName: "gate"))
        var gate: String

        @Flag(name: .long, help: "Sign it fail instead of pass.")
        var fail = false

        @Option(name: .long, help: ArgumentHelp("Why (required with --fail).", valueName: "text"))
        var reason: String?

        @OptionGroup var signer: SignerOptions

        func validate() throws {
            if fail && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--fail needs --reason TEXT: say why the gate fails")
            }
        }

        func run() throws {
            try signer.perform({ try $0.signOff(gate: gate, pass: !fail, reason: reason ?? "", as: signer.sovereign, keyFile: signer.key) }) { act, board in
                let entry = board.entry(gate)
                let status = entry.map { $0.status == .pass ? "pass" : "\($0.status.rawValue), \($0.signatureCount)" } ?? "?"
                return "\(gate) signed off \(act.passes ? "pass" : "fail") by \(act.by); \(gate) is now \(status)"
            }
        }
    }
}

/// `gatehouse gap close|reopen GAP --as NAME`.
struct GapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gap",
        abstract: "Close a programme gap with evidence, or reopen one.",
        subcommands: [Close.self, Reopen.self])

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a gap, with a closed-out run and/or a text as evidence.",
            discussion: "Any sovereign who may sign a gate that relies on the gap may close it. \(actExitStatus)")

        @Argument(help: ArgumentHelp("The gap, such as GAP-1.", valueName: "gap"))
        var gap: String

        @Option(name: .customLong("run"), help: ArgumentHelp("A closed-out run that is the evidence (its id or a unique prefix).", valueName: "run"))
        var runName: String?

        @Option(name: .long, help: ArgumentHelp("What closes it, in words.", valueName: "text"))
        var evidence: String?

        @Option(name: .long, help: ArgumentHelp("A commit, a document digest or a URL.", valueName: "ref"))
        var reference: String?

        @OptionGroup var signer: SignerOptions

        func validate() throws {
            if runName == nil && (evidence ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("give the evidence: --run RUN (a closed-out run) and/or --evidence TEXT")
            }
        }

        func run() throws {
            try signer.perform({ try $0.closeGap(gap, run: runName, evidence: evidence ?? "", reference: reference, as: signer.sovereign,
                                                 keyFile: signer.key) }) { act, _ in
                "\(gap) closed by \(act.by)" + (act.run.map { " (evidence: run \($0.prefix(12)))" } ?? "")
            }
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reopen a closed gap; the sign-offs that relied on its closure go stale.",
            discussion: actExitStatus)

        @Argument(help: ArgumentHelp("The gap, such as GAP-1.", valueName: "gap"))
        var gap: String

        @Option(name: .long, help: ArgumentHelp("Why it is open again.", valueName: "text"))
        var reason: String

        @OptionGroup var signer: SignerOptions

        func run() throws {
            try signer.perform({ try $0.reopenGap(gap, reason: reason, as: signer.sovereign, keyFile: signer.key) }) { act, _ in
                "\(gap) reopened by \(act.by)"
            }
        }
    }
}

/// `gatehouse condition met GATE --as NAME --evidence TEXT`.
struct ConditionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "condition",
        abstract: "Record a gate's condition as met.",
        subcommands: [Met.self])

    struct Met: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a condition of a gate as met, with evidence.",
            discussion: actExitStatus)

        @Argument(help: ArgumentHelp("The gate whose condition is met.", valueName: "gate"))
        var gate: String

        @Option(name: .long, help: ArgumentHelp("Which condition, as the programme words it (needed when the gate has several).", valueName: "text"))
        var condition: String?

        @Option(name: .long, help: ArgumentHelp("What shows it is met.", valueName: "text"))
        var evidence: String?

        @Option(name: .customLong("package-run"), help: ArgumentHelp("A closed-out run of a command-review package: its id and package digest are the evidence.", valueName: "run"))
        var packageRun: String?

        @OptionGroup var signer: SignerOptions

        func validate() throws {
            if evidence == nil && packageRun == nil {
                throw ValidationError("give the evidence: --evidence TEXT and/or --package-run RUN (a closed-out run of a package)")
            }
        }

        func run() throws {
            try signer.perform({ acts in
                let fromRun = try packageRun.map { try acts.packageEvidence(run: $0) }
                let text = [fromRun, evidence].compactMap { $0 }.joined(separator: "; ")
                return try acts.conditionMet(gate: gate, condition: condition, evidence: text, as: signer.sovereign, keyFile: signer.key)
            }) { act, _ in
                "\(gate): '\(act.condition)' recorded as met by \(act.by)"
            }
        }
    }
}

/// `gatehouse ruling GATE --as NAME (--text TEXT | --file FILE)`.
struct RulingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ruling",
        abstract: "Record the ruling an xhigh gate needs before it can be signed off.",
        discussion: "The ruling's text and its SHA-256 are signed and journaled. \(actExitStatus)")

    @Argument(help: ArgumentHelp("The xhigh gate, such as GATE-O8.", valueName: "gate"))
    var gate: String

    @Option(name: .long, help: ArgumentHelp("The ruling's text.", valueName: "text"))
    var text: String?

    @Option(name: .long, help: ArgumentHelp("A file holding the ruling's text (UTF-8).", valueName: "file"))
    var file: String?

    @OptionGroup var signer: SignerOptions

    func validate() throws {
        if (text == nil) == (file == nil) { throw ValidationError("give the ruling with exactly one of --text TEXT or --file FILE") }
    }

    func run() throws {
        let ruling: String
        if let file {
            guard let read = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("gatehouse: cannot read the ruling from \(file) (it must exist and be UTF-8 text)")
                throw ExitCode(exitBadInput)
            }
            ruling = read
        } else {
            ruling = text ?? ""
        }
        try signer.perform({ try $0.recordRuling(gate: gate, text: ruling, as: signer.sovereign, keyFile: signer.key) }) { act, _ in
            "ruling on \(gate) recorded by \(act.by), text SHA-256 \(sha256Hex(ruling).prefix(16))…"
        }
    }
}
