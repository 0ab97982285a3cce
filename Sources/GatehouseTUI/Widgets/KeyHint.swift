/// A key and what it does, for the key bar; a disabled one is drawn dim with why.
public struct KeyHint: Sendable, Equatable {
    public var key: String
    public var label: String
    /// Why the key does nothing here, if it does not.
    public var disabledBecause: String?

    public init(_ key: String, _ label: String, disabledBecause: String? = nil) {
        self.key = key
        self.label = label
        self.disabledBecause = disabledBecause
    }
}
