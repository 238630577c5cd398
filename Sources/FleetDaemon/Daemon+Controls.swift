import FleetConfig
import FleetCore
import Glibc
import Foundation
import MQTT

extension Daemon {
    func handle(_ control: Inbox.Control) {
        let now = Clock.now()
        switch control {
        case .brokerConnected:
            lastBrokerProblem = nil
            logger.info("broker connected", metadata: ["grace_s": "\(configuration.detection.startupGraceSeconds)"])
            do {
                try broker.didConnect()
                markReady()
            } catch {
                logger.error("subscribe failed", metadata: ["error": "\(error)"])
            }
            pending.append(contentsOf: engine.brokerDidConnect(at: now))
        case .brokerRefused(let code):
            // One line per distinct reason, not one per retry: a wrong password is one problem.
            let reason = connackDescription(code)
            if reason != lastBrokerProblem {
                lastBrokerProblem = reason
                logger.error("broker refused the connection; retrying with backoff",
                             metadata: ["reason": "\(reason)", "user": "\(configuration.mqtt.username)"])
            }
        case .brokerLog(let isError, let text):
            // libmosquitto reports TLS and socket failures only through its log.
            if isError && text != lastBrokerProblem {
                lastBrokerProblem = text
                logger.error("broker connection failed; retrying with backoff", metadata: ["reason": "\(text)"])
            }
        case .brokerDisconnected(let code):
            if engine.brokerConnected {
                logger.warning("broker connection lost; offline detection paused", metadata: ["code": "\(code)"])
            }
            pending.append(contentsOf: engine.brokerDidDisconnect(at: now))
        case .signal(let number):
            handleSignal(number, at: now)
        case .request(let request, let connection):
            handle(request, connection, at: now)
        case .wake:
            break
        }
    }

    func handleSignal(_ number: Int32, at now: Moment) {
        switch number {
        case SIGTERM, SIGINT:
            logger.info("stopping", metadata: ["signal": "\(number)"])
            notifier.stopping()
            stopping = true
        case SIGHUP:
            notifier.reloading()
            reopenAlertLog()
            reloadConfiguration(at: now)
            if readySent { notifier.ready() }
        case SIGUSR2:
            debugHang()
        case SIGUSR1:
            reopenAlertLog()
        default:
            break
        }
    }

    func reopenAlertLog() {
        do {
            try alertLog.reopen()
            logger.info("alert log reopened", metadata: ["path": "\(alertLog.path)"])
        } catch {
            logger.error("alert log cannot be reopened", metadata: ["error": "\(error)"])
        }
    }

    /// SIGHUP: a new, valid configuration replaces the old one without losing state; an invalid
    /// one is refused and the old one kept.
    func reloadConfiguration(at now: Moment) {
        guard let configPath else { return }
        let next: Configuration
        do {
            next = try ConfigurationLoader.load(path: configPath)
        } catch {
            for problem in error.problems {
                logger.error("configuration reload refused; keeping the running configuration",
                             metadata: ["key": "\(problem.key)", "reason": "\(problem.reason)"])
            }
            return
        }
        if next.mqtt != configuration.mqtt || next.storage != configuration.storage || next.control != configuration.control {
            logger.warning("mqtt, storage and control settings change only on restart")
        }
        var applied = next
        applied.mqtt = configuration.mqtt
        applied.storage = configuration.storage
        applied.control = configuration.control
        configuration = applied
        pending.append(contentsOf: engine.reload(applied, at: now))
        logger.info("configuration reloaded", metadata: ["devices": "\(engine.deviceCount)"])
    }
}
