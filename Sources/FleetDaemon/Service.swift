/// A long-running part of the daemon: the engine loop, the broker link, the control server, the
/// HTTP server (metrics, status page, read API), the WAL checkpointer (and, later, the notifier).
///
/// A `ServiceGroup` starts its services in order and stops them in reverse, so a part is started
/// only once everything it relies on runs, and stopped while that is still there.
protocol Service: AnyObject {
    /// Names the service's thread and its log lines.
    var name: String { get }
    /// Acquires what the service needs (binds a socket, opens a connection) and returns; a
    /// failure stops the daemon from starting, with the services already started stopped again.
    func start() throws
    /// The service's work, on a thread of its own (the foreground service: the caller's), until
    /// `stop()` is called.
    func run()
    /// Makes `run()` return soon and releases what `start()` acquired. Called once, from the
    /// group's thread; the group then waits for `run()` to have returned.
    func stop()
}
