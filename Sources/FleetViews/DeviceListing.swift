import FleetCore

/// `fleetwatch devices --json` and `GET /api/v1/devices`: a JSON array of SPEC §8 device rows
/// with their site's opening hours (SPEC §10), then a newline, written as bytes in chunks
/// (100,000 rows: Benchmarks: cli).
public enum DeviceListing {
    /// Writes the listing into `out`, handing it to `flush` whenever it holds `chunkBytes` or
    /// more (and once at the end); `flush` empties it or lets it grow.
    public static func write(
        _ devices: [DeviceRecord], _ render: JSONRendering, hours: inout SiteHoursView.Cache,
        chunkBytes: Int = 1 << 17, into out: inout JSONBytes, flush: (inout JSONBytes) -> Void
    ) {
        out.raw("[")
        for (i, d) in devices.enumerated() {
            if i > 0 { out.raw(",") }
            render.device(d, into: &out, extra: hours.view(d.site).json)
            if out.bytes.count >= chunkBytes { flush(&out) }
        }
        out.raw("]\n")
        flush(&out)
    }

    /// The whole listing as one body.
    public static func bytes(
        _ devices: [DeviceRecord], _ render: JSONRendering, hours: inout SiteHoursView.Cache
    ) -> [UInt8] {
        var out = JSONBytes(capacity: 64 + devices.count * 300)
        write(devices, render, hours: &hours, chunkBytes: .max, into: &out) { _ in }
        return out.bytes
    }
}

/// `fleetwatch incidents --json` and `GET /api/v1/incidents`: every incident of the list,
/// children with `parent` set (SPEC §8), then a newline.
public enum IncidentListing {
    public static func json(_ incidents: [Incident], _ render: JSONRendering) -> String {
        JSONText.array(incidents.map(render.incident)) + "\n"
    }
}
