import FleetCore
import FleetStore
import Foundation
import Logging
import Synchronization
import SystemCalls

/// One channel's delivery, on a thread of its own: reads the committed events after the
/// channel's position from the database, sends them one by one in order, and moves the position
/// only past what was answered 2xx (or was not for this channel). A failure stops the channel
/// where it is and tries the same event again after `NotifyBackoff`; a receiver down for hours
/// gets the whole backlog when it returns. Memory is one batch of events.
final class ChannelWorker: Sendable {
    static let batch = 20
    /// Positions moved over events not for this channel are written at most this often (a
    /// crash re-reads a few of them, which costs nothing); a delivery's position at once.
    static let skipWriteInterval = 5.0

    let channel: NotifyChannel
    private let databasePath: String
    let context: NotifyContext
    private let sender: ChannelSender
    private let board: NotifyBoard
    private let logger: Logger
    let wake = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(
        channel: NotifyChannel, secret: [UInt8]?, databasePath: String, context: NotifyContext, board: NotifyBoard,
        logger: Logger
    ) {
        self.channel = channel
        self.databasePath = databasePath
        self.context = context
        sender = ChannelSender(channel: channel, secret: secret, poster: HTTPPoster(), runner: CommandRunner())
        self.board = board
        var logger = logger
        logger[metadataKey: "channel"] = "\(channel.name)"
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "notify-\(channel.name)"
        thread.start()
    }

    /// Ends the request or command in flight (its event is sent again later) and waits for the thread.
    func stop() {
        stopping.store(true, ordering: .releasing)
        wake.signal()
        sender.poster.cancel()
        sender.runner.cancel()
        finished.wait()
        sender.poster.invalidate()
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func run() {
        var state: (store: NotifyStore, position: Int64)?
        var backoff = NotifyBackoff()
        var lastResend = -Double.infinity
        var writtenPosition: Int64 = 0
        var lastSkipWrite = -Double.infinity
        while !isStopping {
            let now = SystemClock.monotonicSeconds()
            if let retryAt = backoff.retryAt, now < retryAt {
                wake.wait(seconds: retryAt - now)
                continue
            }
            do {
                if state == nil {
                    let store = try NotifyStore(path: databasePath)
                    guard let row = try store.channel(channel.name) else {
                        throw NotifyFailure("channel has no position in the database yet")
                    }
                    state = (store, row.through)
                    writtenPosition = row.through
                }
                guard let (store, position) = state else { continue }
                let (events, head) = try store.events(for: filter, after: position, limit: Self.batch)
                if events.isEmpty {
                    state?.position = max(position, head)
                    if head > writtenPosition && now - lastSkipWrite >= Self.skipWriteInterval {
                        try store.advance(channel.name, through: head, delivered: 0, at: SystemClock.realtimeSeconds())
                        writtenPosition = head
                        lastSkipWrite = now
                    }
                    if channel.type == .alertmanager && now - lastResend >= channel.resendSeconds {
                        try resendOpenIncidents(store).get()
                        lastResend = now
                        succeeded(&backoff, store)
                    }
                    board.update(channel.name) { $0.pending = 0 }
                    let untilResend = channel.type == .alertmanager ? lastResend + channel.resendSeconds - now : 1
                    wake.wait(seconds: min(1, max(0.05, untilResend)))
                    continue
                }
                for event in events {
                    guard !isStopping else { break }
                    try deliver(event, store).get()
                    try store.advance(
                        channel.name, through: event.sequence, delivered: 1, at: SystemClock.realtimeSeconds())
                    state?.position = event.sequence
                    writtenPosition = event.sequence
                    board.update(channel.name) { $0.delivered += 1 }
                    succeeded(&backoff, store)
                }
                let pending = try store.pending(for: filter, after: state?.position ?? position)
                board.update(channel.name) { $0.pending = pending }
            } catch {
                guard !isStopping else { break }
                failed(error, &backoff, state?.store)
                if let (store, position) = state, let pending = try? store.pending(for: filter, after: position) {
                    board.update(channel.name) { $0.pending = pending }
                }
            }
        }
        if let (store, position) = state, position > writtenPosition {
            try? store.advance(channel.name, through: position, delivered: 0, at: SystemClock.realtimeSeconds())
        }
    }

    /// What the channel reads: its own filter, and for Alertmanager every RESOLVE of what it was
    /// told (an alert must end there even when RESOLVE is not among the channel's events).
    private var filter: NotifyChannel {
        var filter = channel
        if channel.type == .alertmanager && !filter.events.contains(.resolve) { filter.events.append(.resolve) }
        return filter
    }

    private func deliver(_ event: AlertEvent, _ store: NotifyStore) throws -> Result<Void, NotifyFailure> {
        let incident = try store.incident(event.incidentID)
        switch channel.type {
        case .alertmanager:
            guard let incident else { return .success(()) }
            var alerts = [AlertmanagerBody.alert(incident)]
            if event.kind == .escalate {
                // The P2 alert ends where the P1 one starts: labels identify an alert.
                alerts.append(.init(incident: incident, endsAt: event.time, priority: .p2))
            }
            return sender.sendAlerts(AlertmanagerBody(time: context.time).render(alerts, siteNames: context.siteNames))
        case .webhook, .command:
            let deviceName = try event.field("device").flatMap { try store.deviceName($0) }
            let notification = NotifyMessage(
                event, instance: store.instance, incident: incident,
                siteName: event.field("site").flatMap { context.siteNames[$0] },
                deviceName: deviceName)
            return sender.send(notification, rendering: NotificationBody(time: context.time))
        }
    }

    /// Every matching open incident, again: Alertmanager ends an alert not heard of for its
    /// `resolve_timeout`, and a restarted Alertmanager learns what is open.
    private func resendOpenIncidents(_ store: NotifyStore) throws -> Result<Void, NotifyFailure> {
        let open = try store.announcedUnresolvedIncidents().filter { incident in
            channel.priorities.contains(incident.priority)
                && (channel.sites.isEmpty || incident.site.map(channel.sites.contains) == true)
        }
        let body = AlertmanagerBody(time: context.time)
        for start in stride(from: 0, to: open.count, by: 500) {
            let chunk = open[start..<min(start + 500, open.count)].map(AlertmanagerBody.alert)
            if case .failure(let failure) = sender.sendAlerts(body.render(chunk, siteNames: context.siteNames)) {
                return .failure(failure)
            }
        }
        return .success(())
    }

    private func succeeded(_ backoff: inout NotifyBackoff, _ store: NotifyStore) {
        guard backoff.failures > 0 else { return }
        logger.notice("notification channel recovered", metadata: ["after_failures": "\(backoff.failures)"])
        backoff.succeeded()
    }

    private func failed(_ error: any Error, _ backoff: inout NotifyBackoff, _ store: NotifyStore?) {
        let reason = NotifyRedaction.message("\(error)", url: channel.url)
        let delay = backoff.failed(at: SystemClock.monotonicSeconds())
        board.update(channel.name) { $0.failed += 1 }
        logger.warning(
            "notification not delivered; retrying",
            metadata: [
                "error": "\(reason)", "retry_in_s": "\(delay)", "failures": "\(backoff.failures)",
            ])
        do {
            try store?.recordFailure(channel.name, error: reason, at: SystemClock.realtimeSeconds())
        } catch {
            logger.error("notification failure not recorded", metadata: ["error": "\(error)"])
        }
    }
}
