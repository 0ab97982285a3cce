import Foundation

/// One line of the benchmark table: what was measured, its value, and the target it is held to.
public struct Measurement: Sendable {
    /// The group, such as `Wire bytes`.
    public var group: String
    /// What was measured, such as `first frame, 80x24`.
    public var name: String
    /// The value as a number, in `unit`.
    public var value: Double
    public var unit: String
    /// The target in words (`≤ 64 B`), if there is one.
    public var target: String?
    /// Whether the target is met, when there is one.
    public var met: Bool?

    public init(_ group: String, _ name: String, _ value: Double, _ unit: String, target: String? = nil, met: Bool? = nil) {
        self.group = group
        self.name = name
        self.value = value
        self.unit = unit
        self.target = target
        self.met = met
    }

    /// The value for the table: integers as integers, small values with decimals.
    public var formatted: String {
        if value.isNaN { return "n/a" }
        if value == value.rounded() && abs(value) < 1e15 { return "\(Int(value)) \(unit)" }
        if abs(value) >= 100 { return String(format: "%.0f %@", value, unit) }
        if abs(value) >= 1 { return String(format: "%.2f %@", value, unit) }
        return String(format: "%.3f %@", value, unit)
    }
}
