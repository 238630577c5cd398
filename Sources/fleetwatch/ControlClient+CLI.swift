import FleetControl

extension ControlClient {
    /// Sends `request`; the daemon's message on success, a `CLIFailure` (exit 1, one line) otherwise.
    func perform(_ request: ControlRequest) throws(CLIFailure) -> String {
        let reply: ControlReply
        do {
            reply = try send(request)
        } catch {
            throw CLIFailure(error.description)
        }
        switch reply {
        case .success(let message): return message
        case .failure(let error): throw CLIFailure(error)
        }
    }
}
