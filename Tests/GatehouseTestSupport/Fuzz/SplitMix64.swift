import Foundation

/// A small seeded random number generator (Steele, Lea and Flood's SplitMix64): the same seed
/// gives the same numbers on every machine, so a generated case is reproduced by its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// The generator that starts from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of case `index` of a run seeded with `seed`, independent of the other cases.
    public init(seed: UInt64, case index: Int) {
        var mixer = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A whole number in `range`, spread evenly over its order of magnitude: as many values
    /// near 10 as near 100,000, so small and huge sizes are both tried.
    public mutating func logUniform(_ range: ClosedRange<Int>) -> Int {
        let low = log(Double(max(range.lowerBound, 1)))
        let high = log(Double(max(range.upperBound, 1)))
        let value = Int(exp(Double.random(in: low...high, using: &self)).rounded())
        return min(max(value, range.lowerBound), range.upperBound)
    }

    /// True once in `n` times.
    public mutating func oneIn(_ n: Int) -> Bool {
        Int.random(in: 0..<n, using: &self) == 0
    }
}
