import FleetControl
import FleetCore
import Foundation
import MQTT

/// What the loop does with the inbox's controls: broker events, signals and operator requests.
extension EngineLoop {
    func handle(_ control: Inbox.Control, at now: Moment) {
        switch control {
        case .brokerConnected:
            logger.info(
                "broker connected", metadata: ["grace_s": "\(configuration.current.detection.startupGraceSeconds)"])
            do {
                try broker.link.didConnect()
                supervision.markReady()
            } catch {
                logger.error("subscribe failed", metadata: ["error": "\(error)"])
            }
            produced.append(contentsOf: engine.brokerDidConnect(at: now))
            broker.connected(at: now)
        case .brokerRefused(let code):
            broker.problems.refused(reason: connackDescription(code), user: configuration.current.mqtt.username)
        case .brokerLog(let isError, let text):
            if isError { broker.problems.libraryError(text) }
        case .brokerDisconnected(let code):
            if engine.brokerConnected {
                logger.warning("broker connection lost; offline detection paused", metadata: ["code": "\(code)"])
            }
            produced.append(contentsOf: engine.brokerDidDisconnect(at: now))
            broker.disconnected()
        case .signal(let number):
            handleSignal(number, at: now)
        case .request(let request, let connection):
            handle(request, connection, at: now)
        case .wake:
            break
        case .becameActive(let session):
            becameActive(session, at: now)
        }
    }

    private func handleSignal(_ number: Int32, at now: Moment) {
        switch number {
        case SIGTERM, SIGINT:
            logger.info("stopping", metadata: ["signal": "\(number)"])
            supervision.stopping()
            stopping = true
        case SIGHUP:
            supervision.reloading()
            persistence.reopenAlertLog()
            if let next = configuration.reload(logger: logger) {
                do {
                    // A standby's channel rows are the active node's business; a takeover syncs them.
                    if !standing.isStandby { try persistence.syncNotifyChannels(next.notify, at: now.wall) }
                } catch {
                    logger.error("notification channels not updated", metadata: ["error": "\(error)"])
                }
                notifier.reconfigure(next)
                produced.append(contentsOf: engine.reload(next, at: now))
                history.configure(next.storage)
                pruneForecasts()
                logger.info("configuration reloaded", metadata: ["devices": "\(engine.deviceCount)"])
            }
            supervision.reloaded()
        case SIGUSR1:
            persistence.reopenAlertLog()
        case SIGUSR2:
            debugHang()
        default:
            break
        }
    }

    /// Applies an operator request, commits and announces it, then answers: the CLI's success
    /// means the change is in the database and the line in the alert log.
    private func handle(_ request: ControlRequest, _ connection: ControlConnection, at now: Moment) {
        if case .notifyTest(let channel) = request {
            notifier.sendTest(channel, answering: connection)  // answered from the notifier's thread
            return
        }
        if let answer = ControlReadHandler.answer(request, from: engine, at: now) {
            let thread = Thread { [logger] in ControlServer.answer(connection, answer.reply, logger) }
            thread.name = "control-answer"
            thread.start()
            return
        }
        guard !standing.isStandby else {
            let active = standing.sessions?.election.activeNode.map { "node \($0)" } ?? "the active node"
            ControlServer.answer(
                connection,
                .failure(
                    "this node (\(standing.sessions?.node ?? "")) is a standby and changes nothing; run the command on \(active)"
                ),
                logger)
            return
        }
        let outcome = ControlRequestHandler.apply(request, to: &engine, at: now)
        produced.append(contentsOf: outcome.effects)
        commit(at: now)
        let reply: ControlReply
        switch outcome.result {
        case .success(let message):
            reply = .success(
                persistence.isDatabaseFailing
                    ? message + " (the database is failing: kept in memory and retried)" : message)
        case .failure(let error):
            reply = .failure(error.description)
        }
        ControlServer.answer(connection, reply, logger)
    }

    /// A test hook (only with FLEETWATCH_DEBUG_HOOKS=1): SIGUSR2 makes the engine loop hang, so
    /// tests can see the watchdog pings stop.
    private func debugHang() {
        guard ProcessInfo.processInfo.environment["FLEETWATCH_DEBUG_HOOKS"] == "1" else { return }
        logger.warning("debug hook: engine loop hangs now (SIGUSR2)")
        Thread.sleep(forTimeInterval: 3600)
    }
}
