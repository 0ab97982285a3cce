/// What a piece of the screen is, so that a theme can give it colours and attributes.
///
/// Screens never name colours: they mark text with a role, and the theme decides how each
/// role looks (see `docs/themes.md`).
public enum Role: String, Sendable, CaseIterable, Hashable {
    /// Ordinary text.
    case normal
    /// The header line: programme, gate, result.
    case header
    /// The emphasised part of the header (the gate result).
    case headerAccent = "header_accent"
    /// The selected tab.
    case tabActive = "tab_active"
    /// A tab that is not selected.
    case tabInactive = "tab_inactive"
    /// Column headings and section titles.
    case heading
    /// The row under the cursor.
    case selection
    /// A filled rating star.
    case star
    /// An empty rating star.
    case starEmpty = "star_empty"
    /// Secondary text: hints, unknown values.
    case dim
    /// The key bar at the bottom.
    case keyBar = "key_bar"
    /// A key's name in the key bar and help.
    case key
    /// Gate status pass.
    case statusPass = "status_pass"
    /// Gate status pending.
    case statusPending = "status_pending"
    /// Gate status fail.
    case statusFail = "status_fail"
    /// Gate status blocked.
    case statusBlocked = "status_blocked"
    /// Gate level medium.
    case levelMedium = "level_medium"
    /// Gate level high.
    case levelHigh = "level_high"
    /// Gate level xhigh.
    case levelXHigh = "level_xhigh"
    /// "As next macro?" answered yes.
    case answerYes = "answer_yes"
    /// "As next macro?" answered no.
    case answerNo = "answer_no"
    /// "As next macro?" answered fold.
    case answerFold = "answer_fold"
    /// LIVE mode, the kill-switch on, anything that can mutate production.
    case danger
    /// DRYRUN mode and other safe states.
    case mode
    /// Borders of overlays and panels.
    case border
    /// The body of an overlay.
    case overlay
}
