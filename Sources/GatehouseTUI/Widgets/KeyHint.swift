/// A key and what it does, for the key bar; a disabled one is drawn dim with why.
package struct KeyHint: Sendable, Equatable {
    package var key: String
    package var label: String
    /// Why the key does nothing here, if it does not.
    package var disabledBecause: String?

    package init(_ key: String, _ label: String, disabledBecause: String? = nil) {
        self.key = key
        self.label = label
        self.disabledBecause = disabledBecause
    }
}
