import Foundation
import SystemCalls

/// Turns SIGTERM, SIGINT, SIGHUP, SIGUSR1 and SIGUSR2 into inbox controls, handled on the engine
/// loop like everything else; SIGPIPE and SIGXFSZ are ignored (`ignoreWriteSignals`).
final class SignalForwarder {
    static let forwarded = [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2]
    private var sources: [any DispatchSourceSignal] = []

    /// Failed writes are errors the daemon handles, not reasons to die: SIGPIPE (a CLI that went
    /// away) and SIGXFSZ (a file at the size limit, `ulimit -f`: a storage failure like a full
    /// disk, whose write then fails with EFBIG). Set before the first write.
    static func ignoreWriteSignals() throws {
        try ProcessControl.ignore(signal: SIGPIPE)
        try ProcessControl.ignore(signal: SIGXFSZ)
    }

    func install(into inbox: Inbox) throws {
        try Self.ignoreWriteSignals()
        for number in Self.forwarded {
            try ProcessControl.ignore(signal: number)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { inbox.post(.signal(number)) }
            source.resume()
            sources.append(source)
        }
    }

    /// The signals stay ignored: a second SIGTERM while stopping does nothing.
    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
