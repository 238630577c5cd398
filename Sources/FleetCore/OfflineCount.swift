/// Devices and offline devices in one group (a site, a site's core kind, the fleet).
struct OfflineCount: Equatable {
    var total = 0
    var offline = 0
}
