/// One device's offline deadline (monotonic seconds) in the registry's heap, by device index; the
/// opening-hours schedule uses the same shape for a site's next open/close check, by site index.
/// Entries are lazy: a heartbeat moves a device's real deadline without touching the heap, and a
/// popped entry that is early is pushed back with the current deadline, so the heap sees about
/// one push per device per timeout, not per heartbeat.
struct DeviceDeadline: TimedEntry {
    var deadline: Double
    var device: Int32

    var time: Double { deadline }
}

typealias DeadlineHeap = MinHeap<DeviceDeadline>

extension MinHeap where Entry == DeviceDeadline {
    mutating func push(_ deadline: Double, _ device: Int32) {
        push(DeviceDeadline(deadline: deadline, device: device))
    }
}
