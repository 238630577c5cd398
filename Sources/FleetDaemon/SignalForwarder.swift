import Foundation
import SystemCalls

/// Turns SIGTERM, SIGINT, SIGHUP, SIGUSR1 and SIGUSR2 into inbox controls, handled on the engine
/// loop like everything else; SIGPIPE is ignored (a CLI that went away is a write error, not death).
final class SignalForwarder {
    static let forwarded = [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2]
    private var sources: [any DispatchSourceSignal] = []

    func install(into inbox: Inbox) throws {
        try ProcessControl.ignore(signal: SIGPIPE)
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
