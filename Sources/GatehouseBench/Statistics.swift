/// Medians and percentiles of measured samples.
public enum Statistics {
    /// The median of `samples` (the mean of the middle two for an even count).
    public static func median(_ samples: [Double]) -> Double {
        percentile(samples, 50)
    }

    /// The `p`th percentile by linear interpolation between closest ranks.
    public static func percentile(_ samples: [Double], _ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let rank = p / 100 * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down))
        let high = min(sorted.count - 1, low + 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }
}
