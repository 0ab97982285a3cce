/// The fixed regions of the dashboard: header, tab bar, content, status line, key bar.
package struct Layout: Sendable, Equatable {
    /// The smallest terminal the dashboard draws in; below it, it asks to be enlarged.
    package static let minimumWidth = 60
    package static let minimumHeight = 16

    package var header: Rect
    package var tabs: Rect
    package var content: Rect
    package var status: Rect
    package var keys: Rect

    package init(width: Int, height: Int) {
        header = Rect(x: 0, y: 0, width: width, height: 1)
        tabs = Rect(x: 0, y: 1, width: width, height: 1)
        content = Rect(x: 1, y: 3, width: width - 2, height: height - 5)
        status = Rect(x: 1, y: height - 2, width: width - 2, height: 1)
        keys = Rect(x: 0, y: height - 1, width: width, height: 1)
    }

    /// Whether a terminal of this size is big enough.
    package static func fits(width: Int, height: Int) -> Bool {
        width >= minimumWidth && height >= minimumHeight
    }
}
