/// The `last_seen` flush queue: devices whose `last_seen` changed since it was last written,
/// oldest first, and how many of them the current flush round may still take. A device heard
/// again after its write waits for the next round, so each device's row is written at most once
/// a round however often it heartbeats. The registry keeps each device's "queued" flag (in
/// `TrackedDevice`) and appends a device only when it was not queued.
struct LastSeenQueue {
    private var slots: [DeviceSlot] = []
    /// How many of `slots`' first entries the current round may still take.
    private var roundRemaining = 0

    mutating func append(_ slot: DeviceSlot) { slots.append(slot) }

    /// A forgotten device leaves the queue (and its round, without another taking its place).
    mutating func remove(_ slot: DeviceSlot) {
        guard let queued = slots.firstIndex(of: slot) else { return }
        slots.remove(at: queued)
        if queued < roundRemaining { roundRemaining -= 1 }
    }

    /// Starts a round: what is queued now may be taken by `takeRound(limit:)`.
    mutating func beginRound() { roundRemaining = slots.count }

    /// At most `limit` of the round's entries, oldest first.
    mutating func takeRound(limit: Int) -> [DeviceSlot] { take(min(limit, roundRemaining)) }

    /// Every queued entry, round or not (a stop, a standby).
    mutating func takeAll() -> [DeviceSlot] { take(slots.count) }

    private mutating func take(_ k: Int) -> [DeviceSlot] {
        let taken = Array(slots.prefix(k))
        slots.removeFirst(k)
        roundRemaining = max(0, roundRemaining - k)
        return taken
    }
}
