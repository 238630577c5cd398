import FleetCore

/// The link probe on the loop (`LinkProbe`): echoes tell the engine how far the broker has
/// delivered; a probe goes out every second and as soon as a deadline waits for proof; one not
/// back in time makes the engine blind, as a disconnect does.
extension EngineLoop {
    func probesCameBack(at now: Moment) {
        for sequence in ingest.takeProbeEchoes() {
            switch broker.probe.echoed(sequence) {
            case .delivered(let sentAt)?:
                engine.brokerDelivered(through: sentAt)
            case .resumed(let sentAt)?:
                engine.brokerDelivered(through: sentAt)
                logger.notice(
                    "broker delivers again; every device gets the grace period",
                    metadata: ["grace_s": "\(configuration.current.detection.startupGraceSeconds)"])
                produced.append(contentsOf: engine.brokerDidConnect(at: now))
            case nil:
                break  // from before a reconnect, or forgotten
            }
        }
    }

    func probeTheLink(at now: Moment) {
        switch broker.probe.check(at: now.monotonic) {
        case .stalled?:
            logger.warning(
                "broker stopped delivering (own probe not back); offline detection paused",
                metadata: ["timeout_s": "\(LinkProbe.timeout)"])
            produced.append(contentsOf: engine.brokerStoppedDelivering(at: now))
        case .neverAnswered?:
            // Without echoes a frozen broker cannot be told from a silent fleet.
            logger.warning(
                "own probes do not come back: let the daemon publish to its probe topic in the broker's ACL",
                metadata: ["topic": "\(ingest.probe.topic)"])
        case nil:
            break
        }
        if let sequence = broker.probe.due(at: now.monotonic, awaiting: engine.deadlineAwaitingDelivery(at: now)) {
            broker.link.publishProbe(ingest.probe, sequence)
        }
    }
}
