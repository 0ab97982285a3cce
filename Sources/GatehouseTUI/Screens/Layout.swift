/// The fixed regions of the dashboard: header, tab bar, content, status line, key bar.
public struct Layout: Sendable, Equatable {
    /// The smallest terminal the dashboard draws in; below it, it asks to be enlarged.
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public var header: Rect
    public var tabs: Rect
    public var content: Rect
    public var status: Rect
    public var keys: Rect

    public init(width: Int, height: Int) {
        header = Rect(x: 0, y: 0, width: width, height: 1)
        tabs = Rect(x: 0, y: 1, width: width, height: 1)
        content = Rect(x: 1, y: 3, width: width - 2, height: height - 5)
        status = Rect(x: 1, y: height - 2, width: width - 2, height: 1)
        keys = Rect(x: 0, y: height - 1, width: width, height: 1)
    }

    /// Whether a terminal of this size is big enough.
    public static func fits(width: Int, height: Int) -> Bool {
        width >= minimumWidth && height >= minimumHeight
    }
}
