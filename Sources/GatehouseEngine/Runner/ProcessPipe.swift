import Foundation

/// Both ends of a pipe, closed on exec so that no other command started meanwhile inherits them
/// (an inherited write end would keep the pipe open after the command exits).
struct ProcessPipe {
    /// The end the executor reads.
    let readEnd: Int32
    /// The end the command writes; the executor closes its copy once the command has started.
    let writeEnd: Int32

    /// A new pipe, or nil with `errno` set.
    static func make() -> ProcessPipe? {
        var ends: [Int32] = [-1, -1]
        if let pipe2 = Self.pipe2 {
            guard pipe2(&ends, O_CLOEXEC) == 0 else { return nil }
        } else {
            // Without pipe2 another thread's spawn may slip in before FD_CLOEXEC is set; the
            // executor's drain after the shell exits bounds the harm to a short delay.
            guard pipe(&ends) == 0 else { return nil }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
        return ProcessPipe(readEnd: ends[0], writeEnd: ends[1])
    }

    /// `pipe2(2)`, which creates both ends close-on-exec at once, where the C library has it
    /// (glibc does, but its Swift module does not export it).
    private static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "pipe2") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Closes both ends.
    func closeBoth() {
        close(readEnd)
        close(writeEnd)
    }
}
